import { YumaError } from '../errors.js';
import type { BatchItem, EpochOutput, Hyperparams, MechanismEpochOutput, SparseRow } from '../epoch/types.js';
import { activityCutoffFromFactor } from '../epoch/types.js';
import { type NetworkOptions, type Strategy, uidsOf } from './config.js';
import { Pool, blockEmission } from './dtao-port.js';
import type { Rng } from './rng.js';
import { copyConsensusRow, noisyQualityRow, ownMinersRow } from './weights.js';

/** Minimum registration burn (the chain's `MinBurn`, 0.0005 TAO). */
const MIN_BURN = 500_000n;
/** Burn decay per block: (1 − 1/520)^360 ≈ ½, the chain's half-life of 360 blocks. */
const BURN_DECAY_DIVISOR = 520n;

/** What the chain keeps per mechanism of a subnet: weight and bond rows and last-update blocks. */
export interface MechanismRows {
  weights: SparseRow[];
  bonds: SparseRow[];
  lastUpdate: number[];
}

/** What one epoch paid, for the network's ledgers. */
export interface EpochPayout {
  /** Alpha to miners, validators and the owner (rao). */
  miners: bigint;
  validators: bigint;
  owner: bigint;
  /** Per validator: strategy, stake before the payout and dividend. */
  perValidator: Array<{ strategy: Strategy; stake: bigint; dividend: bigint; ownMinersIncentive: bigint }>;
  /** Alpha the miners put up for sale. */
  minersSell: bigint;
}

/**
 * One subnet as the chain stores it, plus the simulator's hidden state (miner quality, strategies).
 * UIDs 0..validators−1 are validators (never pruned), the rest miners.
 */
export class SubnetState {
  readonly netuid: number;
  readonly n: number;
  readonly validators: number;
  readonly tempo: number;
  readonly rng: Rng;
  readonly pool: Pool;
  readonly hyper: Partial<Hyperparams>;

  readonly strategy: Strategy[];
  readonly lag: number[];
  /** Miner uid owned by each validator (self-dealers), else -1. */
  readonly ownMiner: number[];
  /** Miner uids of the cabal on this subnet (empty when it has no cabal validator). */
  readonly cabalMiners: number[];
  /** Miners that belong to a validator and are re-registered rather than pruned. */
  readonly owned: Uint8Array;

  /** Alpha stake per UID (rao): validators' own plus nominated, miners' unsold alpha. */
  readonly stake: BigUint64Array;
  readonly quality: Float64Array;
  private readonly history: Float64Array[] = [];
  /**
   * Per mechanism (`NetworkOptions.mechanisms`, usually 1): weights, bonds, last-update. Validators set weights
   * on every mechanism by the same strategy, honest ones each time with fresh noise on the same hidden quality.
   */
  readonly mechanisms: MechanismRows[];
  /** `MechanismEmissionSplit` of every subnet, or null for the even split. */
  readonly emissionSplit: number[] | null;
  readonly blockAtRegistration: number[];
  permits: boolean[];
  lastStepBlock = 0;
  lastConsensus: Uint16Array | null = null;
  /** Last epoch's emission per UID (rao), the pruning score. */
  readonly lastEmission: bigint[];
  epochs = 0;

  /** Alpha minted on this subnet, which drives its alpha halving. */
  alphaIssuance: bigint;
  pendingEmission = 0n;
  pendingOwner = 0n;
  ownerAlpha = 0n;
  /** Alpha bought by the protocol with excess TAO (HEAD's `SubnetProtocolAlpha`). */
  protocolAlpha = 0n;
  /** Alpha bought by registration burns and destroyed. */
  burnedAlpha = 0n;
  /** Miners' alpha off the subnet's UIDs: unsold stake of deregistered miners, sales the pool refused. */
  minerWallets = 0n;
  burn: bigint;
  /** The chain's EMA price (kept by the network's MovingPriceTracker, mirrored here for the report). */
  movingPrice: number;
  /** Blocks since the subnet's first emission, at the start of the run. */
  readonly age: number;
  /** Buy/sell bias of stakers for this subnet, in [−1, 1]. */
  readonly appeal: number;

