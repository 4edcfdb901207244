/**
 * The chain tests' mock runtime (subtensor 14bc6f9f `pallets/subtensor/src/tests/mock.rs`) rebuilt on the block
 * model, for the ports of coinbase.rs, children.rs and claim_root.rs: `new_test_ext(1)` is block 1 with
 * `TaoWeight` 0, `SubnetOwnerCut` 0, `MaxEpochsPerBlock` 32 and the swap's `MinimumReserve` 100.
 */
import { runCoinbase } from '../../src/chain/block.js';
import { Chain, type ChainState, type ChainSubnet, defaultRegistration, initialLastEpochBlock, newChainState, newSubnet } from '../../src/chain/index.js';
import { poolKey } from '../../src/chain/state.js';
import { createEngineSync } from '../../src/engine.js';
import { currentPrice } from '../../src/dtao/balancer.js';
import { U64F64, fromInt, safeDiv, toIntSat } from '../../src/fixed/substrate-fixed.js';

export const engine = createEngineSync();
export const U64_MAX = (1n << 64n) - 1n;

/** `new_test_ext(block)`. */
export function mockExt(block = 1n): ChainState {
  return newChainState({ block, taoWeight: 0n, subnetOwnerCut: 0, maxEpochsPerBlock: 32, swapMinimumReserve: 100n });
}

/**
 * mock `add_network(netuid, tempo, _)` → `init_new_network`: stable mechanism, `LastEpochBlock` staggered by
 * netuid (`initialLastEpochBlock`), emission block 1, subtoken and registration on, UID registration with the
 * runtime defaults and the mock's burn half-life 1 and multiplier 1 (so `register_ok_neuron` can register every block).
 */
export function addNetwork(s: ChainState, netuid: number, tempo: number, fields: Partial<ChainSubnet> = {}): ChainSubnet {
  const sn = newSubnet(netuid, {
    mechanism: 0,
    tempo,
    lastEpochBlock: initialLastEpochBlock(s.block, netuid, tempo),
    firstEmissionBlockNumber: 1n,
    subtokenEnabled: true,
    networkRegistrationAllowed: true,
    registration: defaultRegistration({ burnHalfLife: 1, burnIncreaseMult: fromInt(U64F64, 1n) }),
    ...fields,
  });
  s.subnets.set(netuid, sn);
  return sn;
}

/**
 * mock `register_ok_neuron(netuid, hotkey, coldkey)`: burn set to 0, reserves of 1e12 / 1e12 when the pool is
 * empty, `burned_register`, burn back to 0.
 */
export function registerOkNeuron(chain: Chain, netuid: number, hotkey: string, coldkey: string): void {
  const sn = chain.state.subnets.get(netuid)!;
  sn.registration!.burn = 0n;
  if (sn.subnetTao === 0n && sn.subnetAlphaIn === 0n) {
    sn.subnetTao = 1_000_000_000_000n;
    sn.subnetAlphaIn = 1_000_000_000_000n;
  }
  chain.registerNeuron({ coldkey, hotkey, netuid });
  sn.registration!.burn = 0n;
}

/** `mock_set_children_no_epochs(netuid, parent, children)`: `ChildKeys` and `ParentKeys` set at once. */
export function setChildren(s: ChainState, netuid: number, parent: string, children: Array<[bigint, string]>): void {
  s.childKeys.set(poolKey(parent, netuid), children.map(([proportion, key]) => ({ proportion, key })));
  for (const [proportion, child] of children) {
    const k = poolKey(child, netuid);
    s.parentKeys.set(k, [...(s.parentKeys.get(k) ?? []).filter((l) => l.key !== parent), { proportion, key: parent }]);
  }
}

/** A chain over a mock state, with the shared engine. */
export const mockChain = (s: ChainState): Chain => new Chain(s, { engine });

/** The network lock of the mock chains (`NetworkLastLockCost`, `NetworkLastLockBlock`), which the block model does not keep. */
const locks = new WeakMap<ChainState, { last: bigint; block: bigint }>();
const MIN_LOCK = 100_000_000_000n; // the mock's InitialNetworkMinLockCost
const LOCK_REDUCTION_INTERVAL = 2n; // the mock's InitialNetworkLockReductionInterval

/** `get_network_lock_cost`: twice the last lock (once before any), less its per-interval decay, at least the minimum. */
function networkLockCost(s: ChainState): bigint {
  const l = locks.get(s) ?? { last: MIN_LOCK, block: 0n };
  const mult = l.block === 0n ? 1n : 2n;
  const decay = (l.last / LOCK_REDUCTION_INTERVAL) * (s.block - l.block);
  const cost = l.last * mult - decay;
  return cost < MIN_LOCK ? MIN_LOCK : cost;
}

/** `get_median_subnet_alpha_price` (U64F64 bits): the median spot price of the added non-root subnets, 1 without any. */
function medianSubnetAlphaPrice(s: ChainState): bigint {
  const prices = [...s.subnets.values()].filter((sn) => sn.added && sn.netuid !== 0).map((sn) => currentPrice(sn)).filter((p) => p > 0n);
  if (prices.length === 0) return fromInt(U64F64, 1n);
  prices.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const lo = (prices.length - 1) >> 1;
  const hi = prices.length >> 1;
  return lo === hi ? prices[hi] : (prices[lo] + prices[hi]) / 2n;
}

