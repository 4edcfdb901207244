/**
 * The Wasm coinbase (assembly/coinbase/, driven by src/chain/block.ts) against its BigInt oracle
 * (src/reference/coinbase.ts, one substrate-fixed operation at a time): random networks whose every u64 / U96F32 /
 * U64F64 / I96F32 field is drawn across its range and at its edges (0, 1, 2^32, 2^53, 2^63, 2^64 − 1, past 2^64 TAO
 * prices, negative moving prices, weights at 0 and 1, saturating pots and flows), in all three eras and share
 * rules. One block with no epoch due must leave the two states equal field for field (through toJSON) and report
 * the same terms, root sell flag, recycled credit, stranded TAO and refused injections. The excess-TAO buys (made in
 * Wasm where the kernel can, else by the pallet's rule in BigInt) get networks of their own: every subnet buying,
 * reserves from empty to u64::MAX, prices at the pallet's 10^6 TAO/alpha limit, fee rates, minimum reserves and
 * uninitialised pools.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Chain, chainStateFromJSON, chainStateToJSON, eraRules, newChainState, newSubnet, type ChainState } from '../src/chain/index.js';
import { createEngineSync } from '../src/engine.js';
import { referenceCoinbaseBlock } from '../src/reference/coinbase.js';
import { allSubnetNetuids } from '../src/chain/block.js';

const engine = createEngineSync();
const U64 = (1n << 64n) - 1n;
const I128_MIN = -(1n << 127n);
const I128_MAX = (1n << 127n) - 1n;

const edgesU64 = [0n, 1n, 2n, 1n << 32n, (1n << 53n) + 1n, (1n << 63n) - 1n, 1n << 63n, U64 - 1n, U64];
const u64 = fc.oneof(fc.constantFrom(...edgesU64), fc.bigInt(0n, U64), fc.bigInt(0n, 10n ** 16n), fc.bigInt(10n ** 9n, 10n ** 15n));
const reserve = fc.oneof({ weight: 3, arbitrary: fc.bigInt(10n ** 9n, 10n ** 16n) }, { weight: 1, arbitrary: u64 });
const weight = fc.oneof(fc.constantFrom(0n, 1n, 10n ** 16n, 5n * 10n ** 17n, 99n * 10n ** 16n, 10n ** 18n - 1n, 10n ** 18n), fc.bigInt(0n, 10n ** 18n));
// I96F32 moving prices: typical (below 1 TAO/alpha), past 1, past 2^64 (saturating U64F64), negative
const moving = fc.oneof(
  { weight: 4, arbitrary: fc.bigInt(0n, 1n << 33n) },
  { weight: 1, arbitrary: fc.constantFrom(0n, 1n << 32n, (1n << 96n) - 1n, 1n << 96n, I128_MAX, -1n, I128_MIN) },
  { weight: 1, arbitrary: fc.bigInt(I128_MIN, I128_MAX) },
);
const burned = fc.oneof({ weight: 4, arbitrary: fc.constant(0n) }, { weight: 2, arbitrary: fc.bigInt(0n, 1n << 32n) }, { weight: 1, arbitrary: fc.bigInt(0n, (1n << 128n) - 1n) });
const flow = fc.oneof(fc.bigInt(-(1n << 63n), (1n << 63n) - 1n), fc.constantFrom((1n << 63n) - 1n, (1n << 63n) - 2n, 0n));

const subnetArb = fc.record({
  subnetTao: reserve,
  subnetAlphaIn: reserve,
  subnetAlphaOut: reserve,
  swapBalancerQuoteWeightParts: weight,
  subnetMovingPrice: moving,
  minerBurned: burned,
  pendingServerEmission: u64,
  pendingValidatorEmission: u64,
  pendingRootAlphaDivs: u64,
  pendingOwnerCut: u64,
  subnetProtocolFlow: flow,
  firstEmissionBlockNumber: fc.option(fc.bigInt(0n, 6_000_000n), { nil: null, freq: 8 }),
  emaPriceHalvingBlocks: fc.oneof(fc.constantFrom(0n, 1n, 201_600n, U64), u64),
  mechanism: fc.constantFrom(0, 1, 1, 1),
  subnetEmissionEnabled: fc.oneof({ weight: 4, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
  ownerCutEnabled: fc.boolean(),
  // an uninitialised pool is set to weights 0.5/0.5 by its first swap (an excess-TAO buy)
  palSwapInitialized: fc.boolean(),
  // the buys drop the fee: any rate must leave them unchanged
  feeRate: fc.integer({ min: 0, max: 65535 }),
  subnetProtocolAlpha: u64,
  subnetVolume: fc.bigInt(0n, (1n << 128n) - 1n),
});

const networkArb = fc.record({
  subnets: fc.array(subnetArb, { minLength: 1, maxLength: 12 }),
  rootTao: u64,
  taoWeight: u64,
  ownerCut: fc.integer({ min: 0, max: 65535 }),
  // the chain's state check holds SubnetMovingAlpha to u64 bits (fromJSON reads any I96F32)
  movingAlpha: fc.oneof(fc.bigInt(0n, 1n << 32n), fc.constantFrom(0n, 1n << 32n, U64), fc.bigInt(0n, U64)),
  issuance: fc.oneof(fc.bigInt(0n, 21_000_000n * 10n ** 9n), fc.constantFrom(0n, 21_000_000n * 10n ** 9n - 1n)),
  era: fc.constantFrom('head', 'head', 'head', 'launch', 'seed', 'proportional'),
  minReserve: fc.constantFrom(0n, 1n, 1_000_000n, 10n ** 12n, U64),
});

type Network = typeof networkArb extends fc.Arbitrary<infer T> ? T : never;

function build(n: Network): ChainState {
  const { era } = n;
  const s = newChainState({ block: 6_000_000n, totalIssuance: n.issuance, balancesTotalIssuance: n.issuance, taoWeight: n.taoWeight, subnetOwnerCut: n.ownerCut });
  if (era === 'launch') s.rules = eraRules('launch');
  if (era === 'seed') s.rules = eraRules('seed');
  if (era === 'proportional') s.rules = eraRules('head', { shares: 'proportional' });
  s.subnetMovingAlpha = n.movingAlpha;
  s.swapMinimumReserve = n.minReserve;
  s.subnets.get(0)!.subnetTao = n.rootTao;
  n.subnets.forEach((f, i) => {
    const sn = newSubnet(i + 1, { tempo: 0 });
    Object.assign(sn, f);
    s.subnets.set(i + 1, sn);
  });
  // the state as a node would load it (checks every field's range)
  return chainStateFromJSON(chainStateToJSON(s));
}

/** The block report the kernel gave against the oracle's: flags, amounts, the emitting subnets and each one's terms. */
function expectSameReport(report: ReturnType<Chain['step']>, ref: ReturnType<typeof referenceCoinbaseBlock>): void {
  expect(report.rootSellFlag).toBe(ref.rootSellFlag);
  expect(report.taoMinted).toBe(ref.taoMinted);
  expect(report.taoRecycledCredit).toBe(ref.taoRecycledCredit);
  expect(report.taoStranded).toBe(ref.taoStranded);
  expect(report.subnetsToEmitTo).toEqual([...ref.terms.keys()]);
  for (const [netuid, t] of ref.terms) {
    expect(report.subnets.get(netuid)!.terms, `subnet ${netuid}`).toEqual(t);
    expect(report.subnets.get(netuid)!.injectionRefused).toBe(ref.injectionRefused.has(netuid));
  }
}