  // Running totals for the report (rao).
  minersAlpha = 0n;
  validatorsAlpha = 0n;
  taoInjected = 0n;
  lastShare = 0;

  constructor(o: NetworkOptions, netuid: number, rng: Rng, startBlock: number) {
    this.netuid = netuid;
    this.rng = rng;
    this.n = uidsOf(o, netuid);
    this.tempo = o.tempo;
    const n = this.n;
    // Subnet 1's larger UID space carries proportionally more validators (up to its permit cap).
    const scale = n / o.uidsPerSubnet;
    const roster = o.validators;
    const maxVal = o.hyper.maxAllowedValidators ?? (netuid === 1 ? 128 : 64);
    this.validators = Math.min(n - 1, roster ? roster.length : Math.max(1, Math.min(maxVal, Math.round(o.validatorsPerSubnet * scale))));
    const V = this.validators;
    this.hyper = {
      maxAllowedValidators: maxVal,
      activityCutoff: activityCutoffFromFactor(o.tempo),
      ...o.hyper,
    };

    // Pools: heavy-tailed TAO depth, prices spread over two orders of magnitude; subnet 1 is the deepest.
    const taoDepth = rng.logNormal(Math.log(12_000), 0.9) * (netuid === 1 ? 6 : 1);
    const price = Math.min(0.9, rng.logNormal(Math.log(0.02), 0.8));
    const taoRes = BigInt(Math.round(taoDepth * 1e9));
    const alphaRes = BigInt(Math.round((taoDepth / price) * 1e9));
    this.pool = Pool.genesis({ tao: taoRes, alpha: alphaRes });
    this.movingPrice = Math.min(this.pool.price(), 1) * rng.logNormal(0, 0.15);
    this.age = 20_000 + rng.int(80_000);
    this.appeal = Math.tanh(rng.normal() * 0.5);
    this.burn = BigInt(Math.round(rng.logNormal(Math.log(0.2), 0.7) * 1e9));

    // Validators: heavy-tailed stake (Pareto), together 1.5× the pool's alpha.
    const strategies = roster ? roster.map((v) => v.strategy ?? 'honest') : assignStrategies(o.strategies, V, rng);
    this.strategy = strategies;
    this.lag = roster ? roster.map((v) => v.lag ?? o.honestLag) : strategies.map(() => o.honestLag);
    const shares = roster ? rosterShares(roster) : Array.from({ length: V }, () => rng.pareto(1.1));
    const shareSum = shares.reduce((a, b) => a + b, 0);
    const totalStake = Number(alphaRes) * 1.5;
    this.stake = new BigUint64Array(n);
    for (let v = 0; v < V; v++) this.stake[v] = BigInt(Math.floor((shares[v] / shareSum) * totalStake));
    let staked = 0n;
    for (let v = 0; v < V; v++) staked += this.stake[v];
    this.alphaIssuance = alphaRes + staked;

    // Miners: hidden quality; owned miners for self-dealers and the cabal.
    this.quality = new Float64Array(n);
    for (let j = V; j < n; j++) this.quality[j] = this.drawQuality(o, j - V);
    this.owned = new Uint8Array(n);
    this.ownMiner = new Array<number>(V).fill(-1);
    this.cabalMiners = [];
    let next = n - 1;
    for (let v = 0; v < V && next >= V; v++) {
      if (strategies[v] === 'self-dealing') {
        this.ownMiner[v] = next;
        this.owned[next--] = 1;
      }
    }
    if (strategies.includes('cabal')) {
      for (let c = 0; c < o.cabalMiners && next >= V; c++) {
        this.cabalMiners.push(next);
        this.owned[next--] = 1;
      }
    }

    // Everyone registered well before the start (nobody immune), validators' first weights one block before it.
    this.blockAtRegistration = Array.from({ length: n }, () => Math.max(0, startBlock - o.immunityPeriod - 1 - rng.int(50_000)));
    const lastUpdate = Array.from({ length: n }, (_, i) => (i < V ? startBlock - 1 : this.blockAtRegistration[i]));
    this.mechanisms = Array.from({ length: o.mechanisms }, () => ({
      weights: Array.from({ length: n }, (): SparseRow => []),
      bonds: Array.from({ length: n }, (): SparseRow => []),
      lastUpdate: lastUpdate.slice(),
    }));
    this.emissionSplit = o.emissionSplit;
    this.permits = [];
    this.lastEmission = new Array<bigint>(n).fill(0n);
    this.history.push(Float64Array.from(this.quality));
    for (let v = 0; v < V; v++) for (const m of this.mechanisms) m.weights[v] = this.viewRow(v, o);
  }

