import { afterAll, describe, expect, it } from 'vitest';
import { createEngineSync } from '../src/engine.js';
import { Subnet } from '../src/subnet/index.js';
import { expectYumaError, yumaCode } from './helpers/errors.js';
import { boom, firstReadThen, typedWithOwnProps } from './helpers/hostile.js';
import { movingSubnet, smallSubnet, subnetState } from './helpers/state.js';

const engine = createEngineSync();
afterAll(() => engine.close());

const subnet = (on: ConstructorParameters<typeof Subnet>[0]['engine'] = engine): Subnet => smallSubnet(on);


describe('Subnet refuses bad input without damaging its state', () => {
  it('setWeights(0, [, 1], [5, 6]) (a holey array) is E_SHAPE and the subnet keeps working', () => {
    const s = subnet();
    const before = subnetState(s);
    // eslint-disable-next-line no-sparse-arrays
    expect(yumaCode(() => s.setWeights(0, [, 1] as number[], [5, 6]))).toBe('E_SHAPE');
    // eslint-disable-next-line no-sparse-arrays
    expect(yumaCode(() => s.setWeights(0, [1, 2], [, 6] as number[]))).toBe('E_SHAPE');
    expect(subnetState(s)).toBe(before);
    expect(s.weights()).toEqual([[0, 49151, 65535], [0, 0, 0], [0, 0, 0]]);
    expect(s.epoch(1_000_000n).incentive.length).toBe(3);
  });

  it('setWeights reads each list once (a Proxy whose length changes cannot smuggle in a row) and wraps throwing getters', () => {
    const s = subnet();
    let reads = 0;
    const uids = new Proxy([1, 2], { get: (t, k, r) => (k === 'length' ? (reads++ === 0 ? 2 : 1000) : Reflect.get(t, k, r)) });
    s.setWeights(1, uids, [1, 1]);
    expect(reads).toBe(1);
    expect(s.weightRows()[1]).toEqual([[1, 65535], [2, 65535]]);
    const before = subnetState(s);
    expect(yumaCode(() => s.setWeights(1, new Proxy([1], { get: boom }), [1]))).toBe('E_ARG');
    expect(yumaCode(() => s.setWeights(1, [1], Object.defineProperty([0], 0, { get: boom })))).toBe('E_ARG');
    expect(yumaCode(() => s.setWeights(1, [Symbol('u')] as never, [1]))).toBe('E_ARG');
    expect(subnetState(s)).toBe(before);
  });

  it('setWeights reads both lists whole before converting either: a hole in values outranks a bad uid, a bad uid outranks a bad value, each entry is read once', () => {
    const s = subnet();
    const before = subnetState(s);
    const message = (f: () => void): string => {
      try {
        f();
      } catch (e) {
        return `${(e as { code?: string }).code}: ${(e as Error).message}`;
      }
      return 'no error';
    };
    // eslint-disable-next-line no-sparse-arrays
    expect(message(() => s.setWeights(0, [70000, 2], [, 6] as number[]))).toMatch(/^E_SHAPE: .*values has a hole at index 0/);
    expect(message(() => s.setWeights(0, [1, 70000], [1.5, 6]))).toMatch(/^E_RANGE: .*uids\[1\]/);
    expect(message(() => s.setWeights(0, [1, 2], [6, -1]))).toMatch(/^E_RANGE: .*values\[1\]/);
    const reads = new Map<string, number>();
    const counted = (name: string, xs: unknown[]) =>
      new Proxy(xs, { get: (t, k, r) => (reads.set(`${name}.${String(k)}`, (reads.get(`${name}.${String(k)}`) ?? 0) + 1), Reflect.get(t, k, r)) });
    expect(message(() => s.setWeights(0, counted('uids', [1, 2.5, 2]) as number[], counted('values', [3, 4, 5]) as number[]))).toMatch(/^E_RANGE: .*uids\[1\]/);
    for (const k of ['uids.0', 'uids.1', 'uids.2', 'values.0', 'values.1', 'values.2']) expect(reads.get(k)).toBe(1);
    expect(subnetState(s)).toBe(before);
    // −0 reads as 0, in either list
    s.setWeights(0, [-0, 2], [-0, 7]);
    expect(s.weightRows()[0]).toEqual([[0, 0], [2, 65535]]);
  });

  it('the constructor refuses unknown options, non-plain objects, Symbols and throwing getters', () => {
    expect(yumaCode(() => new Subnet({ engine, n: 4, tmepo: 2 } as never))).toBe('E_ARG');
    expect(yumaCode(() => new Subnet(null as never))).toBe('E_ARG');
    expect(yumaCode(() => new Subnet({ engine, n: 4, mode: Symbol('float') } as never))).toBe('E_ARG');
    expect(yumaCode(() => new Subnet({ engine, n: 4, mode: Object.create(null) } as never))).toBe('E_ARG');
    expect(yumaCode(() => new Subnet({ engine, n: 4, ownerHotkey: Object.create(null) } as never))).toBe('E_ARG');
    expect(yumaCode(() => new Subnet({ engine, n: 4, hyper: { kappa: 1, kapa: 2 } } as never))).toBe('E_ARG');
    expect(yumaCode(() => new Subnet({ engine, n: 4, recordStepBlock: 1 } as never))).toBe('E_ARG');
    expect(yumaCode(() => new Subnet({ engine: new Proxy({}, { get: boom }), n: 4 } as never))).toBe('E_ARG');
    expect(yumaCode(() => new Subnet(Object.defineProperty({ engine }, 'n', { get: boom, enumerable: true }) as never))).toBe('E_ARG');
  });

  it('setHyper reads its argument once, refuses unknown keys and null, and leaves the hyper-parameters as they were', () => {
    const s = subnet();
    const before = subnetState(s);
    expect(yumaCode(() => s.setHyper({ kappa: 1, bondsPenalti: 3 } as never))).toBe('E_ARG');
    expect(yumaCode(() => s.setHyper(null as never))).toBe('E_ARG');
    expect(yumaCode(() => s.setHyper({ kappa: 1, liquidAlphaEnabled: 1 } as never))).toBe('E_ARG');
    expect(subnetState(s)).toBe(before);
    let reads = 0;
    s.setHyper({
      get activityCutoff() {
        return reads++ === 0 ? 7 : undefined;
      },
    } as never);
    expect(reads).toBe(1);
    expect(s.hyper.activityCutoff).toBe(7);
  });

  it('epoch refuses unknown options and non-object options without running', () => {
    const s = subnet();
    const before = subnetState(s);
    expect(yumaCode(() => s.epoch(1n, { pth: 'dense' } as never))).toBe('E_ARG');
    expect(yumaCode(() => s.epoch(1n, 'dense' as never))).toBe('E_ARG');
    expect(yumaCode(() => s.epoch(1n, { path: Symbol('dense') } as never))).toBe('E_ARG');
    expect(yumaCode(() => s.register(Symbol('hk') as never))).toBe('E_ARG');
    expect(subnetState(s)).toBe(before);
  });
});

