// The requirement ids a gate's printed reasons say have no scenario, from the one-line-per-reason groups.
import assert from "node:assert/strict";

/** Every id named in `requirement A has no scenario …` / `requirements A, B and C have no scenario …` lines, sorted. */
export function uncoveredRequirements(stdout: string): string[] {
  const ids = [...stdout.matchAll(/requirements? (.+?) ha(?:s|ve) no scenario/g)].flatMap((m) =>
    m[1].split(/, | and /),
  );
  assert.ok(!ids.some((id) => /^\d+ more$/.test(id)), `every id is named: ${stdout}`);
  return ids.sort();
}
