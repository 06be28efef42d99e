// The report's requirement rows beyond the scenario results: declared in run.json's featureTags or listed by this
// run's decision, with "no scenario" / "no result" / "n/a" cells stated as facts, never as the gate's judgement;
// hostile inputs become notes, escapes or caps, never a crash.
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
import { buildOverview, mdEsc, overviewHtml, summaryMarkdown } from "../../src/report/overview";
import { applyUrlPattern } from "../../src/report/allure-labels";
import { overviewSvg } from "../../src/report/overview-svg";
import {
  MAX_LISTED_ROWS,
  gapOf,
  notPassingRequirements,
  requirementMatrix,
  withoutScenario,
  type ReportData,
  type TargetInfo,
} from "../../src/report/results";
import { decisionOf, judgedRun, readVerdict } from "../../src/report/verdict";
import { scenarioResult } from "../helpers/scenario-result";

const DIGEST_A = "a".repeat(64);
const DIGEST_B = "b".repeat(64);

const sc = scenarioResult;

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

test("a requirement no scenario ran for is a row of 'no scenario' cells, counted apart from the not passing ones", () => {
  const m = manifest({ featureTags: { [DIGEST_A]: ["@REQ-1", "@REQ-2", "@REQ-3", "@mobile-only"] } });
  const d = { ...data(m), listed: listedRequirements(m, undefined, "REQ-") };
  const matrix = requirementMatrix(d);
  assert.deepEqual(matrix.requirements, ["REQ-1", "REQ-2", "REQ-3"]);
  assert.equal(gapOf(matrix, "REQ-3", "pw-desktop"), "no scenario");
  assert.equal(gapOf(matrix, "REQ-3", "se-desktop"), "no scenario");
  // Ran on one target only, with no tag keeping it off the other: a gap there, not n/a.
  assert.equal(gapOf(matrix, "REQ-2", "se-desktop"), "no scenario");
  assert.equal(gapOf(matrix, "REQ-1", "se-desktop"), undefined);
  assert.deepEqual(withoutScenario(matrix), ["REQ-2", "REQ-3"]);
  assert.deepEqual(notPassingRequirements(matrix), []);
  // Without the listed rows only the requirement with a result is there: REQ-3 has no row at all.
  assert.deepEqual(requirementMatrix(data(m)).requirements, ["REQ-1", "REQ-2"]);
});

test("a requirement whose every scenario is narrowed is n/a where it did not run, and is counted in neither count", () => {
  const pw = target("pw-desktop", [sc({ name: "d", requirements: ["REQ-5"], tags: ["@REQ-5", "@playwright-only"] })]);
  const se = target("se-desktop", []);
  const matrix = requirementMatrix({ targets: [pw, se] });
  assert.equal(gapOf(matrix, "REQ-5", "se-desktop"), "n/a");
  assert.deepEqual(notPassingRequirements(matrix), []);
  assert.deepEqual(withoutScenario(matrix), []);
  // One scenario of it without a narrowing tag makes the absent cell a gap again (the gate's rule).
  const both = target("pw-desktop", [...pw.scenarios, sc({ name: "e", requirements: ["REQ-5"], tags: ["@REQ-5"] })]);
  const again = requirementMatrix({ targets: [both, se] });
  assert.equal(gapOf(again, "REQ-5", "se-desktop"), "no scenario");
  assert.deepEqual(withoutScenario(again), ["REQ-5"]);
});

