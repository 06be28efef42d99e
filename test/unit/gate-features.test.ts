// Which features the gate judges against: --features, else the project's with those run.json says the run used; hostile trees; recorded tags.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gateFeatures, readFeatureFiles, scanFeatures } from "../../src/gate/requirements";
import { tmp } from "./gate-helpers";

function project(): string {
  const dir = tmp("signoff-features-");
  mkdirSync(join(dir, "features", "old"), { recursive: true });
  writeFileSync(join(dir, "features", "a.feature"), "Feature: A\n  @REQ-A\n  Scenario: a\n    Given x\n");
  writeFileSync(join(dir, "features", "old", "b.feature"), "Feature: B\n  @REQ-B\n  Scenario: b\n    Given x\n");
  mkdirSync(join(dir, "reports"));
  return dir;
}

const inDir = <T>(dir: string, fn: () => T): T => {
  const was = process.cwd();
  process.chdir(dir);
  try {
    return fn();
  } finally {
    process.chdir(was);
  }
};

const runJson = (dir: string, features?: string[]) =>
  writeFileSync(
    join(dir, "reports", "run.json"),
    JSON.stringify({ schema: "signoff/run@1", complete: true, targets: [], ...(features ? { features } : {}) }),
  );

test("the project's features with every other the run recorded: a run of one file leaves the others uncovered", () => {
  const dir = project();
  runJson(dir, ["features/a.feature"]);
  const set = inDir(dir, () => gateFeatures(undefined, ["reports"], "REQ-"))!;
  assert.deepEqual(set.requirements, ["REQ-A", "REQ-B"]);
  assert.deepEqual(set.files, ["features/a.feature", "features/old/b.feature"]);
  // A file the run used from outside the project's features counts too, once however it was spelled.
  writeFileSync(join(dir, "extra.feature"), "Feature: X\n  @REQ-X\n  Scenario: x\n    Given x\n");
  runJson(dir, ["./features/a.feature", "extra.feature"]);
  const both = inDir(dir, () => gateFeatures(undefined, ["reports"], "REQ-"))!;
  assert.deepEqual(both.files, ["extra.feature", "features/a.feature", "features/old/b.feature"]);
  assert.deepEqual(both.requirements, ["REQ-A", "REQ-B", "REQ-X"]);
});

test("a file run.json names by its absolute path and the project's folder names relative is one file, judged once", () => {
  const dir = project();
  runJson(dir, [join(dir, "features", "a.feature")]);
  const set = inDir(dir, () => gateFeatures(undefined, ["reports"], "REQ-"))!;
  assert.deepEqual(set.files, ["features/a.feature", "features/old/b.feature"]);
});

test("--features wins; a run.json without a list falls back to features/", () => {
  const dir = project();
  runJson(dir, ["features/a.feature"]);
  assert.deepEqual(inDir(dir, () => gateFeatures("features/old", ["reports"], "REQ-"))!.requirements, ["REQ-B"]);
  runJson(dir);
  assert.deepEqual(inDir(dir, () => gateFeatures(undefined, ["reports"], "REQ-"))!.requirements, ["REQ-A", "REQ-B"]);
});

test("--features as an absolute path inside the working directory: files named relative to it, the same digest", () => {
  const dir = project();
  const relative = inDir(dir, () => gateFeatures("features", [], "REQ-"))!;
  const absolute = inDir(dir, () => gateFeatures(join(dir, "features"), [], "REQ-"))!;
  assert.deepEqual(absolute.files, ["features/a.feature", "features/old/b.feature"]);
  assert.deepEqual(absolute.fileDigests, relative.fileDigests);
  assert.equal(absolute.digest, relative.digest);
  // Outside the working directory: absolute, which says where.
  const outside = inDir(join(dir, "reports"), () => gateFeatures(join(dir, "features"), [], "REQ-"))!;
  assert.deepEqual(outside.files, [join(dir, "features", "a.feature"), join(dir, "features", "old", "b.feature")]);
  assert.equal(outside.digest, relative.digest);
});

test("a recorded feature file that is not here is a usage error naming it", () => {
  const dir = project();
  runJson(dir, ["features/gone.feature"]);
  assert.throws(
    () => inDir(dir, () => gateFeatures(undefined, ["reports"], "REQ-")),
    (e: Error) =>
      e.name === "UsageError" &&
      /reports\/run\.json lists the feature file features\/gone\.feature, which is not here/.test(e.message),
  );
});

test("a dangling link is one usage error; a link in a circle is read once, not forever", () => {
  const dir = project();
  symlinkSync(join(dir, "nowhere"), join(dir, "features", "dangling"));
  assert.throws(
    () => scanFeatures(join(dir, "features"), "REQ-"),
    (e: Error) =>
      e.name === "UsageError" && /features\/dangling: cannot read the feature path \(ENOENT\)/.test(e.message),
  );
  const loop = project();
  symlinkSync(join(loop, "features"), join(loop, "features", "old", "up"));
  assert.deepEqual(scanFeatures(join(loop, "features"), "REQ-")!.requirements, ["REQ-A", "REQ-B"]);
});

test("a @REQ- tag inside a DocString, a comment or step text is not a requirement", () => {
  const dir = tmp("signoff-docstring-");
  const feature = [
    "@REQ-FEATURE",
    "Feature: Notes",
    "  # @REQ-COMMENT",
    "  @REQ-REAL",
    "  Scenario: a note that quotes a tag",
    '    Given the note says "@REQ-STEP"',
    '    """',
    "    @REQ-99",
    '    """',
    "    And the table",
    "      | @REQ-CELL |",
    "",
  ].join("\n");
  writeFileSync(join(dir, "notes.feature"), feature);
  assert.deepEqual(scanFeatures(join(dir, "notes.feature"), "REQ-")!.requirements, ["REQ-FEATURE", "REQ-REAL"]);
});

test("a feature file Gherkin cannot parse is a usage error naming file:line", () => {
  const dir = tmp("signoff-badgherkin-");
  writeFileSync(join(dir, "bad.feature"), "Feature: x\n  Scenario: y\n    Given z\n  Examples:\n    | a |\n  @REQ-1\n");
  assert.throws(
    () => scanFeatures(dir, "REQ-"),
    (e: Error) => e.name === "UsageError" && /bad\.feature:\d+:\d+: /.test(e.message),
  );
});

test("tags a trusted run recorded for a file's digest are taken for that file; any other file is parsed; the digest is the same", () => {
  const dir = project();
  const files = { dir, files: [join(dir, "features", "a.feature"), join(dir, "features", "old", "b.feature")] };
  const sha = (f: string) => createHash("sha256").update(readFileSync(f)).digest("hex");
  const parsed = readFeatureFiles(files, "REQ-");
  const recorded = new Map([[sha(files.files[0]), ["@REQ-RECORDED", "@smoke"]]]);
  const withRecord = readFeatureFiles(files, "REQ-", recorded);
  assert.deepEqual(withRecord.requirements, ["REQ-B", "REQ-RECORDED"]);
  assert.equal(withRecord.digest, parsed.digest);
  // A file not parsed is not checked either: its syntax is what the run's parse found.
  writeFileSync(files.files[1], "not Gherkin\n");
  assert.throws(
    () => readFeatureFiles(files, "REQ-", recorded),
    (e: Error) => e.name === "UsageError",
  );
  const both = new Map([...recorded, [sha(files.files[1]), ["@REQ-B"]]]);
  assert.deepEqual(readFeatureFiles(files, "REQ-", both).requirements, ["REQ-B", "REQ-RECORDED"]);
});