describe('Wasm coinbase vs its BigInt oracle', () => {
  it('one block with no epoch due: same state field for field and the same report, over random and extreme u64 / fixed-point fields in every era', () => {
    fc.assert(
      fc.property(networkArb, (n) => {
        const a = build(n);
        const b = chainStateFromJSON(chainStateToJSON(a));
        const report = new Chain(a, { engine }).step();
        b.block += 1n;
        const ref = referenceCoinbaseBlock(b);
        expect(chainStateToJSON(a)).toEqual(chainStateToJSON(b));
        expectSameReport(report, ref);
      }),
      { numRuns: 300, seed: 12 },
    );
  });

  it('networks in which every subnet buys alpha with its excess TAO (little or no root stake): same state and report, over reserves from 0 to u64::MAX, prices at the 10^6 TAO/alpha limit, fee rates, minimum reserves and uninitialised pools', () => {
    const P = 10n ** 18n;
    // (tao, alpha) pairs: typical, tiny, empty, u64::MAX, and priced within a few rao of the limit (weight 0.5)
    const pool = fc.oneof(
      { weight: 3, arbitrary: fc.tuple(fc.bigInt(10n ** 9n, 10n ** 16n), fc.bigInt(10n ** 9n, 10n ** 16n)) },
      { weight: 1, arbitrary: fc.tuple(fc.bigInt(0n, 10n ** 7n), fc.bigInt(0n, 10n ** 7n)) },
      { weight: 1, arbitrary: fc.tuple(fc.constantFrom(0n, 1n, U64 - 1n, U64), u64) },
      { weight: 1, arbitrary: fc.tuple(u64, fc.constantFrom(0n, 1n, U64)) },
      { weight: 1, arbitrary: fc.tuple(fc.bigInt(1n, 10n ** 7n), fc.bigInt(-3n, 3n)).map(([a, d]) => [a * 10n ** 6n + d, a] as [bigint, bigint]) },
    );
    const buyer = fc.record({
      base: subnetArb,
      pool,
      weight: fc.oneof(fc.constant(P / 2n), fc.bigInt(P / 2n - 10n ** 8n, P / 2n + 10n ** 8n), weight),
      mechanism: fc.constantFrom(1, 1, 1, 0),
    }).map(({ base, pool: [tao, alpha], weight: w, mechanism }) => ({ ...base, subnetTao: tao, subnetAlphaIn: alpha, swapBalancerQuoteWeightParts: w, mechanism }));
    const buyNetwork = fc.record({
      subnets: fc.array(buyer, { minLength: 1, maxLength: 12 }),
      rootTao: fc.oneof(fc.constant(0n), fc.bigInt(0n, 10n ** 9n)),
      taoWeight: u64,
      ownerCut: fc.integer({ min: 0, max: 65535 }),
      movingAlpha: fc.oneof(fc.bigInt(0n, 1n << 32n), fc.constant(U64)),
      issuance: fc.oneof(fc.bigInt(0n, 20_000_000n * 10n ** 9n), fc.constant(0n)),
      era: fc.constantFrom('head', 'head', 'head', 'proportional', 'launch'),
      minReserve: fc.constantFrom(0n, 1n, 1_000_000n, 10n ** 12n, U64),
    });
    let bought = 0;
    let refusedBuys = 0;
    fc.assert(
      fc.property(buyNetwork, fc.integer({ min: 1, max: 3 }), (n, blocks) => {
        const a = build(n);
        const b = chainStateFromJSON(chainStateToJSON(a));
        const chain = new Chain(a, { engine });
        for (let k = 0; k < blocks; k++) {
          const report = chain.step();
          b.block += 1n;
          const ref = referenceCoinbaseBlock(b);
          expect(chainStateToJSON(a)).toEqual(chainStateToJSON(b));
          expectSameReport(report, ref);
          for (const t of ref.terms.values()) {
            if (t.excessBoughtAlpha > 0n) bought++;
            if (t.excessSwapError !== null) refusedBuys++;
          }
        }
      }),
      { numRuns: 200, seed: 14 },
    );
    // the runs bought alpha many times and met the pallet's refusals too
    expect(bought).toBeGreaterThan(300);
    expect(refusedBuys).toBeGreaterThan(20);
  });

  it('the same state and report over several blocks of one network (moving prices, pots and reserves carried forward)', () => {
    fc.assert(
      fc.property(networkArb, fc.integer({ min: 2, max: 6 }), (n, blocks) => {
        const a = build(n);
        const b = chainStateFromJSON(chainStateToJSON(a));
        const chain = new Chain(a, { engine });
        for (let k = 0; k < blocks; k++) {
          const report = chain.step();
          b.block += 1n;
          const ref = referenceCoinbaseBlock(b);
          expect(chainStateToJSON(a)).toEqual(chainStateToJSON(b));
          expectSameReport(report, ref);
        }
      }),
      { numRuns: 60, seed: 13 },
    );
  });
});

