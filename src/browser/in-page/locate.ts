// Runs INSIDE the page (bundled by scripts/bundle-in-page.ts for the Selenium adapter): finds what Playwright's locators find.
//
// Why in-page code at all: WebDriver has no accessibility-tree queries, and one round trip per element
// from Node would be slow. Accessible names come from dom-accessibility-api (the W3C accname implementation
// Testing Library uses), roles from Playwright's own mapping (aria-role.ts); what is left here is what no library
// does: Playwright's rules for visibility, text matching, labels, scoping, position and CSS across shadow roots (css.ts),
// which the conformance suite (test/conformance/) holds to Playwright's own behaviour.
import type { Explanation, Locator } from "../session";
import {
  ambiguousLevel,
  candidatesAreExact,
  nameContains,
  nameEquals,
  normalizeName as normalize,
  wantedNameOf,
  type NameCounts,
} from "../../core/name-match";
import { countOfRole, roleWord } from "../../core/role-words";
import { accessibleName } from "./accessible-name";
import { ariaRole } from "./aria-role";
import { cellPlace, headerNamesOf, tablesAround, type TableLook } from "./columns";
import { cssMatcher, isSelectorList, treeOrder } from "./css";
import { renderedText } from "../rendered-text";
import { excerpt } from "../../core/text-quote";
import { elementAt, landingInFrame, landingPoint, screenRect, throughFrames, topReachable, within } from "./pointer";
import { frameBlockerSaid, type PointerInput } from "./across-frames";
import { openingTag } from "./opening-tag";
import { fieldOf, focusTarget, isEnabled, isTextField, isVisible, takesTyping } from "./element-state";

/** What the page reports about a locator, for the adapter's waiting loop. */
export interface InPageResult {
  /** Number of visible matches (the candidates of the name rule, then the position). */
  count: number;
  /** The first visible match in document order (a WebElement once it crosses the wire), or null. */
  first: Element | null;
  /** The first match is not disabled (native `disabled`, disabled fieldset, aria-disabled). */
  enabled: boolean;
  /** The first match accepts typing: an enabled, non-readonly input/textarea/contenteditable. */
  editable: boolean;
  /** Why the phrase names no one element (see ambiguity()); "" when it does. */
  ambiguity: string;
}

// ---- text (Playwright: normalizeWhiteSpace + lax matching = case-insensitive substring; the name rule adds exact)
const laxMatch = nameContains;

/**
 * Every element under `from`, open shadow roots included, in the order Playwright's engines list them (its _queryCSS
 * and role engine): a root's own elements in document order, then each open shadow root in it (`from`'s own first),
 * depth first, each in that order in turn. Not the order the tree is drawn: on a page with shadow roots
 * `the 2nd button` is the 2nd one Playwright finds.
 */
function allElements(from: Document | Element | ShadowRoot = document): Element[] {
  const all: Element[] = [];
  let roots = 0;
  const walk = (root: Document | Element | ShadowRoot): void => {
    const shadows: ShadowRoot[] = [];
    if (root instanceof Element && root.shadowRoot) shadows.push(root.shadowRoot);
    for (const el of Array.from(root.querySelectorAll("*"))) {
      all.push(el);
      if (el.shadowRoot) shadows.push(el.shadowRoot);
    }
    roots += shadows.length;
    for (const shadow of shadows) walk(shadow);
  };
  walk(from);
  if (from === document && roots === 0) shadowFree.add(all);
  return all;
}

/** The lists of allElements() that found no open shadow root on the page: CSS is the browser's alone there (css.ts). */
const shadowFree = new WeakSet<Element[]>();

// ---- text content as Playwright's text engine sees it (elementText): all descendant text,
// skipping <script>/<style>/<noscript>/<head>; button-like inputs contribute their value.
const skipForText = (el: Element): boolean =>
  el.nodeName === "SCRIPT" ||
  el.nodeName === "NOSCRIPT" ||
  el.nodeName === "STYLE" ||
  (!!document.head && document.head.contains(el));
function elementText(node: Node): string {
  if (node.nodeType === Node.TEXT_NODE) return node.nodeValue || "";
  if (node.nodeType !== Node.ELEMENT_NODE && node.nodeType !== Node.DOCUMENT_FRAGMENT_NODE) return "";
  if (node.nodeType === Node.ELEMENT_NODE) {
    const el = node as Element;
    if (skipForText(el)) return "";
    if (el.nodeName === "INPUT") {
      const type = (el as HTMLInputElement).type;
      if (type === "submit" || type === "button") return (el as HTMLInputElement).value;
    }
  }
  let s = "";
  for (let c = node.firstChild; c; c = c.nextSibling) s += elementText(c);
  const sr = (node as Element).shadowRoot;
  if (sr) s += elementText(sr);
  return s;
}

