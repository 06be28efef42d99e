// How steps compare and quote page text: one rule for "contains" (case-insensitive, whitespace as rendered) and for "is exactly".
/** Whitespace collapsed and trimmed, as a reader sees it. */
export function normalizeText(s: string): string {
  return s
    .replace(/\u200b/g, "")
    .replace(/\s+/g, " ")
    .trim();
}

/** The text contains the part, ignoring case and runs of whitespace (the rule element names follow too). */
export function containsText(text: string, part: string): boolean {
  return normalizeText(text).toLowerCase().includes(normalizeText(part).toLowerCase());
}

/** The text is exactly this, case included, ignoring only runs of whitespace. */
export function sameText(text: string, expected: string): boolean {
  return normalizeText(text) === normalizeText(expected);
}

/** How much of a long text a failure quotes, and how much of it before the part the step was looking for. */
const EXCERPT_CHARS = 160;
const EXCERPT_BEFORE = 40;

/**
 * A short quote of a text for failure messages. A long one is quoted around where the most of `near`'s first words
 * occur (expected "Thank you for your order", the page says "… Thank you for your message …"), else from its start:
 * the start of a page is its navigation, rarely what the reader needs to see.
 */
export function excerpt(text: string, near?: string): string {
  const t = normalizeText(text);
  if (t === "") return "(no visible text)";
  if (t.length <= EXCERPT_CHARS) return `"${t}"`;
  const from = Math.max(0, (near === undefined ? -1 : startOfNearest(t, near)) - EXCERPT_BEFORE);
  const to = Math.min(t.length, from + EXCERPT_CHARS);
  return `"${from > 0 ? "…" : ""}${t.slice(from, to)}${to < t.length ? "…" : ""}" (${t.length} characters)`;
}

/** Where the longest run of `near`'s first words (at least 3 characters of them) starts in `text`, or -1. */
function startOfNearest(text: string, near: string): number {
  const lower = sameLengthLowerCase(text);
  const words = sameLengthLowerCase(normalizeText(near)).split(" ");
  for (let n = words.length; n > 0; n--) {
    const part = words.slice(0, n).join(" ");
    if (part.length < 3) break;
    const at = lower.indexOf(part);
    if (at >= 0) return at;
  }
  return -1;
}

/**
 * Lower case, character by character, keeping a character whose lower case is longer ("İ" is "i̇"): an index found
 * in it is an index into the text itself.
 */
function sameLengthLowerCase(text: string): string {
  let out = "";
  for (const ch of text) {
    const lower = ch.toLowerCase();
    out += lower.length === ch.length ? lower : ch;
  }
  return out;
}
