// The terminal's failure blocks: every step, and only the hooks that did not pass.
import { test } from "node:test";
import assert from "node:assert/strict";
import { withoutPassedHooks, withoutRunnerFrames } from "../../src/runner/progress-formatter";

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

test("a failure's stack keeps the project's frames and drops Cucumber's and Node's own", () => {
  const timedOut = [
    "Error: function timed out, ensure the promise resolves within 20000 milliseconds",
    "    at Timeout.<anonymous> (/tmp/p/node_modules/@cucumber/cucumber/src/time.ts:52:14)",
    "    at listOnTimeout (node:internal/timers:581:17)",
    "    at processTimers (node:internal/timers:519:7)",
  ].join("\n");
  const own = ["Error: boom", "    at World.<anonymous> (/tmp/p/features/steps/cart.steps.ts:12:9)"].join("\n");
  const attempt = {
    testCase: { id: "tc", pickleId: "p", testSteps: [{ id: "s1" }, { id: "s2" }, { id: "s3" }] },
    stepResults: {
      s1: { status: "FAILED", message: timedOut },
      s2: { status: "FAILED", message: own },
      s3: { status: "PASSED" },
    },
  } as unknown as Attempt;
  const shown = withoutRunnerFrames(attempt).stepResults;
  assert.equal(shown.s1.message, "Error: function timed out, ensure the promise resolves within 20000 milliseconds");
  assert.equal(shown.s2.message, own);
  assert.equal(shown.s3.message, undefined);
  assert.equal(attempt.stepResults.s1.message, timedOut, "the collector's own attempt is not changed");
});

test("a failure quoting the page shows its control characters as escapes: no escape sequence reaches the terminal", () => {
  const attempt = {
    testCase: { id: "tc", pickleId: "p", testSteps: [{ id: "s1" }] },
    stepResults: {
      s1: {
        status: "FAILED",
        message: 'AssertionError: hidden by the open dialog "Del\x1b[2Jete \u202Eorder"\nsecond line',
      },
    },
  } as unknown as Attempt;
  assert.equal(
    withoutRunnerFrames(attempt).stepResults.s1.message,
    'AssertionError: hidden by the open dialog "Del\\x1b[2Jete \\u202eorder"\nsecond line',
  );
});
