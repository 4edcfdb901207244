export { Network, type RunOptions } from './network.js';
export {
  DEFAULT_ISSUANCE_START,
  DEFAULT_OPTIONS as DEFAULT_NETWORK_OPTIONS,
  MODELS,
  SHARE_MODES,
  STRATEGIES,
  resolveOptions as resolveNetworkOptions,
  estimateNetworkBytes,
  estimateDetailBytes,
  MAX_NETWORK_BYTES,
  MAX_REPORT_POINTS,
  type EpochEngine,
  type Model,
  type NetworkConfig,
  type NetworkOptions,
  type QualitySwap,
  type ShareMode,
  type Strategy,
  type ValidatorSpec,
} from './config.js';
export type { AlphaTotals, NetworkReport, NetworkTotals, RaoString, StrategyYield, SubnetReport, SubnetSeries } from './report.js';
export { scenarioFromJson, type Scenario } from './scenario.js';
export { SCENARIOS, scenario } from './scenarios.js';
export type { SubnetDetail, ValidatorDetail, MinerDetail, EpochObservation } from './detail.js';
export { renderChartHtml } from './chart.js';
