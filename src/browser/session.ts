// The BrowserSession port: everything a step may ask of a browser, identical on every driver.
import { TestDefinitionError } from "../core/errors";
import { restate, withUserFrames } from "../core/user-stack";
import { roleWord } from "../core/role-words";
import { seeNamingElements } from "../core/element-phrase";
import type { AccessibilityAuditOptions, AccessibilityViolation } from "../core/accessibility";

export type { Locator, LocatorBase } from "../core/locator";
import type { Locator, LocatorBase } from "../core/locator";

const ORDINAL_WORDS = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"];

/** 0 → "first", 11 → "12th", "last" → "last". */
export function ordinalOf(nth: number | "last"): string {
  if (nth === "last") return "last";
  if (nth < ORDINAL_WORDS.length) return ORDINAL_WORDS[nth];
  const n = nth + 1;
  const suffix = n % 100 >= 11 && n % 100 <= 13 ? "th" : (["th", "st", "nd", "rd"][n % 10] ?? "th");
  return `${n}${suffix}`;
}

function describeBase(l: LocatorBase, ordinal: string): string {
  switch (l.by) {
    // In the words a user writes (`the list item`, not ARIA's `listitem`), so a message quotes a phrase that reads back.
    case "role":
      return l.name === undefined
        ? `the ${ordinal}${roleWord(l.role)}`
        : `the ${ordinal}${roleWord(l.role)} named "${l.name}"`;
    case "label":
      return `the ${ordinal}field labelled "${l.text}"`;
    case "placeholder":
      return `the ${ordinal}field with placeholder "${l.text}"`;
    case "text":
      return `the ${ordinal}text "${l.text}"`;
    case "testId":
      return `the ${ordinal}element with test id "${l.id}"`;
    case "css":
      return `the ${ordinal}element matching "${l.selector}"`;
    case "column":
      return `the ${ordinal}cell in the "${l.column}" column`;
  }
}

/** Human-readable form of a locator, used in every timeout and failure message. */
export function describeLocator(l: Locator): string {
  const ordinal = l.nth === undefined ? "" : `${ordinalOf(l.nth)} `;
  let s = describeBase(l, ordinal);
  if (l.hasText !== undefined) s += ` containing "${l.hasText}"`;
  // A column's cell is "of" its row, as the phrase says it (element-phrase.ts).
  if (l.within) s += `${l.by === "column" ? " of" : " in"} ${describeLocator(l.within)}`;
  return s;
}

/** Thrown when an element never became actionable/visible in time; names the locator. */
export class LocatorTimeoutError extends Error {
  constructor(
    readonly locator: Locator,
    readonly timeoutMs: number,
    /** What it waited for the element to be or do ("to be clickable"). */
    readonly what = "to be visible",
    /** What the page has instead: why no match was usable, or the candidates that exist. */
    readonly detail = "",
  ) {
    super(
      `timed out after ${timeoutMs} ms waiting for ${describeLocator(locator)} ${what}${detail ? `: ${detail}` : ""}`,
    );
    this.name = "LocatorTimeoutError";
    withUserFrames(this);
  }
}

/**
 * An element the phrase names is on the page, and the page kept it from use until the step's time was up: hidden,
 * disabled, covered, inert, read-only, the focus taken from it. The product's state, not the phrase's, so a product
 * defect (core/failure-category.ts); a phrase that matches nothing stays a LocatorTimeoutError, a test defect.
 */
export class ElementNotUsableError extends LocatorTimeoutError {
  constructor(locator: Locator, timeoutMs: number, what: string, detail: string) {
    super(locator, timeoutMs, what, detail);
    this.name = "ElementNotUsableError";
    restate(this, this.message); // the stack's first line, which reporters print, was written with the parent's name
  }
}

/**
 * Why a locator has no usable match (the in-page explain()): `why` in words, "" when it cannot tell; `matched` when
 * an element matches and the page keeps it from use.
 */
export interface Explanation {
  why: string;
  matched: boolean;
}

/** What is known when the page could not be asked why: nothing. */
export const NOT_EXPLAINED: Explanation = Object.freeze({ why: "", matched: false });

/** The error for a locator with no usable match in time: ElementNotUsableError when one matched, as `why` says. */
export function notUsableInTime(l: Locator, timeoutMs: number, what: string, why: Explanation): LocatorTimeoutError {
  return why.matched
    ? new ElementNotUsableError(l, timeoutMs, what, why.why)
    : new LocatorTimeoutError(l, timeoutMs, what, why.why);
}

/**
 * Signoff's in-page script threw in the page: a page that broke a built-in the script uses, or a Signoff defect to
 * report. Said at once, never waited out as "not found yet". (A CSS selector the browser cannot read is refused
 * before the script runs: UnreadableSelectorError.)
 */
export class InPageError extends Error {
  constructor(fn: string, thrown: string) {
    super(`Signoff's in-page ${fn} failed in the page: ${thrown}`);
    this.name = "InPageError";
    withUserFrames(this);
  }
}

/**
 * A CSS phrase (`the element matching "…"`) whose selector the browser's own CSS parser refuses: a selector with a
 * typo, or Playwright's own syntax (`>>`, `:has-text()`, `text=`), which Playwright would read and Selenium's
 * browser would not. Said in these words on both drivers. A test defect.
 */
