// src/core/errors.ts: each error class carries its exit code.
import { test } from "node:test";
import assert from "node:assert/strict";
import { EnvironmentError, EXIT, NothingSelectedError, SignoffError, UsageError } from "../../src/core/errors";

test("exit codes by class", () => {
  assert.equal(new UsageError("x").exitCode, EXIT.usage);
  assert.equal(new EnvironmentError("x").exitCode, EXIT.environment);
  assert.equal(new NothingSelectedError("x").exitCode, EXIT.no);
  for (const e of [new UsageError("x"), new EnvironmentError("x"), new NothingSelectedError("x")])
    assert.ok(e instanceof SignoffError);
});

test("a crash is never 2, an interrupt is 130", () => {
  assert.notEqual(EXIT.crash, EXIT.usage);
  assert.equal(EXIT.interrupted, 130);
  assert.deepEqual([EXIT.ok, EXIT.no, EXIT.usage, EXIT.environment], [0, 1, 2, 3]);
});