// ---- roles: Playwright's mapping (aria-role.ts)
const roleOf = ariaRole;
// getByRole skips what is hidden from assistive technology (aria-hidden="true" on it or an ancestor).
const hiddenForAria = (el: Element): boolean => el.closest('[aria-hidden="true"]') !== null;

const byIds = (el: Element, attr: string): Element[] | null => {
  const ids = el.getAttribute(attr);
  if (ids === null) return null;
  const root = el.getRootNode() as Document | ShadowRoot;
  return ids
    .split(/\s+/)
    .filter(Boolean)
    .map((id) => root.getElementById(id))
    .filter((x): x is HTMLElement => !!x);
};

// ---- label texts for getByLabel (Playwright's getElementLabels): aria-labelledby, else
// aria-label, else the control's <label>s (for= and wrapping), compared by their text.
function labelsFor(el: Element): string[] {
  const labelledBy = byIds(el, "aria-labelledby");
  if (labelledBy) return labelledBy.map((l) => elementText(l));
  const ariaLabel = el.getAttribute("aria-label");
  if (ariaLabel !== null && ariaLabel.trim()) return [ariaLabel];
  const tag = el.nodeName;
  const labellable =
    tag === "BUTTON" ||
    tag === "METER" ||
    tag === "OUTPUT" ||
    tag === "PROGRESS" ||
    tag === "SELECT" ||
    tag === "TEXTAREA" ||
    (tag === "INPUT" && (el as HTMLInputElement).type !== "hidden");
  if (labellable) {
    const labels = (el as HTMLInputElement).labels;
    if (labels) return Array.from(labels).map((l) => elementText(l));
  }
  return [];
}

/** How an element's name fits the wanted one: not at all, by containing it (PART), by being it (PART | WHOLE). */
const PART = 1;
const WHOLE = 2;

/** PART when `candidate` contains `wanted`, WHOLE too when it is it (case-insensitive, whitespace runs as one space). */
function fitOf(candidate: string, wanted: string): number {
  if (!laxMatch(candidate, wanted)) return 0;
  return nameEquals(candidate, wanted) ? PART | WHOLE : PART;
}

/**
 * The base matcher of a locator kind: how each element's name (a role's name, a label, a placeholder, a text) fits
 * the wanted string, read once per element (an accessible name is the costly part of a look); PART for a
 * match of a kind without a name. Being the name implies containing it, so WHOLE comes only with PART.
 * With `shownOnly` false, a hidden element's role has the name it would have shown. With `scope`, how it fits inside
 * that container (only CSS differs: every compound of its selector matches inside it, as in Playwright's CSS).
 * With `ariaHiddenToo`, a role's elements hidden from assistive technology fit too (for a message: what an open dialog hides).
 */
function matcherFor(
  loc: Locator,
  shownOnly = true,
  all?: Element[],
  ariaHiddenToo = false,
): (el: Element, scope?: Element) => number {
  switch (loc.by) {
    case "role": {
      const wanted = loc.role.toLowerCase();
      const name = loc.name;
      return (el) => {
        if (roleOf(el) !== wanted || (!ariaHiddenToo && hiddenForAria(el))) return 0;
        return name === undefined ? PART : fitOf(accessibleName(el, !shownOnly), name);
      };
    }
    case "label": {
      const text = loc.text;
      return (el) => labelsFor(el).reduce((fit, l) => fit | fitOf(l, text), 0);
    }
    case "placeholder": {
      const text = loc.text;
      return (el) => {
        const p = el.getAttribute("placeholder");
        return p === null ? 0 : fitOf(p, text);
      };
    }
    case "text": {
      // Playwright's text rule: the element's text fits and no child element's text fits as well (so the innermost
      // element that holds the whole string matches, not its ancestors).
      const text = loc.text;
      return (el) => {
        if (skipForText(el)) return 0;
        let fit = fitOf(elementText(el), text);
        for (let c = el.firstElementChild; c && fit; c = c.nextElementSibling) fit &= ~fitOf(elementText(c), text);
        if (el.shadowRoot && fit) fit &= ~fitOf(elementText(el.shadowRoot), text);
        return fit;
      };
    }
    case "testId": {
      const id = loc.id;
      return (el) => (el.getAttribute("data-testid") === id ? PART : 0);
    }
    case "column": {
      // A data cell fits as the headers over its columns fit the wanted name.
      const column = loc.column;
      const look: TableLook = new Map();
      return (el) => {
        const place = cellPlace(el, look);
        if (!place || place.header) return 0;
        return place.names.reduce((fit, n) => fit | fitOf(n, column), 0);
      };
    }
    case "css": {
      // Across open shadow roots, as Playwright's CSS engine (css.ts).
      const matches = cssMatcher(loc.selector, all !== undefined && shadowFree.has(all));
      return (el, scope) => (matches(el, scope) ? PART : 0);
    }
    default:
      throw new Error("unknown locator kind: " + JSON.stringify(loc));
  }
}

