import { YumaError } from '../errors.js';
import { guard, readItem, readLength, readList, readOptions } from '../validation/read.js';
import { MAX_BATCH, MAX_BATCH_CELLS } from './limits.js';
import { prepareItemResolved, type PreparedItem } from './mechanisms.js';
import { checkPrepared, resolveEpochOptions, resolveHyper, type PreparedEpoch } from './prepare.js';
import type { EpochOptions, Hyperparams } from './types.js';

function withItem(e: unknown, where: string): unknown {
  if (!YumaError.isGenuine(e)) return e;
  return new YumaError(e.code, `${where}: ${e.detail}`);
}

function countCells(total: number, n: number): number {
  const cells = total + n * n;
  if (cells > MAX_BATCH_CELLS) {
    throw new YumaError('E_LIMIT', `a call holds at most ${MAX_BATCH_CELLS} matrix cells (Σ n² over its subnets); this one needs more`);
  }
  return cells;
}

/**
 * Validates a whole batch before anything runs, so a bad item leaves nothing half-done; errors name the item.
 * The batch and its items are read once; holes, unknown keys and oversized batches are refused.
 * `borrowDense` as in `prepareEpoch`.
 */
export function prepareBatch(batch: unknown, opts?: EpochOptions | null, borrowDense = false): PreparedItem[] {
  const { mode, path } = resolveEpochOptions(opts);
  return guard('batch', () => {
    if (!Array.isArray(batch)) throw new YumaError('E_ARG', 'epochs() takes an array of { input, hyper? }');
    const len = readLength(batch, 'batch', MAX_BATCH);
    const out = new Array<PreparedItem>(len);
    let cells = 0;
    for (let i = 0; i < len; i++) {
      const where = `batch[${i}]`;
      try {
        const item = readOptions(readItem(batch, i, 'batch'), where, ['input', 'hyper'], true);
        const admit = (n: number) => void (cells = countCells(cells, n));
        out[i] = prepareItemResolved(item.input, { h: resolveHyper(item.hyper as Partial<Hyperparams> | undefined), mode, path, borrowDense, admit });
      } catch (e) {
        throw withItem(e, where);
      }
    }
    return out;
  });
}

/** The argument of `runPrepared`: an array of prepared epochs, each checked by `checkPrepared`, within the batch limits. */
export function checkPreparedList(value: unknown): PreparedEpoch[] {
  const list = readList(value, 'prepared', MAX_BATCH);
  let cells = 0;
  return list.map((p, i) => {
    const q = checkPrepared(p, `prepared[${i}]`);
    cells = countCells(cells, q.n);
    return q;
  });
}
