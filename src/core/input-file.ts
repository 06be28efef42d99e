// Bounded regular-file read that names the file: the one way gate/approve/verify open their inputs.
import { close, closeSync, constants, fstatSync, openSync, read, readSync, type Stats } from "node:fs";
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
  const { fd, buf } = openInput(path, opts);
  try {
    let n = 0;
    while (n < buf.length) {
      const r = readSync(fd, buf, n, buf.length - n, null);
      if (r === 0) break;
      n += r;
    }
    return filled(path, opts, buf, n);
  } catch (err) {
    throw inputError(path, opts, err);
  } finally {
    closeSync(fd);
  }
}

/**
 * readInputFile, with the reading done by libuv's thread pool while the caller goes on: `signoff verify` loads
 * the trust file meanwhile (reading a 9 MB verdict costs as much as loading the trust file on this machine). The
 * file is opened and checked at once; any error (those of readInputFile) rejects the promise, never throws.
 */
export function readInputFileInBackground(path: string, opts: ReadInputOptions): Promise<Buffer> {
  let opened: { fd: number; buf: Buffer };
  try {
    opened = openInput(path, opts);
  } catch (err) {
    return Promise.reject(err);
  }
  const { fd, buf } = opened;
  return new Promise<Buffer>((resolve, reject) => {
    const next = (n: number) =>
      read(fd, buf, n, buf.length - n, null, (err, r) => {
        if (!err && r > 0 && n + r < buf.length) return next(n + r);
        close(fd, (closeErr) => {
          try {
            if (err ?? closeErr) throw err ?? closeErr;
            resolve(filled(path, opts, buf, n + r));
          } catch (e) {
            reject(inputError(path, opts, e));
          }
        });
      });
    next(0);
  });
}

/** The open, checked descriptor and a buffer of the limit + 1 bytes at most; closed again on any error. */
function openInput(path: string, opts: ReadInputOptions): { fd: number; buf: Buffer } {
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
    return { fd, buf: Buffer.alloc(Math.min(st.size, opts.maxBytes) + 1) };
  } catch (err) {
    closeSync(fd);
    throw inputError(path, opts, err);
  }
}

/** The n bytes read, unless they are more than the limit (the file grew while it was read). */
function filled(path: string, opts: ReadInputOptions, buf: Buffer, n: number): Buffer {
  if (n > opts.maxBytes) throw new InputTooLargeError(path, n, opts.maxBytes, opts.what);
  return buf.subarray(0, n);
}

/** A UsageError as it is, anything else (the system's) as "cannot read". */
function inputError(path: string, opts: ReadInputOptions, err: unknown): UsageError {
  return err instanceof UsageError ? err : cannotRead(path, opts.what, err);
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
