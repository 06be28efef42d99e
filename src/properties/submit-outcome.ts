// What the page shows after the typing property's submit that makes it unusable: an error it did not show before, a leak, a 5xx answer, an uncaught exception.
import type { PageProblem } from "../browser/session";
import { describeLeaks, findLeaks } from "./leaks";

/** Phrases of error pages (matched lowercase). "server error" is Django's ("Server Error (500)") and IIS's stock page. */
export const BUILTIN_ERROR_PHRASES = [
  "internal server error",
  "server error",
  "something went wrong",
  "an unexpected error",
  "an error occurred",
  "bad gateway",
  "service unavailable",
  "gateway timeout",
  "application error",
];

/** What one look at the page read: its rendered text and title. */
export interface PageLook {
  body: string;
  title: string;
}

/** Whitespace runs as one space, lowercase, composed (NFC): how a phrase, the page and the typed text are compared. */
const comparable = (s: string) => s.normalize("NFC").replace(/\s+/g, " ").trim().toLowerCase();

/**
 * The lines of `after` that `before` did not show: what the submit brought. A page's constant text (a footer's
 * "Something went wrong? Report a problem") is on the page before the submit too, so it never counts as the answer.
 */
export function newLines(before: string, after: string): string[] {
  const seen = new Set(before.split("\n").map(comparable));
  return after
    .split("\n")
    .map(comparable)
    .filter((l) => l !== "" && !seen.has(l));
}

/**
 * Whether `phrase` is in `text` other than inside an echo of `typed` (a page quoting back "…an error occurred…" that
 * the visitor typed). Only an echo holding the whole phrase excuses it: stripping every occurrence of a short typed
 * text ("e") would take letters out of the page's own "Internal Server Error".
 */
function shownOutsideEcho(text: string, phrase: string, typed: string): boolean {
  for (let at = text.indexOf(phrase); at >= 0; at = text.indexOf(phrase, at + 1)) {
    // An echo covering it starts at most `at` and at least typed.length before the phrase's end.
    const e = typed.length >= phrase.length ? text.indexOf(typed, Math.max(0, at + phrase.length - typed.length)) : -1;
    if (e < 0 || e > at) return true;
  }
  return false;
}

/**
 * An error page's phrase (built-in or the table's) that the submit brought: in a line of text that was not on the
 * page before it, or in a title that changed; `an error page ("…" in the page)`, or undefined.
 */
export function errorPhraseShown(
  before: PageLook,
  after: PageLook,
  typed: string,
  extra: readonly string[],
): string | undefined {
  const text = newLines(before.body, after.body).join("\n");
  const title = comparable(after.title) === comparable(before.title) ? "" : comparable(after.title);
  const echo = comparable(typed);
  for (const phrase of [...BUILTIN_ERROR_PHRASES, ...extra].map(comparable)) {
    if (phrase === "") continue;
    if (shownOutsideEcho(title, phrase, echo)) return `an error page ("${phrase}" in the title)`;
    if (shownOutsideEcho(text, phrase, echo)) return `an error page ("${phrase}" in the page)`;
  }
  return undefined;
}

/**
 * `text` as an HTML serializer writes it in a text node and in an attribute (the HTML standard's "escaping a
 * string"): how the page's markup holds the typed text it echoes.
 */
function asSerialized(text: string): string[] {
  const common = text.replace(/&/g, "&amp;").replace(/\u00a0/g, "&nbsp;");
  return [common.replace(/</g, "&lt;").replace(/>/g, "&gt;"), common.replace(/"/g, "&quot;")];
}

/**
 * A stack trace or a server's file path in the page's markup (`html`), the typed text's echoes left out. Judged on
 * the markup, not the rendered text: where a path stands (a link's text, an `href`) tells the app's routes
 * (`<a href="/app/feedback/42">/app/feedback/42</a>`) from the server's files (findLeaks).
 */
export function leakShown(html: string, typed: string): string | undefined {
  const leaks = findLeaks(html, [typed, ...asSerialized(typed)]);
  return leaks.length > 0 ? `a page that shows ${describeLeaks(leaks)}` : undefined;
}

/**
 * What went wrong in the page since the submit, by the session's record (pageProblems): a request answered 5xx (the
 * form's document, a fetch, an XHR, anything the page loaded: the server failed), or an uncaught exception (the
 * page's own script failed). Console errors and 4xx answers are left to the page-health settings: an app logs and
 * answers 404 in its ordinary work.
 */
export function serverOrScriptFailure(fresh: readonly PageProblem[]): string | undefined {
  const failed = fresh.find((p) => p.kind === "failed request" && p.status !== undefined && p.status >= 500);
  if (failed) return `${failed.url ?? "a request"} answered ${failed.status}`;
  const thrown = fresh.find((p) => p.kind === "page error");
  if (thrown) return `the page's script threw an uncaught error: ${thrown.message}`;
  return undefined;
}