/** Is `el` inside `container`, across shadow boundaries (a shadow host contains its shadow tree)? */
function inside(el: Element, container: Element): boolean {
  for (let n: Node | null = el.parentNode; n; n = n instanceof ShadowRoot ? n.host : n.parentNode) {
    if (n === container) return true;
  }
  return false;
}

/** One level of a locator (the element or a container) as the page has it, before its position. */
interface Level {
  loc: Locator;
  /** Its candidates in document order: the matches named exactly if any, else every match containing the name. */
  found: Element[];
  /** How many fit its name whole and in part; undefined for a level without a name. */
  counts: NameCounts | undefined;
}

const positioned = (found: Element[], nth: Locator["nth"]): Element[] =>
  nth === "last" ? found.slice(-1) : typeof nth === "number" ? found.slice(nth, nth + 1) : found;

/**
 * The levels of a locator, the element first, then its containers outward: visible matches in document order,
 * narrowed by text and container (Playwright's filter({visible}), filter({hasText}), scope.locator()), then the
 * name rule (src/core/name-match.ts). With `shownOnly` false, matches shown or not (for where a table is, not what shows).
 * With `ariaHiddenToo`, roles count what is hidden from assistive technology too, at every level (only for a message).
 */
function levelsOf(
  loc: Locator,
  all: Element[],
  shownOnly = true,
  shown: (el: Element) => boolean = isVisible,
  ariaHiddenToo = false,
): Level[] {
  const outer = loc.within ? levelsOf(loc.within, all, shownOnly, isVisible, ariaHiddenToo) : [];
  const containers = loc.within ? positioned(outer[0].found, loc.within.nth) : null;
  const fitOfEl = matcherFor(loc, shownOnly, all, ariaHiddenToo);
  const named = wantedNameOf(loc) !== undefined;
  const hasText = loc.hasText;
  const lax: Element[] = [];
  const exact: Element[] = [];
  // CSS in a container is matched inside it, where every compound of the selector matches (css.ts): it may match
  // what it does not match on the whole page (`:not(section .x)` inside a section).
  const scoped = containers !== null && loc.by === "css";
  for (const el of all) {
    const fit = scoped ? (containers.some((c) => inside(el, c) && fitOfEl(el, c)) ? PART : 0) : fitOfEl(el);
    if (!fit || (shownOnly && !shown(el))) continue;
    if (hasText !== undefined && !laxMatch(elementText(el), hasText)) continue;
    if (containers && !scoped && !containers.some((c) => inside(el, c))) continue;
    if (fit & PART) lax.push(el);
    if (named && fit & WHOLE) exact.push(el);
  }
  // A text to contain is no name: it has no whole to prefer, and several matches containing it pick none, as a name
  // that several contain only in part picks none (Playwright's strictness; src/core/name-match.ts).
  const counts = named
    ? { exact: exact.length, containing: lax.length }
    : hasText !== undefined
      ? { exact: 0, containing: lax.length }
      : undefined;
  // A selector list's matches come in tree order in Playwright (sortInDOMOrder), not a root at a time.
  const ordered = loc.by === "css" && isSelectorList(loc.selector) ? treeOrder(lax) : lax;
  const found = counts && candidatesAreExact(counts) ? exact : ordered;
  return [{ loc, found, counts }, ...outer];
}

/** The locator's visible matches (or, with `shownOnly` false, its matches shown or not): its candidates by the name rule, then its position. */
export function matchesOf(loc: Locator, all: Element[] = allElements(), shownOnly = true): Element[] {
  return positioned(levelsOf(loc, all, shownOnly)[0].found, loc.nth);
}

/** The names a level's candidates have, as its kind names things (for a message). */
function namesOf(loc: Locator, found: Element[]): string[] {
  switch (loc.by) {
    case "role":
      return found.map((el) => accessibleName(el));
    case "label":
      return found.map((el) => labelsFor(el).find((l) => laxMatch(l, loc.text)) ?? "");
    case "placeholder":
      return found.map((el) => el.getAttribute("placeholder") ?? "");
    case "column": {
      const look: TableLook = new Map();
      return found.map((el) => cellPlace(el, look)?.names.find((n) => laxMatch(n, loc.column)) ?? "");
    }
    default:
      return found.map((el) => elementText(el));
  }
}

