import { YumaError, stoppedOn } from '../errors.js';
import type { EpochOutput, MechanismEpochOutput } from '../epoch/types.js';
import { activityCutoffFromFactor } from '../epoch/types.js';
import { resolveHyper } from '../epoch/prepare.js';
import { Chain, chainRequests, ownChain } from '../chain/index.js';
import { replaceState } from '../chain/state.js';
import { type BlockReport, type EpochReport, blockTerms, rootAlphaPaidTotal, shouldRunEpoch, uidPools } from '../chain/block.js';
import { stakeToColdkey } from '../chain/swap.js';
import { currentPrice } from '../dtao/balancer.js';
import { eraRules, legacyEpochDue } from '../chain/eras.js';
import { ChainRefused } from '../chain/staking.js';
import { poolValueOf } from '../chain/safe-float.js';
import { type ChainState, type ChainSubnet, HotkeyNetuidMap, type NetuidEntries, type StakePool, defaultRegistration, initialLastEpochBlock, lookupOnNetuid, newChainState, newSubnet, poolKey } from '../chain/state.js';
import { I96F32, U64F64, fromF64, toF64 } from '../fixed/substrate-fixed.js';
import { SubnetNeurons } from '../subnet/neurons.js';
import { SubnetAgents } from './agents.js';
import {
  BLOCKS_PER_DAY,
  type EpochEngine,
  type NetworkConfig,
  type NetworkOptions,
  STRATEGIES,
  type Strategy,
  mechanismsOf,
  readNetworkConfig,
  detailBytes,
  MAX_NETWORK_BYTES,
  MAX_REPORT_POINTS,
  shareModeOf,
} from './config.js';
import { DetailRecorder } from './detail.js';
import { guard, readOptions } from '../validation/read.js';
import { toInt } from '../validation/values.js';
import type { AlphaTotals, NetworkReport, NetworkTotals, StrategyYield, SubnetReport } from './report.js';
import { Rng } from '../rng.js';

/** First simulated block: late enough that nobody is immune and the epoch schedule is in its steady state. */
const START_BLOCK = 100_000;
const RAO = 1_000_000_000;
/** The coldkey of the network's stakers (nominators of every validator). */
const STAKERS = 'stakers';
/** Share of a validator's initial alpha stake that its own coldkey holds (nominators hold the rest). */
const OWN_STAKE_PPM = 300_000n;

/** Account names of one subnet's actors. */
const names = {
  validator: (netuid: number, v: number) => `v${netuid}.${v}`,
  validatorColdkey: (netuid: number, v: number) => `vc${netuid}.${v}`,
  miner: (netuid: number, k: number) => `m${netuid}.${k}`,
  /** All miners of a subnet are one coldkey's hotkeys, their incentive auto-staked to one wallet hotkey. */
  minersColdkey: (netuid: number) => `mc${netuid}`,
  minersWallet: (netuid: number) => `mw${netuid}`,
  owner: (netuid: number) => `oc${netuid}`,
  ownerHotkey: (netuid: number) => `o${netuid}`,
};

/**
 * Fills an epoch output's bonds (each mechanism's, and the top level's = mechanism 0's) from the subnet's table,
 * which holds this epoch's bonds until the subnet's next epoch: the network's chain does not read them back.
 */
function withBonds(out: EpochOutput, table: SubnetNeurons): void {
  if (table.size === 0 || out.bonds.length === table.size) return;
  const mechanisms = (out as Partial<MechanismEpochOutput>).mechanisms;
  if (mechanisms === undefined) {
    out.bonds = table.bondRows(0);
    return;
  }
  mechanisms.forEach((o, m) => (o.bonds = table.bondRows(m)));
  out.bonds = mechanisms[0].bonds;
}

/** Mechanism 0's bond rows of UIDs 0 … count−1 as dense u16 rows, from the table (as `withBonds`). */
function denseBondRows(table: SubnetNeurons, count: number): Uint16Array[] {
  const n = table.size;
  const m = table.mechanism(0);
  const rows: Uint16Array[] = [];
  for (let i = 0; i < count && i < n; i++) {
    const dense = new Uint16Array(n);
    for (const e of m.bondRow(i)) dense[e >>> 16] = e & 0xffff;
    rows.push(dense);
  }
  return rows;
}

/**
 * What a hook must leave as it found it: the block and the chain's money totals. A hook runs inside a block's books,
 * so a block it steps or a stake it moves would be missing from the report (read in O(1), whatever the network's size).
 */
function chainMark(chain: Chain, s: ChainState): unknown[] {
  return [s.block, s.totalIssuance, s.balancesTotalIssuance, s.totalStake, s.subnets.size, s.stakePools.size, s.hotkeys.size, chainRequests(chain)];
}

/**
 * Runs a caller's hook; what it throws becomes `E_CALLBACK` with that error as its `cause`, and so does a change it
 * made to the network's chain (`state`).
 */