export class UnreadableSelectorError extends TestDefinitionError {
  constructor(readonly selector: string) {
    super(
      `"${selector}" is not a CSS selector the browser can read: fix it, or name the element as a user would ` +
        `(${seeNamingElements()}); Playwright's own syntax (>>, :has-text(), text=) is not CSS`,
    );
    this.name = "UnreadableSelectorError";
    withUserFrames(this);
  }
}

/**
 * A check step's phrase names something that is no checkbox, radio button or switch (a link, a button): it is neither
 * clicked nor read as checked. A test defect, said at once: waiting would not make it one.
 */
export class NotCheckableError extends TestDefinitionError {
  constructor(readonly locator: Locator) {
    super(
      `${describeLocator(locator)} is not a checkbox, radio button or switch: only those are checked, unchecked or read as checked`,
    );
    this.name = "NotCheckableError";
    withUserFrames(this);
  }
}

/** What a hover waits for, in LocatorTimeoutError's words: the element to get the pointer at its centre. */
export const HOVER_WAIT = "to be hovered over";

/** What a check or uncheck step waits for, in LocatorTimeoutError's words. */
export function toggleWait(checked: boolean): "to be checked" | "to be unchecked" {
  return checked ? "to be checked" : "to be unchecked";
}

/**
 * The element was found and acted on, and left the page before the driver could say whether the action reached it
 * (the page replaced it meanwhile). Not retried, since a click that did reach it may have navigated or submitted.
 */
export class ElementLeftPageError extends Error {
  constructor(readonly locator: Locator) {
    super(
      `${describeLocator(locator)} left the page while the browser acted on it (the page replaced it): whether the action reached it is unknown, so it is not tried again`,
    );
    this.name = "ElementLeftPageError";
    withUserFrames(this);
  }
}

/**
 * The frame steps act in (I switch into …) is no longer in the page, and none matches its phrase again: the page
 * removed it. Steps do not go on in the page instead, where a same-named element could be acted on in its place.
 */
export class FrameGoneError extends Error {
  constructor(readonly locator?: Locator) {
    super(
      `the frame the steps act in${locator ? ` (${describeLocator(locator)})` : ""} left the page, and no frame matches it there now: the page removed it`,
    );
    this.name = "FrameGoneError";
    withUserFrames(this);
  }
}

/**
 * Thrown by an action on one element (click, fill, reading its text…) when the phrase's name fits several elements
 * only in part and none whole (src/core/name-match.ts): acting on one of them would be a guess. A test defect.
 */
export class AmbiguousLocatorError extends TestDefinitionError {
  constructor(
    readonly locator: Locator,
    /** What the words fit: `2 buttons contain "Ad" ("Remove Bread", "Add to cart") and none is named exactly "Ad"`. */
    readonly detail: string,
  ) {
    super(`${describeLocator(locator)} is ambiguous: ${detail}; write more of its words, or a position`);
    this.name = "AmbiguousLocatorError";
    withUserFrames(this);
  }
}

/** An <input> that takes its value whole rather than typed (date, time, month, week, datetime-local, color, range) after a fill. */
export interface ValueFieldState {
  /** Its type, lower case. */
  type: string;
  /** Its value now. */
  holds: string;
  /** Whether that is the value filled in (in the browser's spelling: #ff0000 for #FF0000, 7 for 7.0 in a range). */
  took: boolean;
  /** A range's bounds and step, as it has them or by default ("0", "100", "1"). */
  min: string;
  max: string;
  step: string;
}

/** The HTML format a value field takes, in a failure's words. */
function valueFormat(f: ValueFieldState): string {
  switch (f.type) {
    case "date":
      return "YYYY-MM-DD";
    case "time":
      return "HH:MM";
    case "datetime-local":
      return "YYYY-MM-DDTHH:MM";
    case "month":
      return "YYYY-MM";
    case "week":
      return "YYYY-Www";
    case "color":
      return "#rrggbb";
    default:
      return (
        `a number from ${f.min} to ${f.max}` +
        (f.step === "1" || f.step.toLowerCase() === "any" ? "" : ` in steps of ${f.step}`)
      );
  }
}

/**
 * Thrown by a fill when the field does not hold the value afterwards: a date, time, month, week, datetime-local,
 * color or range field takes its value in the HTML format only, and the browser turns any other into "" (or a
 * default). The step is written wrong: a test defect.
 */
export class FieldValueRefusedError extends TestDefinitionError {
  constructor(
    readonly locator: Locator,
    readonly value: string,
    readonly field: ValueFieldState,
  ) {
    super(
      `${describeLocator(locator)} (type=${field.type}) does not take "${value}": a ${field.type} field takes ` +
        `${valueFormat(field)} (it holds "${field.holds}")`,
    );
    this.name = "FieldValueRefusedError";
    withUserFrames(this);
  }
}

/** What a select offers, for a failure to choose an option in it: the first few labels, the same on every driver. */
export function offeredOptions(labels: readonly string[]): string {
  if (labels.length === 0) return "it offers no option";
  const shown = labels.slice(0, OPTIONS_SHOWN).map((l) => `"${l}"`);
  const more = labels.length - shown.length;
  return `it offers ${shown.join(", ")}${more > 0 ? ` and ${more} more` : ""}`;
}

