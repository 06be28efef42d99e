// End to end: `signoff run` refuses a file:LINE that selects no scenario even beside paths that select some — before any Cucumber process or browser starts — naming each such line and the scenario line to give instead.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runSignoff, tempDir } from "../helpers/cli";

const FEATURE = [
  "Feature: Sign-in", // 1
  "", // 2
  "  Background:", // 3
  '    Given I open "/login"', // 4
  "", // 5
  "  Scenario: The sign-in page asks for email and password", // 6
  '    Then I should see the field labelled "Email"', // 7
  '    And I should see the field labelled "Password"', // 8
  "",
].join("\n");

/**
 * A project whose step file throws as it loads: a run that got as far as starting Cucumber (the preflight, in the first
 * target's process, which also launches its browser) would stop with that instead (exit 2).
 */
function project(): string {
  const dir = tempDir("signoff-lines-e2e-");
  mkdirSync(join(dir, "features"));
  mkdirSync(join(dir, "steps"));
  writeFileSync(join(dir, "features", "login.feature"), FEATURE);
  writeFileSync(join(dir, "steps", "broken.steps.js"), 'throw new Error("the step files were loaded");\n');
  writeFileSync(join(dir, "signoff.config.yaml"), 'steps: ["steps/*.js"]\nfeatures: ["features"]\n');
  return dir;
}

async function run(dir: string, ...paths: string[]) {
  const reports = join(dir, "reports");
  const r = await runSignoff(
    ["run", ...paths, "--targets", "pw-desktop", "--base-url", "http://127.0.0.1:9/", "--reports", reports],
    { cwd: dir },
  );
  return { ...r, lines: r.stderr.trim().split("\n"), reports };
}

test("a step line beside a scenario line: exit 1, one line naming it and its scenario's line, nothing started or written", async () => {
  const dir = project();
  const r = await run(dir, "features/login.feature:6", "features/login.feature:8");
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.deepEqual(
    r.lines,
    [
      'signoff: features/login.feature:8 selects no scenario: line 8 is a step of the Scenario "The sign-in page asks for email and password"; features/login.feature:6 selects it (a file:line must point at a Scenario, a Scenario Outline or an Examples row); nothing was run',
    ],
    r.stderr,
  );
  assert.equal(r.stdout, "");
  assert.equal(existsSync(r.reports) && readdirSync(r.reports).length > 0, false, "nothing written");
});

test("several lines that select nothing (file:LINE:LINE, the Feature line): one line each, the last ending the run", async () => {
  const dir = project();
  const r = await run(dir, "features/login.feature:1:6:4");
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.deepEqual(r.lines, [
    'signoff: features/login.feature:1 selects no scenario: line 1 is the Feature line; the nearest scenario line is features/login.feature:6 (the Scenario "The sign-in page asks for email and password")',
    'signoff: features/login.feature:4 selects no scenario: line 4 is a step of the Background; the nearest scenario line is features/login.feature:6 (the Scenario "The sign-in page asks for email and password") (a file:line must point at a Scenario, a Scenario Outline or an Examples row); nothing was run',
  ]);
});

test("a feature file that does not exist beside one that does: exit 2, naming it", async () => {
  const dir = project();
  const r = await run(dir, "features/login.feature:6", "features/logout.feature:3");
  assert.equal(r.code, 2, r.stdout + r.stderr);
  assert.deepEqual(r.lines, ["signoff: features/logout.feature:3: no such feature file or directory"]);
});

test("the lines that select scenarios get as far as Cucumber (here: the step file that does not load, exit 2)", async () => {
  const dir = project();
  const r = await run(dir, "features/login.feature:6");
  assert.equal(r.code, 2, r.stdout + r.stderr);
  assert.match(r.stderr, /the step files were loaded/);
});