function callHook(name: string, f: () => void, chain: Chain, state: ChainState): void {
  const before = chainMark(chain, state);
  try {
    f();
  } catch (e) {
    throw new YumaError('E_CALLBACK', `the run's ${name} callback threw (its error is this error's cause); the run was undone`, { cause: e });
  }
  const after = chainMark(chain, state);
  if (after.some((x, i) => x !== before[i])) {
    throw new YumaError('E_CALLBACK', `the run's ${name} callback changed the network's chain (a block, a stake, a registration or another request such as setWeights the report would miss); the run was undone`);
  }
}

/** Options of `Network.run`. */
export interface RunOptions {
  /** Blocks to simulate (7200 a day). */
  blocks: number;
  /** Called every ~1 % of the run and at the end. */
  onProgress?: (done: number, total: number) => void;
  /** Called after each subnet epoch with its output (for analyses beyond the report). */
  onEpoch?: (netuid: number, block: number, output: EpochOutput) => void;
}

interface StrategyLedger {
  validators: number;
  dividends: bigint;
  dividendsTao: number;
  ownMiners: bigint;
  stakeEpochs: bigint;
  /** Dividends each would have had at the epoch's pro-rata-to-stake rate (float alpha rao). */
  fairShare: number;
}

interface SubnetLedger {
  minersAlpha: bigint;
  validatorsAlpha: bigint;
  ownerAlpha: bigint;
  rootAlpha: bigint;
  taoInjected: bigint;
  epochs: number;
  /** The subnet's last emission share, U64F64 bits (turned into a number only when sampled). */
  lastShare: bigint;
}

/**
 * N subnets block by block on the block model (`Chain`, HEAD's block unless `model` says otherwise): each block
 * is the chain's `block_step` — emission shared across subnets, injected into their pools, alpha out to the pending
 * pots, each due epoch through the engine and `distribute_emission`. Around it the simulator's actors use the
 * chain's own extrinsics: validators set weights before their subnet's epoch by their strategy, stakers add and
 * remove stake, miners sell their incentive, newcomers register (the burn buys alpha that is destroyed; a full
 * subnet prunes by the chain's rule). Deterministic for a seed.
 */
export class Network {
  /** The options the network runs on, defaults filled in. */
  readonly options: NetworkOptions;
  /** The block model the network runs on (its state is the network's). */
  readonly chain: Chain;
  private readonly agents: SubnetAgents[];
  private readonly rng: Rng;
  private readonly t = {
    emitted: 0n,
    recycled: 0n,
    injected: 0n,
    chainBuys: 0n,
    stranded: 0n,
    staked: 0n,
    unstaked: 0n,
    minerSales: 0n,
    stakeFees: 0n,
    unstakeFees: 0n,
    burns: 0n,
    registrationFees: 0n,
    alphaInjected: 0n,
    alphaEmitted: 0n,
    rootClaimable: 0n,
    undistributed: 0n,
  };
  private readonly start: { issuance: bigint; poolTao: bigint; alphaIssuance: bigint; recycled: bigint; burned: bigint; registrationBurned: bigint };
  private readonly ledgers = new Map<Strategy, StrategyLedger>();
  private readonly subnetLedgers: SubnetLedger[];
  /** Validators' (or, on detailed subnets, every UID's) alpha stake as their subnet's next epoch sees it. */
  private readonly stakeSnapshots = new Map<number, bigint[]>();
  /** `validatorPools`' lookups per subnet (netuid − 1), with what they were read from. */
  private readonly keptPools: Array<{ entries: NetuidEntries<StakePool>; changes: number; table: SubnetNeurons; hotkeys: string[]; pools: Array<StakePool | undefined> } | undefined> = [];
  private minerCount = 0;
  private epochCount = 0;
  private ran = false;
  private readonly detail: DetailRecorder;
  /** The engine it was built with (`rebuild` builds the network again on it). */
  private readonly engine: EpochEngine;

  constructor(config: NetworkConfig) {
    const { options, engine } = readNetworkConfig(config);
    if (engine == null || typeof engine !== 'object' || typeof guard('engine', () => (engine as { epoch?: unknown }).epoch) !== 'function') {
      throw new YumaError('E_ARG', 'Network needs an engine with an epoch() method (createEngine())');
    }
    this.options = options;
    this.engine = engine as EpochEngine;
    const o = this.options;
    this.rng = new Rng(o.seed);
    this.detail = new DetailRecorder(new Set(o.detailSubnets));
    this.agents = [];
    for (let netuid = 1; netuid <= o.subnets; netuid++) this.agents.push(new SubnetAgents(o, netuid, this.rng.fork(netuid), START_BLOCK));
    const state = this.genesis();
    // the epochs leave their bonds in Wasm memory; the detail and the onEpoch hook read them from the table (withBonds)
    this.chain = new Chain(state, { engine: engine as EpochEngine, epochMode: o.mode, epochPath: o.path, epochBonds: false });
    ownChain(this.chain);
    this.subnetLedgers = this.agents.map(() => ({ minersAlpha: 0n, validatorsAlpha: 0n, ownerAlpha: 0n, rootAlpha: 0n, taoInjected: 0n, epochs: 0, lastShare: 0n }));
    for (const a of this.agents) for (const st of a.strategy) this.ledger(st).validators++;
    this.start = {
      issuance: state.totalIssuance,
      poolTao: this.poolTao(),
      alphaIssuance: this.subnets().reduce((acc, sn) => acc + sn.subnetAlphaIn + sn.subnetAlphaOut, 0n),
      recycled: this.subnets().reduce((acc, sn) => acc + sn.alphaRecycled, 0n),
      burned: this.subnets().reduce((acc, sn) => acc + sn.alphaBurned, 0n),
      registrationBurned: this.subnets().reduce((acc, sn) => acc + (sn.registration?.alphaBurnedByRegistration ?? 0n), 0n),
    };
  }

