// `signoff run` of a fixture feature on Playwright and Selenium against a page server: each scenario's outcome, which must be the same on both.
import assert from "node:assert/strict";
import { join } from "node:path";
import { readMessagesFile } from "../../src/results/read-messages";
import { runSignoff, tempDir } from "./cli";

const CONFIG = "test/fixtures/steps/signoff.config.yaml";
/** One target per driver: the step tests compare the two. */
export const STEP_TARGETS = ["pw-desktop", "se-desktop"];

export interface Outcome {
  status: string;
  /** The failure's first line, as `errorLine` left it. */
  error: string;
  type?: string;
}

/**
 * Each scenario's status and first error line per target (Playwright's first), after `signoff run` of the feature
 * against `baseUrl` into `reports`. `errorLine` rewrites what may differ between the two runs (a time).
 */
export async function outcomesOnBothDrivers(
  feature: string,
  baseUrl: string,
  {
    reports = tempDir(),
    errorLine = (line: string) => line,
    targets = STEP_TARGETS,
  }: { reports?: string; errorLine?: (line: string) => string; targets?: readonly string[] } = {},
): Promise<Array<Map<string, Outcome>>> {
  const args = ["run", feature, "--config", CONFIG, "--targets", targets.join(","), "--base-url", baseUrl];
  const r = await runSignoff([...args, "--reports", reports], { timeoutMs: 600_000 });
  assert.ok(r.code === 0 || r.code === 1, r.stdout + r.stderr);
  const seen = [];
  for (const target of targets) {
    const results = await readMessagesFile(join(reports, "messages", `${target}.ndjson`));
    assert.ok(results.complete, `${target}: complete`);
    seen.push(
      new Map(
        results.scenarios.map((s) => [
          s.name,
          { status: s.status, error: errorLine((s.error ?? "").split("\n")[0]), type: s.errorType },
        ]),
      ),
    );
  }
  // The same outcome, in the same words, on both drivers (and on every target asked for).
  for (let i = 1; i < seen.length; i++)
    assert.deepEqual(seen[i], seen[0], `${targets[i]}'s outcomes differ from ${targets[0]}'s`);
  return seen;
}

/** An assertion that the scenario `name` failed with an error of `type` whose first line is `error`. */
export function failedAs(outcomes: Map<string, Outcome>) {
  return (name: string, type: string, error: string): void => {
    const o = outcomes.get(name);
    assert.equal(o?.status, "failed", name);
    assert.equal(o.type, type, name);
    assert.equal(o.error, error, name);
  };
}
