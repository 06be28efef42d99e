// Locator resolution for the Selenium adapter: the in-page bundle (src/browser/in-page/, with
// dom-accessibility-api) installed once per document, then called through WebDriver executeScript.
import type { WebDriver } from "selenium-webdriver";
import type { InPageResult as InPage } from "./in-page/locate";
import { NOT_EXPLAINED, type Explanation, type Locator } from "./session";

/** What the page reports about a locator; `first` is a WebElement once it crosses the wire. */
export type InPageResult = Omit<InPage, "first"> & { first: unknown };

import { IN_PAGE_KEY, INSTALL_SCRIPT, NOT_INSTALLED, THREW, throwIfThrew, wantOf } from "./in-page-bundle";

/** Calls `fn` of the in-page API with the script's arguments, or answers NOT_INSTALLED; what it throws is answered (THREW). */
const callScript = (fn: string) =>
  `const api = window[${JSON.stringify(IN_PAGE_KEY)}]; if (!api) return ${JSON.stringify(NOT_INSTALLED)};
  try { return api.${fn}(...arguments); }
  catch (e) { return { ${JSON.stringify(THREW)}: e instanceof Error ? e.name + ": " + e.message : String(e) }; }`;

/** Runs an in-page API function; installs the bundle first in a document that does not have it yet. */
export async function callInPage<T>(d: WebDriver, fn: string, ...args: unknown[]): Promise<T> {
  const script = callScript(fn);
  let out = await d.executeScript<T | typeof NOT_INSTALLED>(script, ...args);
  if (out === NOT_INSTALLED) {
    // Installed and called in one script, so in one document: a page replacing itself every few hundred ms lost the
    // bundle between an install and the call that followed it.
    out = await d.executeScript<T | typeof NOT_INSTALLED>(`${INSTALL_SCRIPT}\n${script}`, ...args);
    if (out === NOT_INSTALLED) throw new Error("could not install Signoff's locator script in the page");
  }
  throwIfThrew(fn, out);
  return out as T;
}

export function locateInPage(d: WebDriver, l: Locator): Promise<InPageResult> {
  return callInPage<InPageResult>(d, "locate", l);
}

/** Why the locator has no usable match, in the same words as on Playwright; NOT_EXPLAINED when it cannot tell. */
export async function explainInPage(d: WebDriver, l: Locator, what: string): Promise<Explanation> {
  try {
    return await callInPage<Explanation>(d, "explain", l, wantOf(what));
  } catch {
    return NOT_EXPLAINED;
  }
}