/** How many of a select's options a failure lists: enough to spot the right spelling, short enough for one line. */
const OPTIONS_SHOWN = 10;

/** A tab's title contains `part` by the name rule: case-insensitive, runs of whitespace as one. */
export function titleIncludes(title: string, part: string): boolean {
  const norm = (t: string) => t.replace(/\s+/g, " ").trim().toLowerCase();
  return norm(title).includes(norm(part));
}

/** Thrown when no other tab (with that title) opened in time. */
export class NoNewTabError extends Error {
  /** `here`: the URL the steps' own tab shows, which is where a link that lost its target="_blank" opened. */
  constructor(timeoutMs: number, title: string | undefined, titles: readonly string[], here: string) {
    super(
      `timed out after ${timeoutMs} ms waiting for ${title === undefined ? "a new tab" : `a tab titled "${title}"`}: ` +
        (titles.length === 0
          ? `the page opened no other tab (this one shows ${here})`
          : `the other tabs are titled ${titles.map((t) => `"${t}"`).join(", ")}`),
    );
    this.name = "NoNewTabError";
    withUserFrames(this);
  }
}

/** The name of a storage area as a user says it. */
export function storageName(area: StorageArea): string {
  return area === "local" ? "local storage" : "session storage";
}

/**
 * Web Storage belongs to a page's origin, and the document steps act in has none (about:blank before any page is
 * opened, a data: URL): a storage step before its page is a test written in the wrong order.
 */
export class NoPageForStorageError extends TestDefinitionError {
  constructor(area: StorageArea, href: string) {
    super(
      `${storageName(area)} belongs to the site of the open page, and ${href === "about:blank" ? "no page is open yet (about:blank)" : `${href} is no page of a site`}: open a page of the site first, e.g. Given I open "/"`,
    );
    this.name = "NoPageForStorageError";
    withUserFrames(this);
  }
}

/** The browser will not take a cookie as written (a name with a space, a value with ";", a URL that is no web address). */
export class CookieRefusedError extends TestDefinitionError {
  constructor(name: string, why: string) {
    super(`the cookie "${name}" cannot be set: ${why}`);
    this.name = "CookieRefusedError";
    withUserFrames(this);
  }
}

/**
 * The target cannot read or set cookies by URL: a remote end (a Grid) that passes no DevTools command through, where
 * WebDriver's cookie commands reach only the open page's cookies (never HttpOnly ones by URL, nor before a page).
 * The environment's limit, not the product's or the test's.
 */
export class CookiesUnavailableError extends Error {
  constructor(target: string) {
    super(
      `cookies cannot be read or set by URL here: ${target} passes no DevTools command (Network.getCookies, Network.setCookie) through`,
    );
    this.name = "CookiesUnavailableError";
    withUserFrames(this);
  }
}

/** A file the page had the browser download: what a user sees in the browser's download list. */
export interface Download {
  /**
   * The name the browser would save it as (its suggested file name): the link's `download` attribute, else the
   * answer's Content-Disposition file name, else the last part of its URL.
   */
  fileName: string;
  /** Where it came from: an http(s) URL, or a blob: or data: URL a page script made. */
  url: string;
  /**
   * "in progress" until the browser has it whole; "canceled" when the browser gave it up: cancelled, or the
   * transfer failed (Chromium reports both alike).
   */
  state: "in progress" | "completed" | "canceled";
}

/** The head of a downloaded file: `bytes` are all of it when `whole`. */
export interface DownloadContent {
  bytes: Buffer;
  whole: boolean;
}

/**
 * The target cannot report the browser's downloads: a Selenium remote end (a Grid), whose browser saves them on its
 * own machine, out of Signoff's reach, and sends no download events back. The environment's limit.
 */
export class DownloadsUnavailableError extends Error {
  constructor(target: string, why: string) {
    super(
      `downloads cannot be checked here: ${target} ${why}; check downloads on a local target (Playwright, or Selenium with a local chromedriver)`,
    );
    this.name = "DownloadsUnavailableError";
    withUserFrames(this);
  }
}

/** Thrown when the browser or driver process died under the session. */
export class BrowserCrashedError extends Error {
  constructor(reason: string) {
    super(`browser crashed: ${reason}`);
    this.name = "BrowserCrashedError";
    withUserFrames(this);
  }
}

/** What an element shows at one look (BrowserSession.shownText); `matched` with `absent`: one matches, kept from use. */
export type ShownText = { shows: string } | { hidden: true } | { absent: string; matched?: true };

/** Something that went wrong in the page during the scenario. */
export interface PageProblem {
  kind: "page error" | "console error" | "failed request";
  /** The error's message, the console text, or "<status or net::ERR_…> <url>". */
  message: string;
  /** A failed request's URL. */
  url?: string;
  /** The HTTP status a failed request was answered with; absent when it got no answer (net::ERR_…). */
  status?: number;
  /**
   * A page or console error's script: its URL (the page's, for a script written in the page), where the browser
   * says it; what tells an error of an earlier page of the scenario from one of the page a step checks.
   */
  script?: string;
}

