// How a failure message shows what a cookie or a storage item holds: the names there are, and a value only where it is safe to print.
import type { Cookie } from "../../src/browser/session";

/**
 * Failure messages go into reports a whole team reads (Allure, CI logs), and a cookie or storage value may be a
 * session token. A value a check compared is shown when it is as short as a flag or a preference is ("dark",
 * "accepted", "en-GB", a date): a session id or a token is longer (a UUID is 36 characters, PHP's session id 26 or
 * more). An HttpOnly cookie's value is never shown: the site keeps it from the page's own scripts, so it is a secret
 * by the site's own word.
 */
const SHOWN_VALUE_CHARS = 12;

export function shownValue(value: string, secret = false): string {
  if (secret) return "a value that is not shown (the cookie is HttpOnly)";
  if (value.length > SHOWN_VALUE_CHARS) return `a value of ${value.length} characters (not shown)`;
  return `"${value}"`;
}

/** The names a failure lists, never their values: "a", "b" and 3 more, or `none` when there are none. */
export function namesOf(names: readonly string[], none: string): string {
  if (names.length === 0) return none;
  const shown = names.slice(0, NAMES_SHOWN).map((n) => `"${n}"`);
  const more = names.length - shown.length;
  return `${shown.join(", ")}${more > 0 ? ` and ${more} more` : ""}`;
}

/** How many names a failure lists: enough to spot a misspelt one, short enough for one line. */
const NAMES_SHOWN = 10;

/** When a cookie expires, as a failure says it: "expires 2027-01-01T00:00:00Z" (to the second, as cookies keep it), or that it is a session cookie. */
export function expiryOf(c: Cookie): string {
  if (c.expires === null) return "a session cookie";
  return `expires ${new Date(Math.round(c.expires) * 1000).toISOString().replace(".000Z", "Z")}`;
}
