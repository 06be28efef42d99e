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
  data: string | Uint8Array,
  opts: { mode?: number; mkdir?: boolean } = {},
): void {
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.${randomBytes(8).toString("hex")}.tmp`);
  try {
    if (opts.mkdir) mkdirSync(dir, { recursive: true });
    const fd = openSync(tmp, "wx", opts.mode ?? 0o644);
    try {
      const bytes = typeof data === "string" ? Buffer.from(data) : data;
      for (let off = 0; off < bytes.length;) off += writeSync(fd, bytes, off, bytes.length - off);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw new AtomicWriteError(path, (err as NodeJS.ErrnoException).code ?? (err as Error).message);
  }
}