  private drawQuality(o: NetworkOptions, minerIndex: number): number {
    if (o.minerQualities) return o.minerQualities[minerIndex % o.minerQualities.length];
    return this.rng.logNormal(0, 0.6);
  }

  private viewRow(v: number, o: NetworkOptions): SparseRow {
    const h = this.history;
    const seen = h[Math.max(0, h.length - 1 - this.lag[v])];
    return noisyQualityRow(seen, this.validators, o.weightNoise, this.rng);
  }

  /** The chain's pre-2026-06 schedule: epoch when `(block + netuid + 1) mod (tempo + 1) = 0`. */
  isEpochDue(block: number): boolean {
    return (block + this.netuid + 1) % (this.tempo + 1) === 0;
  }

  /** One block of emission into this subnet: TAO share injected, alpha in and alpha out to pending. */
  emit(taoShare: bigint, ownerCut: number): { injected: bigint; chainBuy: bigint; unspent: bigint } {
    const alphaE = blockEmission(this.alphaIssuance);
    const price = this.pool.price();
    let taoIn = taoShare;
    let alphaIn = price > 0 ? BigInt(Math.floor(Number(taoShare) / price)) : 0n;
    if (alphaIn > alphaE) {
      // The chain caps alpha injection at the alpha block emission; the rest of the TAO buys alpha instead.
      alphaIn = alphaE;
      taoIn = BigInt(Math.floor(Number(alphaE) * price));
      if (taoIn > taoShare) taoIn = taoShare;
    }
    let chainBuy = taoShare - taoIn;
    let unspent = 0n;
    if (taoIn > 0n || alphaIn > 0n) this.pool.inject(taoIn, alphaIn);
    if (chainBuy > 0n) {
      try {
        this.protocolAlpha += this.pool.stake(chainBuy).alphaOut;
      } catch (e) {
        if (!(e instanceof YumaError)) throw e;
        unspent = chainBuy;
        chainBuy = 0n;
      }
    }
    this.alphaIssuance += alphaIn + alphaE;
    const oc = (alphaE * BigInt(ownerCut)) / 65535n;
    this.pendingOwner += oc;
    this.pendingEmission += alphaE - oc;
    this.taoInjected += taoIn;
    return { injected: taoIn, chainBuy, unspent };
  }

  /** Per-block bookkeeping after the coinbase: registration burn decay. */
  afterBlock(): void {
    const b = this.burn - this.burn / BURN_DECAY_DIVISOR;
    this.burn = b < MIN_BURN ? MIN_BURN : b;
  }

