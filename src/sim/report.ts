import type { NetworkOptions, ShareMode, Strategy } from './config.js';
import type { SubnetDetail } from './detail.js';

/** Amounts of TAO or alpha in rao, as decimal strings so the report survives `JSON.stringify`. */
export type RaoString = string;

export interface SubnetSeries {
  /** TAO per alpha at each sample. */
  price: number[];
  /** The chain's EMA of the price (what `moving-price` shares follow). */
  movingPrice: number[];
  taoReserve: RaoString[];
  alphaReserve: RaoString[];
  /** Share of the block's TAO emission at the sample block. */
  emissionShare: number[];
  /** Cumulative alpha paid to miners / validators. */
  minersAlpha: RaoString[];
  validatorsAlpha: RaoString[];
}

export interface SubnetReport {
  netuid: number;
  uids: number;
  validators: number;
  tempo: number;
  epochs: number;
  strategies: Partial<Record<Strategy, number>>;
  series: SubnetSeries;
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

export interface StrategyYield {
  /** Validators following the strategy, summed over subnets. */
  validators: number;
  /** Dividends paid to them (alpha rao) and their value in TAO at each epoch's price. */
  dividendsAlpha: RaoString;
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
  /** The same, per day (× epochs a day), and with own miners' incentive added. */
  yieldPerDay: number;
  totalYieldPerDay: number;
}

export interface NetworkTotals {
  issuanceStart: RaoString;
  issuanceEnd: RaoString;
  /** TAO minted by block emission. */
  taoEmitted: RaoString;
  /** Emitted TAO that no subnet took (flooring dust, refused buys): taken back out of issuance. */
  recycled: RaoString;
  /** TAO injected into pools as liquidity. */
  taoInjected: RaoString;
  /** Emitted TAO the protocol spent buying alpha (when alpha injection is capped). */
  taoChainBuys: RaoString;
  /** Stakers' and others' flows into / out of pools (not emission). */
  taoStaked: RaoString;
  taoUnstaked: RaoString;
  taoMinerSales: RaoString;
  taoRegistrationBurns: RaoString;
  /** TAO in all pools at the start and the end: end − start = injected + chain buys + staked − unstaked − miner sales + burns. */
  taoInPoolsStart: RaoString;
  taoInPoolsEnd: RaoString;
}

export interface AlphaTotals {
  /** Alpha ever minted across subnets (genesis included) = in pools + held + pending + destroyed. */
  minted: RaoString;
  inPools: RaoString;
  staked: RaoString;
  pending: RaoString;
  owners: RaoString;
  protocol: RaoString;
  burned: RaoString;
  minerWallets: RaoString;
}

export interface NetworkReport {
  version: 1;
  config: Omit<NetworkOptions, 'issuanceStart'> & { issuanceStart: RaoString; shareMode: ShareMode };
  blocks: { start: number; end: number; count: number };
  epochs: number;
  sampleBlocks: number[];
  totals: NetworkTotals;
  alpha: AlphaTotals;
  strategies: Partial<Record<Strategy, StrategyYield>>;
  subnets: SubnetReport[];
  /** Who earns what on the subnets of `config.detailSubnets`: per validator and per miner, epoch by epoch. */
  detail: SubnetDetail[];
}
