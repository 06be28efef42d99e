// The terminal's failure blocks: every step, and only the hooks that did not pass.
import { test } from "node:test";
import assert from "node:assert/strict";
import { withoutPassedHooks } from "../../src/runner/progress-formatter";

type Attempt = Parameters<typeof withoutPassedHooks>[0];

test("hooks that passed are left out; a failed hook, skipped steps and every step stay, in order", () => {
  const steps = [
    { id: "h1", hookId: "session" },
    { id: "h2", hookId: "allure" },
    { id: "s1", pickleStepId: "p1" },
    { id: "s2", pickleStepId: "p2" },
    { id: "h3", hookId: "close" },
  ];
  const status = { h1: "PASSED", h2: "FAILED", s1: "SKIPPED", s2: "SKIPPED", h3: "PASSED" } as const;
  const attempt = {
    testCase: { id: "tc", pickleId: "p", testSteps: steps },
    stepResults: Object.fromEntries(Object.entries(status).map(([id, s]) => [id, { status: s }])),
  } as unknown as Attempt;
  const kept = withoutPassedHooks(attempt);
  assert.deepEqual(
    kept.testCase.testSteps.map((s) => s.id),
    ["h2", "s1", "s2"],
  );
  assert.equal(attempt.testCase.testSteps.length, 5, "the collector's own attempt is not changed");
});