test("overview.html, summary.md, the picture and the environment show the 'no scenario' rows and count them apart", () => {
  const m = manifest({ featureTags: { [DIGEST_A]: ["@REQ-1", "@REQ-2", "@REQ-3"] } });
  const d = { ...data(m), listed: listedRequirements(m, undefined, "REQ-") };
  const o = buildOverview(d, undefined);
  const md = summaryMarkdown(o, { links: { requirement: "https://t.example/{id}" }, env: {} });
  const heading = "Requirements × targets (0 of 3 not passing, 2 without a scenario on some target)";
  assert.ok(md.includes(`### ${heading}`), md);
  assert.ok(md.includes("| [REQ-3](https://t.example/REQ-3) | ∅ | ∅ |"), md);
  assert.ok(md.includes("| [REQ-2](https://t.example/REQ-2) | ✅ | ∅ |"), md);
  assert.match(md, /∅ no scenario ran here/);
  const html = overviewHtml(o, { links: {} });
  assert.ok(html.includes(`<h2>${heading}</h2>`), html);
  assert.match(html, /<tr><td>REQ-3<\/td>(<td class="c" [^>]*>∅ no scenario<\/td>){2}<\/tr>/);
  assert.doesNotMatch(html, /<tr><td>REQ-3<\/td>[^\n]*n\/a/);
  const svg = overviewSvg(o);
  assert.ok(svg.includes(heading));
  assert.match(svg, />∅ no scenario</);
  // Facts only: no page claims what the gate counts; each says the policy decides.
  for (const page of [md, html, svg]) {
    assert.doesNotMatch(page, /gate counts/);
    assert.match(
      page,
      /Whether a gap fails the release is the policy&#39;s|Whether a gap fails the release is the policy's/,
    );
  }
  const env = Object.fromEntries(environmentEntries(d, undefined));
  assert.equal(env["Requirements"], "0 of 3 not passing · 2 without a scenario on some target: REQ-2, REQ-3");
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
    ["c".repeat(64)]: ["@REQ-8\nforged", "@REQ-9 <b>", "@REQ-10", "@REQ-\u202Egnissap", `@REQ-${"x".repeat(200)}`],
  };
  const r = listedRequirements(manifest({ featureTags: hostile } as Partial<RunManifest>), undefined, "REQ-");
  assert.deepEqual(r.ids, ["REQ-1", "REQ-10"]);
  assert.deepEqual(r.notes, [
    "2 of the 4 entries of run.json's featureTags are not a file digest with tag names and were left out: a requirement only they declare is not listed here (`signoff gate` counts it).",
    "4 requirement id(s) in run.json's featureTags or the verdict are not listed: each has whitespace, a control or format character, or more than 200 characters.",
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
    // Taken as ids, whatever the config's prefix: a policy may list LEGAL-1 (review finding 3). Only the sanity rule drops one.
    assert.deepEqual(listed.ids, ["REQ-1", "REQ-POLICY-1", "OTHER-1"]);
    assert.match(listed.notes.at(-1)!, /^1 requirement id\(s\) .* are not listed/);
    const matrix = requirementMatrix({ ...data(m), listed });
    assert.equal(gapOf(matrix, "REQ-POLICY-1", "pw-desktop"), "no scenario");
    assert.equal(gapOf(matrix, "OTHER-1", "se-desktop"), "no scenario");
    assert.ok(withoutScenario(matrix).includes("OTHER-1"));

    verdictFor("0".repeat(64));
    const stale = judgedRun(readVerdict(file), runJson);
    assert.deepEqual(listedRequirements(m, decisionOf(stale), "REQ-").ids, []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a narrowed requirement run only on an optional phone is n/a on the desktops, with no claim of what the gate makes of it (review #1)", () => {
  const phone = target("pw-pixel7", [sc({ name: "m", requirements: ["REQ-3"], tags: ["@REQ-3", "@mobile-only"] })]);
  const d: ReportData = {
    reportsDir: "/r",
    targets: [target("pw-desktop", []), target("se-desktop", []), phone],
    scenarios: phone.scenarios,
  };
  const matrix = requirementMatrix(d);
  assert.equal(gapOf(matrix, "REQ-3", "pw-desktop"), "n/a");
  assert.equal(gapOf(matrix, "REQ-3", "pw-pixel7"), undefined);
  const html = overviewHtml(buildOverview(d, undefined), { links: {} });
  assert.match(html, /— n\/a: tags keep its scenarios off this target/);
  assert.match(html, /Whether a gap fails the release is the policy&#39;s: the gate decision says which/);
  assert.doesNotMatch(html, /gate counts/);
  // A narrowed requirement with no result anywhere is no n/a: nothing shows its tags kept it off only some targets.
  const nowhere = requirementMatrix({
    ...d,
    targets: [target("pw-desktop", [])],
    listed: { ids: ["REQ-3"], notes: [] },
  });
  assert.equal(gapOf(nowhere, "REQ-3", "pw-desktop"), "no scenario");
});

test("requirements the policy lists or any-target would not judge are plain 'no scenario' facts (review #4)", () => {
  const m = manifest({ featureTags: { [DIGEST_A]: ["@REQ-1", "@REQ-2", "@REQ-3"] } });
  const d = { ...data(m), listed: listedRequirements(m, undefined, "REQ-") };
  const o = buildOverview(d, undefined);
  const md = summaryMarkdown(o, { links: {}, env: {} });
  assert.ok(md.includes("| REQ-3 | ∅ | ∅ |"), md);
  assert.ok(md.includes("| REQ-2 | ✅ | ∅ |"), md);
  // Not counted "not passing": the heading keeps them apart, and nothing says the gate counts them.
  assert.match(md, /\(0 of 3 not passing, 2 without a scenario on some target\)/);
  assert.doesNotMatch(md, /uncovered|gate counts/);
});

test("a target whose results were refused or whose shard is missing has 'no result' cells, counted not passing (review #9)", () => {
  const pw = target("pw-desktop", [sc({ name: "one", requirements: ["REQ-1"], tags: ["@REQ-1"] })]);
  const se: TargetInfo = { ...target("se-desktop", []), complete: false, lacking: true };
  const d: ReportData = { reportsDir: "/r", targets: [pw, se], scenarios: pw.scenarios };
  const matrix = requirementMatrix(d);
  assert.equal(gapOf(matrix, "REQ-1", "se-desktop"), "no result");
  assert.deepEqual(notPassingRequirements(matrix), ["REQ-1"]);
  assert.deepEqual(withoutScenario(matrix), []);
  const o = buildOverview(d, undefined);
  assert.match(
    overviewHtml(o, { links: {} }),
    /<tr><td>REQ-1<\/td><td [^>]*>✓ passed<\/td><td [^>]*>⊘ no result<\/td><\/tr>/,
  );
  assert.ok(summaryMarkdown(o, { links: {}, env: {} }).includes("| REQ-1 | ✅ | ⛔ |"));
  assert.match(overviewSvg(o), />⊘ no result</);
});

test("a path or file:line selection is a note: requirements of the feature files the run did not read are not listed", () => {
  const m = manifest({ featureTags: { [DIGEST_A]: ["@REQ-1"] } });
  assert.deepEqual(listedRequirements(m, undefined, "REQ-", { unread: 0 }).notes, []);
  assert.match(
    listedRequirements(m, undefined, "REQ-", { unread: 2 }).notes[0],
    /^The run read only the feature files it was given \(2 feature file\(s\) under the config's features .*reads the config's whole features dir/,
  );
  const lines = manifest({ featureTags: { [DIGEST_A]: ["@REQ-1"] }, lines: ["features/a.feature:3"] });
  assert.match(listedRequirements(lines, undefined, "REQ-").notes[0], /records a `file:line` selection/);
});

test("listed rows beyond those with a result are capped, with a note", () => {
  const ids = Array.from({ length: MAX_LISTED_ROWS + 7 }, (_, i) => `REQ-L${i}`);
  const matrix = requirementMatrix({ ...data(undefined), listed: { ids, notes: [] } });
  assert.equal(matrix.requirements.length, MAX_LISTED_ROWS + 2); // REQ-1, REQ-2 have results
  assert.match(matrix.notes.at(-1)!, /^7 more requirements without a scenario result are not shown/);
});

test("the picture of 200k requirement rows is drawn without a stack overflow, and stays small", () => {
  const reqs = Array.from({ length: 200_000 }, (_, i) => `REQ-${i}`);
  const pw = target("pw-desktop", [sc({ name: "many", requirements: reqs, tags: [] })]);
  const d: ReportData = { reportsDir: "/r", targets: [pw], scenarios: pw.scenarios };
  const svg = overviewSvg(buildOverview(d, undefined));
  assert.match(svg, /… 199700 more requirements in the HTML overview/);
  assert.ok(svg.length < 1_000_000, `${svg.length}`);
});

test("summary.md shows hostile ids as text: no image, link, HTML or reordering can come from one (review #6)", () => {
  const hostile = [
    "REQ-![x](https://evil.example/b.png)",
    "REQ-<img src=x onerror=alert(1)>",
    "REQ-[click](https://evil.example/)",
    "REQ-\u202Egnissap",
  ];
  const pw = target("pw-desktop", [sc({ name: "h", requirements: hostile, tags: [] })]);
  const d: ReportData = { reportsDir: "/r", targets: [pw], scenarios: pw.scenarios };
  const o = buildOverview(d, undefined);
  for (const links of [{}, { requirement: "https://t.example/{id}" }]) {
    const md = summaryMarkdown(o, { links, env: {} });
    // Every Markdown-active character of an id is escaped: no unescaped "![", "](", "[" or "<" from an id.
    assert.doesNotMatch(md, /(^|[^\\])!\[x/m);
    assert.doesNotMatch(md, /(^|[^\\])<img/m);
    assert.doesNotMatch(md, /(^|[^\\])\[click/m);
    assert.ok(!md.includes("\u202E"), "a bidi override reaches summary.md");
    assert.ok(md.includes("REQ-\\u{202e}gnissap"), md);
    // A link's target cannot be ended early by a ")" of the id.
    for (const m of md.matchAll(/\]\((https:\/\/t\.example\/[^)]*)\)/g)) assert.doesNotMatch(m[1], /[()]/);
  }
  assert.equal(mdEsc("a|b`c*d_e[f]g(h)i!j<k>l#m~n\\o"), "a\\|b\\`c\\*d\\_e\\[f\\]g(h)i!j\\<k\\>l\\#m\\~n\\\\o");
  assert.equal(applyUrlPattern("https://t.example/{id}", "A(1)!*'"), "https://t.example/A%281%29%21%2A%27");
});
