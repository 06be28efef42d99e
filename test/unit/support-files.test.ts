// What a target's Cucumber process loads: Signoff's own files by absolute path, then the project's steps from the config.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import { frameworkSupportFiles } from "../../src/core/package";
import { projectStepFiles, supportCode } from "../../src/runner/support-files";
import { UsageError } from "../../src/core/errors";
import { tempDir } from "../helpers/cli";

function project(files: string[]): string {
  const dir = tempDir();
  for (const f of files) {
    mkdirSync(join(dir, f, ".."), { recursive: true });
    writeFileSync(join(dir, f), "");
  }
  return dir;
}

test("Signoff's support code and every generic step file load first, by absolute path, whatever the project", () => {
  const files = frameworkSupportFiles();
  assert.ok(files.every((f) => isAbsolute(f) && existsSync(f)));
  assert.ok(files.some((f) => /steps[/\\]support[/\\]world\.ts$/.test(f)));
  assert.ok(files.some((f) => /steps[/\\]generic[/\\]navigation\.steps\.ts$/.test(f)));
  const dir = project(["steps/own.steps.ts"]);
  const support = supportCode({ steps: ["steps/**/*.ts"], source: "signoff.config.yaml" }, dir);
  assert.deepEqual(support.requirePaths, [...files, join(dir, "steps", "own.steps.ts")]);
});

test("the project's steps: TypeScript and JavaScript, folders, .mjs imported; declarations, node_modules and other files left out", () => {
  const dir = project([
    "steps/a.steps.ts",
    "steps/b.js",
    "steps/sub/c.cjs",
    "steps/d.mjs",
    "steps/types.d.ts",
    "steps/notes.md",
    "steps/node_modules/x/index.js",
    "support/e.ts",
  ]);
  const support = supportCode({ steps: ["steps", "support/*.ts"], source: "signoff.config.yaml" }, dir);
  const own = support.requirePaths.filter((f) => f.startsWith(dir));
  assert.deepEqual(
    own,
    ["steps/a.steps.ts", "steps/b.js", "steps/sub/c.cjs", "support/e.ts"].map((f) => join(dir, f)),
  );
  assert.deepEqual(support.importPaths, [join(dir, "steps", "d.mjs")]);
});

test("snippets are TypeScript for a project with a TypeScript step file or none yet, JavaScript when all its steps are", () => {
  const snippetsOf = (files: string[]) =>
    supportCode({ steps: ["steps"], source: "signoff.config.yaml" }, project(files)).typescriptSnippets;
  assert.equal(snippetsOf(["steps/a.steps.ts", "steps/b.js"]), true);
  assert.equal(snippetsOf(["steps/readme.md"]), true, "no step file yet: init's scaffold is TypeScript");
  assert.equal(snippetsOf(["steps/a.steps.js", "steps/b.cjs", "steps/c.mjs"]), false);
});

test("a steps entry that names nothing that exists is a UsageError naming the config file", () => {
  const dir = project([]);
  assert.throws(
    () => projectStepFiles(["step-defs"], dir, new Set(), "signoff.config.yaml"),
    (e: Error) =>
      e instanceof UsageError && e.message === "signoff.config.yaml: steps: step-defs: no such file or directory",
  );
  // A glob that matches nothing is no error: a project may have no steps of its own.
  assert.deepEqual(projectStepFiles(["steps/**/*.ts"], dir, new Set()), []);
});

test("a requireModule that cannot be found is a UsageError naming it and how to install it", () => {
  const dir = project(["steps/a.steps.ts"]);
  assert.throws(
    () => supportCode({ steps: ["steps"], requireModule: ["tsx-nowhere/cjs"], source: "signoff.config.yaml" }, dir),
    (e: Error) =>
      e instanceof UsageError &&
      e.message.startsWith('signoff.config.yaml: requireModule: cannot find "tsx-nowhere/cjs"') &&
      e.message.endsWith("(install it: npm i -D tsx-nowhere)"),
  );
});
