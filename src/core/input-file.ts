// Bounded regular-file read that names the file: the one way gate/approve/verify open their inputs.
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from "node:fs";
import { UsageError } from "./errors";

export interface ReadInputOptions {
  /** What the file is, for messages: "verdict", "trust file", "gate policy"... */
  what: string;
  /** Refused before reading when the file is larger. */
  maxBytes: number;
  /** Further checks on the opened file's metadata before anything is read (e.g. a private key's mode). */
  check?: (st: Stats) => void;
}

/** The file is larger than its limit (checked before reading): the caller may turn it into a failed check. */
export class InputTooLargeError extends UsageError {
  constructor(
    readonly file: string,
    readonly size: number,
    readonly limit: number,
    what: string,
  ) {
    super(`${file}: the ${what} is ${size} bytes, more than the limit of ${limit} bytes`);
    this.name = "InputTooLargeError";
  }
}

/** The system's reason an operation on a file failed: its code (ENOENT, EACCES, EISDIR…), else its first line. */
export function reasonOf(err: unknown): string {
  const e = err as NodeJS.ErrnoException | undefined;
  return e?.code ?? (e?.message ?? String(err)).split("\n")[0];
}

/** The one wording of an input that cannot be read: "FILE: cannot read the WHAT (ENOENT)", exit 2. */
export function cannotRead(path: string, what: string, err: unknown): UsageError {
  return new UsageError(`${path}: cannot read the ${what} (${reasonOf(err)})`);
}

/**
 * Opens with O_NONBLOCK so a FIFO or device cannot hang the open, checks on the open descriptor (no
 * race with a rename) that it is a regular file within the size limit, then reads at most limit + 1
 * bytes, so a file that grows meanwhile is still refused rather than read whole.
 */
export function readInputFile(path: string, opts: ReadInputOptions): Buffer {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (err) {
    throw cannotRead(path, opts.what, err);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new UsageError(`${path}: the ${opts.what} is not a regular file (${kindOf(st)})`);
    opts.check?.(st);
    if (st.size > opts.maxBytes) throw new InputTooLargeError(path, st.size, opts.maxBytes, opts.what);
    const buf = Buffer.alloc(Math.min(st.size, opts.maxBytes) + 1);
    let n = 0;
    while (n < buf.length) {
      const r = readSync(fd, buf, n, buf.length - n, null);
      if (r === 0) break;
      n += r;
    }
    if (n > opts.maxBytes) throw new InputTooLargeError(path, n, opts.maxBytes, opts.what);
    return buf.subarray(0, n);
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw cannotRead(path, opts.what, err);
  } finally {
    closeSync(fd);
  }
}

function kindOf(st: Stats): string {
  if (st.isDirectory()) return "a directory";
  if (st.isFIFO()) return "a FIFO";
  if (st.isSocket()) return "a socket";
  if (st.isCharacterDevice() || st.isBlockDevice()) return "a device";
  return "not a file";
}

/** Size limits of the gate's small inputs (policy, trust, keys, config): generous, but never unbounded. */
export const MAX_YAML_BYTES = 1024 * 1024;
export const MAX_KEY_BYTES = 64 * 1024;
