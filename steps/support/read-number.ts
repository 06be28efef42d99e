// Reading a number shown on the page, as every step that reads one does: waiting for it, a product defect if none comes.
import { describeLocator, type BrowserSession, type Locator } from "../../src/browser/session";
import { numberIn } from "../../src/core/numbers";
import { eventually, probeSays } from "./eventually";

/**
 * The number `el` shows, once it shows one (a count filled in after the page loaded): an element that is not there
 * fails with its own error (a test defect), one that shows no number within `timeoutMs` with a SignoffAssertionError.
 */
export function readNumber(session: BrowserSession, el: Locator, timeoutMs: number): Promise<number> {
  return eventually(
    async () => numberIn(await session.textOf(el)),
    (n) => n !== undefined,
    (_n, e) => `expected a number in ${describeLocator(el)}${e ? `: ${probeSays(e)}` : ""}`,
    timeoutMs,
  ) as Promise<number>;
}
