// Polls an assertion until it holds or the timeout passes: the same waiting rule on every driver.
import { BrowserCrashedError, LocatorTimeoutError } from "../../src/browser/session";
import { SignoffAssertionError } from "../../src/core/errors";
import { categoryOfErrorType } from "../../src/core/failure-category";
import { restate } from "../../src/core/user-stack";

/**
 * Probes until `holds`, up to `timeoutMs`. With `settle` (a negative check: what it rules out may still be on its
 * way), an answer that holds counts only when it was read after the page settled: the first one waits for
 * `settle` (given the time left), then the page is probed again, and what appeared meanwhile fails the check.
 */
export async function eventually<T>(
  probe: () => Promise<T>,
  holds: (value: T) => boolean,
  describeFailure: (last: T | undefined, error?: unknown) => string,
  timeoutMs: number,
  { intervalMs = 100, settle }: { intervalMs?: number; settle?: (withinMs: number) => Promise<void> } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  let answered = false;
  let lastError: unknown;
  /** A settle finished after the last probe that did not hold. */
  let settled = false;
  for (;;) {
    try {
      last = await probe();
      answered = true;
      lastError = undefined;
      if (holds(last)) {
        if (!settle || settled) return last;
        await settle(Math.max(deadline - Date.now(), 0));
        settled = true;
        continue;
      }
      settled = false;
    } catch (err) {
      // A crashed browser will not recover by waiting.
      if (err instanceof BrowserCrashedError) throw err;
      lastError = err;
    }
    if (Date.now() >= deadline) {
      // A page that answered wrongly and then, at the deadline, failed one probe (an element replaced while
      // it was read) never showed what was expected: that is the product's answer, unless the environment failed.
      const cause = answered && !isEnvironmentFailure(lastError) ? undefined : lastError;
      throw failure(`${describeFailure(last, cause)}${waited(timeoutMs, cause)}`, cause);
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
 * message.
 */
function failure(message: string, probeError: unknown): Error {
  if (probeError === undefined) return new SignoffAssertionError(message);
  if (!(probeError instanceof Error)) return new Error(message, { cause: probeError });
  return restate(probeError, message);
}
