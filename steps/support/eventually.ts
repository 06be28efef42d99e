// Polls an assertion until it holds or the timeout passes: the same waiting rule on every driver.
import {
  BrowserCrashedError,
  LocatorTimeoutError,
  NotCheckableError,
  UnreadableSelectorError,
} from "../../src/browser/session";
import { SignoffAssertionError } from "../../src/core/errors";
import { categoryOfErrorType } from "../../src/core/failure-category";
import { restate } from "../../src/core/user-stack";

/**
 * How long a negative check waits, once the page has settled, for what it rules out to go before it fails. Settling
 * does not wait for an exit animation (a removed item fading or sliding out, a dialog closing: CSS transitions, Web
 * Animations, animation frames), which lasts a few hundred ms; what is still there a second after the page went
 * quiet was on screen for the user to see, as an error toast that hides itself after 2 s is.
 */
export const SETTLED_GRACE_MS = 1000;

export interface EventuallyOptions {
  intervalMs?: number;
  /**
   * Waits up to `withinMs` for the page to settle. Given, an answer that holds counts only when it was read after a
   * settle that ended after the last answer that did not hold: the first one waits for `settle` (given the time left),
   * then the page is probed again, and what appeared meanwhile does not pass. A negative check (what it rules out
   * may still be on its way, or still going) also settles when it first sees what it rules out, and once a settle
   * has ended, what it rules out gets SETTLED_GRACE_MS (within the time left) to go before the check fails.
   */
  settle?: (withinMs: number) => Promise<void>;
  /**
   * With `settle`: a check that settles only so that an answer read early does not pass (a count: 0 items before
   * they load). A wrong answer after the page settled is waited on to the deadline, as a check without `settle` is.
   */
  keepWaiting?: boolean;
}

/**
 * Probes until `holds`, up to `timeoutMs`; with `settle`, as EventuallyOptions says. A wrong answer at the end is the
 * product's (SignoffAssertionError); a probe that failed to the end keeps its error's type.
 */
export async function eventually<T>(
  probe: () => Promise<T>,
  holds: (value: T) => boolean,
  describeFailure: (last: T | undefined, error?: unknown) => string,
  timeoutMs: number,
  { intervalMs = 100, settle, keepWaiting = false }: EventuallyOptions = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  let answered = false;
  let lastError: unknown;
  /** A settle has ended during this check. */
  let settledOnce = false;
  /** A settle ended after the last answer that did not hold. */
  let settled = false;
  /** When what a negative check rules out, seen after the page settled, has had its grace. */
  let graceEnds: number | undefined;
  const settleNow = async (s: (withinMs: number) => Promise<void>) => {
    await s(Math.max(deadline - Date.now(), 0));
    settledOnce = true;
    settled = true;
  };
  /** The last answer held, and every probe since failed: what held is gone (an element removed while it settled). */
  let heldThenGone = false;
  for (;;) {
    try {
      last = await probe();
      answered = true;
      lastError = undefined;
      heldThenGone = false;
      if (holds(last)) {
        if (!settle || settled) return last;
        await settleNow(settle);
        continue;
      }
      settled = false;
      if (settle && !keepWaiting) {
        if (!settledOnce) {
          // Not settled yet: the page may still be changing (a spinner, a list drawn again); look again once it has.
          await settleNow(settle);
          continue;
        }
        graceEnds ??= Math.min(Date.now() + SETTLED_GRACE_MS, deadline);
      }
    } catch (err) {
      // A crashed browser will not recover by waiting, nor a selector the browser cannot read, nor a link read as
      // checked.
      if (
        err instanceof BrowserCrashedError ||
        err instanceof UnreadableSelectorError ||
        err instanceof NotCheckableError
      )
        throw err;
      if (answered && lastError === undefined && holds(last as T)) heldThenGone = true;
      lastError = err;
    }
    const graceOver = graceEnds !== undefined && graceEnds < deadline && Date.now() >= graceEnds;
    if (graceOver || Date.now() >= deadline) {
      // A page that answered wrongly and then, at the deadline, failed one probe (an element replaced while
      // it was read) never showed what was expected: that is the product's answer, unless the environment failed.
      const cause = answered && !isEnvironmentFailure(lastError) ? undefined : lastError;
      // What held before the page settled, then could not be read at all: the product took it away (a "still" check
      // whose element a request removed). Its last right answer is no answer now: the probe's error says what is.
      const gone = heldThenGone && cause === undefined;
      const shown = gone ? lastError : cause;
      const said = gone ? describeFailure(undefined, lastError) : describeFailure(last, cause);
      const how = graceOver ? ` (still so ${SETTLED_GRACE_MS} ms after the page settled)` : waited(timeoutMs, shown);
      throw failure(`${said}${how}`, cause, shown, describeFailure.length < 2);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/**
 * How long the check waited; left out when its probe's own wait for the element was as long or longer (a check with
 * a short wait reading an element with the action timeout): the probe's "timed out after 5000 ms" says it, and
 * "(waited 1000 ms)" beside it would contradict it.
 */
function waited(timeoutMs: number, cause: unknown): string {
  return cause instanceof LocatorTimeoutError && cause.timeoutMs >= timeoutMs ? "" : ` (waited ${timeoutMs} ms)`;
}

/**
 * What a failed probe says, for a describeFailure sentence: its message without its type's name, because the error a
 * failed wait ends with is that same error restated (its type's name already leads the line).
 */
export function probeSays(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

const isEnvironmentFailure = (err: unknown) =>
  err instanceof Error && categoryOfErrorType(err.constructor.name) === "environment problem";

/**
 * The error a failed wait ends with. The probe answered and the answer was wrong: the product's fault
 * (SignoffAssertionError). The probe itself never answered, or the environment failed at the end: its error,
 * whose type says why (an element that is not there, staging down), now with the assertion's sentence as its
 * message. A sentence from a describer that was not given the error (`(v) => …`, as a team's own step is written)
 * cannot say why the probe failed: the probe's message (`shown`: the cause, or the error of a probe that failed after
 * a right answer went) is added, unless the sentence quotes it already. A describer that takes the error says it in
 * its own words (the generic steps, through probeSays).
 */
function failure(message: string, probeError: unknown, shown: unknown, describerIgnoresError: boolean): Error {
  const says = shown === undefined ? "" : probeSays(shown);
  const full =
    describerIgnoresError && says !== "" && !message.includes(says) ? `${message}; ${LAST_LOOK}${says}` : message;
  if (probeError === undefined) return new SignoffAssertionError(full);
  if (!(probeError instanceof Error)) return new Error(full, { cause: probeError });
  return restate(probeError, full);
}

/** What leads the probe's own message added to a sentence that did not say it. */
const LAST_LOOK = "the last look failed: ";
