// End to end: `signoff run`'s preflight reads the property steps' tables before anything starts (their element phrases and their rows' steps), and prints undefined steps' snippets in TypeScript.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT, runSignoff, tempDir } from "../helpers/cli";
import type { PreflightFindings } from "../../src/runner/preflight-findings";

const FIXTURE = "test/fixtures/features/property-tables.feature";

/** The format option the preflight always passes: the configured targets' names. */
const TARGETS_OPTION_ARGS = ["--format-options", JSON.stringify({ signoffTargets: ["pw-desktop", "se-desktop"] })];

test("a property table's element phrase or row step that cannot be read is refused before anything runs: exit 2, the row's file:line, did-you-mean", async () => {
  const reports = tempDir();
  const r = await runSignoff(["run", FIXTURE, "--targets", "pw-desktop", "--reports", reports]);
  assert.equal(r.code, 2, r.stdout + r.stderr);
  const lines = r.stderr.trim().split("\n");
  assert.equal(lines.length, 4, r.stderr);
  assert.match(
    lines[0],
    /^signoff: test\/fixtures\/features\/property-tables\.feature:7: the table of the step "any text of this shape typed into the field labelled "Your name" should leave the page usable:" cannot be read: table row 2 \("submit with"\): .*"buton" is not a role word \(did you mean "button"\?\)/,
  );
  assert.match(
    lines[1],
    /^signoff: test\/fixtures\/features\/property-tables\.feature:15: the step "the number in the "Visitor count" statsu should never decrease" in the table of "these checks should hold after any sequence of these actions:" is undefined: "statsu" is not a role word \(did you mean "status"\?\)/,
  );
  assert.match(
    lines[2],
    /^signoff: test\/fixtures\/features\/property-tables\.feature:13: the step "I click the linkk named "About"" in the table of ".*" cannot be read: "linkk" is not an ARIA role \(did you mean "link"\?\)/,
  );
  assert.match(
    lines[3],
    /^signoff: test\/fixtures\/features\/property-tables\.feature:20: the table of the step "the number in .*" cannot be read: table row 1 \("actions"\): the cell "visit, teleport" names the action "teleport"; .* \(no scenario was run\)$/,
  );
  assert.equal(existsSync(join(reports, "messages")), false, "no target ran");
});

