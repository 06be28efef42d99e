// Bounded regular-file read (and copy) that names the file: the one way gate/approve/verify open their inputs and merge copies a shard's files.
import { isUtf8 } from "node:buffer";
import { createHash } from "node:crypto";
import {
  close,
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  openSync,
  read,
  readSync,
  rmSync,
  writeSync,
  type Stats,
} from "node:fs";
import { EnvironmentError, UsageError } from "./errors";

export interface ReadInputOptions {
  /** What the file is, for messages: "verdict", "trust file", "gate policy"... */
  what: string;
  /** Refused before reading when the file is larger. */
  maxBytes: number;
  /** Further checks on the opened file's metadata before anything is read (e.g. a private key's mode). */
  check?: (st: Stats) => void;
  /**
   * A symbolic link at the path is refused, not followed: for files in a dir someone else wrote (a shard's
   * results), where a link would read whatever it points at (/etc/…) as if it were the dir's.
   */
  noFollow?: boolean;
}

/**
 * A buffer several files are read into one after the other (readInputFile's `into`): what a read returns is
 * valid only until the next read into it. A fresh buffer per file costs its pages' first touch, which on this
 * VM is more than the read itself (the gate's results indexes, bench/RESULTS.md).
 */
export class ReadBuffer {
  private buf = Buffer.alloc(0);

  /** The first `size` bytes of the buffer, grown (never shrunk) to hold them. */
  take(size: number): Buffer {
    if (this.buf.length < size) this.buf = Buffer.allocUnsafeSlow(size);
    return this.buf.subarray(0, size);
  }
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
  return new UsageError(`${path}: cannot read the ${what} (${reasonOf(err)})`, { cause: err });
}

/**
 * Opens with O_NONBLOCK so a FIFO or device cannot hang the open, checks on the open descriptor (no
 * race with a rename) that it is a regular file within the size limit, then reads at most limit + 1
 * bytes, so a file that grows meanwhile is still refused rather than read whole.
 */
