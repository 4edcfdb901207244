import type { EpochOutput } from '../epoch/types.js';
import type { Strategy } from './config.js';
import type { RaoString } from '../units.js';

/**
 * Who earns what: per validator and per UID series of one subnet, epoch by epoch. Fed through one narrow hook
 * (`record`, called after each epoch with what the epoch saw and returned), so it does not depend on how the
 * simulator models blocks.
 */

/** What one epoch of a detailed subnet hands to the recorder. */
export interface EpochObservation {
  /** The subnet. */
  netuid: number;
  /** The block of the epoch. */
  block: number;
  /** UIDs 0 … validators−1 are the subnet's validators. */
  validators: number;
  /** Each validator's strategy, by UID. */
  strategy: readonly Strategy[];
  /** Validator names from the roster, where given. */
  names?: readonly (string | undefined)[];
  /** Stake per UID (alpha rao) as the epoch saw it. */
  stake: ArrayLike<bigint>;
  /** What the epoch returned. */
  output: EpochOutput;
  /** Each validator's bond row after the epoch, dense u16 (UIDs 0 … validators−1); read from `output.bonds` when absent. */
  validatorBonds?: readonly Uint16Array[];
}

/** One validator over the run. */
export interface ValidatorDetail {
  /** Its UID. */
  uid: number;
  /** The roster's name, else `strategy uid`. */
  name: string;
  /** How it sets weights. */
  strategy: Strategy;
  /** Per epoch (one entry per `epochBlocks` entry). */
  series: {
    /** Dividends paid at the epoch, alpha rao. */
    dividends: RaoString[];
    /** The chain's stored dividend share, u16. */
    dividendShare: number[];
    /** Stake the epoch saw, alpha rao. */
    stake: RaoString[];
    /** The validator's bonds after the epoch to each detailed miner (u16), in `SubnetDetail.miners` order. */
    bonds: number[][];
  };
  /** Over the whole run. */
  totals: {
    /** Dividends paid, alpha rao. */
    dividends: RaoString;
    /** Fraction of all validator dividends on the subnet over the run. */
    dividendShare: number;
    /** Mean fraction of the subnet's stake the validator held. */
    stakeShare: number;
    /** dividendShare / stakeShare (1 = paid in proportion to stake). */
    vsStake: number;
  };
}

/** One miner UID over the run. */
export interface MinerDetail {
  /** Its UID. */
  uid: number;
  /** Per epoch (one entry per `SubnetDetail.epochBlocks` entry). */
  series: {
    /** The chain's stored incentive, u16, per epoch. */
    incentive: number[];
    /** Incentive paid, alpha rao, per epoch. */
    emission: RaoString[];
  };
  /** Over the run: incentive paid (alpha rao) and its fraction of all incentive on the subnet. */
  totals: { emission: RaoString; incentiveShare: number };
}

/** Per validator and per miner series of one subnet. */
export interface SubnetDetail {
  /** The subnet. */
  netuid: number;
  /** The block of each epoch recorded; every series has one entry per block here. */
  epochBlocks: number[];
  /** Every validator, by UID. */
  validators: ValidatorDetail[];
  /** The miners that earned most over the run (at most `maxMiners`), by UID. */
  miners: MinerDetail[];
}

interface Track {
  netuid: number;
  blocks: number[];
  validators: number;
  strategy: Strategy[];
  names: (string | undefined)[];
  dividends: bigint[][];
  dividendShare: number[][];
  stake: bigint[][];
  stakeFrac: number[][];
  /** bonds[v][epoch] = the validator's whole bond row (u16 per UID), trimmed to the chosen miners at the end. */
  bonds: Uint16Array[][];
  incentive: Uint16Array[];
  emission: bigint[][];
}

/** Collects `SubnetDetail`s for the subnets asked for. */
export class DetailRecorder {
  private readonly tracks = new Map<number, Track>();
  constructor(
    private readonly netuids: ReadonlySet<number>,
    private readonly maxMiners = 8,
  ) {}

  wants(netuid: number): boolean {
    return this.netuids.has(netuid);
  }