export interface DocumentAnswer {
  url: string;
  /**
   * The HTTP status the URL shown was answered with; 0 when there is none to tell: a document with no answer of its own
   * (about:blank, Chrome's error page, one written by script), or one whose script has since moved it to another URL
   * (history.pushState: the status was the first URL's), or a frame's when only the frame can be read.
   */
  status: number;
  /** The status is one a step asked for (`I open "/gone" expecting status 404`). */
  expected?: true;
}

/**
 * Reads a DocumentAnswer in the page (without `expected`): its navigation timing entry's responseStatus, when that
 * entry is the URL shown, in the top-level document.
 */
export const DOCUMENT_ANSWER_EXPRESSION = `(() => {
  const nav = performance.getEntriesByType("navigation")[0];
  const bare = (u) => u.replace(/#.*$/s, "");
  const own = nav && window === window.top && bare(nav.name) === bare(location.href);
  return { url: location.href, status: own && typeof nav.responseStatus === "number" ? nav.responseStatus : 0 };
})()`;

/** `answer`, saying so when a step asked for its status (as unexpectedProblems tells those answers). */
export function withExpected(answer: DocumentAnswer, expected: readonly ExpectedAnswer[]): DocumentAnswer {
  const asked = expected.some(
    (e) => withoutFragment(e.url) === withoutFragment(answer.url) && e.status === answer.status,
  );
  return asked ? { ...answer, expected: true } : answer;
}

/** A page problem as a failure message lists it: `page error: boom (in http://…/app.js)`. */
export function problemLine(p: PageProblem): string {
  return `${p.kind}: ${p.message}${p.script ? ` (in ${p.script})` : ""}`;
}

/** The script URL of an error's stack's first frame (`at f (http://…/app.js:7:9)`), if it names one on the web. */
export function scriptOfStack(stack: string | undefined): string | undefined {
  const frame = /^\s+at (?:[^\n]*? \()?(https?:\/\/[^\s)]+?):\d+:\d+\)?$/m.exec(stack ?? "");
  return frame?.[1];
}

/**
 * How long the page must have had no request in flight to count as settled. An app sends the next request of a
 * chain (the user, then their orders) or renders an answer within a few tasks of the last one, well under 100 ms;
 * 300 ms leaves room for a loaded machine (2 cores shared by browsers and workers) while adding at most that to a
 * check on a page that had just finished loading or answering.
 */
export const QUIET_MS = 300;

/**
 * A request with no answer after this long is taken for a long-lived one (a long poll, a stream over fetch) and
 * no longer waited for: otherwise every check on an app that keeps one open would wait its whole timeout. An API
 * slower than this is judged while it is still under way (check first for what it brings).
 */
export const LONG_LIVED_MS = 2000;

/**
 * A timer the page set for at most this long counts as pending work until it fires (unless another timer set it:
 * see in-page/requests.ts). What an app defers on purpose before it fetches or shows something is shorter: a
 * debounce (150–500 ms), a deferred load, a retry, an error shown half a second later. A longer timer is a
 * timeout, an auto-dismiss, a reminder or a poll's period, which a check should not wait for. It adds at most this
 * (plus QUIET_MS) to a negative check, and stays under LONG_LIVED_MS, so a counted timer is never taken for a
 * long-lived connection unless it is over a second late (a frame removed before it fired: then it stops counting).
 */
export const SHORT_TIMER_MS = 1000;

/**
 * Whether the page settled (settle()): quiet means no fetch or XMLHttpRequest of its own was in flight and no timer
 * of up to SHORT_TIMER_MS it set was pending for the quiet window; not quiet means the deadline came first.
 */
export interface SettleOutcome {
  quiet: boolean;
  /**
   * Quiet: the long-lived requests it did not wait for. Not quiet: the requests still in flight and the timers
   * still pending ("a timer (500 ms)") at the deadline.
   */
  open: string[];
  /**
   * With SettleOptions.waitForRequestsSince, not quiet: the requests started since then still in flight at the
   * deadline after more than LONG_LIVED_MS (what the action asked for and never got an answer to).
   */
  overdue?: string[];
}

/** How settle() waits beyond its rule. */
export interface SettleOptions {
  /**
   * A time (Date.now()) of an action whose answer the caller must see (a submit): the requests the page started
   * since then are waited for however long they stay open, never taken for long-lived connections.
   */
  waitForRequestsSince?: number;
}

/** What a settle outcome says about the page, for a log or a message; "" when there is nothing to say. */
export function describeSettle(o: SettleOutcome, timeoutMs: number): string {
  const list = (xs: string[]) => xs.slice(0, 5).join(", ") + (xs.length > 5 ? ` and ${xs.length - 5} more` : "");
  if (!o.quiet) return `the page was not quiet after ${timeoutMs} ms; still in flight: ${list(o.open)}`;
  if (o.open.length > 0)
    return `not waited for (open for over ${LONG_LIVED_MS / 1000} s, taken for long-lived connections): ${list(o.open)}`;
  return "";
}

