// The shard rule (src/results/shards.ts) that merge and the gate share: gaps, duplicates and inconsistent shard sets.
import { test } from "node:test";
import assert from "node:assert/strict";
import { checkShards, type ShardProblem } from "../../src/results/shards";
import type { LoadedFile } from "../../src/results/loader";

const file = (path: string, shard?: [number, number]): LoadedFile => ({
  dir: path.split("/")[0],
  path,
  target: "pw-desktop",
  ...(shard ? { shard: { index: shard[0], total: shard[1] } } : {}),
});

function problems(files: LoadedFile[], required = true): Array<[ShardProblem, string, string]> {
  const out: Array<[ShardProblem, string, string]> = [];
  checkShards("pw-desktop", files, required, (code, severity, message) => out.push([code, severity, message]));
  return out;
}

test("one unsharded file, or every shard exactly once: no problem", () => {
  assert.deepEqual(problems([file("a/m.ndjson")]), []);
  assert.deepEqual(problems([file("a/m.ndjson", [2, 3]), file("b/m.ndjson", [1, 3]), file("c/m.ndjson", [3, 3])]), []);
});

test("an unsharded target read from two files is a duplicate (two machines ran the same thing)", () => {
  assert.deepEqual(problems([file("a/m.ndjson"), file("b/m.ndjson")]), [
    ["shard-duplicate", "fail", "target pw-desktop: results present more than once (a/m.ndjson, b/m.ndjson)"],
  ]);
});

test("sharded and unsharded results mixed, or shards disagreeing on the count, are inconsistent", () => {
  assert.deepEqual(problems([file("a/m.ndjson", [1, 2]), file("b/m.ndjson")]), [
    ["shard-inconsistent", "fail", "target pw-desktop: sharded and unsharded results mixed (a/m.ndjson, b/m.ndjson)"],
  ]);
  assert.deepEqual(problems([file("a/m.ndjson", [1, 2]), file("b/m.ndjson", [2, 3])]), [
    ["shard-inconsistent", "fail", "target pw-desktop: shards disagree on the shard count (2 vs 3)"],
  ]);
});

test("a shard index outside 1..n is inconsistent, and the shard it should have been is missing", () => {
  assert.deepEqual(problems([file("a/m.ndjson", [0, 2]), file("b/m.ndjson", [1, 2])]), [
    ["shard-inconsistent", "fail", "target pw-desktop: a/m.ndjson claims shard 0 of 2"],
    ["shard-missing", "fail", "target pw-desktop: shard(s) 2 of 2 missing"],
  ]);
  assert.deepEqual(problems([file("a/m.ndjson", [3, 2]), file("b/m.ndjson", [1, 2]), file("c/m.ndjson", [2, 2])]), [
    ["shard-inconsistent", "fail", "target pw-desktop: a/m.ndjson claims shard 3 of 2"],
  ]);
});

test("a shard twice is a duplicate; shards never seen are named as missing", () => {
  assert.deepEqual(problems([file("a/m.ndjson", [1, 4]), file("b/m.ndjson", [1, 4]), file("c/m.ndjson", [3, 4])]), [
    ["shard-duplicate", "fail", "target pw-desktop: shard 1 of 4 present more than once (a/m.ndjson, b/m.ndjson)"],
    ["shard-missing", "fail", "target pw-desktop: shard(s) 2, 4 of 4 missing"],
  ]);
});

test("on a target the policy does not require, the same problems are warnings", () => {
  assert.deepEqual(problems([file("a/m.ndjson", [1, 2])], false), [
    ["shard-missing", "warn", "target pw-desktop: shard(s) 2 of 2 missing"],
  ]);
});