  record(e: EpochObservation): void {
    if (!this.netuids.has(e.netuid)) return;
    const n = e.output.incentive.length;
    let t = this.tracks.get(e.netuid);
    if (!t) {
      const V = e.validators;
      t = {
        netuid: e.netuid,
        blocks: [],
        validators: V,
        strategy: e.strategy.slice(0, V),
        names: Array.from({ length: V }, (_, v) => e.names?.[v]),
        dividends: Array.from({ length: V }, () => []),
        dividendShare: Array.from({ length: V }, () => []),
        stake: Array.from({ length: V }, () => []),
        stakeFrac: Array.from({ length: V }, () => []),
        bonds: Array.from({ length: V }, () => []),
        incentive: [],
        emission: Array.from({ length: n }, () => []),
      };
      this.tracks.set(e.netuid, t);
    }
    t.blocks.push(e.block);
    let total = 0n;
    for (let i = 0; i < n; i++) total += e.stake[i];
    const rows = e.validatorBonds ?? bondRows(e.output, n, t.validators);
    for (let v = 0; v < t.validators; v++) {
      t.dividends[v].push(e.output.validatorEmission[v]);
      t.dividendShare[v].push(e.output.dividends[v]);
      t.stake[v].push(e.stake[v]);
      t.stakeFrac[v].push(total > 0n ? Number(e.stake[v]) / Number(total) : 0);
      t.bonds[v].push(rows[v]);
    }
    t.incentive.push(Uint16Array.from(e.output.incentive));
    for (let j = 0; j < n && j < t.emission.length; j++) t.emission[j].push(e.output.serverEmission[j]);
  }

  /** The collected details, subnets in netuid order. */
  finish(): SubnetDetail[] {
    return [...this.tracks.values()].sort((a, b) => a.netuid - b.netuid).map((t) => this.detail(t));
  }

  private detail(t: Track): SubnetDetail {
    const sum = (xs: bigint[]) => xs.reduce((a, b) => a + b, 0n);
    const minerTotals = t.emission.map((xs, uid) => ({ uid, total: sum(xs) })).filter((m) => m.uid >= t.validators);
    const allMiners = minerTotals.reduce((a, m) => a + m.total, 0n);
    const chosen = minerTotals
      .filter((m) => m.total > 0n || t.incentive.some((inc) => inc[m.uid] > 0))
      .sort((a, b) => (b.total > a.total ? 1 : b.total < a.total ? -1 : a.uid - b.uid))
      .slice(0, this.maxMiners)
      .sort((a, b) => a.uid - b.uid);
    const allDividends = t.dividends.reduce((a, xs) => a + sum(xs), 0n);
    const validators = t.strategy.map((strategy, v): ValidatorDetail => {
      const dividends = sum(t.dividends[v]);
      const dividendShare = allDividends > 0n ? Number(dividends) / Number(allDividends) : 0;
      const fr = t.stakeFrac[v];
      const stakeShare = fr.length > 0 ? fr.reduce((a, b) => a + b, 0) / fr.length : 0;
      return {
        uid: v,
        name: t.names[v] ?? `${strategy} ${v}`,
        strategy,
        series: {
          dividends: t.dividends[v].map(String),
          dividendShare: t.dividendShare[v].slice(),
          stake: t.stake[v].map(String),
          bonds: t.bonds[v].map((row) => chosen.map((m) => row[m.uid])),
        },
        totals: { dividends: dividends.toString(), dividendShare, stakeShare, vsStake: stakeShare > 0 ? dividendShare / stakeShare : 0 },
      };
    });
    const miners = chosen.map(
      (m): MinerDetail => ({
        uid: m.uid,
        series: { incentive: t.incentive.map((inc) => inc[m.uid]), emission: t.emission[m.uid].map(String) },
        totals: { emission: m.total.toString(), incentiveShare: allMiners > 0n ? Number(m.total) / Number(allMiners) : 0 },
      }),
    );
    return { netuid: t.netuid, epochBlocks: t.blocks.slice(), validators, miners };
  }
}

/** The first `count` UIDs' bond rows after the epoch as dense u16 rows. */
function bondRows(out: EpochOutput, n: number, count: number): Uint16Array[] {
  const rows = Array.from({ length: Math.min(count, n) }, () => new Uint16Array(n));
  const b = out.bonds;
  if (b instanceof Uint16Array) {
    for (let i = 0; i < rows.length; i++) rows[i].set(b.subarray(i * n, (i + 1) * n));
  } else {
    for (let i = 0; i < rows.length; i++) for (const [j, v] of b[i]) rows[i][j] = v;
  }
  return rows;
}
