import { YumaError } from '../errors.js';
import type { BatchItem, EpochOutput } from '../epoch/types.js';
import { BLOCKS_PER_DAY, type EpochEngine, type NetworkConfig, type NetworkOptions, STRATEGIES, type Strategy, resolveOptions } from './config.js';
import { MovingPriceTracker, blockEmission, emissionShares } from './dtao-port.js';
import type { AlphaTotals, NetworkReport, NetworkTotals, StrategyYield, SubnetReport } from './report.js';
import { Rng } from './rng.js';
import { SubnetState } from './subnet-state.js';
import { DetailRecorder } from './detail.js';

/** First simulated block: late enough that nobody is immune and the epoch schedule is in its steady state. */
const START_BLOCK = 100_000;

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

/**
 * N subnets block by block: the halving block emission is shared across subnets, injected into their pools,
 * alpha emission accumulates as pending and is paid by Yuma at each subnet's epoch (all subnets due in a block go
 * through one `engine.epochs` call), stakers trade, miners sell and register. Deterministic for a seed.
 */
export class Network {
  /** The options the network runs on, defaults filled in. */
  readonly options: NetworkOptions;
  private readonly engine: EpochEngine;
  private readonly subnets: SubnetState[];
  private readonly rng: Rng;
  private block = START_BLOCK;
  private issuance: bigint;
  private readonly t = {
    emitted: 0n,
    recycled: 0n,
    injected: 0n,
    chainBuys: 0n,
    staked: 0n,
    unstaked: 0n,
    minerSales: 0n,
    burns: 0n,
  };
  private readonly ledgers = new Map<Strategy, StrategyLedger>();
  private poolTaoStart = 0n;
  private readonly movingPrices = new MovingPriceTracker();
  private epochCount = 0;
  private ran = false;
  private readonly detail: DetailRecorder;

  constructor(config: NetworkConfig) {
    if (config == null || typeof config !== 'object') throw new YumaError('E_ARG', 'Network takes a config object');
    const engine = config.engine;
    if (engine == null || typeof (engine as { epochs?: unknown }).epochs !== 'function') {
      throw new YumaError('E_ARG', 'Network needs an engine with an epochs() method (createEngine())');
    }
    this.options = resolveOptions(config);
    this.engine = engine;
    this.rng = new Rng(this.options.seed);
    this.detail = new DetailRecorder(new Set(this.options.detailSubnets));
    this.issuance = this.options.issuanceStart;
    this.subnets = [];
    for (let netuid = 1; netuid <= this.options.subnets; netuid++) {
      const s = new SubnetState(this.options, netuid, this.rng.fork(netuid), START_BLOCK);
      this.poolTaoStart += s.pool.reserves().tao;
      this.movingPrices.add(START_BLOCK - s.age, s.movingPrice);
      this.subnets.push(s);
    }
    for (const s of this.subnets) {
      for (const st of s.strategy) {
        const l = this.ledger(st);
        l.validators++;
      }
    }
  }

  private ledger(s: Strategy): StrategyLedger {
    let l = this.ledgers.get(s);
    if (!l) this.ledgers.set(s, (l = { validators: 0, dividends: 0n, dividendsTao: 0, ownMiners: 0n, stakeEpochs: 0n, fairShare: 0 }));
    return l;
  }

  /** Runs `blocks` blocks and returns the report. A Network runs once (its state is the run). */
  run(opts: RunOptions): NetworkReport {
    if (opts == null || typeof opts !== 'object') throw new YumaError('E_ARG', 'run() takes { blocks }');
    const total = opts.blocks;
    if (typeof total !== 'number' || !Number.isInteger(total) || total < 1 || total > 10_000_000) {
      throw new YumaError('E_RANGE', `blocks must be an integer in [1, 10000000] (got ${String(total)})`);
    }
    if (opts.onProgress !== undefined && typeof opts.onProgress !== 'function') throw new YumaError('E_ARG', 'onProgress must be a function');
    if (opts.onEpoch !== undefined && typeof opts.onEpoch !== 'function') throw new YumaError('E_ARG', 'onEpoch must be a function');
    if (this.ran) throw new YumaError('E_STATE', 'this Network has already run; create a new one');
    this.ran = true;

    const o = this.options;
    const every = o.sampleEvery > 0 ? o.sampleEvery : Math.max(1, Math.ceil(total / 240));
    const report = this.emptyReport(total);
    const progressStep = Math.max(1, Math.floor(total / 100));
    const swaps = [...o.qualitySwaps];

    for (let k = 0; k < total; k++) {
      const block = this.block;
      for (const q of swaps) {
        if (q.block === k) for (const s of this.subnets) if (!q.subnets || q.subnets.includes(s.netuid)) s.swapQuality();
      }
      const shares = this.coinbase();
      this.runDueEpochs(block, opts.onEpoch);
      for (const s of this.subnets) s.afterBlock();
      // The chain updates moving prices after the coinbase, so shares use the previous block's EMA.
      this.movingPrices.update(block, this.subnets.map((s) => s.pool.price()));
      const ema = this.movingPrices.prices();
      this.subnets.forEach((s, i) => (s.movingPrice = ema[i]));
      this.trade();
      this.registrations(block);
      if (k % every === 0 || k === total - 1) this.sample(report, block, shares);
      this.block++;
      if (opts.onProgress && ((k + 1) % progressStep === 0 || k === total - 1)) opts.onProgress(k + 1, total);
    }
    return this.finish(report);
  }

