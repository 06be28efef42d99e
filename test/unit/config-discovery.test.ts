// Config discovery: a signoff.config.yaml in a parent folder is named and refused, never silently replaced by the defaults.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { configAbove } from "../../src/config/load";
import { runSignoff, tempDir } from "../helpers/cli";

/** A project (package.json + signoff.config.yaml + features/) in a fresh temp folder. */
function project(): { root: string; features: string } {
  const root = realpathSync(tempDir());
  writeFileSync(join(root, "package.json"), '{ "name": "qa", "private": true }\n');
  writeFileSync(join(root, "signoff.config.yaml"), "baseUrl: http://127.0.0.1:9/\n");
  const features = join(root, "features");
  mkdirSync(features);
  writeFileSync(join(features, "smoke.feature"), 'Feature: smoke\n  Scenario: home\n    Given I open "/"\n');
  return { root, features };
}

for (const args of [
  ["run", "smoke.feature", "--targets", "pw-desktop"],
  ["doctor"],
  ["report"],
  ["gate", "--artifact", `app@sha256:${"a".repeat(64)}`, "--key", "gate.key"],
]) {
  test(`signoff ${args[0]} in a subfolder of a project refuses, naming the project's config and folder, exit 2`, async () => {
    const { root, features } = project();
    const r = await runSignoff(args, { cwd: features, timeoutMs: 60_000 });
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.equal(
      r.stderr.trim(),
      `signoff: no signoff.config.yaml here, but ../signoff.config.yaml exists: run signoff from ${root} (or pass --config)`,
    );
    assert.doesNotMatch(r.stdout, /bundled example app/);
    assert.equal(existsSync(join(features, "reports")), false, "nothing written in the subfolder");
  });
}

test("the search upwards stays inside the project (up to package.json or .git): a config outside it is not this project's", () => {
  const outer = realpathSync(tempDir());
  writeFileSync(join(outer, "signoff.config.yaml"), "baseUrl: http://127.0.0.1:9/\n");
  const proj = join(outer, "proj");
  mkdirSync(join(proj, "features"), { recursive: true });
  // No project root anywhere above: nothing is searched (a stray config in /tmp or a home folder blocks nothing).
  assert.equal(configAbove(join(proj, "features")), undefined, "outside any project");
  // outer is the project's root: its config is the one for proj/features, two levels down.
  writeFileSync(join(outer, "package.json"), "{}\n");
  assert.equal(configAbove(join(proj, "features")), join(outer, "signoff.config.yaml"));
  // proj is a project of its own: outer's config is not its.
  writeFileSync(join(proj, "package.json"), "{}\n");
  assert.equal(configAbove(join(proj, "features")), undefined, "from inside the inner project");
  assert.equal(configAbove(proj), undefined, "from the project's root");
  rmSync(join(proj, "package.json"));
  mkdirSync(join(proj, ".git"));
  assert.equal(configAbove(join(proj, "features")), undefined);
});

test("with a --config, the folder it is run from does not matter", async () => {
  const { root, features } = project();
  const r = await runSignoff(["doctor", "--config", join(root, "signoff.config.yaml")], {
    cwd: features,
    timeoutMs: 120_000,
  });
  assert.notEqual(r.code, 2, r.stdout + r.stderr);
  assert.doesNotMatch(r.stderr, /no signoff.config.yaml here/);
});

test("no features and no config here: the message says no config was found either", async () => {
  const dir = realpathSync(tempDir());
  writeFileSync(join(dir, "package.json"), "{}\n");
  const r = await runSignoff(["run", "--targets", "pw-desktop"], { cwd: dir, timeoutMs: 60_000 });
  assert.equal(r.code, 2, r.stdout + r.stderr);
  assert.equal(
    r.stderr.trim(),
    "signoff: no feature files match features/**/*.feature (and no signoff.config.yaml here: run signoff from your project's folder, or create one with signoff init)",
  );
});
