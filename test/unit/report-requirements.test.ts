// The report's requirement rows beyond the scenario results: declared in run.json's featureTags or listed by this
// run's decision, with a "no scenario" cell that counts as not passing; hostile inputs become notes, never a crash.
import { writeDisplayVerdict } from "../helpers/display-verdict";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import type { RunManifest } from "../../src/core/manifest";
import type { ScenarioResult } from "../../src/core/results-model";
import { environmentEntries } from "../../src/report/allure-extras";
import { listedRequirements } from "../../src/report/listed-requirements";
import { buildOverview, overviewHtml, summaryMarkdown } from "../../src/report/overview";
import { overviewSvg } from "../../src/report/overview-svg";
import {
  failingRequirements,
  gapOf,
  requirementMatrix,
  type ReportData,
  type TargetInfo,
} from "../../src/report/results";
import { decisionOf, judgedRun, readVerdict } from "../../src/report/verdict";

const DIGEST_A = "a".repeat(64);
const DIGEST_B = "b".repeat(64);

function sc(p: Partial<ScenarioResult>): ScenarioResult {
  return {
    key: `f.feature › ${p.name ?? "s"}`,
    uri: "features/f.feature",
    line: 3,
    feature: "F",
    name: "s",
    tags: [],
    requirements: [],
    target: "pw-desktop",
    status: "passed",
    attempts: 1,
    flaky: false,
    durationMs: 10,
    ...p,
  };
}

function target(name: string, scenarios: ScenarioResult[]): TargetInfo {
  return { name, complete: true, results: [], scenarios: scenarios.map((s) => ({ ...s, target: name })) };
}

function manifest(extra: Partial<RunManifest> = {}): RunManifest {
  return {
    schema: "signoff/run@1",
    runId: "r1",
    startedAt: "2026-01-01T00:00:00Z",
    toolVersion: "0.1.0",
    baseUrl: "https://staging.example/",
    build: null,
    targets: [],
    complete: true,
    ...extra,
  };
}

/** Two desktop targets: REQ-1 passes on both, REQ-2 ran only on pw-desktop without a narrowing tag. */
function data(m: RunManifest | undefined): ReportData {
  const pw = target("pw-desktop", [
    sc({ name: "one", requirements: ["REQ-1"], tags: ["@REQ-1"] }),
    sc({ name: "two", requirements: ["REQ-2"], tags: ["@REQ-2"] }),
  ]);
  const se = target("se-desktop", [sc({ name: "one", requirements: ["REQ-1"], tags: ["@REQ-1"] })]);
  return { reportsDir: "/r", manifest: m, targets: [pw, se], scenarios: [...pw.scenarios, ...se.scenarios] };
}

test("the run's declared requirements come from run.json's featureTags through the config's prefix", () => {
  const m = manifest({
    featureTags: {
      [DIGEST_A]: ["@REQ-1", "@REQ-3", "@mobile-only", "@STORY-9"],
      [DIGEST_B]: ["@REQ-4", "@REQ-"],
    },
  });
  assert.deepEqual(listedRequirements(m, undefined, "REQ-"), { ids: ["REQ-1", "REQ-3", "REQ-4"], notes: [] });
  assert.deepEqual(listedRequirements(m, undefined, "STORY-").ids, ["STORY-9"]);
});

test("a requirement no scenario ran for is a row of 'no scenario' cells, and counts as not passing", () => {
  const m = manifest({ featureTags: { [DIGEST_A]: ["@REQ-1", "@REQ-2", "@REQ-3", "@mobile-only"] } });
  const d = { ...data(m), listed: listedRequirements(m, undefined, "REQ-") };
  const matrix = requirementMatrix(d);
  assert.deepEqual(matrix.requirements, ["REQ-1", "REQ-2", "REQ-3"]);
  assert.equal(gapOf(matrix, "REQ-3", "pw-desktop"), "no scenario");
  assert.equal(gapOf(matrix, "REQ-3", "se-desktop"), "no scenario");
  // Ran on one target only, with no tag keeping it off the other: a gap there, not n/a.
  assert.equal(gapOf(matrix, "REQ-2", "se-desktop"), "no scenario");
  assert.equal(gapOf(matrix, "REQ-1", "se-desktop"), undefined);
  assert.deepEqual(failingRequirements(matrix), ["REQ-2", "REQ-3"]);
  // The old matrix knew neither gap: the counts said all passing.
  assert.deepEqual(failingRequirements(requirementMatrix(data(m))), ["REQ-2"]);
});

test("a requirement whose every scenario is narrowed is n/a where it did not run, and does not count against it", () => {
  const pw = target("pw-desktop", [sc({ name: "d", requirements: ["REQ-5"], tags: ["@REQ-5", "@playwright-only"] })]);
  const se = target("se-desktop", []);
  const matrix = requirementMatrix({ targets: [pw, se] });
  assert.equal(gapOf(matrix, "REQ-5", "se-desktop"), "n/a");
  assert.deepEqual(failingRequirements(matrix), []);
  // One scenario of it without a narrowing tag makes the absent cell a gap again (the gate's rule).
  const both = target("pw-desktop", [...pw.scenarios, sc({ name: "e", requirements: ["REQ-5"], tags: ["@REQ-5"] })]);
  const again = requirementMatrix({ targets: [both, se] });
  assert.equal(gapOf(again, "REQ-5", "se-desktop"), "no scenario");
  assert.deepEqual(failingRequirements(again), ["REQ-5"]);
});