describe('an engine object of the caller\'s that misbehaves', () => {
  const outputs: Array<[string, () => unknown, string]> = [
    ['null', () => null, 'E_STATE'],
    ['an object with only bonds, permits and incentive of the right length', () => ({ bonds: [[], [], []], validatorPermit: [true, false, false], incentive: new Uint16Array(3) }), 'E_STATE'],
    ['an output whose consensus getter throws', () => ({ ...engine.epoch(subnet().epochInput(1n)), get consensus() { return boom(); } }), 'E_STATE'],
    ['a TypeError thrown by epoch()', () => { throw new TypeError('custom'); }, 'E_ARG'],
  ];
  for (const [what, epoch, code] of outputs) {
    it(`Subnet.epoch and Subnet.epochs on an engine whose epoch() gives ${what}: ${code} (a TypeError escaped), the subnet unchanged`, () => {
      const s = subnet();
      // the same state on an engine object without a resident side that answers with the Wasm engine's own output first
      const custom = { epoch: (...a: Parameters<typeof engine.epoch>) => engine.epoch(...a) };
      const t = subnet(custom as never);
      custom.epoch = epoch as never;
      const before = subnetState(t);
      expect(yumaCode(() => t.epoch(1_000_000n))).toBe(code);
      expect(yumaCode(() => Subnet.epochs([s, t], 1_000_000n))).toBe(code);
      expect(subnetState(t)).toBe(before);
      expect(subnetState(s)).toBe(subnetState(subnet()));
    });
  }

  const values: Array<[string, string, (o: Record<string, any>) => void]> = [
    ['a bond value past u16', 'output.bonds[0][0]', (o) => (o.bonds = o.bonds.map(() => [[0, 70000]]))],
    ['a float incentive of 5', 'output.float.incentive[0]', (o) => (o.float = { ...o.float, incentive: o.float.incentive.map(() => 5) })],
    ['a negative validator emission', 'output.validatorEmission[0]', (o) => (o.validatorEmission = o.validatorEmission.map(() => -1n))],
  ];
  for (const [what, field, damage] of values) {
    it(`Subnet.epoch on an engine whose output holds ${what} is E_STATE naming ${field}, the subnet unchanged and the caller's output object as the engine left it`, () => {
      const json = (v: unknown) => JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? String(x) : x));
      let given: Record<string, any> | undefined;
      let givenJson = '';
      let broken = false;
      const custom = {
        epoch: (...a: Parameters<typeof engine.epoch>) => {
          const o = engine.epoch(...a) as unknown as Record<string, any>;
          if (!broken) return o;
          damage((given = o));
          givenJson = json(o);
          return o;
        },
      };
      const t = subnet(custom as never);
      broken = true;
      const before = subnetState(t);
      expect(expectYumaError(() => t.epoch(1_000_000n), 'E_STATE').message).toContain(`engine returned an output of the wrong shape: ${field}`);
      expect(subnetState(t)).toBe(before);
      expect(givenJson.length).toBeGreaterThan(100);
      expect(json(given)).toBe(givenJson);
    });
  }
});

