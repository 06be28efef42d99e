// A passed scenario's result on pw-desktop, with the fields a test sets: the report tests' one way to make them.
import type { ScenarioResult } from "../../src/core/results-model";

export function scenarioResult(p: Partial<ScenarioResult>): ScenarioResult {
  return {
    key: `f.feature › ${p.name ?? "s"}`,
    uri: "features/f.feature",
    line: 3,
    feature: "F",
    name: "s",
    tags: [],
    requirements: [],
    target: "pw-desktop",
    status: "passed",
    attempts: 1,
    flaky: false,
    durationMs: 1200,
    ...p,
  };
}
