// A count that fails quotes what the page shows, as `I should see "…"` does: "found 0" alone does not say that the page shows "Could not load products".
import type { BrowserSession, Locator } from "../../src/browser/session";
import { wantedNameOf } from "../../src/core/name-match";
import { notingAfterTheSentence } from "./failure-note";
import { excerpt } from "../../src/core/text-quote";

/**
 * Waits for `waiting`, a check whose failure sentence (`describeFailure`'s last one) `said()` returns. When the check
 * fails as the product's (the page answered, and wrongly), the page's text is read once and quoted after that
 * sentence, as `I should see "…"` quotes it (excerpt(): the same length, around the words the phrase `el` looks for):
 * `expected 4 of the list item in the list named "Products", found 0; the page shows "… Could not load products"
 * (waited 5000 ms)`. A failure of another kind (an element phrase the page cannot answer, staging gone) is left as it is,
 * and so is the message when the page cannot be read by then.
 */
export async function quotingThePage(
  session: BrowserSession,
  el: Locator,
  said: () => string | undefined,
  waiting: Promise<unknown>,
): Promise<void> {
  await notingAfterTheSentence(said, waiting, async () => {
    const body = await session.bodyText();
    return `; the page shows ${excerpt(body, el.hasText ?? wantedNameOf(el))}`;
  });
}