/**
 * mock `add_dynamic_network(hotkey, coldkey)`: the lock cost minted to the owner, then `register_network` — the
 * lock kept as the pool's TAO with alpha at the median subnet price, the hotkey as UID 0, `DefaultTempo` 360
 * staggered by netuid, dynamic mechanism, TAO emission off (`SubnetEmissionEnabled` false) — and the mock's
 * emission block 0, subtoken and registration on, burn half-life 1 and multiplier 1. HEAD's `register_network`
 * stakes nothing for the owner, so `remove_owner_registration_stake` has nothing to remove; with no root
 * validators registered, no parents are scheduled for the owner hotkey.
 */
export function addDynamicNetwork(s: ChainState, hotkey: string, coldkey: string): ChainSubnet {
  const netuid = Math.max(...s.subnets.keys()) + 1;
  const lock = networkLockCost(s);
  s.totalIssuance += lock;
  s.balancesTotalIssuance += lock;
  const median = medianSubnetAlphaPrice(s);
  const alpha = toIntSat(U64F64, safeDiv(U64F64, fromInt(U64F64, lock), median), 0n, U64_MAX);
  locks.set(s, { last: lock, block: s.block });
  const sn = newSubnet(netuid, {
    mechanism: 1,
    subnetTao: lock,
    subnetAlphaIn: alpha,
    tempo: 360,
    lastEpochBlock: initialLastEpochBlock(s.block, netuid, 360),
    firstEmissionBlockNumber: 0n,
    subtokenEnabled: true,
    networkRegistrationAllowed: true,
    subnetEmissionEnabled: false,
    subnetOwner: coldkey,
    subnetOwnerHotkey: hotkey,
    registration: defaultRegistration({ burnHalfLife: 1, burnIncreaseMult: fromInt(U64F64, 1n) }),
    neurons: [{ uid: 0, hotkey, blockAtRegistration: s.block, lastUpdate: s.block, validatorPermit: false, weights: [], bonds: [] }],
  });
  s.subnets.set(netuid, sn);
  s.totalStake += lock;
  if (!s.hotkeys.has(hotkey)) s.hotkeys.set(hotkey, { owner: coldkey });
  const owned = s.ownedHotkeys.get(coldkey) ?? [];
  if (!owned.includes(hotkey)) s.ownedHotkeys.set(coldkey, [...owned, hotkey]);
  return sn;
}

/** `set_full_injection_root_stake`: 1e18 rao on root and TaoWeight = u64::MAX, so the injection cap does not bind. */
export function fullInjectionRootStake(s: ChainState): void {
  s.subnets.get(0)!.subnetTao = 1_000_000_000_000_000_000n;
  s.taoWeight = U64_MAX;
}

/** `mint_tao(emission)` + `run_coinbase(credit)` as the tests call them. */
export function coinbase(s: ChainState, emission: bigint): void {
  s.totalIssuance += emission;
  s.balancesTotalIssuance += emission;
  runCoinbase(s, emission, engine);
}

/** `DefaultPendingCooldown` outside the fast runtime (the pallet's tests build without `fast-runtime`). */
export const PENDING_CHILDKEY_COOLDOWN = 7200;

/**
 * mock `mock_set_children(coldkey, parent, netuid, children)`: schedule, then `wait_and_set_pending_children` —
 * step the cooldown's blocks and one more epoch of the subnet (each a whole block: emission and epochs run), set
 * the children, and put the block number back (the state the steps left stays).
 */
export function mockSetChildren(chain: Chain, netuid: number, parent: string, children: Array<[bigint, string]>): void {
  const s = chain.state;
  const sn = s.subnets.get(netuid)!;
  const block = s.block;
  chain.run(PENDING_CHILDKEY_COOLDOWN);
  const target = sn.subnetEpochIndex + 1n;
  while (sn.subnetEpochIndex < target) chain.step();
  setChildren(s, netuid, parent, children);
  s.block = block;
}

/**
 * The storage writes the chain's tests make so an epoch pays (`Weights` rows by UID, `BlockAtRegistration` 1 and
 * `LastUpdate` 2 for UIDs 0 … n−1, `Kappa` u16::MAX / 5, `ActivityCutoff` u16::MAX, `ValidatorPermit` as listed).
 */
export function yumaStorage(sn: ChainSubnet, rows: Array<[number, Array<[number, number]>]>, permits: boolean[]): void {
  const t = sn.neurons;
  for (const [uid, row] of rows) t.loadRows(0, uid, row, t.bondRows(0)[uid]);
  for (let uid = 0; uid < permits.length; uid++) {
    t.blockAtRegistration[uid] = 1n;
    t.mechanism(0).lastUpdate[uid] = 2n;
  }
  sn.epochParams.kappa = Math.floor(65535 / 5);
  sn.epochParams.activityCutoffBlocks = 65535n;
  t.validatorPermit.fill(0);
  permits.forEach((p, uid) => (t.validatorPermit[uid] = p ? 1 : 0));
}