/** `2 buttons contain "Ad" ("Remove Bread", "Add to cart") and none is named exactly "Ad"`: why a level picks none. */
function ambiguityOf(level: Level): string {
  const { loc, found } = level;
  const n = found.length;
  if (wantedNameOf(loc) === undefined) {
    const many = loc.by === "role" ? countOfRole(n, loc.role) : plural(n, "element");
    // Quoted as the page draws them (a row's cells apart), not as the text they are matched by runs together.
    const shown = found.map((el) => renderedText(el));
    return `${many} contain the text "${loc.hasText ?? ""}" (${quoteList(shown, 3)})`;
  }
  const names = quoteList(namesOf(loc, found));
  switch (loc.by) {
    case "role":
      return `${countOfRole(n, loc.role)} contain "${loc.name}" (${names}) and none is named exactly "${loc.name}"`;
    case "label":
      return `${plural(n, "field")} have a label containing "${loc.text}" (${names}) and none is labelled exactly "${loc.text}"`;
    case "placeholder":
      return `${plural(n, "field")} have a placeholder containing "${loc.text}" (${names}) and none has exactly "${loc.text}"`;
    case "column":
      return `${plural(n, "cell")} are in columns whose header contains "${loc.column}" (${names}) and none is headed exactly "${loc.column}"`;
    default:
      return `${plural(n, "element")} contain the text "${wantedNameOf(loc) ?? ""}" (${names}) and none has exactly that text`;
  }
}

/**
 * Why the phrase names no one element for an action on one (src/core/name-match.ts, ambiguousLevel): what its
 * ambiguous level's words fit; "" when it names one.
 */
function ambiguity(levels: Level[]): string {
  const i = ambiguousLevel(
    levels.map(({ loc, counts }) => ({ l: loc, counts })),
    levels[0].found.length,
  );
  return i < 0 ? "" : ambiguityOf(levels[i]);
}

export function locate(locator: Locator): InPageResult {
  const levels = levelsOf(locator, allElements());
  const found = positioned(levels[0].found, locator.nth);
  const first = found[0] || null;
  let enabled = false;
  let editable = false;
  if (first) {
    enabled = isEnabled(first);
    editable = takesTyping(fieldOf(first));
  }
  return { count: found.length, first, enabled, editable, ambiguity: ambiguity(levels) };
}

/**
 * The locator's candidates by the name rule, then its position, among the elements `shown` counts as seen (its
 * containers' are the visible ones), and why the phrase names no one of them ("" when it does): for a step that
 * counts what a user sees another way (toggle.ts: a checkbox not drawn itself but through its label).
 */
export function candidatesShownBy(
  loc: Locator,
  shown: (el: Element) => boolean,
): { found: Element[]; ambiguity: string } {
  const levels = levelsOf(loc, allElements(), true, shown);
  return { found: positioned(levels[0].found, loc.nth), ambiguity: ambiguity(levels) };
}

/** Why the phrase names no one element ("" when it does), for a driver that finds elements by its own engine. */
export function ambiguityIn(locator: Locator): string {
  return ambiguity(levelsOf(locator, allElements()));
}

/** What Playwright's column selector engine (playwright.ts) finds under `root`: cells that fit whole (`exact`) or in part. */
export function columnCells(
  root: Document | Element | ShadowRoot,
  spec: { column: string; exact: boolean },
): Element[] {
  const fit = matcherFor({ by: "column", column: spec.column });
  return allElements(root).filter((el) => (fit(el) & (spec.exact ? WHOLE : PART)) !== 0);
}

/**
 * The port's columnHeaders: the header names of the tables at the matches of `within` (the table each is in, and the
 * visible tables inside it), or of the page's visible tables. The matches count shown or not: a check that a cell
 * is gone often runs on a container the page has just emptied (a <tbody> or rowgroup whose last row went is drawn
 * no more) or hidden, and the table it is in still has its columns.
 */
export function columnHeadersAt(within: Locator | null): string[] {
  if (within === null) return headersAround(null);
  const all = allElements();
  return headersAround([...new Set([...matchesOf(within, all), ...matchesOf(within, all, false)])]);
}

/** The header names of the tables at `containers` (tablesAround: the tables inside them only if visible), or of the page's visible ones. */
function headersAround(containers: Element[] | null): string[] {
  const look: TableLook = new Map();
  return tablesAround(containers, isVisible).flatMap((t) => headerNamesOf(t, look));
}

// ---- why a locator finds nothing usable: what failure messages say about the page as it is

const plural = (n: number, one: string, many = one + "s") => `${n} ${n === 1 ? one : many}`;
const quoteList = (items: string[], max = 8): string => {
  const unique = Array.from(new Set(items.map(normalize).filter(Boolean)));
  const shown = unique.slice(0, max).map((s) => `"${s.length > 60 ? s.slice(0, 60) + "…" : s}"`);
  return shown.join(", ") + (unique.length > max ? ` and ${unique.length - max} more` : "");
};

