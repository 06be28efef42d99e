// How steps and failure messages compare and quote page text: one rule for "contains" (case-insensitive, whitespace as rendered), one for "is exactly", one for a quote near the words expected.
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

/**
 * A text up to this long is quoted whole: a few lines of a message, and then no part of the evidence can be left out
 * (a 196-character page was cut at 160, just before the wrong date it showed).
 */
const WHOLE_CHARS = 400;
/** How much of a longer text a failure quotes, and how much of it comes before the part found. */
const EXCERPT_CHARS = 280;
const EXCERPT_BEFORE = 100;
/** How many of the expected text's words are looked for. */
const NEAR_WORDS = 24;
/** How far a quote's ends move to fall between words rather than in one. */
const WORD_SNAP = 16;

/**
 * A quote of a text for failure messages: a short one whole; a long one around the longest run of `near`'s words it
 * has (expected "Thank you for your order", the page says "… Thank you for your message …"; expected "Your order is
 * confirmed", the page says "… Your order failed …"), else from its start, with its length.
 */
export function excerpt(text: string, near?: string): string {
  const t = normalizeText(text);
  if (t === "") return "(no visible text)";
  if (t.length <= WHOLE_CHARS) return `"${t}"`;
  const found = near === undefined ? -1 : startOfNearest(t, near);
  // The window keeps its full length at the text's end too: found near the end, it holds more of what comes before.
  let from = Math.max(0, Math.min(found - EXCERPT_BEFORE, t.length - EXCERPT_CHARS));
  let to = Math.min(t.length, from + EXCERPT_CHARS);
  from = wordStartFrom(t, from, found < 0 ? from : found);
  to = wordEndBefore(t, to);
  return `"${from > 0 ? "…" : ""}${t.slice(from, to)}${to < t.length ? "…" : ""}" (${t.length} characters)`;
}

/** `from`, or the start of the next word when `from` falls inside one (not past `limit`, the part to keep). */
function wordStartFrom(t: string, from: number, limit: number): number {
  if (from === 0 || t[from - 1] === " ") return from;
  const space = t.indexOf(" ", from);
  return space >= 0 && space + 1 <= limit && space + 1 - from <= WORD_SNAP ? space + 1 : from;
}

/** `to`, or the end of the word before when `to` falls inside one. */
function wordEndBefore(t: string, to: number): number {
  if (to === t.length || t[to] === " ") return to;
  const space = t.lastIndexOf(" ", to);
  return space > 0 && to - space <= WORD_SNAP ? space : to;
}

/**
 * Where the longest run of `near`'s consecutive words (at least 3 characters of them) first occurs in `text`, else its
 * longest word stripped of punctuation, or -1.
 * Any run counts, not only its first words: what differs is as often its start ("Thank you" / "Thanks") as its end.
 */
function startOfNearest(text: string, near: string): number {
  const lower = sameLengthLowerCase(text);
  // Its first words: a long expected text would otherwise make this quadratic in its length.
  const words = sameLengthLowerCase(normalizeText(near)).split(" ").slice(0, NEAR_WORDS);
  let best = { length: 0, at: -1 };
  for (let n = words.length; n > 0; n--) {
    for (let i = 0; i + n <= words.length; i++) {
      const part = words.slice(i, i + n).join(" ");
      if (part.length < 3 || part.length <= best.length) continue;
      const at = lower.indexOf(part);
      if (at >= 0) best = { length: part.length, at };
    }
  }
  if (best.at >= 0) return best.at;
  // No run as written ("Uploaded: passport.png" on a page saying "No passport uploaded"): its longest word without
  // the punctuation around or inside it.
  const bare = words.flatMap((w) => w.split(/[^\p{L}\p{N}]+/u)).filter((w) => w.length >= 3);
  for (const w of bare.sort((a, b) => b.length - a.length)) {
    // A whole word of the text ("png" not inside "shopping"); the word is letters and digits only.
    const at = new RegExp(`(?<![\\p{L}\\p{N}])${w}(?![\\p{L}\\p{N}])`, "u").exec(lower)?.index;
    if (at !== undefined) return at;
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
