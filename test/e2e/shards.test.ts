// End to end: `signoff run --shard i/n` on "several machines" (several results dirs), merged back with
// `signoff merge`, equals what one unsharded run gives (every scenario the target selects, passed: the
// unsharded run of this feature is matrix.test.ts's); a missing or duplicated shard is reported as incompleteness.
import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { cpSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { loadResults } from "../../src/results/loader";
import { BUILTIN_TARGETS } from "../../src/config/defaults";
import { mergeResults } from "../../src/runner/merge";
import { listPickles, selectPickles } from "../../src/runner/shard";
import { targetTagExpression } from "../../src/runner/targets";
import type { ScenarioResult } from "../../src/core/results-model";
import { runSignoff, tempDir } from "../helpers/cli";

const FEATURE = "features/visitor-counter.feature";
const TARGETS = "pw-desktop,pw-pixel7";

const outcome = (scenarios: ScenarioResult[]) =>
  scenarios.map((s) => `${s.target} ${s.uri}:${s.line} ${s.name} ${s.status}`).sort();

/** The outcome of an unsharded, passing run: every scenario each target's tags select, passed. */
function unshardedOutcome(): string[] {
  const pickles = listPickles([FEATURE]);
  const names = Object.keys(BUILTIN_TARGETS);
  return TARGETS.split(",")
    .flatMap((t) =>
      selectPickles(pickles, targetTagExpression(BUILTIN_TARGETS[t], names), [FEATURE]).map(
        (p) => `${t} ${p.uri}:${p.line} ${p.name} passed`,
      ),
    )
    .sort();
}

describe("sharded runs merged", () => {
  const dir = tempDir("signoff-shards-");
  const shard1 = join(dir, "machine-1");
  const shard2 = join(dir, "machine-2");
  const runs: Record<string, Awaited<ReturnType<typeof runSignoff>>> = {};

  before(async () => {
    runs.shard1 = await runSignoff(["run", FEATURE, "--targets", TARGETS, "--shard", "1/2", "--reports", shard1]);
    runs.shard2 = await runSignoff(["run", FEATURE, "--targets", TARGETS, "--shard", "2/2", "--reports", shard2]);
  });

  test("every run passes", () => {
    for (const [name, r] of Object.entries(runs)) assert.equal(r.code, 0, `${name}:\n${r.stdout}${r.stderr}`);
    assert.match(runs.shard1.stdout, /▶ pw-pixel7 \(playwright, Pixel 7, shard 1\/2: 2 of 3 scenario\(s\)\)/);
    assert.match(runs.shard2.stdout, /▶ pw-pixel7 \(playwright, Pixel 7, shard 2\/2: 1 of 3 scenario\(s\)\)/);
  });

  test("each shard writes <target>@shard-i-of-n.ndjson (+ its results index) and records the shard in run.json", () => {
    assert.deepEqual(readdirSync(join(shard2, "messages")).sort(), [
      "pw-desktop@shard-2-of-2.ndjson",
      "pw-desktop@shard-2-of-2.results.jsonl",
      "pw-pixel7@shard-2-of-2.ndjson",
      "pw-pixel7@shard-2-of-2.results.jsonl",
    ]);
    const m = JSON.parse(readFileSync(join(shard2, "run.json"), "utf8"));
    assert.deepEqual(m.shard, { index: 2, total: 2 });
    assert.deepEqual(
      m.targets.map((t: any) => [t.name, t.shard, t.messages, t.complete]),
      [
        ["pw-desktop", { index: 2, total: 2 }, ["messages/pw-desktop@shard-2-of-2.ndjson"], true],
        ["pw-pixel7", { index: 2, total: 2 }, ["messages/pw-pixel7@shard-2-of-2.ndjson"], true],
      ],
    );
  });

  test("the shards are disjoint and together equal an unsharded run in scenario count and outcome", async () => {
    const [a, b] = await Promise.all([loadResults([shard1]), loadResults([shard2])]);
    const keys = (l: typeof a) => outcome(l.files.flatMap((f) => f.results!.scenarios));
    const k1 = keys(a);
    const k2 = keys(b);
    assert.ok(k1.length > 0 && k2.length > 0);
    assert.deepEqual(
      k1.filter((k) => k2.includes(k)),
      [],
      "no scenario in both shards",
    );

    const merged = await mergeResults([shard1, shard2]);
    assert.equal(
      merged.complete,
      true,
      JSON.stringify(merged.problems.concat(merged.targets.flatMap((t) => t.problems))),
    );
    const mergedOutcome = outcome(merged.targets.flatMap((t) => t.scenarios));
    assert.equal(mergedOutcome.length, 5);
    assert.deepEqual(mergedOutcome, unshardedOutcome());
  });

  test("`signoff merge` writes one complete results dir the report and the gate read", async () => {
    const into = join(dir, "merged");
    const r = await runSignoff(["merge", shard1, shard2, "--into", into]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /COMPLETE\s+pw-pixel7\s+3 scenario\(s\): 3 passed, 0 failed from 2 file\(s\)/);
    const m = JSON.parse(readFileSync(join(into, "run.json"), "utf8"));
    assert.equal(m.complete, true);
    assert.equal(m.mergedFrom.length, 2);
    assert.deepEqual(
      m.targets.map((t: any) => [t.name, t.complete, t.counts.passed, t.messages.length]),
      [
        ["pw-desktop", true, 2, 2],
        ["pw-pixel7", true, 3, 2],
      ],
    );
    const loaded = await loadResults([into], { indexTrusted: () => true });
    assert.equal(outcome(loaded.files.flatMap((f) => f.results!.scenarios)).length, 5);
    assert.ok(
      loaded.files.every((f) => f.source === "index"),
      "the merged dir carries a results index per messages file",
    );
    assert.equal(readdirSync(join(into, "allure-results")).filter((f) => f.endsWith("-result.json")).length, 5);
  });

  test("a missing shard is detected: merge exits 1 naming it, the merged run.json is incomplete", async () => {
    const merged = await mergeResults([shard1]);
    assert.equal(merged.complete, false);
    assert.deepEqual(
      merged.targets.map((t) => t.problems),
      [["target pw-desktop: shard(s) 2 of 2 missing"], ["target pw-pixel7: shard(s) 2 of 2 missing"]],
    );
    const into = join(dir, "merged-gap");
    const r = await runSignoff(["merge", shard1, "--into", into]);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /INCOMPLETE pw-desktop .*\n\s+target pw-desktop: shard\(s\) 2 of 2 missing/);
    assert.equal(JSON.parse(readFileSync(join(into, "run.json"), "utf8")).complete, false);
  });

  test("a duplicated shard (the same slice from two machines) is detected", async () => {
    const copy = join(dir, "machine-1-again");
    cpSync(shard1, copy, { recursive: true });
    const merged = await mergeResults([shard1, copy, shard2]);
    assert.equal(merged.complete, false);
    assert.match(merged.targets[0].problems.join("\n"), /target pw-desktop: shard 1 of 2 present more than once/);
  });
});

describe("a shard with nothing to run", () => {
  test("writes a complete, empty messages file (so the merge can tell it from a missing shard)", async () => {
    const reports = tempDir("signoff-shard-empty-");
    // pw-desktop runs 2 scenarios of this feature: shard 3 of 3 gets none.
    const r = await runSignoff(["run", FEATURE, "--targets", "pw-desktop", "--shard", "3/3", "--reports", reports]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /shard 3\/3: 0 of 2 scenario\(s\)/);
    const loaded = await loadResults([reports]);
    assert.equal(loaded.files.length, 1);
    assert.equal(loaded.files[0].results!.complete, true);
    assert.equal(loaded.files[0].results!.scenarios.length, 0);
  });

  test("a bad --shard is a usage error", async () => {
    const r = await runSignoff(["run", "--shard", "0/2"]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--shard 0\/2: i must be between 1 and n/);
  });
});