/** One option of a native drop-down (<select>), as a user sees it. */
export interface SelectOption {
  /** What the drop-down shows for it: its label attribute, else its text, whitespace runs as one (not its value). */
  label: string;
  selected: boolean;
  /** It shows greyed out and cannot be chosen (itself or its optgroup disabled). */
  disabled: boolean;
  /** It is not shown in the list (the hidden attribute, display: none), as a "Choose…" placeholder often is. */
  hidden: boolean;
}

/**
 * A drop-down's options as a user sees them: a native <select>'s in document order (optgroups flattened), an ARIA
 * listbox's (`listbox: true`; selected is aria-selected, multiple is aria-multiselectable), what an ARIA combobox
 * shows and its popup's options; for any other element, its opening tag.
 */
export type SelectOptions =
  | { options: SelectOption[]; multiple: boolean; listbox?: true }
  | { combobox: ComboboxOptions }
  | { notASelect: string };

/** An ARIA combobox (role combobox, or a button that pops up a listbox) as a user sees it. */
export interface ComboboxOptions {
  /**
   * What it shows as chosen, whitespace runs as one: its text field's value (an editable one), else its text without
   * what it hides from assistive technology (an icon). Never its popup's aria-activedescendant or aria-selected: while
   * the list is open the first follows the option the keyboard is on, and in some patterns the second does too.
   */
  shows: string;
  /** It holds a text field the user types into (an `<input role="combobox">`, or ARIA 1.1's textbox inside it). */
  editable: boolean;
  /** Its popup listbox's options while the popup is shown (aria-controls, aria-owns); null while it is not. */
  options: SelectOption[] | null;
  /** Why options is null, a clause for a message: `its popup "topic-list" is not on the page`; "" when shown. */
  notShown: string;
}

/** Thrown when a drop-down step names an element that is none: what it is instead. A test defect. */
export class NotADropdownError extends TestDefinitionError {
  constructor(
    readonly locator: Locator,
    /** Its opening tag: `<input type="text">`. */
    readonly tag: string,
    /** What that leaves the step without: `it has no option "Bug report" to choose`. */
    consequence: string,
  ) {
    super(
      `${describeLocator(locator)} is ${tag}, not a drop-down (a <select>, or an element with role combobox or ` +
        `listbox): ${consequence}`,
    );
    this.name = "NotADropdownError";
    withUserFrames(this);
  }
}

/**
 * Whether a form field is invalid by the browser's constraint validation (validity.valid) or by the page's aria-invalid,
 * or a form's or fieldset's fields together; a widget the page draws (a role such as textbox) by its aria-invalid
 * alone; for an element neither judges, that element's opening tag.
 */
export type FieldValidity =
  | {
      valid: boolean;
      /**
       * The constraints that fail, by the API's names, the same in every language (valueMissing, typeMismatch…), and
       * the page's mark (`aria-invalid="true"`); for a form or fieldset, each invalid field's with its name:
       * `"Email" (typeMismatch)`.
       */
      failing: string[];
      /** Why the browser leaves the field out of validation ("disabled", "read-only"…); "" when it validates it. */
      notValidated: string;
    }
  | { notAField: string };

/** A cookie as the browser keeps it (HttpOnly ones too: the port reads them as the browser sends them, not as a script sees them). */
export interface Cookie {
  name: string;
  value: string;
  /** The host it is for ("shop.example.com": that host only), or a domain with a leading dot (".example.com": it and its subdomains). */
  domain: string;
  path: string;
  /** When it expires, in seconds since the epoch; null for a session cookie (gone when the browser closes). */
  expires: number | null;
  httpOnly: boolean;
  secure: boolean;
  /** "" when the cookie did not say (browsers then treat it as Lax). */
  sameSite: "Strict" | "Lax" | "None" | "";
}

/** A cookie to set, as if `url` had answered with Set-Cookie. */
export interface CookieToSet {
  name: string;
  value: string;
  /** Where it is set: a cookie for that host only (no Domain attribute), over its scheme. */
  url: string;
  /** Default "/": the whole site, as a consent banner or a feature flag sets it. */
  path?: string;
  /** In seconds since the epoch; absent: a session cookie. */
  expires?: number;
  httpOnly?: boolean;
  secure?: boolean;
  sameSite?: "Strict" | "Lax" | "None";
}

/** The page's two Web Storage areas: localStorage ("local") and sessionStorage ("session"). */
export type StorageArea = "local" | "session";

/** One Web Storage area of a page's origin, in the browser's key order. */
export interface WebStorage {
  /** The origin it belongs to, e.g. "https://shop.example.com". */
  origin: string;
  items: Array<{ key: string; value: string }>;
}

/** States an assertion may ask about; "checked" fails on an element that cannot be checked. */
export type ElementStateName = "checked" | "enabled" | "focused" | "editable";

/** A native dialog (alert, confirm, prompt, beforeunload) the session handled. */
export interface DialogSeen {
  message: string;
  /** What was done with it. */
  action: "accept" | "dismiss";
}

