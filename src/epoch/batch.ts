import { YumaError } from '../errors.js';
import { MAX_BATCH } from './limits.js';
import { prepareEpoch, type PreparedEpoch } from './prepare.js';
import type { BatchItem, EpochOptions } from './types.js';

/**
 * Validates a whole batch before anything runs, so a bad item leaves nothing half-done; errors name the item.
 * `borrowDense` as in `prepareEpoch`.
 */
export function prepareBatch(batch: BatchItem[], opts?: EpochOptions, borrowDense = false): PreparedEpoch[] {
  if (!Array.isArray(batch)) throw new YumaError('E_ARG', 'epochs() takes an array of { input, hyper? }');
  if (batch.length > MAX_BATCH) throw new YumaError('E_LIMIT', `a batch holds at most ${MAX_BATCH} subnets (got ${batch.length})`);
  return batch.map((item, i) => {
    if (item == null || typeof item !== 'object') throw new YumaError('E_ARG', `batch[${i}] must be { input, hyper? }`);
    try {
      return prepareEpoch(item.input, item.hyper, opts, borrowDense);
    } catch (e) {
      if (e instanceof YumaError) throw new YumaError(e.code, `batch[${i}]: ${e.message.replace(/^E_[A-Z]+: /, '')}`);
      throw e;
    }
  });
}
