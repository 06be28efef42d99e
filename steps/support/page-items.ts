// The items a sequence property's model is compared with, read from the page at one look each.
import type { BrowserSession, Locator } from "../../src/browser/session";

/** What a model check says of a list the page redrew under every read until its wait ran out. */
export const LIST_CHANGING = "the page changed the list while it was read, at every look";

/**
 * The model entries the page shows now, each element's text read at one look (never waited for); undefined when the
 * page changed the list under the read (an element counted, then gone: a list drawn anew once a request answered),
 * for the caller to look again. Waiting for a counted element that had left the page failed correct pages (QA13 #2).
 */
export async function pageItems(
  session: Pick<BrowserSession, "count" | "shownText">,
  items: Locator,
): Promise<string[] | undefined> {
  const n = await session.count(items);
  const texts: string[] = [];
  for (let i = 0; i < n; i++) {
    const item: Locator = { ...items, nth: i };
    const shown = await session.shownText(item);
    if (!("shows" in shown)) return undefined;
    texts.push(shown.shows);
  }
  return texts;
}