export interface ViewportMetrics {
  /** CSS pixels of the layout viewport. */
  viewportWidth: number;
  viewportHeight: number;
  /** document.documentElement.scrollWidth: wider than viewportWidth means horizontal scroll. */
  scrollWidth: number;
  devicePixelRatio: number;
  userAgent: string;
  /** navigator.maxTouchPoints > 0 */
  touch: boolean;
}

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * One scenario's view of a browser, starting from a clean slate (no cookies, storage, cache or history).
 *
 * Waiting rules, the same on every adapter:
 * - actions (click, fill, press on an element, check, select) wait up to `actionTimeoutMs` for the
 *   first matching element to be visible and enabled, then act; they throw LocatorTimeoutError.
 * - queries (count, isVisible, textOf, boundingBox) answer immediately about the page as it is now;
 *   textOf/boundingBox wait like actions for the element to exist and be visible.
 * - navigation (goto, reload, back) waits for the load event, up to `navigationTimeoutMs`.
 * Assertions that should "eventually" hold poll these queries (see steps/support/eventually.ts).
 * A locator's name (a role's name, a label, a placeholder, a text) picks its candidates by the name rule
 * (src/core/name-match.ts): the matches named exactly if any, else every match containing the name; a position
 * counts among the candidates, and count/isVisible count them. An action on one element acts on the first
 * candidate in document order, and throws AmbiguousLocatorError when the name fits several only in part.
 */
export interface BrowserSession {
  /**
   * Load a page. A 5xx answer is a StagingServerError, a 4xx a PageStatusError, unless `expectStatus` names
   * the status the scenario expects (then any other status is a PageStatusError); no answer at all (the
   * connection refused or dropped, the name not found) is a StagingError.
   */
  goto(url: string, expectStatus?: number): Promise<void>;
  reload(): Promise<void>;
  back(): Promise<void>;
  url(): Promise<string>;
  title(): Promise<string>;

  click(l: Locator): Promise<void>;
  /** Clear the field and type the value. */
  fill(l: Locator, value: string): Promise<void>;
  /** Press a key (Playwright key names: "Enter", "Tab", "ArrowDown"...), on an element or the page. */
  press(key: string, l?: Locator): Promise<void>;
  setChecked(l: Locator, checked: boolean): Promise<void>;
  /**
   * Choose an option by its visible label: of a native <select>; of an ARIA listbox (clicking it); of an ARIA combobox,
   * as a user does: open it (a click, else ArrowDown), type the label into an editable one whose options do not show
   * it, click the option in its popup (aria-controls, aria-owns). An option it lacks or one that is disabled is a
   * LocatorTimeoutError naming the options offered; an element that is no drop-down a NotADropdownError.
   */
  selectOption(l: Locator, label: string): Promise<void>;

  /** Type after the field's current text (the caret moved to the end), without clearing it. */
  typeText(l: Locator, value: string): Promise<void>;
  doubleClick(l: Locator): Promise<void>;
  /** A right click (the context-menu button). */
  rightClick(l: Locator): Promise<void>;
  /** Move the mouse over the element (what appears on hover appears). */
  hover(l: Locator): Promise<void>;
  focus(l: Locator): Promise<void>;
  blur(l: Locator): Promise<void>;
  scrollIntoView(l: Locator): Promise<void>;
  /** Drag the first element and drop it on the second (HTML5 drag and drop and mouse-driven dragging). */
  dragTo(source: Locator, target: Locator): Promise<void>;
  /** Choose files in a file input; absolute paths. */
  uploadFiles(l: Locator, paths: string[]): Promise<void>;
  /**
   * What to do with the native dialogs (alert, confirm, prompt, beforeunload) that open from now on:
   * accept (answering a prompt with `promptText`) or dismiss. Until a step says otherwise, dismiss.
   */
  handleDialogs(action: "accept" | "dismiss", promptText?: string): Promise<void>;
  /** The native dialogs handled so far in this session, oldest first. */
  dialogs(): Promise<DialogSeen[]>;
  /** Act inside the iframe this locator finds (nested calls go deeper) until leaveFrame(). */
  enterFrame(l: Locator): Promise<void>;
  /** Back to the top-level page. */
  leaveFrame(): Promise<void>;
  /**
   * Act in another tab the page opened (a link with target=_blank, window.open) from now on: the newest one, or
   * the newest whose title contains `title` (case-insensitive). Waits like an action for it to open, then for its
   * load event. The scenario's reset closes it (every tab but the session's own).
   */
  switchToNewTab(title?: string): Promise<void>;