function hiddenReason(el: Element): string {
  if (hiddenForAria(el)) return "hidden from assistive technology (aria-hidden)";
  const style = getComputedStyle(el);
  if (style.display === "none" || el.closest("[hidden]")) return "not displayed";
  if (style.visibility !== "visible") return "visibility: hidden";
  // Rendered, yet of no size: an element the page has not filled yet (a live region, a toast's box) is the usual one.
  const check = (el as Element & { checkVisibility?: () => boolean }).checkVisibility;
  const rendered = typeof check === "function" && check.call(el);
  const drawn = "input, select, textarea, img, svg, canvas, video, audio, iframe, object, embed";
  // A custom element's content may be in its shadow root (closed ones cannot be read): never called empty.
  const custom = (e: Element) => e.shadowRoot !== null || e.localName.includes("-");
  const empty =
    normalize(el.textContent ?? "") === "" &&
    !el.matches(drawn) &&
    el.querySelector(drawn) === null &&
    !custom(el) &&
    !Array.from(el.querySelectorAll("*")).some(custom);
  if (rendered && empty) return "it is empty: no text or content gives it a size";
  // A toasts' region whose toasts are position: fixed: a user sees them, the region itself has no box.
  // Not one that clips what it holds (a collapsed panel: height 0, overflow hidden): that content is hidden.
  const clips = style.overflowX !== "visible" || style.overflowY !== "visible";
  if (rendered && !clips && Array.from(el.querySelectorAll("*")).some(isVisible))
    return "it has no size of its own: what it holds shows outside its box (position: fixed or absolute, floats); name what shows, or check the text with I should see";
  return "it has no size or an ancestor hides it";
}

const FIELD_ROLES = [
  "textbox",
  "searchbox",
  "combobox",
  "checkbox",
  "radio",
  "switch",
  "slider",
  "spinbutton",
  "listbox",
];

/** Roles whose text is their message, never their name: `the "Appointment booked" status` reads as if it were. */
const NAMED_BY_AUTHOR = ["status", "alert"];

/** For `the "Saved" status` that found nothing: how to find one by its text (QA14 #3); "" for other locators. */
function nameIsNotTextHint(loc: Locator & { by: "role" }): string {
  const role = loc.role.toLowerCase();
  if (loc.name === undefined || !NAMED_BY_AUTHOR.includes(role)) return "";
  const word = roleWord(role);
  return `; a ${word} is named by its aria-label or aria-labelledby, not by its text: to find one by its text, write the ${word} containing "${loc.name}"`;
}

/**
 * For `the "Notification" status` that found none: an element the page names so by aria-label or aria-labelledby
 * but that lacks the role (a toast whose role="status" was dropped: the product's accessibility, not the phrase); ""
 * when there is none. Only authored names are looked at: computing every element's name would cost a large page.
 */
function namedWithAnotherRole(loc: Locator & { by: "role" }, visible: Element[]): string {
  const wanted = loc.role.toLowerCase();
  if (loc.name === undefined) return "";
  const named = visible.find(
    (el) =>
      (el.hasAttribute("aria-label") || el.hasAttribute("aria-labelledby")) &&
      roleOf(el) !== wanted &&
      nameEquals(accessibleName(el), loc.name ?? ""),
  );
  if (!named) return "";
  const role = roleOf(named);
  return `; ${openingTag(named)} is named "${loc.name}" but is no ${roleWord(wanted)}: ${role ? `its role is ${role}` : "it has no role"}`;
}

/**
 * The document the steps look in, as a failure names it: the page, or the frame a step switched into (by its title
 * when its parent lets it be read), whose fields are not the page's.
 */
function thisDocument(): { name: string; inIt: string } {
  if (window.top === window) return { name: "the page", inIt: "on the page" };
  let title: string | null = null;
  try {
    title = window.frameElement?.getAttribute("title") ?? null;
  } catch {
    // a parent of another origin: its element cannot be read
  }
  const name = title ? `the frame titled "${title.slice(0, 60)}"` : "the frame";
  return { name, inIt: `in ${name}` };
}

/** What the page has instead, for the kind of thing the locator looks for. */
function candidates(loc: Locator, all: Element[]): string {
  const visible = all.filter((el) => isVisible(el));
  const here = thisDocument();
  switch (loc.by) {
    case "role": {
      const same = visible.filter((el) => roleOf(el) === loc.role.toLowerCase() && !hiddenForAria(el));
      const hint = namedWithAnotherRole(loc, visible) || nameIsNotTextHint(loc);
      if (same.length === 0) return `there is no visible ${roleWord(loc.role)} ${here.inIt}${hint}`;
      const names = same.map((el) => accessibleName(el));
      const named = names.filter(Boolean);
      return `${here.name} has ${countOfRole(same.length, loc.role)}${named.length ? `, named ${quoteList(named)}` : ", none of them named"}${hint}`;
    }
    case "label": {
      const fields = visible.filter(
        (el) =>
          el.matches("input:not([type=hidden]), select, textarea, [contenteditable]") ||
          FIELD_ROLES.includes(roleOf(el) || ""),
      );
      const labels = fields.flatMap((el) => labelsFor(el));
      return labels.length ? `the fields' labels are ${quoteList(labels)}` : `no field ${here.inIt} has a label`;
    }
    case "placeholder": {
      const texts = visible.map((el) => el.getAttribute("placeholder") || "").filter(Boolean);
      return texts.length ? `the placeholders are ${quoteList(texts)}` : `no field ${here.inIt} shows a placeholder`;
    }
    case "testId": {
      const ids = all.map((el) => el.getAttribute("data-testid") || "").filter(Boolean);
      return ids.length ? `the test ids are ${quoteList(ids)}` : "no element has a data-testid";
    }
    case "column":
      return missingColumn(loc, null) || `no cell of the page is in the "${loc.column}" column`;
    case "text": {
      // What it shows where the words come closest: a phrase written from the spec, or the product's text changed.
      const shown = renderedText(document.body);
      return shown.trim() ? `${here.name} shows ${excerpt(shown, loc.text)}` : `${here.name} shows no text`;
    }
    case "css":
      return "";
  }
}

