// A page whose own script never gives its main thread back: found while a driver call waits on it, its script ended, named.
//
// Both drivers wait until the page has handled what they send: Playwright's keyboard has no timeout, chromedriver
// answers no command of the session meanwhile. A key handler stuck in a loop held Playwright's typing until the step
// timeout and chromedriver's command queue for good, so every later scenario of the worker waited out its session
// limit. DevTools' Runtime.terminateExecution is taken by V8 as an interrupt, so it ends such a script even mid-loop.

import { LATE, within } from "./within";

/** A way to the page's main thread that does not queue behind the driver's own commands (the page's DevTools session). */
export interface PageLine {
  /**
   * Resolves once the page's main thread has run a trivial script (its value: whether it ran it; false when the line
   * cannot tell, as with a dialog open); rejects when the line is gone.
   */
  answers(): Promise<boolean>;
  /** Ends the script the page runs now (V8 keeps the request for its next script when none runs). */
  stopScript(): Promise<void>;
  /**
   * A document is on its way to the page (a form sent, a link followed): the browser holds DevTools commands to the
   * page until it commits, so a ping that waits then says nothing of the page's script.
   */
  navigating(): boolean;
}

/** The page did not answer for the limit: a script of its own kept the main thread busy, and Signoff ended it. */
export class PageNotAnsweringError extends Error {
  override name = "PageNotAnsweringError";
  constructor(
    readonly limitMs: number,
    /** The driver's call got its answer once the script was ended (false: the page still holds it). */
    readonly freed: boolean,
  ) {
    super(
      `the page stopped answering: a script of its own kept its main thread busy for over ${limitMs} ms ` +
        `(a handler that never returns?); Signoff ended that script${freed ? "" : ", and the browser still did not answer"}`,
    );
  }
}

/**
 * How long the main thread must be busy without a break, once a call has waited as long, before the page's script is
 * ended. Not timeouts.actionMs: that is how long a step waits for an element, not how long a page may compute.
 */
export const BUSY_LIMIT_MS = 5000;
/** How often the page's script is ended while the driver's call still waits (each end lets one queued event run). */
const STOP_EVERY_MS = 50;
/** How long scripts are ended before the call is given up (a key handler stops once per key typed). */
const FREE_FOR_MS = 5000;

type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

/**
 * `work`'s outcome, unless the page stops answering while it waits: once the call has waited `limitMs`, the page
 * is asked to run a trivial script; when that too waits `limitMs` (and no document is on its way), the page's own
 * script is ended until the call gets its answer, and the call fails with PageNotAnsweringError. A page that answers
 * (a slow action, a long wait for a text) is waited for as before.
 */
export async function unlessBusy<T>(work: Promise<T>, line: PageLine | undefined, limitMs = BUSY_LIMIT_MS): Promise<T> {
  if (!line) return work;
  const settled: Promise<Outcome<T>> = work.then(
    (value) => ({ ok: true, value }),
    (error: unknown) => ({ ok: false, error }),
  );
  for (;;) {
    const outcome = await within(settled, limitMs);
    if (outcome !== LATE) return unwrap(outcome);
    const ping = Promise.race([line.answers().catch(() => true), settled.then(() => true)]);
    if ((await within(ping, limitMs)) === LATE && !line.navigating()) break;
  }
  const freed = await free(line, settled);
  throw new PageNotAnsweringError(limitMs, freed);
}

/**
 * Before a reset: a page that does not answer within `limitMs` has its script ended until it does (up to
 * FREE_FOR_MS). False when it still does not: its tab cannot be reset.
 */
export async function freePage(line: PageLine, limitMs = BUSY_LIMIT_MS): Promise<boolean> {
  const answered = line.answers().catch(() => false);
  const first = await within(answered, limitMs);
  if (first !== LATE) return first;
  return (await free(line, answered)) && (await answered);
}

/**
 * Ends the page's script until `done` settles (true) or FREE_FOR_MS pass (false): one request at a time (V8 keeps
 * one for the next script when none runs), and a no-op script after, which takes a request left over so that it
 * does not end the page's or the evidence's next script.
 */
async function free(line: PageLine, done: Promise<unknown>): Promise<boolean> {
  const until = Date.now() + FREE_FOR_MS;
  let stop: Promise<void> | undefined;
  let freed = false;
  while (!freed && Date.now() < until) {
    const clear = () => void (stop = undefined);
    stop ??= line.stopScript().then(clear, clear);
    freed = (await within(done, STOP_EVERY_MS)) !== LATE;
  }
  await within(
    line.answers().catch(() => false),
    STOP_EVERY_MS * 4,
  );
  return freed;
}

function unwrap<T>(o: Outcome<T>): T {
  if (o.ok) return o.value;
  throw o.error;
}
