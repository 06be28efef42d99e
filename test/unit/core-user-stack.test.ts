// A step failure's stack shows the error's line and the project's own frames, never Signoff's, the libraries' or node's.
import { test } from "node:test";
import assert from "node:assert/strict";
import { ElementNotUsableError, LocatorTimeoutError } from "../../src/browser/session";
import { SignoffAssertionError } from "../../src/core/errors";
import { withUserFrames } from "../../src/core/user-stack";

/** Stands in for a project's step: a frame in a file outside Signoff's src/ and steps/. */
function projectStep(): Error {
  return new SignoffAssertionError("expected 8, it shows 7");
}

test("Signoff's typed errors keep the error's line and the project's frame, nothing of Signoff's or node's", () => {
  const stack = projectStep().stack!;
  const [first, ...frames] = stack.split("\n");
  assert.equal(first, "AssertionError: expected 8, it shows 7");
  assert.ok(frames.length > 0, stack);
  assert.ok(
    frames.some((f) => f.includes("projectStep") && f.includes("core-user-stack.test.ts")),
    stack,
  );
  for (const f of frames) assert.doesNotMatch(f, /[/\\]src[/\\]|node:|node_modules/, stack);
  const locator = new LocatorTimeoutError({ by: "role", role: "button", name: "Pay" }, 5).stack!;
  assert.match(locator, /^LocatorTimeoutError: timed out after 5 ms waiting for the button named "Pay"/);
  assert.doesNotMatch(locator, /node:/);
  // Its subclass's stack names the subclass: reporters print the stack's first line, not the error's name.
  const pay = { by: "role", role: "button", name: "Pay" } as const;
  const kept = new ElementNotUsableError(pay, 5, "to be clickable", "it is disabled").stack!;
  assert.match(
    kept,
    /^ElementNotUsableError: timed out after 5 ms waiting for the button named "Pay" to be clickable: it is disabled\n/,
  );
  assert.doesNotMatch(kept, /node:/);
});

test("SIGNOFF_STACKS=1 keeps every frame (for debugging Signoff itself)", () => {
  process.env.SIGNOFF_STACKS = "1";
  try {
    const err = new Error("x");
    assert.equal(withUserFrames(err).stack, err.stack);
    assert.match(new LocatorTimeoutError({ by: "text", text: "x" }, 5).stack!, /\(node:/);
  } finally {
    delete process.env.SIGNOFF_STACKS;
  }
});
