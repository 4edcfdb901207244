/**
 * The block model's epoch bookkeeping that exists for speed and must not change a number: `epochBonds: false`
 * (the epoch's bonds left in Wasm memory instead of copied into each report).
 */
import { describe, expect, it } from 'vitest';
import { Chain } from '../src/chain/index.js';
import { createEngineSync } from '../src/engine.js';
import { YumaError } from '../src/errors.js';
import { Network } from '../src/sim/network.js';

describe('Chain option epochBonds', () => {
  const engine = createEngineSync();
  // a small simulated network's state: three subnets with weights and stake, epochs due within a tempo
  const json = new Network({ engine, subnets: 3, uidsPerSubnet: 32, subnet1Uids: 0, validatorsPerSubnet: 6, tempo: 12, mechanisms: 2, mechanismSubnets: [2] }).chain.toJSON();

  it('false leaves output.bonds [] and changes nothing else: the same reports and state as with bonds, which the table holds until the next epoch', () => {
    const a = Chain.fromJSON(json, { engine });
    const b = Chain.fromJSON(json, { engine, epochBonds: false });
    expect(b.epochSettings).toEqual({ mode: 'fixed', path: 'sparse', bonds: false });
    let epochs = 0;
    for (let k = 0; k < 30; k++) {
      const ra = a.step();
      const rb = b.step();
      expect(rb.epochs.length).toBe(ra.epochs.length);
      ra.epochs.forEach((ea, i) => {
        const eb = rb.epochs[i];
        const oa = ea.output!;
        const ob = eb.output!;
        const table = b.state.subnets.get(eb.netuid)!.neurons;
        expect(ob.bonds).toEqual([]);
        expect(table.bondRows(0)).toEqual(oa.bonds);
        const ma = 'mechanisms' in oa ? (oa as { mechanisms: Array<{ bonds: unknown }> }).mechanisms : [];
        ma.forEach((m, k) => expect(table.bondRows(k)).toEqual(m.bonds));
        const strip = (o: object) => JSON.stringify({ ...o, bonds: null, mechanisms: null }, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
        expect(strip(ob)).toBe(strip(oa));
        expect(strip({ ...eb, output: null })).toBe(strip({ ...ea, output: null }));
        epochs++;
      });
      expect(JSON.stringify(b.toJSON())).toBe(JSON.stringify(a.toJSON()));
    }
    expect(epochs).toBeGreaterThanOrEqual(3);
  });

  it('anything but a boolean is refused with E_ARG', () => {
    for (const bad of [0, 'false', null, {}]) {
      expect(() => Chain.fromJSON(json, { engine, epochBonds: bad as unknown as boolean })).toThrowError(YumaError);
      try {
        Chain.fromJSON(json, { engine, epochBonds: bad as unknown as boolean });
      } catch (e) {
        expect((e as YumaError).code).toBe('E_ARG');
      }
    }
  });
});

describe('Network epochs without bonds in the reports', () => {
  it("the onEpoch hook still gets each epoch's bonds, per mechanism (n rows each, bonds forming after the first epochs)", () => {
    const engine = createEngineSync();
    const seen: Array<{ n: number; rows: number[]; entries: number }> = [];
    const net = new Network({ engine, subnets: 2, uidsPerSubnet: 24, subnet1Uids: 0, validatorsPerSubnet: 4, tempo: 10, mechanisms: 2, mechanismSubnets: [2] });
    net.run({
      blocks: 60,
      onEpoch: (netuid, _block, out) => {
        const n = net.chain.state.subnets.get(netuid)!.neurons.size;
        const perMechanism = 'mechanisms' in out ? (out as { mechanisms: Array<{ bonds: unknown[] }> }).mechanisms.map((m) => m.bonds) : [out.bonds];
        expect(out.bonds).toBe(perMechanism[0]);
        seen.push({ n, rows: perMechanism.map((b) => b.length), entries: perMechanism.reduce((a, b) => a + (b as Array<unknown[]>).reduce((x, r) => x + r.length, 0), 0) });
      },
    });
    expect(seen.length).toBeGreaterThanOrEqual(8);
    for (const e of seen) for (const r of e.rows) expect(r).toBe(e.n);
    expect(seen.some((e) => e.rows.length === 2)).toBe(true);
    expect(seen.slice(-2).every((e) => e.entries > 0)).toBe(true);
  });
});
