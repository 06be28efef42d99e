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

/** A short quote of a text for failure messages: its start, or the part around `near` when it occurs. */
export function excerpt(text: string, max = 200): string {
  const t = normalizeText(text);
  if (t === "") return "(no visible text)";
  return t.length <= max ? `"${t}"` : `"${t.slice(0, max)}…" (${t.length} characters)`;
}
