// src/core/results-model.ts: the one status severity order and the cell status of a scenario.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  CELL_SEVERITY,
  cellOf,
  cellRank,
  failedStepLocation,
  failedStepPhrase,
  isScenarioStatus,
  STATUS_SEVERITY,
  statusRank,
  type ScenarioStatus,
} from "../../src/core/results-model";

test("statuses from best to worst: failed is the worst, passed the best", () => {
  assert.deepEqual(
    [...STATUS_SEVERITY],
    ["passed", "skipped", "pending", "undefined", "ambiguous", "unknown", "failed"],
  );
  const sorted = [...STATUS_SEVERITY].reverse().sort((a, b) => statusRank(a) - statusRank(b));
  assert.deepEqual(sorted, [...STATUS_SEVERITY]);
});

test("a flaky pass sits between passed and skipped", () => {
  assert.deepEqual(CELL_SEVERITY.slice(0, 3), ["passed", "flaky", "skipped"]);
  assert.ok(cellRank("passed") < cellRank("flaky") && cellRank("flaky") < cellRank("skipped"));
  assert.equal(cellOf({ status: "passed", flaky: true }), "flaky");
  assert.equal(cellOf({ status: "failed", flaky: true }), "failed");
});

test("hostile status names: only real statuses are statuses; anything else ranks worst", () => {
  assert.ok(isScenarioStatus("ambiguous"));
  for (const x of ["constructor", "__proto__", "PASSED", 3, undefined]) assert.ok(!isScenarioStatus(x), String(x));
  assert.ok(statusRank("toString" as ScenarioStatus) > statusRank("failed"));
});

test("the failing step's location: the scenario's file and the step's own line; the quoted text alone without one", () => {
  const s = { uri: "features/a.feature", failedStep: 'I should see "Ada"', failedStepLine: 12 };
  assert.equal(failedStepLocation(s), "features/a.feature:12");
  assert.equal(failedStepPhrase(s), 'features/a.feature:12 "I should see "Ada""');
  assert.equal(failedStepLocation({ uri: "features/a.feature" }), undefined);
  assert.equal(failedStepPhrase({ uri: "features/a.feature", failedStep: "(hook)" }), '"(hook)"');
  assert.equal(failedStepPhrase({ uri: "features/a.feature" }), undefined);
});