  count(l: Locator): Promise<number>;
  isVisible(l: Locator): Promise<boolean>;
  /** innerText of the first match (visible text, whitespace as rendered). */
  textOf(l: Locator): Promise<string>;
  /**
   * What the element shows, in one look at the page as it is now (never waited for): its first visible match's text,
   * read as textOf reads it; `hidden` when it matches only elements on the page but hidden (an emptied live region
   * has no size); `absent`, saying why as explain() does, when it is not on the page. AmbiguousLocatorError when its
   * words fit several matches only in part, as textOf.
   */
  shownText(l: Locator): Promise<ShownText>;
  /** Current value of an input/textarea/select. */
  valueOf(l: Locator): Promise<string>;
  /**
   * The options of the first match when it is a drop-down (what it is instead, when not); waits like textOf. A closed
   * ARIA combobox's popup options are null, unless `show`: then it is opened as selectOption opens it, read once its
   * options show and the page settled, and closed again with Escape (one that was open stays open).
   */
  optionsOf(l: Locator, options?: { show?: boolean }): Promise<SelectOptions>;
  /** The native validity of the first match (a field, or a form's fields); waits like textOf. */
  validityOf(l: Locator): Promise<FieldValidity>;
  /**
   * The names of the column headers of the tables at the matches of `within`, in column order: the table each match
   * is or is in, and the visible tables it holds; the matches and their tables count drawn or not (an emptied
   * <tbody> is drawn no more, its table has its columns still). Without `within`, every visible table of the page.
   * Answers immediately.
   */
  columnHeaders(within?: Locator): Promise<string[]>;
  /**
   * axe-core's accessibility violations of the document steps act in (its frames left out), or of the first match of
   * `within` and what it holds (waiting like textOf for it); answers once, about the page as it is now.
   */
  accessibilityViolations(options: AccessibilityAuditOptions, within?: Locator): Promise<AccessibilityViolation[]>;
  /**
   * Resolves once the page has settled: no fetch or XMLHttpRequest of its own in flight (one open for over
   * LONG_LIVED_MS is not waited for; WebSocket and EventSource never count) and no timer of up to SHORT_TIMER_MS
   * it set pending (except one another timer set) for QUIET_MS since the last one ended or the page loaded; or at
   * `timeoutMs`, saying what was still in flight (see settle.ts). `options` waits for an action's own requests
   * however long they take.
   */
  settle(timeoutMs: number, options?: SettleOptions): Promise<SettleOutcome>;
  /** What went wrong in the page since the session began: uncaught errors, console errors, failed requests. */
  pageProblems(): Promise<PageProblem[]>;
  /**
   * The page's own fetch and XMLHttpRequest requests in flight now ("GET http://…/api/trips"), and for how long (ms),
   * as the settle tracker counts them; none when the page has no tracker.
   */
  requestsInFlight(): Promise<{ what: string; age: number }[]>;
  /**
   * The top-level document the page shows now and the HTTP status its URL was answered with, as the page itself knows
   * it (a form's POST answered 403 included): what tells a check failing on an error page from one failing on the page
   * it expected. Waits for a busy page as an evaluate does.
   */
  documentAnswer(): Promise<DocumentAnswer>;
  /** Why the locator finds nothing usable (hidden, outside its container, the candidates there are); "" when it does. */
  explain(l: Locator): Promise<string>;
  /** A state of the first match, waiting like textOf for it to be visible. */
  stateOf(l: Locator, state: ElementStateName): Promise<boolean>;
  /** An attribute of the first match (null when absent), waiting like textOf. */
  attributeOf(l: Locator, name: string): Promise<string | null>;
  /**
   * What describes the first match to a user beside its name (its accessible description, then its error message
   * while it is invalid: in-page/accessible-name.ts), whitespace runs as one; "" when nothing does. Waits like textOf.
   */
  descriptionOf(l: Locator): Promise<string>;
  /** A computed CSS property of the first match (e.g. "text-decoration-line"), waiting like textOf. */
  styleOf(l: Locator, property: string): Promise<string>;
  /** Bounding box in CSS pixels relative to the viewport's top-left corner. */
  boundingBox(l: Locator): Promise<Rect>;
  /** innerText of the whole body. */
  bodyText(): Promise<string>;
  viewport(): Promise<ViewportMetrics>;

  /**
   * The cookies the browser would send with a request to `url` (an http or https URL), HttpOnly ones included; asks
   * the browser's cookie store, so no page needs to be open.
   */
  cookies(url: string): Promise<Cookie[]>;
  /**
   * Sets a cookie as if its URL had answered with Set-Cookie, before any page is opened too (the next request to the
   * URL sends it). A name, value or URL no browser takes is a CookieRefusedError (a test defect).
   */
  setCookie(cookie: CookieToSet): Promise<void>;
  /**
   * The localStorage or sessionStorage of the document steps act in (the frame, if one was entered); that document
   * must be a page of a site (http or https), else NoPageForStorageError (no page opened yet: about:blank).
   */
  storage(area: StorageArea): Promise<WebStorage>;
  /** Sets one item of that document's localStorage or sessionStorage; NoPageForStorageError as storage(). */
  setStorageItem(area: StorageArea, key: string, value: string): Promise<void>;

  /**
   * The downloads the page, or a tab it opened, started during this session, oldest first, as they stand now (one in
   * progress is not waited for). Their files are kept where only this session sees them and go when it closes (a
   * download still in progress then is cancelled, or its file deleted under it). DownloadsUnavailableError where the
   * target cannot report them.
   */
  downloads(): Promise<Download[]>;
  /**
   * The first `maxBytes` of a completed download's file, by its index in downloads(); `whole` is false when the file
   * is longer. Reads no more than that into memory.
   */
  downloadContent(index: number, maxBytes: number): Promise<DownloadContent>;

  screenshot(): Promise<Buffer>;
  pageSource(): Promise<string>;

  /** Release the scenario's context (the browser itself stays up for the next scenario). */
  close(): Promise<void>;

