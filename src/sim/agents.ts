/**
 * The simulator's hidden side of one subnet: who the validators are and how they weigh (strategies, lags, the
 * miners they own), the miners' true quality, and the stakers' appetite. Everything the chain stores — pools,
 * stake, neurons, weights, bonds, pending emission — lives in the block model (`Chain`), not here.
 */
import { type NetworkOptions, type Strategy, uidsOf } from './config.js';
import type { Rng } from '../rng.js';
import { type WeightsSubmission, copyConsensusRow, noisyQualityRow, ownMinersRow } from './weights.js';

/** How a subnet starts: its pool, price history and validators' alpha stake (rao). */
export interface SubnetGenesis {
  taoReserve: bigint;
  alphaReserve: bigint;
  /** The EMA price the chain has tracked so far (TAO per alpha). */
  movingPrice: number;
  /** Blocks since the subnet's first emission, at the start of the run. */
  age: number;
  /** Registration burn at the start (rao). */
  burn: bigint;
  /** Alpha stake per validator (rao). */
  validatorStake: bigint[];
  /** Blocks at registration per UID. */
  blockAtRegistration: number[];
}

/** UIDs 0 … validators−1 are validators, the rest miners. */
export class SubnetAgents {
  readonly netuid: number;
  readonly n: number;
  readonly validators: number;
  readonly rng: Rng;
  readonly strategy: Strategy[];
  readonly lag: number[];
  readonly names: Array<string | undefined>;
  /** Miner uid owned by each validator (self-dealers), else -1. */
  readonly ownMiner: number[];
  /** Miner uids of the cabal on this subnet (empty when it has no cabal validator). */
  readonly cabalMiners: number[];
  /** Miners that belong to a validator (their owner re-registers them rather than let them be pruned). */
  readonly owned: Uint8Array;
  readonly quality: Float64Array;
  private readonly history: Float64Array[] = [];
  /** Buy/sell bias of stakers for this subnet, in [−1, 1]. */
  readonly appeal: number;
  /** Epochs the subnet has run (lazy validators refresh every `lazyEvery`). */
  epochs = 0;
  /** `SubnetEpochIndex` the validators last set weights for. */
  weightsFor = -1n;
  /** A validator whose UID registration took over (it no longer sets weights or earns). */
  readonly gone: Uint8Array;
  readonly genesis: SubnetGenesis;

  constructor(o: NetworkOptions, netuid: number, rng: Rng, startBlock: number) {
    this.netuid = netuid;
    this.rng = rng;
    this.n = uidsOf(o, netuid);
    const n = this.n;
    // Subnet 1's larger UID space carries proportionally more validators (up to its permit cap).
    const scale = n / o.uidsPerSubnet;
    const roster = o.validators;
    const maxVal = o.hyper.maxAllowedValidators ?? (netuid === 1 ? 128 : 64);
    this.validators = Math.min(n - 1, roster ? roster.length : Math.max(1, Math.min(maxVal, Math.round(o.validatorsPerSubnet * scale))));
    const V = this.validators;

    // Pools: heavy-tailed TAO depth, prices spread over two orders of magnitude; subnet 1 is the deepest.
    const taoDepth = rng.logNormal(Math.log(12_000), 0.9) * (netuid === 1 ? 6 : 1);
    const price = Math.min(0.9, rng.logNormal(Math.log(0.02), 0.8));
    const taoReserve = BigInt(Math.round(taoDepth * 1e9));
    const alphaReserve = BigInt(Math.round((taoDepth / price) * 1e9));
    const movingPrice = Math.min(price, 1) * rng.logNormal(0, 0.15);
    const age = 20_000 + rng.int(80_000);
    this.appeal = Math.tanh(rng.normal() * 0.5);
    const burn = BigInt(Math.round(rng.logNormal(Math.log(0.2), 0.7) * 1e9));

    // Validators: heavy-tailed stake (Pareto), together 1.5× the pool's alpha.
    const strategies = roster ? roster.map((v) => v.strategy ?? 'honest') : assignStrategies(o.strategies, V, rng);
    this.strategy = strategies;
    this.lag = roster ? roster.map((v) => v.lag ?? o.honestLag) : strategies.map(() => o.honestLag);
    this.names = roster ? roster.map((v) => v.name) : new Array<string | undefined>(V).fill(undefined);
    const shares = roster ? rosterShares(roster) : Array.from({ length: V }, () => rng.pareto(1.1));
    const shareSum = shares.reduce((a, b) => a + b, 0);
    const totalStake = Number(alphaReserve) * 1.5;
    const validatorStake = shares.map((sh) => BigInt(Math.floor((sh / shareSum) * totalStake)));

    // Miners: hidden quality; owned miners for self-dealers and the cabal.
    this.quality = new Float64Array(n);
    for (let j = V; j < n; j++) this.quality[j] = this.drawQuality(o, j - V);
    this.owned = new Uint8Array(n);
    this.gone = new Uint8Array(V);
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
    // Everyone registered well before the start (nobody immune).
    const blockAtRegistration = Array.from({ length: n }, () => Math.max(0, startBlock - o.immunityPeriod - 1 - rng.int(50_000)));
    this.history.push(Float64Array.from(this.quality));
    this.genesis = { taoReserve, alphaReserve, movingPrice, age, burn, validatorStake, blockAtRegistration };
  }