  /** The chain state the run starts from: root stake, and per subnet its pool, owner, neurons, weights and stake. */
  private genesis(): ChainState {
    const o = this.options;
    const issuance = o.issuanceStart;
    const state = newChainState({ block: BigInt(START_BLOCK - 1), totalIssuance: issuance, balancesTotalIssuance: issuance, subnetOwnerCut: o.ownerCut });
    const shareMode = shareModeOf(o);
    if (o.model !== 'head' || shareMode !== 'moving-price') state.rules = eraRules(o.model, { shares: shareMode, temperature: o.temperature });
    const hyper = resolveHyper(o.hyper, 'hyper');
    state.stakeThreshold = hyper.stakeThreshold;
    const cutoff = o.hyper.activityCutoff ?? activityCutoffFromFactor(o.tempo);
    const worth: Array<{ netuid: number; v: number; tao: number }> = [];
    for (const a of this.agents) {
      const netuid = a.netuid;
      const g = a.genesis;
      const V = a.validators;
      const mechanisms = mechanismsOf(o, netuid);
      const table = new SubnetNeurons(a.n, mechanisms);
      for (let uid = 0; uid < a.n; uid++) {
        const hotkey = uid < V ? names.validator(netuid, uid) : names.miner(netuid, this.minerCount++);
        table.append(hotkey, BigInt(g.blockAtRegistration[uid]));
        state.hotkeys.set(hotkey, { owner: uid < V ? names.validatorColdkey(netuid, uid) : names.minersColdkey(netuid) });
      }
      // the validators' standing weights, set the block before the run; nobody holds a permit yet (the first epoch grants them)
      for (let m = 0; m < mechanisms; m++) {
        for (let v = 0; v < V; v++) {
          const w = a.initialWeights(v, o);
          table.storeWeights(m, v, { targets: w.uids, values: w.values }, BigInt(START_BLOCK - 1));
        }
      }
      if (o.emissionSplit !== null && mechanisms > 1) table.setEmissionSplit(o.emissionSplit);
      // last epoch's emission as if the network had been running (the pruning score before the first epoch)
      const epochAlpha = 0.41 * RAO * o.tempo;
      const stakeSum = g.validatorStake.reduce((x, y) => x + Number(y), 0);
      let qualitySum = 0;
      for (let j = V; j < a.n; j++) qualitySum += a.quality[j];
      for (let uid = 0; uid < a.n; uid++) {
        const share = uid < V ? (stakeSum > 0 ? Number(g.validatorStake[uid]) / stakeSum : 0) : qualitySum > 0 ? a.quality[uid] / qualitySum : 0;
        table.emission[uid] = BigInt(Math.floor(share * epochAlpha));
      }
      const maxVal = o.hyper.maxAllowedValidators ?? (netuid === 1 ? 128 : 64);
      const staked = g.validatorStake.reduce((x, y) => x + y, 0n);
      const sn = newSubnet(netuid, {
        subnetTao: g.taoReserve,
        subnetAlphaIn: g.alphaReserve,
        subnetAlphaOut: staked,
        subnetMovingPrice: fromF64(I96F32, g.movingPrice),
        palSwapInitialized: true,
        tempo: o.tempo,
        lastEpochBlock: initialLastEpochBlock(BigInt(START_BLOCK - 1), netuid, o.tempo),
        firstEmissionBlockNumber: BigInt(Math.max(1, START_BLOCK - g.age)),
        subnetOwner: names.owner(netuid),
        subnetOwnerHotkey: names.ownerHotkey(netuid),
        epochParams: {
          kappa: hyper.kappa,
          bondsMovingAverage: BigInt(hyper.bondsMovingAverage),
          bondsPenalty: hyper.bondsPenalty,
          activityCutoffBlocks: BigInt(cutoff),
          maxAllowedValidators: maxVal,
          liquidAlphaOn: hyper.liquidAlphaEnabled,
          alphaLow: hyper.alphaLow,
          alphaHigh: hyper.alphaHigh,
          alphaSigmoidSteepness: hyper.alphaSigmoidSteepness,
          yuma3On: hyper.yuma3Enabled,
          commitRevealWeightsEnabled: false,
        },
        registration: defaultRegistration({ maxAllowedUids: a.n, immunityPeriod: Math.min(o.immunityPeriod, 65535), burn: g.burn }),
        neurons: table,
      });
      state.subnets.set(netuid, sn);
      state.hotkeys.set(names.ownerHotkey(netuid), { owner: names.owner(netuid) });
      state.hotkeys.set(names.minersWallet(netuid), { owner: names.minersColdkey(netuid) });
      state.autoStakeDestination.set(poolKey(names.minersColdkey(netuid), netuid), names.minersWallet(netuid));
      state.ownedHotkeys.set(names.owner(netuid), [names.ownerHotkey(netuid)]);
      const price = Number(g.taoReserve) / Number(g.alphaReserve);
      for (let v = 0; v < V; v++) {
        const own = (g.validatorStake[v] * OWN_STAKE_PPM) / 1_000_000n;
        stakeToColdkey(state, names.validator(netuid, v), names.validatorColdkey(netuid, v), netuid, own);
        stakeToColdkey(state, names.validator(netuid, v), STAKERS, netuid, g.validatorStake[v] - own);
        worth.push({ netuid, v, tao: Number(g.validatorStake[v]) * price });
      }
    }
    // Root stake, spread over the validators by what their alpha stake is worth (the seed model has no root).
    const rootTotal = o.model === 'seed' ? 0n : BigInt(Math.round(o.rootStakeTao * RAO));
    const worthSum = worth.reduce((x, w) => x + w.tao, 0);
    let rootStaked = 0n;
    if (rootTotal > 0n && worthSum > 0) {
      for (const w of worth) {
        const amount = BigInt(Math.floor((w.tao / worthSum) * Number(rootTotal)));
        if (amount === 0n) continue;
        stakeToColdkey(state, names.validator(w.netuid, w.v), names.validatorColdkey(w.netuid, w.v), 0, amount);
        rootStaked += amount;
      }
    }
    const root = state.subnets.get(0)!;
    root.subnetTao = rootStaked;
    state.totalStake = [...state.subnets.values()].reduce((x, sn) => x + sn.subnetTao, 0n);
    return state;
  }

