/**
 * `yuma-wasm/research`: the six epoch designs researchers compare with the yuma-simulation package
 * (bactensor/yuma-simulation at 2b976fd): Yuma 1 (`YumaRust`), Yuma 2 (`Yuma`), Yuma 2B, Yuma 2C, Yuma 3 and
 * Yuma 3 with liquid alpha, one epoch at a time or a whole case with the state chained, plus the simulator's
 * 22 scenario cases and its summary of total dividends.
 */
export { YumaError, isYumaError, type YumaErrorCode } from '../errors.js';
export {
  YUMA_VERSIONS,
  VERSION_INFO,
  PYTHON_KEYS,
  defaultConfig,
  resolveConfig,
  type YumaVersion,
  type YumaConfig,
  type LiquidAlphaConsensusMode,
} from './config.js';
export {
  yumaEpoch,
  yuma1Epoch,
  yuma2Epoch,
  yuma2bEpoch,
  yuma2cEpoch,
  yuma3Epoch,
  yuma3LiquidEpoch,
  type YumaEpochInput,
  type YumaEpochResult,
  type YumaOptions,
} from './epoch.js';
export { simulateCase, resetsBonds, type SimulateCaseInput, type ResetBonds } from './simulate.js';
export { YumaRun, type YumaRunShape, type YumaRunEpoch, type YumaPrecision } from './run.js';
export { MAX_CELLS, MAX_CASE_CELLS, MAX_EPOCHS, type Matrix, type Vector } from './input.js';
export {
  yumaSimCaseFromJson,
  runYumaSimCase,
  dividendPer1000Tao,
  summaryRows,
  validatorLetter,
  type YumaSimCase,
  type CaseRun,
  type CaseRunOptions,
  type SummaryRow,
} from './cases.js';
export { renderCasesHtml } from './chart.js';
