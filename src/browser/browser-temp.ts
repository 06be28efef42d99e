// Where a local Chromium's temp files may go: a directory short enough for the unix socket it makes there.
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";

/**
 * Chromium's process singleton listens on `$TMPDIR/org.chromium.Chromium.XXXXXX/SingletonSocket` (Google Chrome's
 * `com.google.Chrome.XXXXXX` is shorter) and aborts at launch ("Socket path too long") when that path does not fit a
 * unix socket address: 104 bytes on macOS, 108 on Linux, each with its NUL. macOS's own TMPDIR is ≈ 49 bytes.
 */
const SOCKET_SUFFIX = "/org.chromium.Chromium.XXXXXX/SingletonSocket";
const SOCKET_PATH_MAX = process.platform === "darwin" ? 103 : 107;

/** The fallback: short on every POSIX system (macOS resolves it to /private/tmp, still short). */
const SHORT_BASE = "/tmp";

/**
 * The temp base under which `extra` more bytes of directories (e.g. `/signoff-target-XXXXXX`) still leave room for
 * Chromium's socket: the system's temp dir when it has room, else /tmp. Windows has no such socket.
 */
export function socketSafeTempBase(extra = 0): string {
  const base = tmpdir();
  if (process.platform === "win32" || fits(base, extra) || !existsSync(SHORT_BASE)) return base;
  return SHORT_BASE;
}

function fits(base: string, extra: number): boolean {
  return Buffer.byteLength(base) + extra + SOCKET_SUFFIX.length <= SOCKET_PATH_MAX;
}

/**
 * The environment a locally started browser (or chromedriver, whose Chrome inherits it) gets: the caller's, with
 * TMPDIR moved to /tmp only when the caller's leaves no room for Chromium's socket.
 */
export function browserEnv(): NodeJS.ProcessEnv {
  const base = socketSafeTempBase();
  return base === tmpdir() ? process.env : { ...process.env, TMPDIR: base };
}
