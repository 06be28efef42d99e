// The in-page bundle (src/browser/in-page/ + dom-accessibility-api) as a script, and what each wait was for.
import { createHash } from "node:crypto";
import { HOVER_WAIT, InPageError, toggleWait, type Locator } from "./session";
import type { InPageApi } from "./in-page/index";
import type { PointerInput } from "./in-page/across-frames";

export const { IN_PAGE_SOURCE } = require("./in-page.generated") as { IN_PAGE_SOURCE: string };

/** The window property the installed bundle lives under: one per bundle version, so an upgrade never calls an old copy. */
export const IN_PAGE_KEY = `__signoff_${createHash("sha256").update(IN_PAGE_SOURCE).digest("hex").slice(0, 12)}`;

/** A function body installing the bundle in the document it runs in (both drivers run it as a function's body). */
export const INSTALL_SCRIPT = `${IN_PAGE_SOURCE}\nObject.defineProperty(window, ${JSON.stringify(IN_PAGE_KEY)}, { value: __signoffInPage.inPage, configurable: true });`;

/** What a call answers in a document the bundle is not installed in yet. */
export const NOT_INSTALLED = "__signoff_not_installed__";

/**
 * Key of what a call answers when the bundle threw: `{[THREW]: "TypeError: …"}`. Caught in the page so that the
 * caller tells the bundle's exception (InPageError) from the driver's own errors (a document gone between two looks).
 */
export const THREW = "__signoffInPageThrew";

/** Throws InPageError when a call's answer says the bundle threw. */
export function throwIfThrew(fn: string, answer: unknown): void {
  if (typeof answer === "object" && answer !== null && THREW in answer)
    throw new InPageError(fn, String((answer as Record<string, unknown>)[THREW]));
}

/** What an action waited for, in the words of LocatorTimeoutError, mapped to what explain() checks. */
export function wantOf(what: string): "visible" | "enabled" | "editable" | "clickable" | "pointer" {
  if (what === "to be editable") return "editable";
  if (what === HOVER_WAIT) return "pointer";
  if (what === "to be clickable" || what === toggleWait(true) || what === toggleWait(false)) return "clickable";
  if (what === "to be visible") return "visible";
  return "enabled";
}

/** What a pointer action that waited `what` sends, for what would get it instead; undefined for other actions. */
export function pointerInputOf(what: string): PointerInput | undefined {
  const want = wantOf(what);
  return want === "clickable" ? "the click" : want === "pointer" ? "the pointer" : undefined;
}

/** An expression that evaluates the bundle and answers `fn` of its API called with `args` (JSON) in that document. */
export function inPageExpression(fn: keyof InPageApi, ...args: unknown[]): string {
  const list = args.map((a) => JSON.stringify(a)).join(", ");
  return `(() => {\n${IN_PAGE_SOURCE}\nreturn __signoffInPage.inPage.${fn}(${list});\n})()`;
}

/** An expression that evaluates the bundle and explains why the locator has no usable match. */
export function explainExpression(l: Locator, what: string): string {
  return inPageExpression("explain", l, wantOf(what));
}

/** An expression that evaluates the bundle and lists the column headers of the tables at `within`, or of the page. */
export function columnHeadersExpression(within: Locator | null): string {
  return inPageExpression("columnHeadersAt", within);
}

/** An expression that evaluates the bundle and answers what the locator's element shows, in one look (in-page shownText). */
export function shownTextExpression(l: Locator): string {
  return inPageExpression("shownText", l);
}

/** An expression that evaluates the bundle and says why the locator names no one element ("" when it does). */
export function ambiguityExpression(l: Locator): string {
  return inPageExpression("ambiguityIn", l);
}

/**
 * A Playwright selector engine (selectors.register) finding the cells of a column (in-page/locate.ts, columnCells):
 * Playwright's own engines know no column headers. The bundle is compiled only when a column is first looked for,
 * as Playwright builds every engine into each document it queries.
 */
export const COLUMN_ENGINE_SOURCE = `(() => {
  let api;
  const load = () => {
${IN_PAGE_SOURCE}
    return __signoffInPage.inPage;
  };
  return {
    queryAll(root, body) {
      api = api || load();
      return api.columnCells(root, JSON.parse(decodeURIComponent(body)));
    },
  };
})()`;
