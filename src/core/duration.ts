// Human durations ("24h", "90m", "7d", "1d12h") used for maxAge in the policy and trust file.

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };

export const DURATION_PATTERN = "^(?:[0-9]+[smhdw])+$";

/** Seconds in a duration string, or undefined when it is not one. */
export function parseDuration(text: string): number | undefined {
  if (!new RegExp(DURATION_PATTERN).test(text)) return undefined;
  let total = 0;
  for (const m of text.matchAll(/([0-9]+)([smhdw])/g)) total += Number(m[1]) * UNIT_SECONDS[m[2]];
  return Number.isSafeInteger(total) && total > 0 ? total : undefined;
}

/** Compact human form of a number of seconds, e.g. 93600 → "26h". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s % 86400 === 0 && s >= 86400) return `${s / 86400}d`;
  if (s >= 3600) return `${Math.floor(s / 3600)}h${s % 3600 >= 60 ? `${Math.floor((s % 3600) / 60)}m` : ""}`;
  if (s >= 60) return `${Math.floor(s / 60)}m`;
  return `${s}s`;
}
