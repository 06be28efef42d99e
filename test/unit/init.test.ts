// `signoff init`: every scaffolded file is created once, never overwritten, what exists is listed as skipped, and no deleted example comes back.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { installOutsideProject, scaffold } from "../../src/init/init";
import { TEMPLATES } from "../../src/init/templates";
import { loadConfig } from "../../src/config/load";
import { loadPolicy } from "../../src/gate/policy";
import { projectStepFiles } from "../../src/runner/support-files";
import { parse } from "yaml";
import { tempDir } from "../helpers/cli";

test("an empty directory gets every template and a .gitignore", () => {
  const dir = tempDir();
  const r = scaffold(dir);
  assert.deepEqual(r.created.sort(), [...Object.keys(TEMPLATES), ".gitignore"].sort());
  assert.deepEqual(r.skipped, []);
  for (const f of Object.keys(TEMPLATES)) assert.equal(readFileSync(join(dir, f), "utf8"), TEMPLATES[f]);
  assert.equal(readFileSync(join(dir, ".gitignore"), "utf8"), "node_modules/\nreports/\n*.key\n");
});

test("existing files are never overwritten, and are listed as skipped", () => {
  const dir = tempDir();
  mkdirSync(join(dir, "features"));
  writeFileSync(join(dir, "features", "example.feature"), "mine");
  writeFileSync(join(dir, "tsconfig.json"), "{}");
  const r = scaffold(dir);
  assert.deepEqual(r.skipped.sort(), ["features/example.feature", "tsconfig.json"]);
  assert.equal(readFileSync(join(dir, "features", "example.feature"), "utf8"), "mine");
  assert.equal(readFileSync(join(dir, "tsconfig.json"), "utf8"), "{}");
  const again = scaffold(dir);
  assert.deepEqual(again.created, []);
  assert.equal(again.skipped.length, Object.keys(TEMPLATES).length);
});

test("re-run in a project that is set up, init brings back no example the team deleted", () => {
  const dir = tempDir();
  scaffold(dir);
  rmSync(join(dir, "features", "example.feature"));
  rmSync(join(dir, "steps", "example.steps.ts"));
  rmSync(join(dir, "tsconfig.json"));
  const again = scaffold(dir);
  assert.deepEqual(again.created, ["tsconfig.json"]);
  assert.deepEqual(again.omitted.sort(), ["features/example.feature", "steps/example.steps.ts"]);
  assert.equal(existsSync(join(dir, "features", "example.feature")), false);
  assert.equal(existsSync(join(dir, "steps", "example.steps.ts")), false);
  // Kept examples are listed as skipped, like any existing file.
  writeFileSync(join(dir, "steps", "example.steps.ts"), "mine");
  assert.deepEqual(scaffold(dir).skipped.includes("steps/example.steps.ts"), true);
});

test("an existing .gitignore keeps its lines and gains only the missing entries, once", () => {
  const dir = tempDir();
  writeFileSync(join(dir, ".gitignore"), "reports/\ndist/");
  assert.deepEqual(scaffold(dir).updated, [".gitignore"]);
  assert.equal(readFileSync(join(dir, ".gitignore"), "utf8"), "reports/\ndist/\nnode_modules/\n*.key\n");
  assert.deepEqual(scaffold(dir).updated, []);
  assert.equal(readFileSync(join(dir, ".gitignore"), "utf8"), "reports/\ndist/\nnode_modules/\n*.key\n");
});

test("the scaffolded config is valid, and the policy requires exactly its default targets", () => {
  const dir = tempDir();
  scaffold(dir);
  const config = loadConfig(join(dir, "signoff.config.yaml"));
  assert.deepEqual(config.defaultTargets, ["pw-desktop", "se-desktop"]);
  assert.deepEqual(loadPolicy(join(dir, "gate.policy.yaml")).requiredTargets, config.defaultTargets);
  // TypeScript and JavaScript step files alike, as the config's comment and docs/api.md say.
  writeFileSync(join(dir, "steps", "more.steps.js"), "");
  assert.deepEqual(
    projectStepFiles(config.steps, dir, new Set())
      .map((f) => f.slice(dir.length + 1))
      .sort(),
    ["steps/example.steps.ts", "steps/more.steps.js"],
  );
  const workflow = parse(readFileSync(join(dir, ".github", "workflows", "signoff.yml"), "utf8"));
  // The runner's chromedriver folder is a shell variable on GitHub's images: no `env` context at job level.
  assert.doesNotMatch(JSON.stringify(workflow.jobs.acceptance.env), /\$\{\{\s*env\./);
  assert.ok(workflow.jobs.acceptance.steps.some((s: { run?: string }) => s.run?.startsWith("npx signoff run")));
  // `signoff report` appends summary.md to $GITHUB_STEP_SUMMARY itself: a step doing it again shows two "## Signoff".
  const runs: string[] = workflow.jobs.acceptance.steps.map((s: { run?: string }) => s.run ?? "");
  assert.ok(runs.includes("npx signoff report"), runs.join("\n"));
  assert.deepEqual(
    runs.filter((r) => /GITHUB_STEP_SUMMARY|summary\.md/.test(r)),
    [],
    "no step writes the summary to the job summary again",
  );
  assert.ok(
    existsSync(join(dir, "tsconfig.json")) &&
      JSON.parse(readFileSync(join(dir, "tsconfig.json"), "utf8")).compilerOptions.rootDir === ".",
  );
});

test("a Signoff installed from a tarball outside the project is named, for npm ci in CI cannot reach it", () => {
  const dir = tempDir();
  const note = (signoff: string | undefined) => {
    writeFileSync(join(dir, "package.json"), JSON.stringify({ devDependencies: signoff ? { signoff } : {} }));
    return installOutsideProject(dir);
  };
  assert.match(
    note("file:../signoff-0.1.0.tgz") ?? "",
    /installs signoff from file:\.\.\/signoff-0\.1\.0\.tgz, outside/,
  );
  assert.match(note("file:/opt/signoff-0.1.0.tgz") ?? "", /outside this project/);
  assert.equal(note("file:vendor/signoff-0.1.0.tgz"), undefined, "inside the project: CI has it");
  assert.equal(note("file:..vendor/signoff-0.1.0.tgz"), undefined, "a folder whose name starts with two dots");
  assert.match(note("link:../signoff") ?? "", /installs signoff from link:\.\.\/signoff, outside/);
  assert.equal(note("0.1.0"), undefined, "from a registry");
  assert.equal(note(undefined), undefined);
  writeFileSync(join(dir, "package.json"), "{ not json");
  assert.equal(installOutsideProject(dir), undefined);
});