  private subnets(): ChainSubnet[] {
    const s = this.chain.state;
    return this.agents.map((a) => s.subnets.get(a.netuid)!);
  }

  private poolTao(): bigint {
    return this.subnets().reduce((acc, sn) => acc + sn.subnetTao, 0n);
  }

  private ledger(s: Strategy): StrategyLedger {
    let l = this.ledgers.get(s);
    if (!l) this.ledgers.set(s, (l = { validators: 0, dividends: 0n, dividendsTao: 0, ownMiners: 0n, stakeEpochs: 0n, fairShare: 0 }));
    return l;
  }

  /** Runs `blocks` blocks and returns the report. A Network runs once (its state is the run). */
  run(opts: RunOptions): NetworkReport {
    const r = readOptions(opts, 'run options', ['blocks', 'onProgress', 'onEpoch'], true);
    const total = toInt(r.blocks, 'blocks', 1, 10_000_000);
    if (r.onProgress !== undefined && typeof r.onProgress !== 'function') throw new YumaError('E_ARG', 'onProgress must be a function');
    if (r.onEpoch !== undefined && typeof r.onEpoch !== 'function') throw new YumaError('E_ARG', 'onEpoch must be a function');
    const onProgress = r.onProgress as RunOptions['onProgress'];
    const onEpoch = r.onEpoch as RunOptions['onEpoch'];
    if (this.ran) throw new YumaError('E_STATE', 'this Network has already run; create a new one');
    const o = this.options;
    const every = o.sampleEvery > 0 ? o.sampleEvery : Math.max(1, Math.ceil(total / 240));
    const points = (Math.ceil(total / every) + 1) * o.subnets;
    if (points > MAX_REPORT_POINTS) {
      throw new YumaError('E_LIMIT', `the report would hold ${points} points (samples × subnets), more than ${MAX_REPORT_POINTS}; sample less often (sampleEvery)`);
    }
    const detailSize = detailBytes(o, total);
    if (detailSize > MAX_NETWORK_BYTES) {
      throw new YumaError('E_LIMIT', `the per-UID detail of ${total} blocks would need about ${Math.round(detailSize / 2 ** 20)} MiB, more than ${MAX_NETWORK_BYTES / 2 ** 20} MiB; run fewer blocks or detail fewer subnets (detailSubnets)`);
    }
    this.ran = true;
    const report = this.emptyReport(total);
    const progressStep = Math.max(1, Math.floor(total / 100));
    const swaps = [...o.qualitySwaps];
    // the caller's hooks run inside a block's books: what they throw ends the run (E_CALLBACK, their error as its
    // cause), and any refusal undoes the whole run, so the network is as built and can run again
    const state = this.chain.state;
    const hook = onEpoch && ((netuid: number, block: number, out: EpochOutput) => callHook('onEpoch', () => onEpoch(netuid, block, out), this.chain, state));
    try {
      for (let k = 0; k < total; k++) {
        for (const q of swaps) {
          if (q.block === k) for (const a of this.agents) if (!q.subnets || q.subnets.includes(a.netuid)) a.swapQuality();
        }
        this.setWeightsBeforeEpochs(this.chain.state.block + 1n);
        const rep = this.chain.step();
        const block = Number(rep.block);
        this.account(rep, hook);
        this.trade();
        this.registrations();
        if (k % every === 0 || k === total - 1) this.sample(report, block);
        if (onProgress && ((k + 1) % progressStep === 0 || k === total - 1)) callHook('onProgress', () => onProgress(k + 1, total), this.chain, state);
      }
    } catch (e) {
      this.rebuild();
      // a TypeError here is the state written into from outside (net.chain.state) or an engine of the caller's
      throw stoppedOn(e, 'run', ' and was undone');
    }
    return this.finish(report);
  }