  /** Block emission, shares, injection and pending alpha. Returns the shares used. */
  private coinbase(): number[] {
    const o = this.options;
    const emission = blockEmission(this.issuance);
    this.t.emitted += emission;
    const shares = this.shares();
    const e = Number(emission);
    let spent = 0n;
    let unspent = 0n;
    for (let i = 0; i < this.subnets.length; i++) {
      const s = this.subnets[i];
      let taoShare = BigInt(Math.floor(e * shares[i]));
      // Float shares can sum a hair above 1; never hand out more than was minted.
      if (spent + taoShare > emission) taoShare = emission - spent;
      spent += taoShare;
      s.lastShare = shares[i];
      const r = s.emit(taoShare, o.ownerCut);
      this.t.injected += r.injected;
      this.t.chainBuys += r.chainBuy;
      unspent += r.unspent;
    }
    // Flooring dust and refused buys are recycled: taken back out of issuance, like the chain's unspent credit.
    const recycled = emission - spent + unspent;
    this.t.recycled += recycled;
    this.issuance += emission - recycled;
    return shares;
  }

  private shares(): number[] {
    const o = this.options;
    if (o.shareMode === 'moving-price') return this.movingPrices.shares();
    const prices = this.subnets.map((s) => s.pool.price());
    return emissionShares(prices, { mode: o.shareMode, temperature: o.temperature });
  }

  private runDueEpochs(block: number, onEpoch: RunOptions['onEpoch']): void {
    const due = this.subnets.filter((s) => s.isEpochDue(block));
    if (due.length === 0) return;
    const batch: BatchItem[] = due.map((s) => s.prepareEpoch(block, this.options));
    const outputs = this.engine.epochs(batch, { mode: this.options.mode, path: this.options.path });
    due.forEach((s, i) => {
      const price = s.pool.price();
      if (this.detail.wants(s.netuid)) {
        const names = this.options.validators?.map((v) => v.name);
        this.detail.record({ netuid: s.netuid, block, validators: s.validators, strategy: s.strategy, names, stake: s.stake, output: outputs[i] });
      }
      const pay = s.applyEpoch(block, outputs[i], this.options.minerSellFraction);
      this.epochCount++;
      onEpoch?.(s.netuid, block, outputs[i]);
      let stakeSum = 0;
      let divSum = 0;
      for (const v of pay.perValidator) {
        stakeSum += Number(v.stake);
        divSum += Number(v.dividend);
      }
      for (const v of pay.perValidator) {
        if (stakeSum > 0) this.ledger(v.strategy).fairShare += (Number(v.stake) / stakeSum) * divSum;
        const l = this.ledger(v.strategy);
        l.dividends += v.dividend;
        l.dividendsTao += (Number(v.dividend) * price) / 1e9;
        l.ownMiners += v.ownMinersIncentive;
        l.stakeEpochs += v.stake;
      }
      if (pay.minersSell > 0n) {
        try {
          const { taoOut } = s.pool.unstake(pay.minersSell);
          this.t.minerSales += taoOut;
        } catch (e) {
          if (!(e instanceof YumaError)) throw e;
          s.minerWallets += pay.minersSell;
        }
      }
    });
  }

  /** Stakers: buys lean towards subnets with appeal, sells towards those without; nominations follow stake. */
  private trade(): void {
    const o = this.options;
    if (o.tradesPerBlock <= 0 || o.meanTradeTao <= 0) return;
    const count = this.rng.poisson(o.tradesPerBlock);
    for (let k = 0; k < count; k++) {
      const s = this.subnets[this.rng.int(this.subnets.length)];
      const tao = BigInt(Math.floor(this.rng.logNormal(Math.log(o.meanTradeTao) - 0.5, 1) * 1e9));
      const v = s.pickByStake();
      if (v < 0 || tao <= 0n) continue;
      const buy = this.rng.next() < 0.5 + 0.25 * s.appeal;
      try {
        if (buy) {
          const { alphaOut } = s.pool.stake(tao);
          s.stake[v] += alphaOut;
          this.t.staked += tao;
        } else {
          const want = BigInt(Math.floor(Number(tao) / s.pool.price()));
          const alpha = want < s.stake[v] / 2n ? want : s.stake[v] / 2n;
          if (alpha <= 0n) continue;
          const { taoOut } = s.pool.unstake(alpha);
          s.stake[v] -= alpha;
          this.t.unstaked += taoOut;
        }
      } catch (e) {
        // A trade the pool refuses (too small, would drain a reserve) simply does not happen.
        if (!(e instanceof YumaError)) throw e;
      }
    }
  }