/**
 * `there is no "Prise" column: the column headers are "Item", "Price"`, when no column header where the locator looks
 * (the tables of its containers, or of the page) fits its column; "" when one does.
 */
function missingColumn(loc: Locator & { by: "column" }, containers: Element[] | null): string {
  const names = headersAround(containers);
  if (names.some((n) => laxMatch(n, loc.column))) return "";
  const where = containers === null ? "on the page" : "there";
  return `there is no "${loc.column}" column: ${names.length ? `the column headers are ${quoteList(names, 12)}` : `no table ${where} has column headers`}`;
}

/**
 * Where a click on the locator's first match lands in this document, when it would get it here and only a page of
 * another origin around the frame could stop it: explain cannot look there, the driver carries the point up
 * (across-frames.ts) and says what covers the frame. Null otherwise (explain tells).
 */
export function landingBeyondOrigin(loc: Locator): { x: number; y: number } | null {
  if (topReachable()) return null;
  const first = matchesOf(loc, allElements())[0];
  if (!first || !isEnabled(first)) return null;
  return landingInFrame(first)?.at ?? null;
}

/** Why a click (or a hover) did not reach the element: pointerMissed's reason, else movingOrNow's. */
export function pointerBlocked(el: Element, input: PointerInput = "the click"): string {
  return pointerMissed(el, input) || movingOrNow(el, input);
}

/**
 * What gets a click on the element instead of it, the way both drivers click (at the centre of its part on the screen,
 * after scrolling it into view): "" when it gets the click itself. An element the screen shows none of is scrolled to
 * first, as the drivers do: after a failed click it can be anywhere, and "nothing covers it" would be no reason.
 */
function pointerMissed(el: Element, input: PointerInput): string {
  let at = landingPoint(el);
  if (!at) {
    el.scrollIntoView({ block: "center", inline: "center", behavior: "instant" });
    at = landingPoint(el);
  }
  if (!at) {
    const r = el.getBoundingClientRect();
    const s = screenRect();
    const px = (n: number) => Math.round(n);
    return `it stays off the screen when scrolled to: its box is at x ${px(r.left)}–${px(r.right)}, y ${px(r.top)}–${px(r.bottom)}, the screen shows x ${px(s.left)}–${px(s.right)}, y ${px(s.top)}–${px(s.bottom)}`;
  }
  // Before what the point hits: an inert element is passed through, so the point hits what is behind it.
  const inert = inertBy(el);
  if (inert) return inert;
  const hit = elementAt(at.x, at.y);
  if (!hit || within(hit, el)) return frameMissed(at.x, at.y, input);
  if (inside(el, hit)) return `it does not take the pointer (pointer-events: none); ${openingTag(hit)} gets ${input}`;
  return `${openingTag(hit)} covers it and would get ${input}`;
}

/**
 * What of the pages around a frame gets a click at the frame's client point (x, y) instead of it; "" if nothing, or
 * where a parent of another origin hides it (the driver looks there itself: across-frames.ts).
 */
function frameMissed(x: number, y: number, input: PointerInput): string {
  const blocker = throughFrames(x, y)?.blocker;
  return blocker && window.frameElement ? frameBlockerSaid(blocker, window.frameElement, input) : "";
}

/**
 * What makes the element inert (it takes no pointer): an inert ancestor, or a modal dialog it is outside; "" if none.
 * Inert is no part of what a phrase matches (Playwright's getByRole finds an inert element), so only the pointer
 * tells: an open dialog that hides the rest of the page is named as the cause, as an aria-hidden one is (ariaHiddenOf).
 */
function inertBy(el: Element): string {
  const inert = el.closest("[inert]");
  const modal = modalDialog();
  if (modal && !within(el, modal))
    return `it is on the page but hidden from users by ${dialogSaid(modal)} (a modal <dialog> makes the rest of the page inert); close the dialog first`;
  if (!inert) return "";
  const dialog = openDialogBeside(inert);
  if (dialog)
    return `it is on the page but hidden from users by ${dialogSaid(dialog)} (inert on ${openingTag(inert)} around it); close the dialog first`;
  return `it is inside ${openingTag(inert)}, which is inert and takes no pointer`;
}