test("every kind of problem is refused in one go: an unreadable element phrase and an undefined step, each with its hint", async () => {
  const dir = tempDir();
  const feature = join(dir, "mixed.feature");
  writeFileSync(
    feature,
    'Feature: Mixed\n\n  Scenario: a\n    Given I open "/about"\n    When I click the buton named "About us"\n    Then I should see the "About us" heding\n',
  );
  const r = await runSignoff(["run", feature, "--targets", "pw-desktop", "--reports", join(dir, "reports")]);
  assert.equal(r.code, 2, r.stdout + r.stderr);
  const lines = r.stderr.trim().split("\n");
  assert.equal(lines.length, 2, r.stderr);
  assert.match(lines[0], /mixed\.feature:5: .*"buton" is not an ARIA role \(did you mean "button"\?\)/);
  assert.match(
    lines[1],
    /mixed\.feature:6: the step "I should see the "About us" heding" is undefined: "heding" is not a role word \(did you mean "heading"\?\); no scenario was run \(is it a step of docs\/steps\.md/,
  );
  // Its line names the word meant: no snippet invites defining the typo as a new step.
  assert.doesNotMatch(r.stdout, /Snippets to start|heding/, r.stdout);
  assert.equal(existsSync(join(dir, "reports", "messages")), false, "nothing ran");
});

test("the preflight's lines quote the feature files with their control characters shown, not obeyed by the terminal", async () => {
  const dir = tempDir();
  const feature = join(dir, "hostile.feature");
  writeFileSync(
    feature,
    'Feature: X\n  Scenario: a\n    Given I frobnicate "\x1b[31mRED"\n    And I wibble \x1b[2Jclear\n',
  );
  const r = await runSignoff(["run", feature, "--targets", "pw-desktop", "--reports", join(dir, "reports")]);
  assert.equal(r.code, 2, r.stdout + r.stderr);
  assert.doesNotMatch(r.stderr, /\x1b/, "no raw escape character reaches the terminal");
  const lines = r.stderr.trim().split("\n");
  assert.equal(lines.length, 2, r.stderr);
  assert.match(lines[0], /:3: the step "I frobnicate "\\x1b\[31mRED"" is undefined/);
  assert.match(lines[1], /:4: the step "I wibble \\x1b\[2Jclear" is undefined; no scenario was run/);
});

test("an undefined step, with a steps pattern in the config that matches no file: the last line names the pattern", async () => {
  const dir = tempDir();
  mkdirSync(join(dir, "features"));
  mkdirSync(join(dir, "steps"));
  writeFileSync(join(dir, "steps", "shop.steps.ts"), "");
  writeFileSync(join(dir, "features", "a.feature"), "Feature: X\n  Scenario: a\n    Given I frobnicate the widget\n");
  writeFileSync(join(dir, "signoff.config.yaml"), 'steps: ["steps/**/*.ts", "step_definitions/**/*.ts"]\n');
  const r = await runSignoff(["run", "--targets", "pw-desktop"], { cwd: dir });
  assert.equal(r.code, 2, r.stdout + r.stderr);
  assert.match(
    r.stderr.trim().split("\n").at(-1)!,
    /is undefined; no scenario was run \(snippets above; the config's steps "step_definitions\/\*\*\/\*\.ts" matches no step file; is it a step of /,
  );
});

test("the property tables of the repository's own features and fixtures read: the preflight's formatter finds nothing there", async () => {
  const out = join(tempDir(), "findings.json");
  const formatter = join(ROOT, "src", "runner", "preflight-formatter-entry.js");
  const paths = ["features/visitor-counter-properties.feature", "test/fixtures/sequences", FIXTURE];
  const format = ["--format", `"${formatter}":"${out}"`];
  const r = await cucumberJs(["-p", "signoff", "--dry-run", ...format, ...TARGETS_OPTION_ARGS, ...paths]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  // Only the fixture made to fail has problems: the same four the run refuses.
  const findings = JSON.parse(readFileSync(out, "utf8")) as PreflightFindings;
  const found = findings.tables;
  assert.deepEqual(
    found.map((l) => l.split(": ")[0]),
    [`${FIXTURE}:7`, `${FIXTURE}:15`, `${FIXTURE}:13`, `${FIXTURE}:20`],
    found.join("\n"),
  );
  const { undefined: undefinedSteps, ambiguous, unreadable, unknownTargets } = findings.steps;
  assert.deepEqual([undefinedSteps, ambiguous, unreadable, unknownTargets, findings.snippets], [[], [], [], [], ""]);
  assert.ok(findings.steps.scenarios > 3, `every selected scenario counted: ${findings.steps.scenarios}`);
});

test("the preflight's formatter gives Cucumber's own snippets for the undefined steps but a typo's, and names each step once", async () => {
  const out = join(tempDir(), "findings.json");
  const formatter = join(ROOT, "src", "runner", "preflight-formatter-entry.js");
  const feature = "test/fixtures/features/undefined-step.feature";
  const r = await cucumberJs([
    "-p",
    "signoff",
    "--dry-run",
    "--format",
    "snippets",
    "--format",
    `"${formatter}":"${out}"`,
    ...TARGETS_OPTION_ARGS,
    feature,
  ]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const findings = JSON.parse(readFileSync(out, "utf8")) as PreflightFindings;
  assert.match(findings.snippets, /Then\("the moon should be made of cheese"/);
  // Cucumber's own snippet, as its snippets formatter printed it in the same run; but none for the typo of a step
  // that exists (`I shoud see "About"`), whose line names the step meant instead.
  const typo = r.stdout.indexOf('import { Then, type SignoffWorld } from "signoff";\n\nThen("I shoud see {string}"');
  assert.ok(typo > 0, r.stdout);
  assert.equal(findings.snippets, r.stdout.slice(0, typo).trimEnd(), "what Cucumber's snippets formatter printed");
  assert.doesNotMatch(findings.snippets, /shoud/);
  assert.deepEqual(
    findings.steps.undefined.map((l) => l.split(": ")[0]),
    [`${feature}:5`, `${feature}:6`],
  );
});

test("without the target names the preflight's formatter stops the dry run: an unknown @target: tag never goes unchecked", async () => {
  const formatter = join(ROOT, "src", "runner", "preflight-formatter-entry.js");
  const r = await cucumberJs(["-p", "signoff", "--dry-run", "--format", `"${formatter}"`, FIXTURE]);
  assert.notEqual(r.code, 0, r.stdout);
  assert.match(r.stderr, /needs the format option signoffTargets/);
  assert.equal(r.stdout, "", "no findings: Cucumber stopped before the dry run");
});

/** Cucumber's own CLI with the repository's profiles, as a user runs it. */
function cucumberJs(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const bin = join(ROOT, "node_modules", "@cucumber", "cucumber", "bin", "cucumber-js");
    execFile(process.execPath, [bin, ...args], { cwd: ROOT, timeout: 120_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? Number((err as { code?: unknown }).code ?? -1) : 0, stdout, stderr }),
    );
  });
}

test("the step a time is given to is read before anything runs: undefined, bounded twice, unreadable or an action kept up, each at its line", async () => {
  const dir = tempDir();
  const feature = join(dir, "times.feature");
  writeFileSync(
    feature,
    [
      "Feature: Times",
      "",
      "  Scenario: a",
      '    Given I open "/about"',
      '    Then within 1 s I shuld see "About us"',
      '    And for 2 s within 1 s I should see "About us"',
      '    And within 500 ms I click the buton named "About us"',
      '    And for 1 s I should see "About us"',
      '    And for 1 s I click the link named "About us"',
      '    And within 1 s I click the link named "About us"',
      "",
    ].join("\n"),
  );
  const r = await runSignoff(["run", feature, "--targets", "pw-desktop", "--reports", join(dir, "reports")]);
  assert.equal(r.code, 2, r.stdout + r.stderr);
  const lines = r.stderr.trim().split("\n");
  assert.equal(lines.length, 4, r.stderr);
  assert.match(
    lines[0],
    /times\.feature:5: "I shuld see "About us"" \(the step "within 1 s I shuld see "About us"" gives its time to\) is undefined \(did you mean "I should see \{string\}"\?\)/,
  );
  assert.match(
    lines[1],
    /times\.feature:6: "within 1 s I should see "About us"" \(the step .*\) has a time of its own: write one time/,
  );
  assert.match(
    lines[2],
    /times\.feature:7: "I click the buton named "About us"" .* cannot be read: "buton" is not an ARIA role \(did you mean "button"\?\)/,
  );
  assert.match(
    lines[3],
    /times\.feature:9: "I click the link named "About us"" \(the step "for 1 s I click the link named "About us"" gives its time to\) is an action \(a When step\), which "for" would do again and again/,
  );
  assert.equal(existsSync(join(dir, "reports", "messages")), false, "nothing ran");
});