  /** Validators set weights per their strategy, then the epoch's input. */
  prepareEpoch(block: number, o: NetworkOptions): BatchItem {
    const V = this.validators;
    for (let j = V; j < this.n; j++) {
      if (o.qualityDrift > 0) this.quality[j] *= Math.exp(o.qualityDrift * this.rng.normal());
    }
    this.history.push(Float64Array.from(this.quality));
    const keep = Math.max(...this.lag) + 1;
    while (this.history.length > keep) this.history.shift();

    for (let v = 0; v < V; v++) {
      const s = this.strategy[v];
      for (const m of this.mechanisms) {
        let row: SparseRow | null = null;
        if (s === 'honest') row = this.viewRow(v, o);
        else if (s === 'lazy') row = this.epochs % o.lazyEvery === 0 ? this.viewRow(v, o) : null;
        else if (s === 'copier') row = this.lastConsensus?.some((c) => c > 0) ? copyConsensusRow(this.lastConsensus) : this.viewRow(v, o);
        else if (s === 'cabal') row = ownMinersRow(this.cabalMiners);
        else if (s === 'self-dealing') row = this.ownMiner[v] >= 0 ? ownMinersRow([this.ownMiner[v]]) : this.viewRow(v, o);
        if (row !== null) {
          m.weights[v] = row;
          m.lastUpdate[v] = block;
        }
      }
    }
    const shared = {
      n: this.n,
      currentBlock: block,
      tempo: this.tempo,
      lastStepBlock: this.lastStepBlock,
      stake: this.stake,
      blockAtRegistration: this.blockAtRegistration,
      validatorPermit: this.permits,
      raoEmission: this.pendingEmission,
    };
    const own = (m: MechanismRows) => ({ weights: m.weights, bonds: m.bonds, lastUpdate: m.lastUpdate });
    if (this.mechanisms.length === 1) return { input: { ...shared, ...own(this.mechanisms[0]) }, hyper: this.hyper };
    return {
      input: { ...shared, mechanisms: this.mechanisms.map(own), ...(this.emissionSplit ? { emissionSplit: this.emissionSplit } : {}) },
      hyper: this.hyper,
    };
  }

  /** Writes an epoch's result back like the chain and pays out the pending alpha. */
  applyEpoch(block: number, out: EpochOutput, minerSellFraction: number): EpochPayout {
    const V = this.validators;
    let miners = 0n;
    let validators = 0n;
    let minersSell = 0n;
    const ownIncentive = new Array<bigint>(V).fill(0n);
    const cabalIncentive = this.cabalMiners.reduce((acc, j) => acc + out.serverEmission[j], 0n);
    const perValidator: EpochPayout['perValidator'] = [];
    for (let v = 0; v < V; v++) {
      if (this.ownMiner[v] >= 0) ownIncentive[v] = out.serverEmission[this.ownMiner[v]];
    }
    const cabalMembers = this.strategy.filter((s) => s === 'cabal').length;
    for (let v = 0; v < V; v++) {
      const d = out.validatorEmission[v];
      const own = this.strategy[v] === 'cabal' && cabalMembers > 0 ? cabalIncentive / BigInt(cabalMembers) : ownIncentive[v];
      perValidator.push({ strategy: this.strategy[v], stake: this.stake[v], dividend: d, ownMinersIncentive: own });
    }
    // Miners' UIDs can hold dividends too if they hold a permit; every UID's payout lands on its stake.
    const sellPpm = BigInt(Math.round(minerSellFraction * 1e6));
    for (let j = 0; j < this.n; j++) {
      const inc = out.serverEmission[j];
      const div = out.validatorEmission[j];
      miners += inc;
      validators += div;
      const sold = (inc * sellPpm) / 1_000_000n;
      minersSell += sold;
      this.stake[j] += inc - sold + div;
      this.lastEmission[j] = inc + div;
    }
    const paid = miners + validators;
    if (paid > this.pendingEmission) throw new Error(`epoch on subnet ${this.netuid} paid ${paid} > pending ${this.pendingEmission}`);
    // Flooring dust stays pending for the next epoch, so no alpha is lost.
    this.pendingEmission -= paid;
    this.ownerAlpha += this.pendingOwner;
    const owner = this.pendingOwner;
    this.pendingOwner = 0n;
    const perMechanism = this.mechanisms.length === 1 ? [out] : (out as MechanismEpochOutput).mechanisms;
    this.mechanisms.forEach((m, i) => (m.bonds = perMechanism[i].bonds as SparseRow[]));
    this.permits = out.validatorPermit;
    this.lastConsensus = out.consensus;
    this.lastStepBlock = block;
    this.epochs++;
    this.minersAlpha += miners;
    this.validatorsAlpha += validators;
    return { miners, validators, owner, perValidator, minersSell };
  }

