import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/**
 * Largest input file the CLI reads: 256 MiB, room for the largest epoch (4096 UIDs with dense weights and bonds
 * as JSON rows) and any scenario. Checked before reading a regular file, and while reading anything else (a
 * device like /dev/zero or a pipe), so no input can exhaust memory.
 */
export const MAX_INPUT_FILE_BYTES = 256 * 2 ** 20;

const CHUNK = 1 << 20;

/** A UTF-8 text file of at most `maxBytes`; a larger one throws an Error with code 'EFBIG' (fs errors pass through). */
export function readTextFile(path: string, maxBytes = MAX_INPUT_FILE_BYTES): string {
  const fd = openSync(path, 'r');
  try {
    const st = fstatSync(fd);
    if (st.isFile() && st.size > maxBytes) throw tooBig(maxBytes);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const buf = Buffer.allocUnsafe(Math.min(CHUNK, maxBytes + 1 - total));
      const got = readSync(fd, buf, 0, buf.length, null);
      if (got === 0) break;
      chunks.push(got === buf.length ? buf : buf.subarray(0, got));
      total += got;
      if (total > maxBytes) throw tooBig(maxBytes);
    }
    return Buffer.concat(chunks, total).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

function tooBig(maxBytes: number): Error {
  const e = new Error(`it is larger than the ${maxBytes / 2 ** 20} MiB limit of input files`) as NodeJS.ErrnoException;
  e.code = 'EFBIG';
  return e;
}
