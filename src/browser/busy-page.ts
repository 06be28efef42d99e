// A page whose own script never gives its main thread back: found while a driver call waits on it, its script ended, named.
//
// Both drivers wait until the page has handled what they send (a key, a click, a script), and neither bounds
// that wait: a key handler stuck in a loop held Playwright's typing until the step timeout and chromedriver's
// command queue for good, so every later scenario of the worker waited out its session limit. DevTools'
// Runtime.terminateExecution is taken by V8 as an interrupt, so it ends such a script even mid-loop.

/** A way to the page's main thread that does not queue behind the driver's own commands (the page's DevTools session). */
export interface PageLine {
  /** Resolves true once the page's main thread has run a trivial script, false if it could not (no page). */
  answers(): Promise<boolean>;
  /** Ends the script the page runs now (or its next one). */
  stopScript(): Promise<void>;
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

/** How often the page's script is ended while the driver's call still waits (each end lets one queued event run). */
const STOP_EVERY_MS = 50;
/** How long scripts are ended before the call is given up (a key handler stops once per key typed). */
const FREE_FOR_MS = 5000;

type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

/** Waits for `p` or `ms`, whichever first; the timer does not outlive the wait. */
async function within<T>(p: Promise<T>, ms: number): Promise<T | typeof LATE> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([p, new Promise<typeof LATE>((r) => (timer = setTimeout(() => r(LATE), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}
const LATE = Symbol("late");

/**
 * `work`'s outcome, unless the page stops answering while it waits: once the call has waited `limitMs`, the page
 * is asked to run a trivial script; when that too waits `limitMs`, the page's own script is ended until the call
 * gets its answer, and the call fails with PageNotAnsweringError. A page that answers (a slow action, a long wait
 * for a text) is waited for as before: only a main thread busy for `limitMs` without a break is ended.
 */
export async function unlessBusy<T>(work: Promise<T>, line: PageLine | undefined, limitMs: number): Promise<T> {
  if (!line) return work;
  const settled: Promise<Outcome<T>> = work.then(
    (value) => ({ ok: true, value }),
    (error: unknown) => ({ ok: false, error }),
  );
  for (;;) {
    const outcome = await within(settled, limitMs);
    if (outcome !== LATE) return unwrap(outcome);
    const answer = await within(Promise.race([line.answers().catch(() => true), settled.then(() => true)]), limitMs);
    if (answer === LATE) break;
  }
  const freed = await free(line, settled);
  throw new PageNotAnsweringError(limitMs, freed);
}

/**
 * Before a reset: a page that does not answer within `limitMs` has its script ended until it does (up to
 * FREE_FOR_MS). False when it still does not: its tab cannot be reset.
 */
export async function freePage(line: PageLine, limitMs: number): Promise<boolean> {
  const answered = line.answers().catch(() => false);
  const first = await within(answered, limitMs);
  if (first !== LATE) return first;
  return (await free(line, answered)) && (await answered);
}

/** Ends the page's script every STOP_EVERY_MS until `done` settles (true) or FREE_FOR_MS pass (false). */
async function free(line: PageLine, done: Promise<unknown>): Promise<boolean> {
  const until = Date.now() + FREE_FOR_MS;
  while (Date.now() < until) {
    // Bounded too: a DevTools session opened after the page froze may never get attached.
    await within(
      line.stopScript().catch(() => undefined),
      STOP_EVERY_MS,
    );
    if ((await within(done, STOP_EVERY_MS)) !== LATE) return true;
  }
  return false;
}

function unwrap<T>(o: Outcome<T>): T {
  if (o.ok) return o.value;
  throw o.error;
}

/** The line over a DevTools session attached to the page (`send`: one command, its result). */
export function devToolsLine(send: (method: string, params?: object) => Promise<unknown>): PageLine {
  return {
    answers: async () => {
      const r = (await send("Runtime.evaluate", { expression: "1", returnByValue: true })) as {
        result?: { value?: unknown };
      };
      return r.result?.value === 1;
    },
    stopScript: async () => void (await send("Runtime.terminateExecution")),
  };
}
