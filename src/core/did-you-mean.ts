// The known name a mistyped one most likely meant, for "unknown field" messages (config, policy, trust).

/**
 * Levenshtein distance (fast-levenshtein), loaded at the first comparison: the module creates an Intl.Collator when
 * it loads (≈ 10–15 ms), which every command reading a config, policy or trust file would otherwise pay for nothing.
 */
export function editDistance(a: string, b: string): number {
  return (require("fast-levenshtein") as typeof import("fast-levenshtein")).get(a, b);
}

/**
 * The closest of `known` to `name`: the same name in another case ("baseURL" → "baseUrl"), else the one
 * within 2 edits ("requiredTarget", "reqiredTargets"), or 1 for names of up to 4 letters so short
 * names are not matched to anything. Undefined when none is that close, or two are equally close.
 */
export function closestName(name: string, known: Iterable<string>): string | undefined {
  const names = [...known];
  const sameCase = names.find((k) => k.toLowerCase() === name.toLowerCase());
  if (sameCase !== undefined) return sameCase;
  const limit = name.length <= 4 ? 1 : 2;
  let best: string | undefined;
  let bestDistance = limit + 1;
  let tie = false;
  for (const k of names) {
    const d = editDistance(name.toLowerCase(), k.toLowerCase());
    if (d < bestDistance) [best, bestDistance, tie] = [k, d, false];
    else if (d === bestDistance) tie = true;
  }
  return bestDistance <= limit && !tie ? best : undefined;
}

/** ` (did you mean "x"?)`, or nothing. */
export function didYouMean(name: string, known: Iterable<string>): string {
  const k = closestName(name, known);
  return k === undefined ? "" : ` (did you mean "${k}"?)`;
}
