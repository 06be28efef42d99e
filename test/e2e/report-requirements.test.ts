// End to end through the real CLI, without a browser: a requirement no scenario ran for is a row of the report's matrix
// ("∅ no scenario", a fact counted apart from "not passing", never the gate's judgement), whether the run's feature
// files declare it or only the policy lists it (prefix or not); a refused target's cells read "no result"; a path
// selection is a note; a run.json whose feature tags are unusable is a note, and one that is not JSON a one-line refusal.
import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, test } from "node:test";
import { ROOT, runSignoff, type CliResult } from "../helpers/cli";
import { makeKeys, ok } from "../helpers/release-flow";
import { DIGEST, tmp, writeResultsDir } from "../unit/gate-helpers";
import { uncoveredRequirements } from "../helpers/uncovered";

const ARTIFACT = `registry.example/visitor-counter@sha256:${DIGEST}`;

/**
 * A project with the example's feature file and a results dir of the desktop targets only: its @mobile-only
 * scenario (REQ-COUNTER-3) ran on no target, as in a run without phones.
 */
const made: string[] = [];
after(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

function project(): string {
  const dir = tmp("signoff-report-reqs-");
  made.push(dir);
  mkdirSync(join(dir, "features"));
  copyFileSync(join(ROOT, "features", "visitor-counter.feature"), join(dir, "features", "visitor-counter.feature"));
  mkdirSync(join(dir, "keys"));
  writeResultsDir(join(dir, "reports"), { targets: ["pw-desktop", "se-desktop"] });
  return dir;
}

const signoff = (dir: string, args: string[]): Promise<CliResult> => runSignoff(args, { cwd: dir, timeoutMs: 120_000 });
const report = (dir: string) => signoff(dir, ["report", "--no-html", "--reports", "reports"]);
const read = (dir: string, file: string) => readFileSync(join(dir, "reports", file), "utf8");

test("a requirement no scenario ran for, and one only the policy lists, are rows of 'no scenario' in summary.md and overview.html", async () => {
  const dir = project();
  await ok(report(dir), "report");
  let md = read(dir, "summary.md");
  assert.ok(md.includes("### Requirements × targets (0 of 3 not passing, 1 without a scenario on some target)"), md);
  assert.ok(md.includes("| REQ-COUNTER-3 | ∅ | ∅ |"), md);
  assert.ok(md.includes("| REQ-COUNTER-1 | ✅ | ✅ |"), md);
  let html = read(dir, "overview.html");
  assert.ok(html.includes("<h2>Requirements × targets (0 of 3 not passing, 1 without a scenario on some target)</h2>"));
  assert.match(html, /<tr><td>REQ-COUNTER-3<\/td>(<td class="c" [^>]*>∅ no scenario<\/td>){2}<\/tr>/);
  // Facts, and whose judgement the release is: never a claim of what the gate counts.
  for (const page of [md, html]) {
    assert.doesNotMatch(page, /gate counts|uncovered/);
    assert.match(page, /Whether a gap fails the release is the policy(&#39;|')s: the gate decision says which\./);
  }

  // The gate agrees that it is uncovered; a requirement only the policy lists comes from this run's decision.
  await makeKeys((args) => signoff(dir, args), [{ name: "gate" }]);
  writeFileSync(
    join(dir, "policy.yaml"),
    "version: 1\nrequiredTargets: [pw-desktop, se-desktop]\nrequirements: [REQ-COUNTER-1, REQ-COUNTER-3, REQ-LEGAL-1, LEGAL-2]\nmaxAge: 10000d\n",
  );
  const gate = await signoff(dir, [
    "gate",
    "--policy",
    "policy.yaml",
    "--artifact",
    ARTIFACT,
    "--key",
    "keys/gate.key",
  ]);
  assert.equal(gate.code, 1, gate.stdout + gate.stderr);
  const uncovered = uncoveredRequirements(gate.stdout);
  for (const id of ["REQ-COUNTER-3", "REQ-LEGAL-1", "LEGAL-2"]) assert.ok(uncovered.includes(id), gate.stdout);
  assert.match(gate.stdout, /ha(s|ve) no scenario in these results/);
  await ok(report(dir), "report after the gate");
  md = read(dir, "summary.md");
  assert.match(md, /gate FAILED/);
  // The policy's ids are rows as written, the one without the config's prefix too.
  assert.ok(md.includes("### Requirements × targets (0 of 5 not passing, 3 without a scenario on some target)"), md);
  assert.ok(md.includes("| REQ-LEGAL-1 | ∅ | ∅ |"), md);
  assert.ok(md.includes("| LEGAL-2 | ∅ | ∅ |"), md);
  html = read(dir, "overview.html");
  assert.match(html, /<tr><td>REQ-LEGAL-1<\/td>(<td class="c" [^>]*>∅ no scenario<\/td>){2}<\/tr>/);
});

test("run.json with unusable feature tags: the report is written and says why rows may be missing; run.json that is not JSON: one line, exit 2", async () => {
  const dir = project();
  const runJson = join(dir, "reports", "run.json");
  const manifest = JSON.parse(readFileSync(runJson, "utf8"));
  writeFileSync(runJson, JSON.stringify({ ...manifest, featureTags: { "../../etc/passwd": "@REQ-X" } }));
  await ok(report(dir), "report");
  const md = read(dir, "summary.md");
  assert.match(md, /⚠️ 1 of the 1 entries of run\.json's featureTags are not a file digest with tag names/);
  assert.doesNotMatch(md, /REQ-COUNTER-3|REQ-X/);
  assert.match(read(dir, "overview.html"), /⚠ 1 of the 1 entries of run\.json&#39;s featureTags/);

  writeFileSync(runJson, "{");
  const bad = await report(dir);
  assert.equal(bad.code, 2, bad.stdout + bad.stderr);
  assert.match(bad.stderr.trim(), /^signoff: reports\/run\.json: unreadable run manifest \(.*not JSON/);
  assert.equal(bad.stderr.trim().split("\n").length, 1, bad.stderr);
});

test("a target whose results file was refused reads 'no result' where its scenarios are not counted; a path selection is a note", async () => {
  const dir = project();
  writeFileSync(join(dir, "reports", "messages", "se-desktop.ndjson"), "\n", { flag: "a" });
  const runJson = join(dir, "reports", "run.json");
  const manifest = JSON.parse(readFileSync(runJson, "utf8"));
  // As `signoff run features/visitor-counter.feature` records it, with another feature file in the config's dir.
  writeFileSync(runJson, JSON.stringify({ ...manifest, features: ["features/visitor-counter.feature"] }));
  writeFileSync(join(dir, "features", "legal.feature"), "@REQ-LEGAL-1\nFeature: Legal\n  Scenario: s\n    Given x\n");
  await ok(report(dir), "report");
  const md = read(dir, "summary.md");
  assert.ok(md.includes("| REQ-COUNTER-1 | ✅ | ⛔ |"), md);
  assert.ok(md.includes("| REQ-COUNTER-3 | ∅ | ⛔ |"), md);
  assert.ok(md.includes("### Requirements × targets (3 of 3 not passing, 1 without a scenario on some target)"), md);
  assert.match(
    md,
    /⚠️ The run read only the feature files it was given \(1 feature file\(s\) under the config's features are not among those run\.json lists\)/,
  );
  assert.match(
    read(dir, "overview.html"),
    /<tr><td>REQ-COUNTER-1<\/td><td [^>]*>✓ passed<\/td><td [^>]*>⊘ no result<\/td><\/tr>/,
  );
});