  private drawQuality(o: NetworkOptions, minerIndex: number): number {
    if (o.minerQualities) return o.minerQualities[minerIndex % o.minerQualities.length];
    return this.rng.logNormal(0, 0.6);
  }

  private viewRow(v: number, o: NetworkOptions): WeightsSubmission {
    const h = this.history;
    const seen = h[Math.max(0, h.length - 1 - this.lag[v])];
    return noisyQualityRow(seen, this.validators, o.weightNoise, this.rng);
  }

  /** The validators' first weights (what they had set before the run). */
  initialWeights(v: number, o: NetworkOptions): WeightsSubmission {
    return this.viewRow(v, o);
  }

  /** Quality drifts once per epoch; the view history keeps what lagging validators still see. */
  advanceEpoch(o: NetworkOptions): void {
    for (let j = this.validators; j < this.n; j++) {
      if (o.qualityDrift > 0) this.quality[j] *= Math.exp(o.qualityDrift * this.rng.normal());
    }
    this.history.push(Float64Array.from(this.quality));
    const keep = Math.max(0, ...this.lag) + 1;
    while (this.history.length > keep) this.history.shift();
  }

  /**
   * What validator `v` submits before an epoch, by its strategy (null: it leaves its weights as they are).
   * `consensus` is the subnet's stored consensus from the last epoch (copiers use it).
   */
  weightsOf(v: number, o: NetworkOptions, consensus: ArrayLike<number>): WeightsSubmission | null {
    if (this.gone[v]) return null;
    const s = this.strategy[v];
    if (s === 'honest') return this.viewRow(v, o);
    if (s === 'lazy') return this.epochs % o.lazyEvery === 0 ? this.viewRow(v, o) : null;
    if (s === 'copier') {
      let any = false;
      for (let j = 0; j < consensus.length; j++) if (consensus[j] > 0) any = true;
      return any ? copyConsensusRow(consensus) : this.viewRow(v, o);
    }
    if (s === 'cabal') return ownMinersRow(this.cabalMiners);
    return this.ownMiner[v] >= 0 ? ownMinersRow([this.ownMiner[v]]) : this.viewRow(v, o);
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

  /** A new miner took `uid` (registration replaced whoever held it). */
  newMiner(uid: number, o: NetworkOptions): void {
    if (uid < this.validators) this.gone[uid] = 1;
    this.owned[uid] = 0;
    this.quality[uid] = this.drawQuality(o, this.rng.int(1 << 30));
    for (const h of this.history) h[uid] = this.quality[uid];
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