describe('a Subnet option given as null is E_ARG naming it (it was read as "not given", unlike the engine\'s mode: null)', () => {
  for (const field of ['tempo', 'mode', 'block', 'activityCutoffFactorMilli', 'immunityPeriod', 'minNonImmuneUids', 'recordStepBlock', 'requireValidatorPermit', 'mechanisms'] as const) {
    it(`new Subnet({ …, ${field}: null }) is E_ARG naming ${field}`, () => {
      expect(expectYumaError(() => new Subnet({ engine, n: 4, [field]: null } as never), 'E_ARG').message).toContain(field);
    });
  }
  it('a mechanism option { mechanism: null } is E_ARG naming mechanism (it read mechanism 0), for reads and writes alike, and nothing changes', () => {
    const s = smallSubnet(engine);
    const before = subnetState(s);
    expect(expectYumaError(() => s.weights({ mechanism: null } as never), 'E_ARG').message).toContain('mechanism');
    expect(expectYumaError(() => s.setWeights(0, [1], [1], { mechanism: null } as never), 'E_ARG').message).toContain('mechanism');
    expect(subnetState(s)).toBe(before);
  });
  for (const field of ['path', 'bonds'] as const) {
    it(`subnet.epoch(e, { ${field}: null }) is E_ARG naming ${field}, and the subnet does not step`, () => {
      const s = smallSubnet(engine);
      const before = JSON.stringify(subnetState(s));
      expect(yumaCode(() => s.epoch(1_000_000n, { [field]: null } as never))).toBe('E_ARG');
      expect(JSON.stringify(subnetState(s))).toBe(before);
    });
  }
});