  private registrations(block: number): void {
    const p = this.options.registrationsPerDay / BLOCKS_PER_DAY;
    if (p <= 0) return;
    for (const s of this.subnets) {
      if (s.rng.next() < p) this.t.burns += s.register(block, this.options);
    }
  }

  private emptyReport(total: number): NetworkReport {
    const o = this.options;
    const { issuanceStart, ...rest } = o;
    return {
      version: 1,
      config: { ...rest, issuanceStart: issuanceStart.toString() },
      blocks: { start: this.block, end: this.block + total - 1, count: total },
      epochs: 0,
      sampleBlocks: [],
      totals: {} as NetworkTotals,
      alpha: {} as AlphaTotals,
      strategies: {},
      detail: [],
      subnets: this.subnets.map((s): SubnetReport => {
        const strategies: Partial<Record<Strategy, number>> = {};
        for (const st of s.strategy) strategies[st] = (strategies[st] ?? 0) + 1;
        return {
          netuid: s.netuid,
          uids: s.n,
          validators: s.validators,
          tempo: s.tempo,
          epochs: 0,
          strategies,
          series: { price: [], movingPrice: [], taoReserve: [], alphaReserve: [], emissionShare: [], minersAlpha: [], validatorsAlpha: [] },
          final: {} as SubnetReport['final'],
        };
      }),
    };
  }

  private sample(report: NetworkReport, block: number, shares: number[]): void {
    report.sampleBlocks.push(block);
    this.subnets.forEach((s, i) => {
      const r = s.pool.reserves();
      const x = report.subnets[i].series;
      x.price.push(s.pool.price());
      x.movingPrice.push(s.movingPrice);
      x.taoReserve.push(r.tao.toString());
      x.alphaReserve.push(r.alpha.toString());
      x.emissionShare.push(shares[i]);
      x.minersAlpha.push(s.minersAlpha.toString());
      x.validatorsAlpha.push(s.validatorsAlpha.toString());
    });
  }

  private finish(report: NetworkReport): NetworkReport {
    const t = this.t;
    report.epochs = this.epochCount;
    report.detail = this.detail.finish();
    report.totals = {
      issuanceStart: this.options.issuanceStart.toString(),
      issuanceEnd: this.issuance.toString(),
      taoEmitted: t.emitted.toString(),
      recycled: t.recycled.toString(),
      taoInjected: t.injected.toString(),
      taoChainBuys: t.chainBuys.toString(),
      taoStaked: t.staked.toString(),
      taoUnstaked: t.unstaked.toString(),
      taoMinerSales: t.minerSales.toString(),
      taoRegistrationBurns: t.burns.toString(),
      taoInPoolsStart: this.poolTaoStart.toString(),
      taoInPoolsEnd: this.subnets.reduce((acc, s) => acc + s.pool.reserves().tao, 0n).toString(),
    };
    const a = { inPools: 0n, staked: 0n, pending: 0n, owners: 0n, protocol: 0n, burned: 0n, minerWallets: 0n, minted: 0n };
    for (const s of this.subnets) {
      a.inPools += s.pool.reserves().alpha;
      for (let i = 0; i < s.n; i++) a.staked += s.stake[i];
      a.pending += s.pendingEmission + s.pendingOwner;
      a.owners += s.ownerAlpha;
      a.protocol += s.protocolAlpha;
      a.burned += s.burnedAlpha;
      a.minerWallets += s.minerWallets;
      a.minted += s.alphaIssuance;
    }
    report.alpha = Object.fromEntries(Object.entries(a).map(([k, v]) => [k, v.toString()])) as unknown as AlphaTotals;

    const epochsPerDay = BLOCKS_PER_DAY / (this.options.tempo + 1);
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
    this.subnets.forEach((s, i) => {
      const r = s.pool.reserves();
      const sr = report.subnets[i];
      sr.epochs = s.epochs;
      sr.final = {
        price: s.pool.price(),
        taoReserve: r.tao.toString(),
        alphaReserve: r.alpha.toString(),
        emissionShare: s.lastShare,
        taoInjected: s.taoInjected.toString(),
        minersAlpha: s.minersAlpha.toString(),
        validatorsAlpha: s.validatorsAlpha.toString(),
        ownerAlpha: s.ownerAlpha.toString(),
        alphaIssuance: s.alphaIssuance.toString(),
      };
    });
    return report;
  }
}
