// The time-bounded steps' pure parts: their texts, the action rule of `for`, and the overdue timer with its cap.
import { test } from "node:test";
import assert from "node:assert/strict";
import { boundedStepText, laterRunNote, notOverdue, repeatedActionProblem } from "../../src/core/time-bounds";

test("the step a time is given to is the text after the time, for either bound", () => {
  assert.equal(boundedStepText('within 500 ms I should see "Saved"'), 'I should see "Saved"');
  assert.equal(boundedStepText('for 3s I should still see "Dr. Baker"'), 'I should still see "Dr. Baker"');
  assert.equal(boundedStepText('I should see "within 5 ms"'), undefined);
});

test("`for` takes a check, not an action that it would repeat", () => {
  assert.match(repeatedActionProblem("When") ?? "", /^is an action \(a When step\), which "for" would do again/);
  assert.match(repeatedActionProblem("Given") ?? "", /a Given step/);
  assert.equal(repeatedActionProblem("Then"), undefined);
  assert.equal(repeatedActionProblem("Unknown"), undefined, "defineStep: no keyword to tell by");
});

test("a bounded step that does not end is overdue when its time is up, and one that ends is not", async () => {
  const never = () => new Promise<never>(() => {});
  await assert.rejects(notOverdue(never, 20, "did not end"), { message: "did not end" });
  assert.equal(await notOverdue(async () => "done", 20, "did not end"), "done");
});

test("an overdue time past the longest timer waits that long instead of firing at once", async (t) => {
  t.mock.timers.enable({ apis: ["setTimeout"] });
  let settled = false;
  const run = notOverdue(() => new Promise<never>(() => {}), 2 ** 31 + 5000, "overdue").catch((err: Error) => {
    settled = true;
    return err.message;
  });
  t.mock.timers.tick(2 ** 31 - 2);
  await new Promise((r) => setImmediate(r));
  assert.equal(settled, false, "not yet at 2³¹ − 2 ms");
  t.mock.timers.tick(1);
  assert.equal(await run, "overdue");
});

test("a later run of `for` that fails says the step held at first, unless the run or its environment failed", () => {
  assert.equal(
    laterRunNote("SignoffAssertionError", 1296, "for 3 s"),
    '; it held at first, not at the look that began 1296 ms into "for 3 s"',
  );
  assert.match(laterRunNote("LocatorTimeoutError", 900, "for 2 s") ?? "", /held at first/);
  // Ctrl-C during the step (QA15 #5), staging gone: nothing was seen not to hold.
  assert.equal(laterRunNote("RunInterruptedError", 175, "for 3 s"), undefined);
  assert.equal(laterRunNote("StagingError", 175, "for 3 s"), undefined);
});