  /**
   * Back to the network as its constructor left it, after a run that threw: the same options and engine build it
   * again (deterministic for the seed); `chain` and `chain.state` stay the same objects, with the new state's fields.
   */
  private rebuild(): void {
    const fresh = new Network({ ...this.options, engine: this.engine } as NetworkConfig);
    replaceState(this.chain.state, fresh.chain.state);
    const self = this as unknown as Record<string, unknown>;
    const from = fresh as unknown as Record<string, unknown>;
    for (const k of Object.keys(from)) if (k !== 'chain' && k !== 'options') self[k] = from[k];
  }

  /** Validators of the subnets whose epoch runs in block `next` set their weights now (once per epoch). */
  private setWeightsBeforeEpochs(next: bigint): void {
    const o = this.options;
    const s = this.chain.state;
    const head = o.model === 'head';
    for (const a of this.agents) {
      const sn = s.subnets.get(a.netuid)!;
      const due = head ? shouldRunEpoch(sn, next) : legacyEpochDue(a.netuid, sn.tempo, next);
      if (!due || a.weightsFor === sn.subnetEpochIndex) continue;
      a.weightsFor = sn.subnetEpochIndex;
      a.advanceEpoch(o);
      const t = sn.neurons;
      const consensus = t.consensus.subarray(0, t.size);
      for (let m = 0; m < t.mechanismCount; m++) {
        for (let v = 0; v < a.validators; v++) {
          const w = a.weightsOf(v, o, consensus);
          // the chain refuses weights from a validator without a permit (all of them before the first epoch)
          if (w === null || t.validatorPermit[v] !== 1) continue;
          try {
            this.chain.setWeights({ hotkey: t.hotkey(v), netuid: a.netuid, uids: w.uids, values: w.values, mechanism: m });
          } catch (e) {
            // no permit yet (before the first epoch), or a validator whose UID a registration took
            if (!(e instanceof ChainRefused)) throw e;
          }
        }
      }
      const all = this.detail.wants(a.netuid);
      const count = all ? t.size : a.validators;
      const snap = new Array<bigint>(count);
      const pools = uidPools(s, sn).subnet;
      for (let uid = 0; uid < count; uid++) snap[uid] = pools[uid]?.value ?? 0n;
      this.stakeSnapshots.set(a.netuid, snap);
    }
  }

  /** Adds a block's report to the books and handles its epochs. */
  private account(rep: BlockReport, onEpoch: RunOptions['onEpoch']): void {
    const s = this.chain.state;
    const t = this.t;
    t.emitted += rep.taoMinted;
    t.recycled += rep.taoRecycledCredit;
    t.stranded += rep.taoStranded;
    // the emitting subnets' terms, without the report's per-subnet map (order does not matter: exact sums, and
    // each subnet's own share)
    const emitted = rep.subnetsToEmitTo;
    const allTerms = blockTerms(rep);
    for (let i = 0; i < emitted.length; i++) {
      const netuid = emitted[i];
      const terms = allTerms[i];
      const sn = s.subnets.get(netuid)!;
      const l = this.subnetLedgers[netuid - 1];
      t.injected += sn.subnetTaoInEmission;
      l.taoInjected += sn.subnetTaoInEmission;
      t.chainBuys += terms.excessTaoSpent;
      t.alphaInjected += sn.subnetAlphaInEmission;
      t.alphaEmitted += sn.subnetAlphaOutEmission;
      t.undistributed += terms.alphaUnassigned;
      l.lastShare = terms.share;
    }
    for (const e of rep.epochs) this.onEpoch(e, Number(rep.block), onEpoch);
  }

