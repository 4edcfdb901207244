import type { NetworkOptions, ShareMode, Strategy } from './config.js';
import type { SubnetDetail } from './detail.js';

/** Amounts of TAO or alpha in rao, as decimal strings so the report survives `JSON.stringify`. */
export type RaoString = string;

/** One subnet's values at each of the report's `sampleBlocks`. */
export interface SubnetSeries {
  /** TAO per alpha at each sample. */
  price: number[];
  /** The chain's EMA of the price (what `moving-price` shares follow). */
  movingPrice: number[];
  /** TAO in the pool, rao. */
  taoReserve: RaoString[];
  /** Alpha in the pool, alpha rao. */
  alphaReserve: RaoString[];
  /** Share of the block's TAO emission at the sample block. */
  emissionShare: number[];
  /** Cumulative alpha paid to miners, alpha rao. */
  minersAlpha: RaoString[];
  /** Cumulative alpha paid to validators (dividends), alpha rao. */
  validatorsAlpha: RaoString[];
}

/** One subnet of a simulation report. */
export interface SubnetReport {
  /** Its netuid (1 …). */
  netuid: number;
  /** Its UID slots. */
  uids: number;
  /** Its validators. */
  validators: number;
  /** Its tempo (blocks between epochs, minus one). */
  tempo: number;
  /** Epochs it ran. */
  epochs: number;
  /** How many of its validators follow each strategy. */
  strategies: Partial<Record<Strategy, number>>;
  /** Its values over time. */
  series: SubnetSeries;
  /** Its values at the last block (amounts in rao / alpha rao as decimal strings). */
  final: {
    price: number;
    taoReserve: RaoString;
    alphaReserve: RaoString;
    emissionShare: number;
    taoInjected: RaoString;
    minersAlpha: RaoString;
    validatorsAlpha: RaoString;
    ownerAlpha: RaoString;
    alphaIssuance: RaoString;
  };
}

/** What the validators following one strategy earned over the run. */
export interface StrategyYield {
  /** Validators following the strategy, summed over subnets. */
  validators: number;
  /** Dividends paid to them, alpha rao. */
  dividendsAlpha: RaoString;
  /** The same dividends valued in TAO at each epoch's price. */
  dividendsTao: number;
  /** Incentive of the miners they own (cabal, self-dealers), alpha rao. */
  ownMinersAlpha: RaoString;
  /**
   * Dividends over what the same stake would have earned at its subnet's average rate in each epoch
   * (1 = a fair share; below 1 = the strategy loses to the others on its subnets). Unlike the yields this does
   * not depend on which subnets the strategy happens to sit on.
   */
  relativeYield: number;
  /** Σ dividends / Σ stake over their epochs: alpha earned per alpha staked per epoch. */
  yieldPerEpoch: number;
  /** The same, per day (× epochs a day). */
  yieldPerDay: number;
  /** `yieldPerDay` with their own miners' incentive added. */
  totalYieldPerDay: number;
}

/** TAO flows of the whole run, rao as decimal strings; `issuanceEnd − issuanceStart = taoEmitted − recycled` exactly. */
export interface NetworkTotals {
  /** TAO issuance at the first block. */
  issuanceStart: RaoString;
  /** TAO issuance after the last block. */
  issuanceEnd: RaoString;
  /** TAO minted by block emission. */
  taoEmitted: RaoString;
  /** Emitted TAO that no subnet took (flooring dust, refused buys): taken back out of issuance. */
  recycled: RaoString;
  /** TAO injected into pools as liquidity. */
  taoInjected: RaoString;
  /** Emitted TAO the protocol spent buying alpha (when alpha injection is capped). */
  taoChainBuys: RaoString;
  /** TAO stakers put into pools (not emission). */
  taoStaked: RaoString;
  /** TAO stakers took out of pools. */
  taoUnstaked: RaoString;
  /** TAO miners got for the alpha they sold. */
  taoMinerSales: RaoString;
  /** TAO paid as registration burns (it buys alpha, which is destroyed). */
  taoRegistrationBurns: RaoString;
  /** TAO in all pools at the start and the end: end − start = injected + chain buys + staked − unstaked − miner sales + burns. */
  taoInPoolsStart: RaoString;
  /** TAO in all pools at the end (see `taoInPoolsStart`). */
  taoInPoolsEnd: RaoString;
}

/** Where all alpha is at the end of the run, alpha rao as decimal strings, summed over subnets. */
export interface AlphaTotals {
  /** Alpha ever minted across subnets (genesis included) = in pools + held + pending + destroyed. */
  minted: RaoString;
  /** In the pools' reserves. */
  inPools: RaoString;
  /** Staked on the subnets' UIDs. */
  staked: RaoString;
  /** Emitted but not yet paid (waiting for an epoch). */
  pending: RaoString;
  /** Held by subnet owners (their cut). */
  owners: RaoString;
  /** Bought by the protocol with excess TAO (`SubnetProtocolAlpha`). */
  protocol: RaoString;
  /** Bought by registration burns and destroyed. */
  burned: RaoString;
  /** Miners' alpha off the subnets' UIDs: unsold stake of pruned miners, sales the pool refused. */
  minerWallets: RaoString;
}

/** What `Network.run` returns: JSON-safe (amounts as decimal strings), the whole run summarised. */
export interface NetworkReport {
  /** Report format version. */
  version: 1;
  /** The options the run used (issuance as a decimal string). */
  config: Omit<NetworkOptions, 'issuanceStart'> & { issuanceStart: RaoString; shareMode: ShareMode };
  /** First and last block simulated, and how many. */
  blocks: { start: number; end: number; count: number };
  /** Epochs run, over all subnets. */
  epochs: number;
  /** The blocks the subnets' series were sampled at. */
  sampleBlocks: number[];
  /** TAO flows. */
  totals: NetworkTotals;
  /** Where the alpha is. */
  alpha: AlphaTotals;
  /** Validator yield by strategy. */
  strategies: Partial<Record<Strategy, StrategyYield>>;
  /** Every subnet, by netuid. */
  subnets: SubnetReport[];
  /** Who earns what on the subnets of `config.detailSubnets`: per validator and per miner, epoch by epoch. */
  detail: SubnetDetail[];
}