export function readInputFile(path: string, opts: ReadInputOptions & { into?: ReadBuffer }): Buffer {
  const { fd, buf } = openInput(path, opts, opts.into);
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

/** Not UTF-8 (readInputFileInBackground with `utf8`): the caller may turn it into a failed check. */
export class InvalidUtf8Error extends UsageError {
  constructor(
    readonly file: string,
    what: string,
  ) {
    super(`${file}: the ${what} is not valid UTF-8`);
    this.name = "InvalidUtf8Error";
  }
}

/** What the background read asks the pool for at a time. */
const CHUNK_BYTES = 1 << 20;

/**
 * readInputFile, with the reading done by libuv's thread pool while the caller goes on: `signoff verify` loads
 * the trust file meanwhile (reading a 9 MB verdict costs as much as loading the trust file on this machine). The
 * file is opened and checked at once; any error (those of readInputFile) rejects the promise, never throws.
 * The file is read in chunks, all asked for at once at their positions; with `utf8`, each is checked as UTF-8
 * as soon as it and those before it are in, while the rest is still being read, and a file that is not UTF-8
 * rejects with InvalidUtf8Error. That check is the first pass over memory the system has just filled, which on
 * this VM costs as much as the read itself when it comes after it (bench/RESULTS.md); later passes cost little.
 */
export function readInputFileInBackground(path: string, opts: ReadInputOptions & { utf8?: boolean }): Promise<Buffer> {
  let opened: { fd: number; buf: Buffer };
  try {
    opened = openInput(path, opts);
  } catch (err) {
    return Promise.reject(err);
  }
  const { fd, buf } = opened;
  const chunks = Math.ceil(buf.length / CHUNK_BYTES);
  /** Bytes each chunk holds once read (fewer than its length only where the file ended). */
  const got = new Array<number | undefined>(chunks).fill(undefined);
  const utf8 = opts.utf8 ? new Utf8Prefix(buf) : undefined;
  let inOrder = 0; // chunks before this one are all in
  let n = 0; // bytes in those chunks
  let ended = false; // a chunk came back short: the file ends there (a file that shrank ends at its first gap)
  let failure: unknown;
  let left = chunks;
  return new Promise<Buffer>((resolve, reject) => {
    const finish = () =>
      close(fd, (closeErr) => {
        try {
          if (failure ?? closeErr) throw failure ?? closeErr;
          const bytes = filled(path, opts, buf, n);
          if (utf8 && !utf8.rest(bytes.length)) throw new InvalidUtf8Error(path, opts.what);
          resolve(bytes);
        } catch (e) {
          reject(inputError(path, opts, e));
        }
      });
    const arrived = () => {
      while (!ended && inOrder < chunks && got[inOrder] !== undefined) {
        const start = inOrder * CHUNK_BYTES;
        n = start + got[inOrder]!;
        ended = n < Math.min(start + CHUNK_BYTES, buf.length);
        utf8?.upTo(n);
        inOrder++;
      }
      if (--left === 0) finish();
    };
    const readChunk = (i: number, done: number) => {
      const start = i * CHUNK_BYTES;
      const length = Math.min(CHUNK_BYTES, buf.length - start);
      read(fd, buf, start + done, length - done, start + done, (err, r) => {
        if (err) failure ??= err;
        else if (r > 0 && done + r < length) return readChunk(i, done + r);
        got[i] = err ? 0 : done + r;
        arrived();
      });
    };
    for (let i = 0; i < chunks; i++) readChunk(i, 0);
  });
}

/** UTF-8 checked a prefix at a time, a character cut by the prefix's end left to the next. */
class Utf8Prefix {
  private checked = 0;
  private ok = true;
  constructor(private readonly buf: Buffer) {}

  /** Checks up to `end`, short of a character that may go on past it. */
  upTo(end: number): void {
    let cut = end;
    // At most 3 continuation bytes back to a lead byte of a sequence that may be incomplete.
    for (let k = end - 1; k >= Math.max(this.checked, end - 4); k--) {
      if ((this.buf[k] & 0xc0) !== 0x80) {
        if (this.buf[k] >= 0xc0) cut = k;
        break;
      }
    }
    this.check(cut);
  }

  /** Checks the rest up to `end` (the file's end); true when all of it is UTF-8. */
  rest(end: number): boolean {
    this.check(end);
    return this.ok;
  }

  private check(to: number): void {
    if (to <= this.checked) return;
    this.ok &&= isUtf8(this.buf.subarray(this.checked, to));
    this.checked = to;
  }
}

/** The open, checked descriptor and a buffer of the limit + 1 bytes at most; closed again on any error. */
function openInput(path: string, opts: ReadInputOptions, into?: ReadBuffer): { fd: number; buf: Buffer } {
  const { fd, st } = openChecked(path, opts);
  try {
    const length = Math.min(st.size, opts.maxBytes) + 1;
    return { fd, buf: into ? into.take(length) : Buffer.alloc(length) };
  } catch (err) {
    closeSync(fd);
    throw inputError(path, opts, err);
  }
}

/** The open descriptor of a regular file within the limit, and its metadata; closed again on any error. */
function openChecked(path: string, opts: ReadInputOptions): { fd: number; st: Stats } {
  let fd: number;
  try {
    fd = openSync(
      path,
      constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (opts.noFollow ? (constants.O_NOFOLLOW ?? 0) : 0),
    );
  } catch (err) {
    // O_NOFOLLOW's refusal of a link is ELOOP: said as what the path is, like any other thing that is not a file.
    if (opts.noFollow && (err as NodeJS.ErrnoException).code === "ELOOP")
      throw new UsageError(`${path}: the ${opts.what} is not a regular file (a symbolic link)`);
    throw cannotRead(path, opts.what, err);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw notRegular(path, opts.what, st);
    opts.check?.(st);
    if (st.size > opts.maxBytes) throw new InputTooLargeError(path, st.size, opts.maxBytes, opts.what);
    return { fd, st };
  } catch (err) {
    closeSync(fd);
    throw inputError(path, opts, err);
  }
}

/**
 * Refuses anything at `path` but a regular file (or, with `kind` "directory", a directory), without opening it or
 * following a link (lstat): a link, FIFO, device or the other kind is named as what it is, in readInputFile's words.
 * False when nothing is there. For checking every file of a set before any is copied; copyInputFile checks each
 * again on its open descriptor.
 */
export function checkRegularFile(path: string, what: string, kind: "file" | "directory" = "file"): boolean {
  let st: Stats | undefined;
  try {
    st = lstatSync(path, { throwIfNoEntry: false });
  } catch (err) {
    throw cannotRead(path, what, err);
  }
  if (!st) return false;
  if (kind === "directory" ? !st.isDirectory() : !st.isFile())
    throw new UsageError(
      `${path}: the ${what} is not ${kind === "directory" ? "a directory" : "a regular file"} (${kindOf(st)})`,
    );
  return true;
}

/**
 * Copies `src`, opened and checked as readInputFile opens it (a regular file within the limit; with `noFollow`,
 * never through a link), to `dest`, which is created and must not exist. A chunk at a time, so a large file costs
 * no more memory than one chunk. A source that fails midway (it grew past the limit, or its disk failed) leaves no
 * partial copy behind; a `dest` that cannot be written is an EnvironmentError. Returns the size and SHA-256 of what
 * it wrote, hashed as it copied (no second read of the copy).
 */
export function copyInputFile(src: string, dest: string, opts: ReadInputOptions): { bytes: number; sha256: string } {
  const { fd, st } = openChecked(src, opts);
  const hash = createHash("sha256");
  let n = 0;
  try {
    let out: number;
    try {
      out = openSync(dest, "wx");
    } catch (err) {
      throw cannotWrite(dest, err);
    }
    let done = false;
    try {
      const buf = Buffer.allocUnsafe(Math.min(st.size, CHUNK_BYTES) + 1);
      for (;;) {
        let r: number;
        try {
          r = readSync(fd, buf, 0, buf.length, null);
        } catch (err) {
          throw cannotRead(src, opts.what, err);
        }
        if (r === 0) break;
        n += r;
        if (n > opts.maxBytes) throw new InputTooLargeError(src, n, opts.maxBytes, opts.what);
        hash.update(buf.subarray(0, r));
        try {
          for (let w = 0; w < r;) w += writeSync(out, buf, w, r - w);
        } catch (err) {
          throw cannotWrite(dest, err);
        }
      }
      done = true;
    } finally {
      closeSync(out);
      if (!done) rmSync(dest, { force: true });
    }
  } finally {
    closeSync(fd);
  }
  return { bytes: n, sha256: hash.digest("hex") };
}

/** A file or directory that cannot be written (no space, no permission, a file where a directory goes): the machine's. */
export function cannotWrite(path: string, err: unknown): EnvironmentError {
  return new EnvironmentError(`${path}: cannot write (${reasonOf(err)})`);
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

/** The refusal of something that is not a regular file, naming what it is. */
function notRegular(path: string, what: string, st: Stats): UsageError {
  return new UsageError(`${path}: the ${what} is not a regular file (${kindOf(st)})`);
}

/** What a file system entry is, for a message: "a directory", "a FIFO", "a symbolic link" (from lstat)… */
function kindOf(st: Stats): string {
  if (st.isFile()) return "a regular file";
  if (st.isDirectory()) return "a directory";
  if (st.isSymbolicLink()) return "a symbolic link";
  if (st.isFIFO()) return "a FIFO";
  if (st.isSocket()) return "a socket";
  if (st.isCharacterDevice() || st.isBlockDevice()) return "a device";
  return "not a file";
}

/** Size limits of the gate's small inputs (policy, trust, keys, config): generous, but never unbounded. */
export const MAX_YAML_BYTES = 1024 * 1024;
export const MAX_KEY_BYTES = 64 * 1024;
