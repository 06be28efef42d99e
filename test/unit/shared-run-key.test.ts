// The shared e2e run's cache key: a cached run stands in only for the same arguments and the same run-changing environment.
import { test } from "node:test";
import assert from "node:assert/strict";
import { runKey } from "../helpers/shared-run";

test("arguments, given variables and inherited SIGNOFF_* variables change the key; other variables do not", () => {
  const base = runKey(["run", "--targets", "pw-desktop"]);
  assert.equal(runKey(["run", "--targets", "pw-desktop"]), base, "stable");
  assert.notEqual(runKey(["run", "--targets", "se-desktop"]), base);
  assert.notEqual(runKey(["run", "--targets", "pw-desktop"], { SIGNOFF_RUN_KEY: "k" }), base);
  for (const [name, value] of [
    ["SIGNOFF_DIST", "1"],
    ["SIGNOFF_TRACE", "snapshots"],
  ]) {
    process.env[name] = value;
    try {
      assert.notEqual(runKey(["run", "--targets", "pw-desktop"]), base, name);
    } finally {
      delete process.env[name];
    }
  }
  process.env.UNRELATED_TO_SIGNOFF = "x";
  try {
    assert.equal(runKey(["run", "--targets", "pw-desktop"]), base);
  } finally {
    delete process.env.UNRELATED_TO_SIGNOFF;
  }
});
