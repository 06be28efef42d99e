// The time-bounded steps' pure parts: their texts, the action rule of `for`, and the overdue timer with its cap.
import { test } from "node:test";
import assert from "node:assert/strict";
import { boundedStepText, notOverdue, repeatedActionProblem } from "../../src/core/time-bounds";

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

test("a bounded step that does not end is overdue at its time plus the step timeout", async () => {
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
