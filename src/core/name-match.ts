// The name rule of element phrases, one source for both drivers: a whole name beats a name that only contains the words, and words that fit several names only in part pick none.
import type { Locator, LocatorBase } from "./locator";

/** Whitespace runs as one space, trimmed, zero-width spaces dropped: how names and texts are compared. */
export function normalizeName(s: string): string {
  return s
    .replace(/\u200b/g, "")
    .trim()
    .replace(/\s+/g, " ");
}

/** `candidate` contains `wanted`, case-insensitively, whitespace runs as one space. */
export function nameContains(candidate: string, wanted: string): boolean {
  return normalizeName(candidate).toLowerCase().includes(normalizeName(wanted).toLowerCase());
}

/** `candidate` is `wanted`, case-insensitively, whitespace runs as one space. */
export function nameEquals(candidate: string, wanted: string): boolean {
  return normalizeName(candidate).toLowerCase() === normalizeName(wanted).toLowerCase();
}

/**
 * `wanted` as a case-insensitive pattern for the whole of a name (any whitespace where it has a run of it, and
 * around it), for drivers that match names by pattern; it holds exactly where nameEquals does.
 */
export function exactNamePattern(wanted: string): RegExp {
  const words = normalizeName(wanted)
    .split(" ")
    .filter(Boolean)
    // A zero-width space may sit anywhere in a name, as normalizeName drops it anywhere.
    .map((w) => [...w].map((c) => c.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("\\u200b*"));
  // Between words at least one real space: a zero-width one alone joins them, as normalizeName does.
  return new RegExp(`^[\\s\\u200b]*${words.join("\\u200b*\\s[\\s\\u200b]*")}[\\s\\u200b]*$`, "i");
}

/** The name a locator's rule compares (a role's name, a label, a placeholder, a text); undefined when it has none. */
export function wantedNameOf(l: LocatorBase): string | undefined {
  switch (l.by) {
    case "role":
      return l.name;
    case "column":
      return l.column;
    case "label":
    case "placeholder":
    case "text":
      return l.text;
    case "testId":
    case "css":
      return undefined;
  }
}

/** One level of a locator (the element, or a container) as the page has it: how many matches fit its name whole, how many in part. */
export interface NameCounts {
  /** Visible matches (narrowed like the level) whose name is the wanted name. */
  exact: number;
  /** Visible matches (narrowed like the level) whose name contains the wanted name, the exact ones included. */
  containing: number;
}

/** A level's candidates: the matches named exactly, when there are any; else every match that contains the name. */
export function candidatesAreExact(counts: NameCounts): boolean {
  return counts.exact > 0;
}

/** How many candidates a level has by the rule above. */
export function candidateCount(counts: NameCounts): number {
  return candidatesAreExact(counts) ? counts.exact : counts.containing;
}

/** The level's own words pick none of its matches: a name, no match named so exactly, several containing it, no position. */
function ownWordsAmbiguous(l: Locator, counts: NameCounts | undefined): boolean {
  return l.nth === undefined && counts !== undefined && counts.exact === 0 && counts.containing > 1;
}

/**
 * Which level of a phrase makes it ambiguous for an action on one element, or -1 when none does. `levels` is the
 * element first, then its containers outward, each with its NameCounts (undefined for a level without a name);
 * `elementCandidates` is how many elements the element level has before its position. The element is ambiguous by
 * its own words; a container only when that leaves more than one element to choose from (one found in any of the
 * containers is the one meant, as one containing the name alone is).
 */
export function ambiguousLevel(
  levels: ReadonlyArray<{ l: Locator; counts: NameCounts | undefined }>,
  elementCandidates: number,
): number {
  if (levels.length > 0 && ownWordsAmbiguous(levels[0].l, levels[0].counts)) return 0;
  if (elementCandidates <= 1) return -1;
  for (let i = 1; i < levels.length; i++) if (ownWordsAmbiguous(levels[i].l, levels[i].counts)) return i;
  return -1;
}
