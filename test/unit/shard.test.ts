// --shard i/n: parsing, the deterministic round-robin slice, the per-target tag filter, file:line paths.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { listPickles, parseShard, selectPickles, shardSlice, slicePaths, type PickleRef } from "../../src/runner/shard";
import { targetTagExpression } from "../../src/runner/targets";
import { BUILTIN_TARGETS } from "../../src/config/defaults";

test("parseShard accepts i/n with 1 ≤ i ≤ n and nothing else", () => {
  assert.deepEqual(parseShard("2/3"), { index: 2, total: 3 });
  assert.deepEqual(parseShard(" 1 / 1 "), { index: 1, total: 1 });
  assert.deepEqual(parseShard("1024/1024"), { index: 1024, total: 1024 });
  // signoff merge could not combine more: run.json lists at most 1024 merged shards.
  assert.throws(() => parseShard("1/1025"), /^UsageError: --shard 1\/1025: n must be at most 1024$/);
  for (const bad of ["0/2", "3/2", "1/0", "1", "a/b", "1/2/3", "-1/2", ""])
    assert.throws(() => parseShard(bad), /--shard/, bad);
});

test("the shards of a list partition it: disjoint, complete, balanced, whatever n", () => {
  const items = Array.from({ length: 23 }, (_, i) => i);
  for (let n = 1; n <= 7; n++) {
    const slices = Array.from({ length: n }, (_, i) => shardSlice(items, { index: i + 1, total: n }));
    assert.deepEqual(
      slices.flat().sort((a, b) => a - b),
      items,
    );
    const sizes = slices.map((s) => s.length);
    assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1, `n=${n}: ${sizes}`);
  }
});

function fixture(): { cwd: string; files: string[] } {
  const cwd = mkdtempSync(join(tmpdir(), "signoff-shard-unit-"));
  mkdirSync(join(cwd, "features"));
  writeFileSync(
    join(cwd, "features", "b.feature"),
    [
      "Feature: B",
      "  Scenario: b one",
      "    Given x",
      "  @mobile-only",
      "  Scenario: b phone",
      "    Given x",
      "  Scenario Outline: b rows",
      "    Given <v>",
      "    Examples:",
      "      | v |",
      "      | 1 |",
      "      | 2 |",
      "",
    ].join("\n"),
  );
  writeFileSync(
    join(cwd, "features", "a.feature"),
    ["@desktop-only", "Feature: A", "  Rule: r", "    Scenario: a one", "      Given x", ""].join("\n"),
  );
  return { cwd, files: ["features/b.feature", "features/a.feature"] };
}

test("listPickles: one per scenario and per example row, with the line Cucumber accepts", () => {
  const { cwd, files } = fixture();
  const pickles = listPickles(files, cwd);
  assert.deepEqual(
    pickles.map((p) => `${p.uri}:${p.line} ${p.name} ${p.tags.join(",")}`),
    [
      "features/b.feature:2 b one ",
      "features/b.feature:5 b phone @mobile-only",
      "features/b.feature:11 b rows ",
      "features/b.feature:12 b rows ",
      "features/a.feature:4 a one @desktop-only",
    ],
  );
});

test("selectPickles applies the target's tag expression and sorts by uri:line; slices become file:line paths", () => {
  const { cwd, files } = fixture();
  const pickles = listPickles(files, cwd);
  const names = Object.keys(BUILTIN_TARGETS);
  const phone = selectPickles(pickles, targetTagExpression(BUILTIN_TARGETS["pw-pixel7"], names));
  assert.deepEqual(
    phone.map((p) => `${p.uri}:${p.line}`),
    ["features/b.feature:2", "features/b.feature:5", "features/b.feature:11", "features/b.feature:12"],
  );
  const desktop = selectPickles(pickles, targetTagExpression(BUILTIN_TARGETS["se-desktop"], names));
  assert.deepEqual(
    desktop.map((p) => `${p.uri}:${p.line}`),
    ["features/a.feature:4", "features/b.feature:2", "features/b.feature:11", "features/b.feature:12"],
  );
  assert.deepEqual(slicePaths(shardSlice(desktop, { index: 1, total: 2 })), [
    "features/a.feature:4",
    "features/b.feature:11",
  ]);
  assert.deepEqual(slicePaths(shardSlice(desktop, { index: 2, total: 2 })), ["features/b.feature:2:12"]);
});

test("selectPickles keeps to the lines a path names", () => {
  const p = (uri: string, line: number): PickleRef => ({ uri, line, name: "", tags: [] });
  const all = [p("f/a.feature", 3), p("f/a.feature", 9), p("f/b.feature", 2)];
  assert.deepEqual(
    selectPickles(all, undefined, ["f/a.feature:9", "f/b.feature"]).map((x) => `${x.uri}:${x.line}`),
    ["f/a.feature:9", "f/b.feature:2"],
  );
});

test("an outline's line selects every example of it, as Cucumber's line filter does; a row's line that example", () => {
  const { cwd } = fixture();
  const pickles = listPickles(["features/b.feature"], cwd);
  const at = (paths: string[]) => selectPickles(pickles, undefined, paths).map((x) => `${x.uri}:${x.line}`);
  assert.deepEqual(at(["features/b.feature:7"]), ["features/b.feature:11", "features/b.feature:12"]);
  assert.deepEqual(at(["features/b.feature:12"]), ["features/b.feature:12"]);
  assert.deepEqual(at(["features/b.feature:2:7"]), [
    "features/b.feature:2",
    "features/b.feature:11",
    "features/b.feature:12",
  ]);
});
