import { accessSync, closeSync, constants, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/**
 * Largest input file the CLI reads: 256 MiB, room for the largest epoch (4096 UIDs with dense weights and bonds
 * as JSON rows) and any scenario. Checked before reading a regular file, and while reading anything else (a
 * device like /dev/zero or a pipe), so no input can exhaust memory.
 */
export const MAX_INPUT_FILE_BYTES = 256 * 2 ** 20;

const CHUNK = 1 << 20;

/**
 * A UTF-8 text file of at most `maxBytes`; a larger one throws an Error with code 'EFBIG', one that is not UTF-8
 * code 'EILSEQ' (fs errors pass through).
 */
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
    return utf8(Buffer.concat(chunks, total));
  } finally {
    closeSync(fd);
  }
}

function tooBig(maxBytes: number): Error {
  const e = new Error(`it is larger than the ${maxBytes / 2 ** 20} MiB limit of input files`) as NodeJS.ErrnoException;
  e.code = 'EFBIG';
  return e;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * The bytes as text, refused when they are not UTF-8: a lossy decode would put U+FFFD in place of a byte and read
 * on (a name or a key changed without a word).
 */
function utf8(bytes: Buffer): string {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    // Everything before the first U+FFFD that the file does not spell as EF BF BD is valid, so its byte length is
    // the offset of the first bad byte.
    const lossy = bytes.toString('utf8');
    let at = 0;
    for (let i = lossy.indexOf('\ufffd'); i >= 0; i = lossy.indexOf('\ufffd', i + 1)) {
      at = Buffer.byteLength(lossy.slice(0, i));
      if (!(bytes[at] === 0xef && bytes[at + 1] === 0xbf && bytes[at + 2] === 0xbd)) break;
    }
    const e = new Error(`it is not UTF-8 (byte ${at})`) as NodeJS.ErrnoException;
    e.code = 'EILSEQ';
    throw e;
  }
}

/**
 * Why an output file cannot be written at `path` (a directory there, no such directory, no permission), or null
 * when it can. Checked before a command runs, so a long run does not end on a path it could never write.
 */
export function outputProblem(path: string): string | null {
  try {
    if (statSync(path).isDirectory()) return 'it is a directory';
    // a file already there is replaced: it must be writable itself (the directory's permission does not say so)
    try {
      accessSync(path, constants.W_OK);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      return code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'EROFS' ? 'read-only file system' : (e as Error).message;
    }
    return null;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOTDIR') return fileInTheWay(path);
    if (code !== 'ENOENT') return (e as Error).message;
  }
  const dir = dirname(resolve(path));
  try {
    if (!statSync(dir).isDirectory()) return fileInTheWay(path);
    accessSync(dir, constants.W_OK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? noDirectory(path) : code === 'ENOTDIR' ? fileInTheWay(path) : code === 'EACCES' ? 'permission denied' : (e as Error).message;
  }
  return null;
}

/** The directory an output file needs, named as the caller wrote it, and what to do: nothing is created unasked. */
export function noDirectory(path: string): string {
  const dir = dirname(path);
  // a command to copy only when the name needs no quoting in a shell
  return `no such directory '${dir}' (create it first${/^[\w./-]+$/.test(dir) ? `: mkdir -p ${dir}` : ''})`;
}

/**
 * A part of `path` that should be a directory is a file (ENOTDIR): names the nearest such part as the caller wrote
 * it ("no such directory" would send them looking for a missing one).
 */
function fileInTheWay(path: string): string {
  for (let p = dirname(path); dirname(p) !== p; p = dirname(p)) {
    try {
      if (!statSync(p).isDirectory()) return `'${p}' is a file, not a directory`;
    } catch {
      // not there, or under the file: one level up
    }
  }
  return 'a part of the path is a file, not a directory';
}