describe('an engine object\'s output is read once, by its entries, before the write-back', () => {
  const moving = (on: ConstructorParameters<typeof Subnet>[0]['engine'], mechanisms: number): Subnet => movingSubnet(on, mechanisms);
  /** An engine object answering with the library engine's output, passed through `change` while `on.value`. */
  const relay = (change: (o: Record<string, any>) => unknown) => {
    const on = { value: false };
    const custom = {
      epoch: (...a: Parameters<typeof engine.epoch>) => {
        const o = engine.epoch(...a) as unknown as Record<string, any>;
        return on.value ? change(o) : o;
      },
    };
    return { on, custom: custom as never };
  };
  /** Each output object of `o`: the output itself and, with mechanisms, each mechanism's. */
  const parts = (o: Record<string, any>): Array<Record<string, any>> => [o, ...(o.mechanisms ?? [])];

  for (const mechanisms of [1, 2]) {
    // each refused output: its field named, the subnet as before, and with the engine mended the next epoch is a
    // fresh twin's
    const refused: Array<[string, string, (o: Record<string, any>) => unknown]> = [
      ['a hole in the bond list', 'bonds has a hole at index 1', (o) => { const b = parts(o).at(-1)!; b.bonds = b.bonds.slice(); delete b.bonds[1]; return o; }],
      ['a hole in a bond row', 'bonds[0][0] must be a [uid below 3, u16] pair', (o) => { const b = parts(o).at(-1)!; b.bonds = b.bonds.map(() => [, [0, 1]]); return o; }],
      ['a bond pair of bigints', 'bonds[0][0] must be a [uid below 3, u16] pair', (o) => { const b = parts(o).at(-1)!; b.bonds = b.bonds.map(() => [[0n, 1n]]); return o; }],
      ['a bond row longer than the subnet (a Proxy claiming 2^32 − 1 pairs)', 'bonds[0] must be at most 3 pairs', (o) => { const b = parts(o).at(-1)!; b.bonds = b.bonds.map((r: unknown[]) => new Proxy(r, { get: (t, k, rc) => (k === 'length' ? 2 ** 32 - 1 : Reflect.get(t, k, rc)) })); return o; }],
      ['permits one short', 'output.validatorPermit must be an array of 3 entries (got 2)', (o) => { o.validatorPermit = o.validatorPermit.slice(1); return o; }],
      ['a Uint16Array consensus of 5 entries', 'output.consensus must be a Uint16Array of 3 entries', (o) => { o.consensus = new Uint16Array(5); return o; }],
      ['a Proxy of the stake-weight Uint16Array', 'output.stakeWeight must be a Uint16Array of 3 entries', (o) => { o.stakeWeight = new Proxy(o.stakeWeight, {}); return o; }],
      ['server emissions as numbers', 'output.serverEmission[0] must be a u64 amount of rao as a bigint', (o) => { o.serverEmission = o.serverEmission.map(Number); return o; }],
      ['a revoked Proxy for the validator emissions', 'output.validatorEmission: reading it threw', (o) => { const r = Proxy.revocable(o.validatorEmission, {}); r.revoke(); o.validatorEmission = r.proxy; return o; }],
      ['an incentive getter that throws', 'output.incentive: reading it threw', (o) => Object.defineProperty({ ...o }, 'incentive', { get: boom, enumerable: true })],
      ...(mechanisms === 1
        ? ([
            ['a NaN float dividend', 'output.float.dividends[0] must be in [0, 1] (got NaN)', (o) => { o.float = { ...o.float, dividends: o.float.dividends.map(() => NaN) }; return o; }],
            ['float incentive as a plain array', 'output.float.incentive must be a Float64Array of 3 entries', (o) => { o.float = { ...o.float, incentive: Array.from(o.float.incentive) }; return o; }],
            // fields only the report carries (they were kept as given, and threw the caller's error when read)
            ['a float rank view as a plain array', 'output.float.rank must be a Float64Array of 3 entries', (o) => { o.float = { ...o.float, rank: Array.from(o.float.rank) }; return o; }],
          ] as Array<[string, string, (o: Record<string, any>) => unknown]>)
        : ([
            ['a hole in the mechanism list', 'output.mechanisms has a hole at index 0', (o) => { o.mechanisms = [, o.mechanisms[1]]; return o; }],
            ['one mechanism output too few', 'output.mechanisms must be an array of 2 outputs (got 1)', (o) => { o.mechanisms = o.mechanisms.slice(1); return o; }],
            ['an emission past u64', 'output.emission[0] must be a u64 amount of rao as a bigint', (o) => { o.emission = o.emission.map(() => 2n ** 64n); return o; }],
            // fields only the report carries (they were kept as given, and threw the caller's error when read)
            ["a mechanism's server emissions behind a Proxy whose reads throw", 'output.mechanisms[0].serverEmission: reading it threw', (o) => { o.mechanisms[0].serverEmission = new Proxy([], { get: boom }); return o; }],
            ['voting stakes as numbers', 'output.votingStake[0] must be a u64 amount of rao as a bigint', (o) => { o.votingStake = o.votingStake.map(Number); return o; }],
            ['one mechanism emission too many', 'output.mechanismEmission must be an array of 2 entries (got 3)', (o) => { o.mechanismEmission = [...o.mechanismEmission, 0n]; return o; }],
          ] as Array<[string, string, (o: Record<string, any>) => unknown]>)),
    ];
    it(`Subnet.epoch and Subnet.epochs (${mechanisms} mechanism${mechanisms > 1 ? 's' : ''}) on an engine whose output holds each of ${refused.length} kinds of garbage (holes, bigints, wrong lengths, Proxies, a revoked Proxy, a throwing getter${mechanisms === 1 ? ', NaN' : ', a past-u64 emission'}; fields the write-back reads and fields only the report carries): E_STATE naming the field, every subnet as before, and with the engine mended the next epoch equals a fresh twin's`, () => {
      for (const [what, message, damage] of refused) {
        const { on, custom } = relay(damage);
        const t = moving(custom, mechanisms);
        const u = moving(engine, mechanisms);
        const before = [subnetState(t), subnetState(u)];
        on.value = true;
        expect(expectYumaError(() => t.epoch(1_000_000n), 'E_STATE').message, what).toContain(message);
        expect(expectYumaError(() => Subnet.epochs([u, t], 1_000_000n), 'E_STATE').message, what).toContain(message);
        expect([subnetState(t), subnetState(u)], what).toEqual(before);
        on.value = false;
        const twin = moving(engine, mechanisms);
        t.epoch(1_000_000n);
        twin.epoch(1_000_000n);
        expect(subnetState(t), what).toBe(subnetState(twin));
      }
    });

    const wrappers: Array<[string, string, (a: any) => unknown]> = [
      ['own length, subarray, set and the rest that throw', 'refused as E_STATE, wrong shape', typedWithOwnProps],
      ['an own subarray that throws', "a plain Error escaped from the write-back with mechanism 0's bonds already written", (a) => Object.defineProperty(a, 'subarray', { value: boom })],
    ];
    for (const [what, before, wrap] of wrappers) {
      it(`Subnet.epoch and Subnet.epochs (${mechanisms} mechanism${mechanisms > 1 ? 's' : ''}) on an engine whose output's typed arrays the write-back reads have ${what} take their entries alone: each subnet equals a twin's on the library engine after the epoch and after one more (${before})`, () => {
        // the vectors the write-back reads: the aggregate's, each mechanism's incentive, one mechanism's float
        // incentive and dividends (the fields only the report carries stay the engine's own objects)
        const { on, custom } = relay((o) => {
          for (const k of ['stakeWeight', 'consensus', 'incentive', 'dividends', 'validatorTrust']) o[k] = wrap(o[k]);
          for (const m of o.mechanisms ?? []) m.incentive = wrap(m.incentive);
          if (mechanisms === 1) o.float = { ...o.float, incentive: wrap(o.float.incentive), dividends: wrap(o.float.dividends) };
          return o;
        });
        const t = moving(custom, mechanisms);
        const u = moving(custom, mechanisms);
        const twin = moving(engine, mechanisms);
        const twins = [moving(engine, mechanisms), moving(engine, mechanisms)];
        const bondsBefore = JSON.stringify(twin.bondRows());
        on.value = true;
        t.epoch(1_000_000n);
        twin.epoch(1_000_000n);
        expect(JSON.stringify(twin.bondRows())).not.toBe(bondsBefore);
        expect(subnetState(t)).toBe(subnetState(twin));
        Subnet.epochs([u, t], 1_000_000n);
        Subnet.epochs(twins, 1_000_000n);
        expect([subnetState(u), subnetState(t)]).toEqual(twins.map(subnetState));
      });
    }

    it(`Subnet.epoch and Subnet.epochs (${mechanisms} mechanism${mechanisms > 1 ? 's' : ''}) on an engine whose output's lists (permits, active flags, emissions, bond rows) answer each entry's own value on its first read and garbage after read each entry once: each subnet equals a twin's on the library engine (one mechanism's permits, flags, emissions and bond rows were read again from the caller's lists in the write-back)`, () => {
      const garbage: Record<string, unknown> = { validatorPermit: true, active: false, serverEmission: 2n ** 70n, validatorEmission: -5n, emission: 2n ** 70n, bonds: [[0, 65535]] };
      const { on, custom } = relay((o) => {
        for (const p of parts(o)) for (const k of Object.keys(garbage)) if (Array.isArray(p[k])) p[k] = firstReadThen(p[k], garbage[k]);
        return o;
      });
      const t = moving(custom, mechanisms);
      const u = moving(custom, mechanisms);
      const twin = moving(engine, mechanisms);
      const twins = [moving(engine, mechanisms), moving(engine, mechanisms)];
      on.value = true;
      t.epoch(1_000_000n);
      twin.epoch(1_000_000n);
      expect(subnetState(t)).toBe(subnetState(twin));
      Subnet.epochs([u, t], 1_000_000n);
      Subnet.epochs(twins, 1_000_000n);
      expect([subnetState(u), subnetState(t)]).toEqual(twins.map(subnetState));
    });
  }
});
