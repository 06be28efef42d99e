// src/world-gc.ts: the Cucumber process collects its garbage every N scenarios, without --expose-gc.
import { test } from "node:test";
import assert from "node:assert/strict";
import { setImmediate as nextTurn } from "node:timers/promises";
import { collectEvery, fullGc } from "../../src/world-gc";

test("collects after every N-th scenario, not in between", () => {
  let collections = 0;
  const ended = collectEvery(3, () => collections++);
  const seen: number[] = [];
  for (let i = 1; i <= 7; i++) {
    ended();
    seen.push(collections);
  }
  assert.deepEqual(seen, [0, 0, 1, 1, 1, 2, 2]);
});

test("no collector (the engine refused the flag): scenarios end as before", () => {
  const ended = collectEvery(1, undefined);
  assert.doesNotThrow(() => {
    for (let i = 0; i < 5; i++) ended();
  });
});

test("fullGc really collects: an object nothing refers to any more is gone after it", async () => {
  assert.equal(typeof (globalThis as { gc?: unknown }).gc, "undefined", "this test must run without --expose-gc");
  const gc = fullGc();
  assert.equal(typeof gc, "function");
  const ref = new WeakRef(Array.from({ length: 1000 }, (_, i) => i)); // nothing else refers to the array
  // A WeakRef's target stays alive until the current job ends: collect on a later turn.
  await nextTurn();
  gc!();
  await nextTurn();
  assert.equal(ref.deref(), undefined);
});
