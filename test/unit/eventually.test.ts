// eventually: a wrong answer at the deadline is an assertion (product defect); a probe that failed to the end keeps its error's type.
import { test } from "node:test";
import assert from "node:assert/strict";
import { BrowserCrashedError, LocatorTimeoutError } from "../../src/browser/session";
import { SignoffAssertionError } from "../../src/core/errors";
import { eventually } from "../../steps/support/eventually";

test("the probe answers, wrongly, until the deadline: a SignoffAssertionError with the sentence", async () => {
  let calls = 0;
  await assert.rejects(
    eventually(async () => ++calls, () => false, (n) => `expected 0, it shows ${n}`, 30, 5),
    (err: unknown) => {
      assert.ok(err instanceof SignoffAssertionError);
      assert.equal(err.constructor.name, "SignoffAssertionError");
      assert.match(err.message, /^expected 0, it shows \d+ \(waited 30 ms\)$/);
      return true;
    },
  );
});

test("the probe throws until the deadline: its own error type (element not found), the assertion's sentence as message", async () => {
  const loc = { by: "role", role: "button", name: "Nope" } as const;
  await assert.rejects(
    eventually(async () => { throw new LocatorTimeoutError(loc, 5); }, () => true, (_v, e) => `expected the button to show "x", ${String(e)}`, 20, 5),
    (err: unknown) => {
      assert.ok(err instanceof LocatorTimeoutError);
      assert.match(err.message, /^expected the button to show "x", LocatorTimeoutError: Timed out after 5 ms .* \(waited 20 ms\)$/);
      assert.match(err.stack!, /^LocatorTimeoutError: expected the button/);
      return true;
    },
  );
});

test("a crashed browser ends the wait at once, as itself", async () => {
  const crash = new BrowserCrashedError("gone");
  await assert.rejects(eventually(async () => { throw crash; }, () => true, () => "never", 60_000, 5), (err) => err === crash);
});

test("a value that holds is returned", async () => {
  assert.equal(await eventually(async () => 3, (n) => n === 3, () => "never", 10), 3);
});