// ---- an open dialog that hides the rest of the page from users: what a match hidden so is a near miss of

/** The <dialog> open with showModal(), which makes everything outside it inert; null for none. */
function modalDialog(): Element | null {
  try {
    return document.querySelector("dialog:modal");
  } catch {
    // A browser without :modal has no modal dialogs to tell of.
    return null;
  }
}

/**
 * The open dialog a user sees while `hider` (an aria-hidden or inert element around a match) hides the rest of the
 * page: a shown dialog or alertdialog outside it, itself neither hidden from assistive technology nor inert, one
 * marked modal (a modal <dialog>, aria-modal="true") first; null for none. MUI, Radix, Headless UI and the
 * Authoring Practices' dialogs mark the rest of the page so while theirs is open: the hider is then a container of
 * the page itself (a child of <body>, the app's root), beside the dialog's portal. A hider deeper in the page (a
 * carousel's hidden slide, a disabled wizard step) is the page's own doing, whatever dialog is open beside it.
 */
function openDialogBeside(hider: Element): Element | null {
  const parent = hider.parentElement;
  if (parent !== document.body && parent !== document.documentElement) return null;
  const open = allElements().filter(
    (el) =>
      (roleOf(el) === "dialog" || roleOf(el) === "alertdialog") &&
      !within(el, hider) &&
      !hiddenForAria(el) &&
      el.closest("[inert]") === null &&
      isVisible(el),
  );
  const modal = (el: Element) => el === modalDialog() || el.getAttribute("aria-modal") === "true";
  return open.find(modal) ?? open[0] ?? null;
}

/** `the open dialog "Delete order?"`, by its accessible name; by its opening tag when it has none. */
function dialogSaid(dialog: Element): string {
  const name = normalize(accessibleName(dialog));
  return name
    ? `the open dialog "${name.length > 60 ? name.slice(0, 60) + "…" : name}"`
    : `the open dialog ${openingTag(dialog)}`;
}

/**
 * Why a role phrase's matches, drawn on the page, count as absent: aria-hidden="true" on them or around them, which
 * takes them out of what assistive technology (and Playwright's getByRole) reaches: "" when that is not why. Named
 * for what it is to the user, the open dialog that hid them, when there is one ("no visible heading" read as if the
 * heading were gone). A near miss only: they still do not match.
 */
function ariaHiddenOf(loc: Locator, all: Element[]): string {
  if (loc.by !== "role") return "";
  const cut = levelsOf({ ...loc, nth: undefined }, all, true, isVisible, true)[0].found.filter(hiddenForAria);
  if (cut.length === 0) return "";
  const hider = cut[0].closest('[aria-hidden="true"]') as Element;
  const where = hider === cut[0] ? "on it" : `on ${openingTag(hider)} around it`;
  const matches = `${plural(cut.length, "element matches", "elements match")} on the page but ${cut.length === 1 ? "it is" : "they are"}`;
  const dialog = openDialogBeside(hider);
  if (dialog)
    return `${matches} hidden from users by ${dialogSaid(dialog)} (aria-hidden="true" ${where}); close the dialog first`;
  return `${matches} hidden from assistive technology (aria-hidden="true" ${where})`;
}

/**
 * Why a click was not let through although the element, on the screen, enabled and not inert, gets the pointer now:
 * what moves it, else that it gets it now, rather than no reason at all (the QA5 report's pw-pixel7 click said nothing).
 */
function movingOrNow(el: Element, input: PointerInput): string {
  const moving = document.getAnimations().some((a) => {
    const target = a.effect instanceof KeyframeEffect ? a.effect.target : null;
    return a.playState === "running" && target !== null && within(el, target);
  });
  const act = input === "the click" ? "a click" : "a hover";
  if (moving)
    return `it is moving (an animation or a transition runs on it or around it), and ${act} waits for it to hold still`;
  const state = input === "the click" ? "on the screen, enabled and gets" : "on the screen and gets";
  const only = input === "the click" ? "became clickable only now" : "took the pointer only now";
  return `it is ${state} the pointer at its centre now, as the wait ends: it was moving or covered until then, or ${only}`;
}

/**
 * The elements `loc` would match were they visible (on the page, but with no size or hidden by an ancestor): where the
 * phrase says (its container, its text) and by the name each would show (accname gives a hidden element none: a
 * click on a button the page hides, a menu shown only on phones, said there was no such button). A position the
 * visible matches do not reach is what misses, not a hidden element ("there are only 2 matches").
 */
function hiddenOf(loc: Locator, all: Element[]): Element[] {
  const unpositioned: Locator = { ...loc, nth: undefined };
  if (loc.nth !== undefined && matchesOf(unpositioned, all).length > 0) return [];
  const hidden = levelsOf(unpositioned, all, false)[0].found.filter((el) => !isVisible(el));
  return positioned(hidden, loc.nth);
}

