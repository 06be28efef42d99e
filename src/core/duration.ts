// Durations, one grammar everywhere: policy and trust maxAge ("24h", "1d12h"), @time-budget tags and table cells ("500ms", "1.5 s").

const UNIT_MS: ReadonlyArray<[RegExp, number]> = [
  [/^(?:ms|milliseconds?)$/i, 1],
  [/^(?:s|secs?|seconds?)$/i, 1000],
  [/^(?:m|mins?|minutes?)$/i, 60_000],
  [/^(?:h|hours?)$/i, 3_600_000],
  [/^(?:d|days?)$/i, 86_400_000],
  [/^(?:w|weeks?)$/i, 604_800_000],
];

/** Longer names first, so "ms" is never read as minutes then "s". */
const UNIT = "milliseconds?|ms|minutes?|mins?|m|seconds?|secs?|s|hours?|h|days?|d|weeks?|w";
const PART = `[0-9]+(?:\\.[0-9]+)?\\s*(?:${UNIT})`;

/** The grammar as a JSON-schema pattern: one or more number+unit parts, e.g. "24h", "1d12h", "1.5 s", "500ms". */
export const DURATION_PATTERN = `^\\s*(?:${PART}\\s*)+$`;

/** Milliseconds in a duration, or undefined when the text is not one (no unit, zero, unsafe size). */
export function parseDurationMs(text: string): number | undefined {
  if (!new RegExp(DURATION_PATTERN, "i").test(text)) return undefined;
  let total = 0;
  for (const m of text.matchAll(new RegExp(`([0-9]+(?:\\.[0-9]+)?)\\s*(${UNIT})`, "gi"))) {
    total += Number(m[1]) * UNIT_MS.find(([re]) => re.test(m[2]))![1];
  }
  const ms = Math.round(total);
  return Number.isSafeInteger(ms) && ms > 0 ? ms : undefined;
}

/** Whole seconds in a duration (maxAge and clock skew are counted in seconds), or undefined. */
export function parseDuration(text: string): number | undefined {
  const ms = parseDurationMs(text);
  return ms === undefined || ms < 1000 ? undefined : Math.round(ms / 1000);
}

const EXACT_UNITS: ReadonlyArray<[string, number]> = [
  ["d", 86_400_000],
  ["h", 3_600_000],
  ["m", 60_000],
];

/**
 * Human form of a number of seconds. Compact by default, smaller units dropped: 93600 → "26h", 68 → "1m".
 * `exact`: every unit down to the millisecond, e.g. 68 → "1m8s", 60.25 → "1m0.25s", 93600 → "1d2h", for a
 * duration that must not read like another one it differs from (verify's age against the maximum age).
 */
export function formatDuration(seconds: number, opts: { exact?: boolean } = {}): string {
  if (opts.exact) {
    let rest = Math.max(0, Math.round(seconds * 1000));
    const parts: string[] = [];
    for (const [unit, ms] of EXACT_UNITS)
      if (rest >= ms) {
        parts.push(`${Math.floor(rest / ms)}${unit}`);
        rest %= ms;
      }
    if (rest > 0 || parts.length === 0) parts.push(`${Number((rest / 1000).toFixed(3))}s`);
    return parts.join("");
  }
  const s = Math.max(0, Math.round(seconds));
  if (s % 86400 === 0 && s >= 86400) return `${s / 86400}d`;
  if (s >= 3600) return `${Math.floor(s / 3600)}h${s % 3600 >= 60 ? `${Math.floor((s % 3600) / 60)}m` : ""}`;
  if (s >= 60) return `${Math.floor(s / 60)}m`;
  return `${s}s`;
}

/** An elapsed time or budget in milliseconds for a step's message, e.g. 500 → "500 ms", 1500 → "1.5 s", 150000 → "2.5 min". */
export function formatElapsed(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  const s = ms / 1000;
  return s < 120 ? `${Number(s.toFixed(1))} s` : `${Number((s / 60).toFixed(1))} min`;
}
