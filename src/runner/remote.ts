// Remote endpoints (a Selenium Grid / remote WebDriver URL, a Playwright browser-server ws endpoint) are
// probed once before any target runs: an unreachable one is one line naming the URL, exit 3, and no
// scenario starts (rather than every scenario failing with the same connection error).
import { connect } from "node:net";
import { launchDriver } from "../browser/launch";
import type { SessionTimeouts } from "../browser/session";
import type { TargetSpec } from "../config/types";
import { EnvironmentError, UsageError } from "../core/errors";
import { httpGet, HttpTimeoutError, type HttpAnswer } from "../core/http-get";

const PROBE_TIMEOUT_MS = 5_000;

function describe(err: unknown): string {
  if (err instanceof HttpTimeoutError) return `no answer within ${PROBE_TIMEOUT_MS / 1000} s`;
  const e = err as NodeJS.ErrnoException;
  return e?.code ?? (e?.message || String(err)).split("\n")[0];
}

/** Selenium: GET <url>/status (W3C WebDriver; Grid 4 answers {value: {ready, message}}). */
async function probeWebDriver(url: string, target: string): Promise<void> {
  const statusUrl = url.replace(/\/+$/, "") + "/status";
  let res: HttpAnswer;
  try {
    res = await httpGet(statusUrl, { timeoutMs: PROBE_TIMEOUT_MS });
  } catch (err) {
    throw new EnvironmentError(
      `Selenium Grid / remote WebDriver ${url} (target ${target}) is unreachable: ${describe(err)}`,
    );
  }
  let body: { value?: { ready?: unknown; message?: unknown } | null } | undefined;
  try {
    body = JSON.parse(res.body) as typeof body;
  } catch {
    body = undefined;
  }
  if (res.status < 200 || res.status > 299 || !body || typeof body.value !== "object" || body.value === null) {
    throw new EnvironmentError(
      `${url} (target ${target}) does not answer like a WebDriver endpoint: GET /status gave HTTP ${res.status}`,
    );
  }
  if (body.value.ready === false) {
    throw new EnvironmentError(
      `Selenium Grid ${url} (target ${target}) is not ready: ${typeof body.value.message === "string" ? body.value.message : "no node can take a session"}`,
    );
  }
}

/** Playwright: the browser server's ws endpoint accepts a TCP connection (connect() does the rest). */
function probeSocket(url: string, target: string): Promise<void> {
  const u = new URL(url);
  const port = Number(u.port || (u.protocol === "wss:" ? 443 : 80));
  const host = u.hostname.replace(/^\[|\]$/g, "");
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    const fail = (why: string) => {
      socket.destroy();
      reject(new EnvironmentError(`Playwright browser server ${url} (target ${target}) is unreachable: ${why}`));
    };
    socket.setTimeout(PROBE_TIMEOUT_MS, () => fail(`no answer within ${PROBE_TIMEOUT_MS / 1000} s`));
    socket.once("error", (err) => fail(describe(err)));
    socket.once("connect", () => {
      socket.end();
      resolve();
    });
  });
}

/** Checks each distinct remote endpoint of the selected targets once. */
export async function probeRemotes(targets: TargetSpec[]): Promise<void> {
  const seen = new Set<string>();
  for (const t of targets) {
    if (!t.remote) continue;
    const scheme = URL.canParse(t.remote) ? new URL(t.remote).protocol : undefined;
    if (!scheme) throw new UsageError(`target "${t.name}": remote: not a URL: ${t.remote}`);
    if (t.driver === "selenium" && scheme !== "http:" && scheme !== "https:")
      throw new UsageError(
        `target "${t.name}": a Selenium remote is a Grid / WebDriver URL (http:// or https://), got ${t.remote}`,
      );
    if (t.driver === "playwright" && scheme !== "ws:" && scheme !== "wss:")
      throw new UsageError(
        `target "${t.name}": a Playwright remote is a browser-server endpoint (ws:// or wss://), got ${t.remote}`,
      );
    if (seen.has(t.remote)) continue;
    seen.add(t.remote);
    if (t.driver === "selenium") await probeWebDriver(t.remote, t.name);
    else await probeSocket(t.remote, t.name);
  }
}

const SESSION_TIMEOUT_MS = 90_000;

/**
 * How long an interrupted probe waits for the session it asked for, to quit it: a Grid creates a session it was
 * asked for even when the client has gone, and keeps it until its own timeout. Bounded, so a hung Grid cannot keep
 * Ctrl+C from ending the run.
 */
export const QUIT_ON_ABORT_MS = 10_000;

/** Rejects with the signal's reason once it aborts (never, without a signal). */
function abortion(signal: AbortSignal | undefined): Promise<never> {
  return new Promise((_, reject) => {
    if (!signal) return;
    if (signal.aborted) return reject(signal.reason);
    signal.addEventListener("abort", () => reject(signal.reason), { once: true });
  });
}

/**
 * One short session per remote endpoint, before any scenario: proves the Grid / browser server can
 * actually start the browser (a misconfigured node fails here, once, exit 3) and records its version
 * for run.json. Returns endpoint → version. When `abort.signal` aborts (the run is interrupted), it rejects with
 * the signal's reason once the session it was opening, if the Grid opens it within `quitWithinMs`, has quit.
 */
export async function remoteBrowserVersions(
  targets: TargetSpec[],
  timeouts: SessionTimeouts,
  abort?: { signal: AbortSignal; quitWithinMs?: number },
): Promise<Map<string, string>> {
  const signal = abort?.signal;
  const versions = new Map<string, string>();
  for (const t of targets) {
    if (!t.remote || versions.has(t.remote)) continue;
    signal?.throwIfAborted();
    let timer: NodeJS.Timeout | undefined;
    const attempt = (async () => {
      const driver = await launchDriver(t, { timeouts });
      try {
        // Opened after the interrupt: quit at once, without asking it anything.
        signal?.throwIfAborted();
        return await driver.browserVersion();
      } finally {
        await driver.close().catch(() => undefined);
      }
    })();
    attempt.catch(() => undefined); // awaited below, or after an abort; never an unhandled rejection
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no session within ${SESSION_TIMEOUT_MS / 1000} s (all slots busy?)`)),
        SESSION_TIMEOUT_MS,
      );
    });
    try {
      versions.set(t.remote, await Promise.race([attempt, timeout, abortion(signal)]));
    } catch (err) {
      if (signal?.aborted) {
        // The session request may be on the Grid already: wait for it (bounded) so `attempt` quits what it opens.
        let bound: NodeJS.Timeout | undefined;
        await Promise.race([
          attempt.catch(() => undefined),
          new Promise((done) => (bound = setTimeout(done, abort?.quitWithinMs ?? QUIT_ON_ABORT_MS))),
        ]);
        clearTimeout(bound);
        throw signal.reason;
      }
      const why = ((err as Error).message ?? String(err)).split("\n")[0];
      throw new EnvironmentError(`${t.remote} (target ${t.name}) answers but cannot start a browser: ${why}`);
    } finally {
      clearTimeout(timer);
    }
  }
  return versions;
}
