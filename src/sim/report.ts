import type { Hyperparams } from '../epoch/types.js';
import type { NetworkOptions, ShareMode, Strategy } from './config.js';
import type { SubnetDetail } from './detail.js';
import type { RaoString } from '../units.js';

export type { RaoString };

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
  /** Cumulative alpha the epochs assigned to miners (incentive), alpha rao. */
  minersAlpha: RaoString[];
  /** Cumulative alpha the epochs assigned to validators (dividends), alpha rao. */
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
    /** Root dividends (alpha, after take) the subnet's epochs paid to root stakers. */
    rootAlpha: RaoString;
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

/**
 * The TAO books of a run (rao). They balance exactly:
 * - `issuanceEnd − issuanceStart = taoEmitted − recycled`;
 * - `taoEmitted = taoInjected + taoChainBuys + recycled` (every minted rao is injected, spent on a chain buy or recycled);
 * - `taoInPoolsEnd − taoInPoolsStart = taoInjected + (taoChainBuys − taoStranded) + (taoStaked − taoStakeFees)
 *    − (taoUnstaked + taoMinerSales + taoUnstakeFees) + (taoRegistrationBurns − taoRegistrationFees)`.
 */
export interface NetworkTotals {
  /** TAO issuance at the first block. */
  issuanceStart: RaoString;
  /** TAO issuance after the last block. */
  issuanceEnd: RaoString;
  /** TAO minted by block emission. */
  taoEmitted: RaoString;
  /** Minted TAO the coinbase left unspent (flooring dust, refused injections): taken back out of issuance. */
  recycled: RaoString;
  /** TAO injected into pools as liquidity. */
  taoInjected: RaoString;
  /** Emitted TAO the protocol spent buying alpha (when the alpha injection is capped). */
  taoChainBuys: RaoString;
  /** Of the chain buys, TAO a refused or partly filled swap left on the subnet accounts (outside the pools). */
  taoStranded: RaoString;
  /** TAO stakers paid into `add_stake` (fees included). */
  taoStaked: RaoString;
  /** TAO stakers received from `remove_stake` (after fees). */
  taoUnstaked: RaoString;
  /** TAO miners got for the alpha they sold. */
  taoMinerSales: RaoString;
  /** Swap fees to block authors on stakes (never in a pool). */
  taoStakeFees: RaoString;
  /** Swap fees to block authors on sales (the fee alpha, sold out of the pool). */
  taoUnstakeFees: RaoString;
  /** TAO paid for registrations (it buys alpha, which is destroyed). */
  taoRegistrationBurns: RaoString;
  /** Of the registration burns, the swap fee, which stays on the subnet account. */
  taoRegistrationFees: RaoString;
  /** TAO in the subnets' pools (netuid ≥ 1) at the first block. */
  taoInPoolsStart: RaoString;
  /** TAO in all pools at the end (see `taoInPoolsStart`). */
  taoInPoolsEnd: RaoString;
  /** TAO staked on the root subnet (constant: the simulator does not trade root stake). */
  taoOnRoot: RaoString;
}

/**
 * The alpha books of a run, all subnets together (rao). They balance exactly:
 * - `issuanceEnd − issuanceStart = injected + emitted − recycled − registrationBurned`;
 * - `issuanceEnd = inPools + staked + pending + protocol + rootClaimable + burned + undistributed`.
 */
export interface AlphaTotals {
  /** Alpha issuance (`SubnetAlphaIn + SubnetAlphaOut`) at the first block. */
  issuanceStart: RaoString;
  /** Alpha issuance after the last block. */
  issuanceEnd: RaoString;
  /** Minted into the pools with the TAO injection. */
  injected: RaoString;
  /** Minted for participants (`SubnetAlphaOut`): the per-block alpha emission. */
  emitted: RaoString;
  /** Taken out of issuance: root alpha without root sellers, owner-hotkey incentive when recycling. */
  recycled: RaoString;
  /** Bought by registration burns and destroyed. */
  registrationBurned: RaoString;
  /** Where the issuance is at the end — in the pools' reserves: */
  inPools: RaoString;
  /** Staked (every hotkey's stake on the subnets, owners' cuts and miners' wallets included). */
  staked: RaoString;
  /** Emitted but not yet paid (waiting for an epoch). */
  pending: RaoString;
  /** Bought by the protocol with excess TAO (`SubnetProtocolAlpha`). */
  protocol: RaoString;
  /** Root stakers' dividends after take, accrued as root claimable (nobody claims in the simulator). */
  rootClaimable: RaoString;
  /** Burned without leaving `SubnetAlphaOut`: owner-hotkey incentive, fees without a block author. */
  burned: RaoString;
  /**
   * Minted into `SubnetAlphaOut` but credited to nobody: the flooring of each pending pot and payout, and — the
   * chain's rule — the part of the server pot the epoch does not pay: incentives are the epoch's share of all the
   * drained pots (server + validator + root), so while root alpha is recycled they come to less than the server pot.
   */
  undistributed: RaoString;
}

/** What `Network.run` returns: JSON-safe (amounts as decimal strings), the whole run summarised. */
export interface NetworkReport {
  /** Report format version: 2, the run is the block model's (`Chain`), its books with burns, root and flooring. */
  version: 2;
  /** The options the run used, JSON-safe: rao amounts (`issuanceStart`, `hyper.stakeThreshold`) as decimal strings; the share rule resolved. */
  config: Omit<NetworkOptions, 'issuanceStart' | 'shareMode' | 'hyper'> & {
    issuanceStart: RaoString;
    shareMode: ShareMode;
    hyper: Omit<Partial<Hyperparams>, 'stakeThreshold'> & { stakeThreshold?: RaoString };
  };
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