describe('subnet objects', () => {
  it('newSubnet builds a subnet with the fields in chainStateFromJSON\'s order (one object shape for every subnet the block reads)', () => {
    const s = newChainState({});
    s.subnets.set(1, newSubnet(1));
    s.subnets.set(2, newSubnet(2, { subnetTao: 5n, tempo: 0, palSwapInitialized: true, ownerCutEnabled: false }));
    const loaded = chainStateFromJSON(chainStateToJSON(s));
    const order = Object.keys(loaded.subnets.get(1)!);
    expect(order.length).toBeGreaterThan(40);
    expect(Object.keys(s.subnets.get(1)!)).toEqual(order);
    expect(Object.keys(s.subnets.get(2)!)).toEqual(order);
    expect(Object.keys(loaded.subnets.get(2)!)).toEqual(order);
  });
});

describe('subnet order', () => {
  it('allSubnetNetuids lists the added subnets in storage order (netuid & 0xff, then netuid >> 8) however they were inserted', () => {
    const s = newChainState({});
    for (const n of [5, 300, 2, 44, 513, 256, 1]) s.subnets.set(n, newSubnet(n));
    s.subnets.get(44)!.added = false;
    expect(allSubnetNetuids(s)).toEqual([0, 256, 1, 513, 2, 5, 300]);
    const inOrder = newChainState({});
    for (const n of [1, 2, 3]) inOrder.subnets.set(n, newSubnet(n));
    expect(allSubnetNetuids(inOrder)).toEqual([0, 1, 2, 3]);
  });
});
