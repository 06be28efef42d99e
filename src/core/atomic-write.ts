// Writes a file whole or not at all, safe in a directory an attacker may have planted links in.
//
// Hand-written because write-file-atomic opens its temp file with "w" (following a planted symlink) under
// a guessable name; here the temp name is random and opened with O_EXCL, which refuses any existing
// path, a link included, and the rename replaces the name itself, never what a link points to.
import { randomBytes } from "node:crypto";
import { closeSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";

/** A write that failed: the file named, with the system's reason (ENOSPC, EISDIR, EACCES…). */
export class AtomicWriteError extends Error {
  constructor(
    readonly path: string,
    readonly code: string,
  ) {
    super(
      `cannot write ${path}: ${code}${code === "ENOSPC" ? " (disk full)" : code === "EISDIR" ? " (a directory is in the way)" : ""}`,
    );
    this.name = "AtomicWriteError";
  }
}

/** Temp file (random name, O_EXCL, `mode`) + rename in the same directory: a reader or a crash never sees half of it. */
export function writeFileAtomic(
  path: string,
  data: string | Uint8Array | Iterable<string | Uint8Array>,
  opts: { mode?: number; mkdir?: boolean } = {},
): void {
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.${randomBytes(8).toString("hex")}.tmp`);
  try {
    if (opts.mkdir) mkdirSync(dir, { recursive: true });
    const fd = openSync(tmp, "wx", opts.mode ?? 0o644);
    try {
      for (const part of typeof data === "string" || data instanceof Uint8Array ? [data] : data) writePart(fd, part);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw new AtomicWriteError(path, (err as NodeJS.ErrnoException).code ?? (err as Error).message);
  }
}

/** Characters of a string part encoded at a time: a large part (a verdict's 11.6 MB line) is never copied whole. */
const STRING_SLICE = 1 << 20;

function writePart(fd: number, part: string | Uint8Array): void {
  if (typeof part !== "string") {
    for (let off = 0; off < part.length;) off += writeSync(fd, part, off, part.length - off);
    return;
  }
  for (let at = 0; at < part.length;) {
    let end = Math.min(at + STRING_SLICE, part.length);
    // Never split a surrogate pair between two slices: each half would be written as U+FFFD. Only a pair:
    // a lone high surrogate stays one U+FFFD, as Buffer.from writes it, and the pair after it stays whole.
    const last = part.charCodeAt(end - 1);
    const next = part.charCodeAt(end);
    if (end < part.length && last >= 0xd800 && last <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) end++;
    writePart(fd, Buffer.from(part.slice(at, end), "utf8"));
    at = end;
  }
}
