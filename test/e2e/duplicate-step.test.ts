// A project's step duplicating a generic one, used by several steps: one line naming both definitions, exit 2.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT, runSignoff, tempDir } from "../helpers/cli";

test("a project's step duplicating a generic step: one line naming both file:line places, exit 2, nothing run", async () => {
  const dir = tempDir("signoff-duplicate-step-");
  mkdirSync(join(dir, "features"));
  mkdirSync(join(dir, "steps"));
  writeFileSync(
    join(dir, "features", "a.feature"),
    'Feature: A\n  Scenario: S\n    Given I open "/"\n  Scenario: T\n    Given I open "/other"\n',
  );
  writeFileSync(
    join(dir, "steps", "mine.steps.js"),
    `const { Given } = require(${JSON.stringify(join(ROOT, "src", "index.ts"))});\nGiven("I open {string}", async function () {});\n`,
  );
  const r = await runSignoff(["run", "--targets", "pw-desktop", "--base-url", "http://127.0.0.1:9/"], { cwd: dir });
  assert.equal(r.code, 2, r.stdout + r.stderr);
  assert.equal(r.stderr.split("\n").length, 2, r.stderr); // one line and its newline; :3 is the step's own line
  assert.match(
    r.stderr,
    /^signoff: features\/a\.feature:3: the step "I open "\/"" is ambiguous: it matches "I open \{string\}" \([^)]*steps\/generic\/navigation\.steps\.ts:\d+\) and "I open \{string\}" \(steps\/mine\.steps\.js:2\) \(as does 1 more step text\); rename or remove one of them \(no scenario was run\)\n$/,
  );
  assert.equal(existsSync(join(dir, "reports", "messages")), false);
});