test("overview.html, summary.md, the picture and the environment show the 'no scenario' rows and count them", () => {
  const m = manifest({ featureTags: { [DIGEST_A]: ["@REQ-1", "@REQ-2", "@REQ-3"] } });
  const d = { ...data(m), listed: listedRequirements(m, undefined, "REQ-") };
  const o = buildOverview(d, undefined);
  const md = summaryMarkdown(o, { links: { requirement: "https://t.example/{id}" }, env: {} });
  assert.match(md, /### Requirements × targets \(2 of 3 not passing\)/);
  assert.ok(md.includes("| [REQ-3](https://t.example/REQ-3) | ∅ | ∅ |"), md);
  assert.ok(md.includes("| [REQ-2](https://t.example/REQ-2) | ✅ | ∅ |"), md);
  assert.ok(md.includes("| [REQ-1](https://t.example/REQ-1) | ✅ | ✅ |"), md);
  assert.match(md, /∅ no scenario ran here/);
  const html = overviewHtml(o, { links: {} });
  assert.match(html, /<h2>Requirements × targets \(2 of 3 not passing\)<\/h2>/);
  assert.match(html, /<tr><td>REQ-3<\/td>(<td class="c" [^>]*>∅ no scenario<\/td>){2}<\/tr>/);
  assert.doesNotMatch(html, /<tr><td>REQ-3<\/td>[^\n]*n\/a/);
  const svg = overviewSvg(o);
  assert.match(svg, /Requirements × targets \(2 of 3 not passing\)/);
  assert.match(svg, />∅ no scenario</);
  const env = Object.fromEntries(environmentEntries(d, undefined));
  assert.equal(env["Requirements"], "1/3 pass everywhere · not passing: REQ-2, REQ-3");
});

test("run.json without usable feature tags, or with none at all, lists fewer rows and says so", () => {
  const none = listedRequirements(manifest(), undefined, "REQ-");
  assert.deepEqual(none.ids, []);
  assert.match(none.notes[0], /run\.json records no feature tags/);
  assert.match(listedRequirements(undefined, undefined, "REQ-").notes[0], /There is no run\.json/);
  for (const featureTags of ["@REQ-1", ["@REQ-1"], null, 7, {}] as unknown[]) {
    const r = listedRequirements(manifest({ featureTags } as Partial<RunManifest>), undefined, "REQ-");
    assert.deepEqual(r.ids, [], JSON.stringify(featureTags));
    assert.match(r.notes[0], /featureTags lists no feature file's tags/, JSON.stringify(featureTags));
  }
  const hostile = {
    [DIGEST_A]: ["@REQ-1"],
    "not-a-digest": ["@REQ-6"],
    [DIGEST_B]: ["REQ-7", 3],
    ["c".repeat(64)]: ["@REQ-8\nforged", "@REQ-9 <b>", "@REQ-10"],
  };
  const r = listedRequirements(manifest({ featureTags: hostile } as Partial<RunManifest>), undefined, "REQ-");
  assert.deepEqual(r.ids, ["REQ-1", "REQ-10"]);
  assert.deepEqual(r.notes, [
    "2 of the 4 entries of run.json's featureTags are not a file digest with tag names and were left out: a requirement only they declare is not listed here (`signoff gate` counts it).",
  ]);
  // The note reaches both pages.
  const o = buildOverview({ ...data(manifest()), listed: r }, undefined);
  assert.ok(summaryMarkdown(o, { links: {}, env: {} }).includes(`⚠️ ${r.notes[0]}`));
  assert.ok(overviewHtml(o, { links: {} }).includes(`⚠ ${r.notes[0].replace(/'/g, "&#39;")}`));
});

test("a shard's results say that a gap may be another shard's scenario", () => {
  const r = listedRequirements(manifest({ featureTags: {}, shard: { index: 2, total: 3 } }), undefined, "REQ-");
  assert.match(r.notes.at(-1)!, /^These are the results of shard 2 of 3: .*signoff merge/);
});

test("this run's decision adds the requirements its coverage lists (the policy's), as rows only; another run's adds none", () => {
  const dir = mkdtempSync(join(tmpdir(), "signoff-listed-"));
  try {
    const runJson = Buffer.from('{"this":"run"}');
    const file = join(dir, "v.jsonl");
    const verdictFor = (runManifestSha256: string) =>
      writeDisplayVerdict(file, {
        result: "FAILED",
        runManifestSha256,
        decision: {
          verificationResult: "FAILED",
          "https://signoff.dev/gate/v1": {
            reasons: ["requirement-uncovered: requirement REQ-POLICY-1 has no scenario in these results"],
            // A cell that says passed is not believed: the report's cells come from the results.
            coverage: {
              requirements: ["REQ-1", "REQ-POLICY-1", "OTHER-1", "REQ-X Y", 42],
              targets: ["pw-desktop"],
              cells: { "REQ-POLICY-1": { "pw-desktop": { status: "passed", scenarios: 1, passed: 1 } } },
            },
          },
        },
      });
    verdictFor(createHash("sha256").update(runJson).digest("hex"));
    const current = judgedRun(readVerdict(file), runJson);
    assert.deepEqual(current?.requirements, ["REQ-1", "REQ-POLICY-1", "OTHER-1", "REQ-X Y"]);
    const m = manifest({ featureTags: {} });
    const listed = listedRequirements(m, decisionOf(current), "REQ-");
    assert.deepEqual(listed.ids, ["REQ-1", "REQ-POLICY-1"]);
    const matrix = requirementMatrix({ ...data(m), listed });
    assert.equal(gapOf(matrix, "REQ-POLICY-1", "pw-desktop"), "no scenario");
    assert.ok(failingRequirements(matrix).includes("REQ-POLICY-1"));

    verdictFor("0".repeat(64));
    const stale = judgedRun(readVerdict(file), runJson);
    assert.deepEqual(listedRequirements(m, decisionOf(stale), "REQ-").ids, []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