  /** Swaps the best and the worst miner's hidden quality (the "a new best miner appears" event). */
  swapQuality(): void {
    let best = -1;
    let worst = -1;
    for (let j = this.validators; j < this.n; j++) {
      if (this.owned[j]) continue;
      if (best < 0 || this.quality[j] > this.quality[best]) best = j;
      if (worst < 0 || this.quality[j] < this.quality[worst]) worst = j;
    }
    if (best < 0 || best === worst) return;
    const t = this.quality[best];
    this.quality[best] = this.quality[worst];
    this.quality[worst] = t;
  }

  /**
   * A registration: the burn buys alpha that is destroyed, and the non-immune unowned miner with the lowest
   * last emission (ties: lowest uid) is replaced. Returns the TAO burned, or 0n when every slot is immune.
   */
  register(block: number, o: NetworkOptions): bigint {
    let victim = -1;
    for (let j = this.validators; j < this.n; j++) {
      if (this.owned[j] || block - this.blockAtRegistration[j] < o.immunityPeriod) continue;
      if (victim < 0 || this.lastEmission[j] < this.lastEmission[victim]) victim = j;
    }
    if (victim < 0) return 0n;
    const cost = this.burn;
    let alphaOut: bigint;
    try {
      alphaOut = this.pool.stake(cost).alphaOut;
    } catch (e) {
      if (e instanceof YumaError) return 0n;
      throw e;
    }
    this.burnedAlpha += alphaOut;
    this.burn = (this.burn * 126n) / 100n;
    this.minerWallets += this.stake[victim];
    this.stake[victim] = 0n;
    this.quality[victim] = this.drawQuality(o, this.rng.int(1 << 30));
    this.blockAtRegistration[victim] = block;
    this.lastEmission[victim] = 0n;
    for (const m of this.mechanisms) {
      m.lastUpdate[victim] = block;
      m.weights[victim] = [];
      m.bonds[victim] = [];
    }
    return cost;
  }

  /** A validator chosen with probability ∝ stake (nominators follow stake), or -1 if none has any. */
  pickByStake(): number {
    let total = 0;
    for (let v = 0; v < this.validators; v++) total += Number(this.stake[v]);
    if (!(total > 0)) return -1;
    let r = this.rng.next() * total;
    for (let v = 0; v < this.validators; v++) {
      r -= Number(this.stake[v]);
      if (r < 0) return v;
    }
    return this.validators - 1;
  }

  /** Alpha held by everyone but the pool, plus what is pending or destroyed: with the pool, all alpha ever minted. */
  alphaOutside(): bigint {
    let s = 0n;
    for (let i = 0; i < this.n; i++) s += this.stake[i];
    return s + this.pendingEmission + this.pendingOwner + this.ownerAlpha + this.protocolAlpha + this.burnedAlpha + this.minerWallets;
  }
}

function rosterShares(roster: NonNullable<NetworkOptions['validators']>): number[] {
  const given = roster.reduce((a, v) => a + (v.stakeShare ?? 0), 0);
  const unset = roster.filter((v) => v.stakeShare === undefined).length;
  const rest = unset > 0 ? Math.max(0, 1 - given) / unset : 0;
  return roster.map((v) => v.stakeShare ?? rest);
}

/** Largest-remainder apportionment of the strategy mix over `count` validators, in a random order. */
function assignStrategies(mix: Partial<Record<Strategy, number>>, count: number, rng: Rng): Strategy[] {
  const entries = Object.entries(mix).filter(([, w]) => (w ?? 0) > 0) as Array<[Strategy, number]>;
  const total = entries.reduce((a, [, w]) => a + w, 0);
  const seats = entries.map(([s, w]) => ({ s, exact: (w / total) * count, n: Math.floor((w / total) * count) }));
  let left = count - seats.reduce((a, x) => a + x.n, 0);
  for (const x of [...seats].sort((a, b) => b.exact - b.n - (a.exact - a.n))) {
    if (left-- <= 0) break;
    x.n++;
  }
  const out: Strategy[] = [];
  for (const x of seats) for (let k = 0; k < x.n; k++) out.push(x.s);
  return rng.shuffle(out);
}