  /** Optional: a recording of the session for failure evidence (Playwright's trace.zip). */
  readonly tracing?: SessionTracing;
}

export interface SessionTracing {
  /** Starts recording; `snapshots` adds DOM snapshots around every action (set by the worker's first start). */
  start(title: string, options?: { snapshots?: boolean }): Promise<void>;
  /** Stops recording; returns the archive when `keep`, else discards it. */
  stop(keep: boolean): Promise<Buffer | undefined>;
}

export interface SessionTimeouts {
  actionTimeoutMs: number;
  navigationTimeoutMs: number;
}

/** What a target needs to open sessions: one per worker, reused across scenarios. */
export interface BrowserDriver {
  /** e.g. "chromium 156.0.8078.73" */
  browserVersion(): Promise<string>;
  newSession(): Promise<BrowserSession>;
  /** True when the underlying browser/driver is gone and a new driver must be started. */
  isDead(): boolean;
  close(): Promise<void>;
}

/** Staging could not be reached: the connection was refused or dropped, its name not found (an environment problem). */
export class StagingError extends Error {
  constructor(detail: string) {
    super(`staging error: ${detail}`);
    this.name = "StagingError";
    withUserFrames(this);
  }
}

/**
 * Staging answered a page load with a 5xx: the server is there and failed. An environment problem in an ordinary
 * scenario, the product failing on its input inside a property (src/core/failure-category.ts).
 */
export class StagingServerError extends Error {
  constructor(
    readonly url: string,
    readonly status: number,
    method = "GET",
  ) {
    super(`staging error: ${method} ${url} answered ${status}`);
    this.name = "StagingServerError";
    withUserFrames(this);
  }
}

/**
 * A page load the app kept redirecting until the browser gave up (ERR_TOO_MANY_REDIRECTS): staging answers, every answer
 * sends the browser on (a sign-in that redirects back to itself). The product's fault, not the environment's.
 */
export class RedirectLoopError extends Error {
  constructor(readonly url: string) {
    super(
      `${url} redirects in a loop (ERR_TOO_MANY_REDIRECTS): staging answers, but every answer sends the browser on`,
    );
    this.name = "RedirectLoopError";
    withUserFrames(this);
  }
}

/** A page load that ended on Chrome's error page (`netError`, e.g. ERR_CONNECTION_REFUSED), on both drivers. */
export function loadFailure(netError: string, url: string): StagingError | RedirectLoopError {
  if (netError === "ERR_TOO_MANY_REDIRECTS") return new RedirectLoopError(url);
  return new StagingError(`${netError} loading ${url}`);
}

/** A page load got no answer in time (staging hangs). */
export class NavigationTimeoutError extends Error {
  constructor(url: string, timeoutMs: number) {
    super(`navigation timed out after ${timeoutMs} ms: ${url} did not finish loading (staging hangs?)`);
    this.name = "NavigationTimeoutError";
    withUserFrames(this);
  }
}

/** A page answered with a status the scenario did not expect (a 4xx, or not the one it named): the product's or the test's fault. */
export class PageStatusError extends Error {
  constructor(
    readonly url: string,
    readonly status: number,
    expected?: number,
  ) {
    super(
      expected === undefined
        ? `${url} answered ${status}`
        : `expected ${url} to answer ${expected}, it answered ${status}`,
    );
    this.name = "PageStatusError";
    withUserFrames(this);
  }
}

/** The one rule both adapters apply to a page load's HTTP status. */
export function checkPageStatus(method: string, url: string, status: number, expected?: number): void {
  if (expected !== undefined) {
    if (status !== expected) throw new PageStatusError(url, status, expected);
    return;
  }
  if (status >= 500) throw new StagingServerError(url, status, method);
  if (status >= 400) throw new PageStatusError(url, status);
}

/** A URL as a request sends it: a fragment is no part of it. */
export const withoutFragment = (url: string) => url.replace(/#.*$/s, "");

/** A load a step expected to be answered so (`I open … expecting status 404`), as a session records it. */
export interface ExpectedAnswer {
  url: string;
  status: number;
}

/**
 * The page problems less the failed loads a step asked for (`I open "/gone" expecting status 404`): that answer is
 * the one the scenario expected, no failed request for `pageHealth` or `no request should have failed` (each expected
 * answer excuses one load of its URL with its status; a fragment is no part of a request's URL).
 */
export function unexpectedProblems(
  problems: readonly PageProblem[],
  expected: readonly ExpectedAnswer[],
): PageProblem[] {
  const left = expected.map((e) => ({ url: withoutFragment(e.url), status: e.status }));
  return problems.filter((p) => {
    if (p.kind !== "failed request" || p.url === undefined) return true;
    const at = left.findIndex((e) => e.status === p.status && e.url === withoutFragment(p.url!));
    if (at < 0) return true;
    left.splice(at, 1);
    return false;
  });
}

/**
 * Requests a browser makes on its own, not the page: Chromium asks every origin for /favicon.ico
 * (with Selenium, not under Playwright), so its absence is no failure of the page on either driver.
 */
export function isBrowserOwnRequest(url: string): boolean {
  try {
    return new URL(url).pathname === "/favicon.ico";
  } catch {
    return false;
  }
}
