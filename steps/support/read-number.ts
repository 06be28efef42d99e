// Reading a number shown on the page, as every step that reads one does: waiting for it, a product defect if none comes.
import { describeLocator, type BrowserSession, type Locator } from "../../src/browser/session";
import { AmbiguousNumberError, numberIn } from "../../src/core/numbers";
import { eventually, probeSays } from "./eventually";

/**
 * The number `el` shows, once it shows one (a count filled in after the page loaded): an element that is not there
 * fails with its own error (a test defect), one that shows no number within `timeoutMs` with a SignoffAssertionError.
 * With `settle` (settleOf), the number counts only once read after the page settled, within the same `timeoutMs`: a
 * placeholder ("0") the page's script replaces is not read as the number.
 */
export function readNumber(
  session: BrowserSession,
  el: Locator,
  timeoutMs: number,
  settle?: (withinMs: number) => Promise<void>,
): Promise<number> {
  return eventually(
    async () => numberIn(await session.textOf(el)),
    (n) => n !== undefined,
    (_n, e) => `expected a number in ${describeLocator(el)}${e ? `: ${probeSays(e)}` : ""}`,
    timeoutMs,
    { settle, keepWaiting: true },
  ) as Promise<number>;
}

/**
 * What an element showed, for a check's failure sentence ("…, it shows 3"): the number read last; else why its text
 * is no one number (AmbiguousNumberError: "1.234" is 1234 or 1.234); else "no number".
 */
export function shownNumber(n: number | undefined, probeError?: unknown): string {
  if (n !== undefined) return String(n);
  if (probeError instanceof AmbiguousNumberError)
    return `"${probeError.shown}", which is not one number: ${probeError.why}`;
  return "no number";
}