  private onEpoch(e: EpochReport, block: number, hook: RunOptions['onEpoch']): void {
    const o = this.options;
    const a = this.agents[e.netuid - 1];
    const l = this.subnetLedgers[e.netuid - 1];
    const sn = this.chain.state.subnets.get(e.netuid)!;
    a.epochs++;
    l.epochs++;
    this.epochCount++;
    this.t.undistributed += e.alphaUndistributed;
    this.t.rootClaimable += e.rootAlphaClaimable;
    l.ownerAlpha += e.pendingOwnerCut;
    l.rootAlpha += rootAlphaPaidTotal(e);
    const out = e.output;
    if (out !== null) {
      for (const x of out.serverEmission) l.minersAlpha += x;
      for (const x of out.validatorEmission) l.validatorsAlpha += x;
      this.strategyLedgers(a, out, toF64(U64F64, currentPrice(sn)));
      if (hook) withBonds(out, sn.neurons);
      if (this.detail.wants(e.netuid)) {
        const stake = this.stakeSnapshots.get(e.netuid) ?? [];
        const validatorBonds = hook ? undefined : denseBondRows(sn.neurons, a.validators);
        this.detail.record({ netuid: e.netuid, block, validators: a.validators, strategy: a.strategy, names: a.names, stake, output: out, validatorBonds });
      }
      hook?.(e.netuid, block, out);
    }
    // miners sell part of their incentive (auto-staked to their wallet hotkey) right after the epoch
    const minersColdkey = names.minersColdkey(e.netuid);
    // every hotkey of the miners' coldkey auto-stakes its incentive to the wallet hotkey, which earns nothing else
    const wallet = e.stakeChanges.get(names.minersWallet(e.netuid));
    const earned = wallet === undefined ? 0n : wallet.after - wallet.before;
    const sell = (earned * BigInt(Math.round(o.minerSellFraction * 1e6))) / 1_000_000n;
    if (sell > 0n) {
      try {
        const r = this.chain.removeStake({ coldkey: minersColdkey, hotkey: names.minersWallet(e.netuid), netuid: e.netuid, alpha: sell });
        this.t.minerSales += r.tao;
        this.t.unstakeFees += r.feeTao;
      } catch (err) {
        // a sale the chain refuses (too small, pool too shallow) leaves the alpha staked
        if (!(err instanceof ChainRefused)) throw err;
      }
    }
  }

  private strategyLedgers(a: SubnetAgents, out: EpochOutput, price: number): void {
    const stake = this.stakeSnapshots.get(a.netuid) ?? [];
    const V = a.validators;
    const cabalMembers = a.strategy.filter((st, v) => st === 'cabal' && !a.gone[v]).length;
    const cabalIncentive = a.cabalMiners.reduce((acc, j) => acc + out.serverEmission[j], 0n);
    let stakeSum = 0;
    let divSum = 0;
    for (let v = 0; v < V; v++) {
      if (a.gone[v]) continue;
      stakeSum += Number(stake[v] ?? 0n);
      divSum += Number(out.validatorEmission[v]);
    }
    for (let v = 0; v < V; v++) {
      if (a.gone[v]) continue;
      const l = this.ledger(a.strategy[v]);
      const d = out.validatorEmission[v];
      const st = stake[v] ?? 0n;
      const own = a.strategy[v] === 'cabal' && cabalMembers > 0 ? cabalIncentive / BigInt(cabalMembers) : a.ownMiner[v] >= 0 ? out.serverEmission[a.ownMiner[v]] : 0n;
      if (stakeSum > 0) l.fairShare += (Number(st) / stakeSum) * divSum;
      l.dividends += d;
      l.dividendsTao += (Number(d) * price) / RAO;
      l.ownMiners += own;
      l.stakeEpochs += st;
    }
  }

  /** Stakers: buys lean towards subnets with appeal, sells towards those without; nominations follow stake. */
  private trade(): void {
    const o = this.options;
    if (o.tradesPerBlock <= 0 || o.meanTradeTao <= 0) return;
    const s = this.chain.state;
    const count = this.rng.poisson(o.tradesPerBlock);
    for (let k = 0; k < count; k++) {
      const a = this.agents[this.rng.int(this.agents.length)];
      const tao = BigInt(Math.floor(this.rng.logNormal(Math.log(o.meanTradeTao) - 0.5, 1) * RAO));
      const v = this.pickByStake(a);
      if (v < 0 || tao <= 0n) continue;
      const buy = this.rng.next() < 0.5 + 0.25 * a.appeal;
      const hotkey = names.validator(a.netuid, v);
      try {
        if (buy) {
          const r = this.chain.addStake({ coldkey: STAKERS, hotkey, netuid: a.netuid, tao });
          this.t.staked += r.taoStaked;
          this.t.stakeFees += r.fee;
        } else {
          const sn = s.subnets.get(a.netuid)!;
          const want = BigInt(Math.floor(Number(tao) / toF64(U64F64, currentPrice(sn))));
          const pool = s.stakePools.get(poolKey(hotkey, a.netuid));
          const held = pool?.shares.has(STAKERS) ? poolValueOf(pool, STAKERS) : 0n;
          const alpha = want < held / 2n ? want : held / 2n;
          if (alpha <= 0n) continue;
          const r = this.chain.removeStake({ coldkey: STAKERS, hotkey, netuid: a.netuid, alpha });
          this.t.unstaked += r.tao;
          this.t.unstakeFees += r.feeTao;
        }
      } catch (e) {
        // a trade the chain refuses (too small, would drain a reserve) simply does not happen
        if (!(e instanceof ChainRefused)) throw e;
      }
    }
  }