/** What an element shows, in one look: the port's ShownText (session.ts), or why the phrase names no one element. */
export type InPageShownText =
  { shows: string } | { hidden: true } | { absent: string; matched?: true } | { ambiguous: string };

/**
 * The port's shownText in one call: the text its first visible match shows (rendered as textOf reads it), unless the
 * phrase names no one element; else that it is on the page but hidden; else why it is not there (explain()).
 */
export function shownText(loc: Locator): InPageShownText {
  const all = allElements();
  const levels = levelsOf(loc, all);
  const first = positioned(levels[0].found, loc.nth)[0];
  if (first) {
    const ambiguous = ambiguity(levels);
    return ambiguous ? { ambiguous } : { shows: renderedText(first) };
  }
  if (hiddenOf(loc, all).length > 0) return { hidden: true };
  const why = explain(loc);
  return why.matched ? { absent: why.why, matched: true } : { absent: why.why };
}

/**
 * Why `loc` has no usable first match, in one sentence (empty when it cannot tell); the same words on every driver.
 * `matched` when an element matches and the page keeps it from use (hidden, disabled, covered, inert, refusing the
 * focus): the product's state, not the phrase's (LocatorTimeoutError's category, session.ts notUsableInTime).
 */
export function explain(
  loc: Locator,
  want: "visible" | "enabled" | "editable" | "clickable" | "pointer" = "visible",
): Explanation {
  const all = allElements();
  if (loc.within) {
    const containers = matchesOf(loc.within, all);
    if (containers.length === 0) {
      // A container the page hides keeps what is in it from use, as a hidden element itself is.
      const inner = explain(loc.within);
      return { why: `nothing matches the container; ${inner.why || "it is not on the page"}`, matched: inner.matched };
    }
  }
  const unpositioned: Locator = { ...loc, nth: undefined };
  const found = matchesOf(unpositioned, all);
  if (loc.nth !== undefined && found.length > 0 && matchesOf(loc, all).length === 0)
    return absent(`there ${found.length === 1 ? "is" : "are"} only ${plural(found.length, "match", "matches")}`);
  const first = matchesOf(loc, all)[0];
  if (first) {
    // A hover ("pointer") reaches a disabled element as well.
    if (want !== "visible" && want !== "pointer" && !isEnabled(first)) return kept("it is disabled");
    if (want === "editable" && !locate(loc).editable) {
      // A field the page made read-only is kept from use; an element that is no field is the phrase's mistake.
      const why = "it does not take typing (read-only, or not a text field)";
      return isTextField(fieldOf(first)) ? kept(why) : absent(why);
    }
    if (want === "editable") {
      // It takes typing, and the steps focused it: the page put the focus elsewhere (a focus handler, a code
      // widget that sends it to its first empty box), where the keys would go.
      const target = focusTarget(fieldOf(first));
      const active = (target.getRootNode() as Document | ShadowRoot).activeElement;
      if (active && active !== target && active !== document.body)
        return kept(`the page moves the focus from it to ${openingTag(active)}`);
    }
    if (want === "clickable") return kept(pointerBlocked(first));
    if (want === "pointer") return kept(pointerBlocked(first, "the pointer"));
    return absent("");
  }
  const hidden = hiddenOf(loc, all);
  if (hidden.length > 0)
    return kept(
      `${plural(hidden.length, "element matches", "elements match")} but ${hidden.length === 1 ? "it is" : "they are"} hidden (${hiddenReason(hidden[0])})`,
    );
  const ariaHidden = ariaHiddenOf(loc, all);
  if (ariaHidden) return kept(ariaHidden);
  if (loc.by === "column") {
    const missing = missingColumn(loc, loc.within ? matchesOf(loc.within, all) : null);
    if (missing) return absent(missing);
  }
  if (loc.within || loc.hasText !== undefined) {
    const bare: Locator = { ...unpositioned, within: undefined, hasText: undefined };
    const elsewhere = matchesOf(bare, all).length;
    if (elsewhere > 0)
      return absent(
        `${plural(elsewhere, "element matches", "elements match")} without the narrowing, none ${loc.within ? "inside the container" : ""}${loc.within && loc.hasText !== undefined ? " or " : ""}${loc.hasText !== undefined ? `containing "${loc.hasText}"` : ""}`.replace(
          / +/g,
          " ",
        ),
      );
  }
  return absent(candidates(loc, all));
}

/** An element matches, and the page keeps it from use for `why` ("" when it cannot tell: then nothing is known). */
export function kept(why: string): Explanation {
  return { why, matched: why !== "" };
}

/** No element matches as the phrase says (or why cannot be told): `why` names what the page has instead. */
function absent(why: string): Explanation {
  return { why, matched: false };
}