  /** A validator chosen with probability ∝ its alpha stake (nominators follow stake), or -1 if none has any. */
  private pickByStake(a: SubnetAgents): number {
    const pools = this.validatorPools(a);
    const stakes = new Array<number>(a.validators);
    let total = 0;
    for (let v = 0; v < a.validators; v++) {
      stakes[v] = a.gone[v] ? 0 : Number(pools[v]?.value ?? 0n);
      total += stakes[v];
    }
    if (!(total > 0)) return -1;
    let r = this.rng.next() * total;
    for (let v = 0; v < a.validators; v++) {
      r -= stakes[v];
      if (r < 0) return v;
    }
    return a.validators - 1;
  }

  /**
   * The stake pools of a subnet's validators (UIDs 0 … validators−1) on it, kept between trades while no pool of the
   * subnet was added, removed or replaced and the UIDs hold the same hotkeys (a pool's value moves in place). Two
   * trades a block each read them; `uidPools` keeps every UID's subnet and root pools, which stake moving on root
   * or a new pool anywhere on the subnet made it rebuild, so a trade looked up 32 hotkeys through a fresh lookup.
   */
  private validatorPools(a: SubnetAgents): ReadonlyArray<StakePool | undefined> {
    const s = this.chain.state;
    const t = s.subnets.get(a.netuid)!.neurons;
    const entries = s.stakePools instanceof HotkeyNetuidMap ? s.stakePools.entriesOn(a.netuid) : null;
    const k = this.keptPools[a.netuid - 1];
    if (entries !== null && k !== undefined && k.entries === entries && k.changes === entries.changes && k.table === t && k.hotkeys.every((h, v) => t.hotkey(v) === h)) return k.pools;
    const on = lookupOnNetuid(s.stakePools, a.netuid);
    const hotkeys = Array.from({ length: Math.min(a.validators, t.size) }, (_, v) => t.hotkey(v));
    const pools = hotkeys.map(on);
    if (entries !== null) this.keptPools[a.netuid - 1] = { entries, changes: entries.changes, table: t, hotkeys, pools };
    return pools;
  }

  /** Newcomers register miners (each subnet at the configured rate); a full subnet prunes by the chain's rule. */
  private registrations(): void {
    const o = this.options;
    const p = o.registrationsPerDay / BLOCKS_PER_DAY;
    if (p <= 0) return;
    for (const a of this.agents) {
      if (a.rng.next() >= p) continue;
      const hotkey = names.miner(a.netuid, this.minerCount++);
      try {
        const r = this.chain.registerNeuron({ coldkey: names.minersColdkey(a.netuid), hotkey, netuid: a.netuid });
        this.t.burns += r.burn;
        this.t.registrationFees += r.feeStranded;
        a.newMiner(r.uid, o);
      } catch (e) {
        if (!(e instanceof ChainRefused)) throw e;
      }
    }
  }

  private emptyReport(total: number): NetworkReport {
    const o = this.options;
    const first = Number(this.chain.state.block) + 1;
    // a plain, JSON-safe copy (rao amounts, stakeThreshold included, as decimal strings), the share rule resolved
    const config = JSON.parse(JSON.stringify(o, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))) as NetworkReport['config'];
    config.shareMode = shareModeOf(o);
    return {
      version: 2,
      config,
      blocks: { start: first, end: first + total - 1, count: total },
      epochs: 0,
      sampleBlocks: [],
      totals: {} as NetworkTotals,
      alpha: {} as AlphaTotals,
      strategies: {},
      detail: [],
      subnets: this.agents.map((a): SubnetReport => {
        const strategies: Partial<Record<Strategy, number>> = {};
        for (const st of a.strategy) strategies[st] = (strategies[st] ?? 0) + 1;
        return {
          netuid: a.netuid,
          uids: a.n,
          validators: a.validators,
          tempo: o.tempo,
          epochs: 0,
          strategies,
          series: { price: [], movingPrice: [], taoReserve: [], alphaReserve: [], emissionShare: [], minersAlpha: [], validatorsAlpha: [] },
          final: {} as SubnetReport['final'],
        };
      }),
    };
  }

  private sample(report: NetworkReport, block: number): void {
    report.sampleBlocks.push(block);
    const subs = this.subnets();
    subs.forEach((sn, i) => {
      const x = report.subnets[i].series;
      const l = this.subnetLedgers[i];
      x.price.push(toF64(U64F64, currentPrice(sn)));
      x.movingPrice.push(toF64(I96F32, sn.subnetMovingPrice));
      x.taoReserve.push(sn.subnetTao.toString());
      x.alphaReserve.push(sn.subnetAlphaIn.toString());
      x.emissionShare.push(toF64(U64F64, l.lastShare));
      x.minersAlpha.push(l.minersAlpha.toString());
      x.validatorsAlpha.push(l.validatorsAlpha.toString());
    });
  }

  private finish(report: NetworkReport): NetworkReport {
    const t = this.t;
    const s = this.chain.state;
    const subs = this.subnets();
    report.epochs = this.epochCount;
    report.detail = this.detail.finish();
    report.totals = {
      issuanceStart: this.start.issuance.toString(),
      issuanceEnd: s.totalIssuance.toString(),
      taoEmitted: t.emitted.toString(),
      recycled: t.recycled.toString(),
      taoInjected: t.injected.toString(),
      taoChainBuys: t.chainBuys.toString(),
      taoStranded: t.stranded.toString(),
      taoStaked: t.staked.toString(),
      taoUnstaked: t.unstaked.toString(),
      taoMinerSales: t.minerSales.toString(),
      taoStakeFees: t.stakeFees.toString(),
      taoUnstakeFees: t.unstakeFees.toString(),
      taoRegistrationBurns: t.burns.toString(),
      taoRegistrationFees: t.registrationFees.toString(),
      taoInPoolsStart: this.start.poolTao.toString(),
      taoInPoolsEnd: this.poolTao().toString(),
      taoOnRoot: s.subnets.get(0)!.subnetTao.toString(),
    };
    const sum = (f: (sn: ChainSubnet) => bigint) => subs.reduce((acc, sn) => acc + f(sn), 0n);
    let staked = 0n;
    for (const p of s.stakePools.values()) if (p.netuid !== 0) staked += p.value;
    const a = {
      issuanceStart: this.start.alphaIssuance,
      issuanceEnd: sum((sn) => sn.subnetAlphaIn + sn.subnetAlphaOut),
      injected: t.alphaInjected,
      emitted: t.alphaEmitted,
      recycled: sum((sn) => sn.alphaRecycled) - this.start.recycled,
      registrationBurned: sum((sn) => sn.registration?.alphaBurnedByRegistration ?? 0n) - this.start.registrationBurned,
      inPools: sum((sn) => sn.subnetAlphaIn),
      staked,
      pending: sum((sn) => sn.pendingServerEmission + sn.pendingValidatorEmission + sn.pendingRootAlphaDivs + sn.pendingOwnerCut),
      protocol: sum((sn) => sn.subnetProtocolAlpha),
      rootClaimable: t.rootClaimable,
      burned: sum((sn) => sn.alphaBurned) - this.start.burned,
      undistributed: t.undistributed,
    };
    report.alpha = Object.fromEntries(Object.entries(a).map(([k, v]) => [k, v.toString()])) as unknown as AlphaTotals;

    const o = this.options;
    const epochsPerDay = BLOCKS_PER_DAY / (o.model === 'head' ? o.tempo : o.tempo + 1);
    for (const st of STRATEGIES) {
      const l = this.ledgers.get(st);
      if (!l || l.validators === 0) continue;
      const per = l.stakeEpochs > 0n ? Number(l.dividends) / Number(l.stakeEpochs) : 0;
      const perTotal = l.stakeEpochs > 0n ? Number(l.dividends + l.ownMiners) / Number(l.stakeEpochs) : 0;
      report.strategies[st] = {
        validators: l.validators,
        dividendsAlpha: l.dividends.toString(),
        dividendsTao: l.dividendsTao,
        ownMinersAlpha: l.ownMiners.toString(),
        relativeYield: l.fairShare > 0 ? Number(l.dividends) / l.fairShare : 0,
        yieldPerEpoch: per,
        yieldPerDay: per * epochsPerDay,
        totalYieldPerDay: perTotal * epochsPerDay,
      } satisfies StrategyYield;
    }
    subs.forEach((sn, i) => {
      const l = this.subnetLedgers[i];
      const sr = report.subnets[i];
      sr.epochs = l.epochs;
      sr.final = {
        price: toF64(U64F64, currentPrice(sn)),
        taoReserve: sn.subnetTao.toString(),
        alphaReserve: sn.subnetAlphaIn.toString(),
        emissionShare: toF64(U64F64, l.lastShare),
        taoInjected: l.taoInjected.toString(),
        minersAlpha: l.minersAlpha.toString(),
        validatorsAlpha: l.validatorsAlpha.toString(),
        ownerAlpha: l.ownerAlpha.toString(),
        alphaIssuance: (sn.subnetAlphaIn + sn.subnetAlphaOut).toString(),
        rootAlpha: l.rootAlpha.toString(),
      };
    });
    return report;
  }
}
