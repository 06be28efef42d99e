// src/core/judged-by.ts: what judged the build — step definition files, lock file, Signoff version — and its shape check.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { combinedDigest, isJudgedBy, judgedBy } from "../../src/core/judged-by";
import { SIGNOFF_ROOT, toolVersion } from "../../src/core/package";

const sha = (s: string) => createHash("sha256").update(s).digest("hex");

test("own step files are digested; installed packages are bound by the lock file instead", () => {
  const dir = mkdtempSync(join(tmpdir(), "signoff-core-judged-"));
  mkdirSync(join(dir, "steps"));
  writeFileSync(join(dir, "steps", "a.ts"), "A");
  writeFileSync(join(dir, "package-lock.json"), "{}");
  const j = judgedBy(["steps/a.ts", "steps/a.ts", "node_modules/signoff/steps/x.js"], dir);
  assert.deepEqual(j.stepDefinitions.files, [{ path: "steps/a.ts", sha256: sha("A") }]);
  assert.equal(j.stepDefinitions.digest, combinedDigest(j.stepDefinitions.files));
  assert.equal(j.lockFile?.sha256, sha("{}"));
  assert.equal(j.signoff.version, toolVersion());
  assert.ok(isJudgedBy(j));
});

test("the combined digest does not depend on order and changes with any file", () => {
  const a = { path: "a", sha256: sha("1") };
  const b = { path: "b", sha256: sha("2") };
  assert.equal(combinedDigest([a, b]), combinedDigest([b, a]));
  assert.notEqual(combinedDigest([a, b]), combinedDigest([a, { ...b, sha256: sha("3") }]));
});

test("a hostile judgedBy without its digests is refused", () => {
  for (const bad of [
    undefined,
    null,
    {},
    { stepDefinitions: { digest: "x", files: [] }, signoff: { version: "1", packageJsonSha256: sha("") } },
    {
      stepDefinitions: { digest: sha(""), files: [{ path: "steps/a.ts", sha256: "x" }] },
      signoff: { version: "1", packageJsonSha256: sha("") },
    },
    { stepDefinitions: { digest: sha(""), files: [null] }, signoff: { version: "1", packageJsonSha256: sha("") } },
    {
      stepDefinitions: { digest: sha(""), files: [] },
      signoff: { version: "1", packageJsonSha256: sha("") },
      lockFile: null,
    },
  ])
    assert.ok(!isJudgedBy(bad));
});

test("a judgedBy whose digest is not its files' digest, or with no file and no lock file, is refused", () => {
  const files = [{ path: "steps/a.ts", sha256: sha("a") }];
  const signoff = { version: "1", packageJsonSha256: sha("") };
  assert.ok(isJudgedBy({ stepDefinitions: { digest: combinedDigest(files), files }, signoff }));
  assert.ok(!isJudgedBy({ stepDefinitions: { digest: sha("other"), files }, signoff }), "a digest over other files");
  const none = { digest: combinedDigest([]), files: [] };
  assert.ok(!isJudgedBy({ stepDefinitions: none, signoff }), "nothing binds the code that judged the build");
  assert.ok(isJudgedBy({ stepDefinitions: none, signoff, lockFile: { path: "package-lock.json", sha256: sha("l") } }));
});

test("only what the lock file installs is left out: a node_modules folder elsewhere in the project is hashed", () => {
  const root = mkdtempSync(join(tmpdir(), "signoff-judged-"));
  writeFileSync(join(root, "package-lock.json"), "{}");
  mkdirSync(join(root, "support", "node_modules"), { recursive: true });
  writeFileSync(join(root, "support", "node_modules", "hooks.js"), "// hooks");
  mkdirSync(join(root, "node_modules", "signoff"), { recursive: true });
  const j = judgedBy(["support/node_modules/hooks.js", "node_modules/signoff/steps.js"], root);
  assert.deepEqual(
    j.stepDefinitions.files.map((f) => f.path),
    ["support/node_modules/hooks.js"],
  );
});

test("Signoff's own dependencies are installed wherever Signoff lives, even outside the project (source-mapped names that are not there)", () => {
  const root = mkdtempSync(join(tmpdir(), "signoff-judged-"));
  mkdirSync(join(root, "steps"));
  writeFileSync(join(root, "steps", "mine.ts"), "// mine");
  const hooks = join(SIGNOFF_ROOT, "node_modules", "allure-cucumberjs", "src", "not-there.ts");
  const j = judgedBy(["steps/mine.ts", hooks], root);
  assert.deepEqual(
    j.stepDefinitions.files.map((f) => f.path),
    ["steps/mine.ts"],
  );
});

test("a project with no step files of its own (only an installed Signoff's) records an empty, valid set", () => {
  const recorded = judgedBy(["node_modules/signoff/dist/steps/generic/navigation.steps.js"]);
  assert.deepEqual(recorded.stepDefinitions, { digest: combinedDigest([]), files: [] });
  assert.ok(isJudgedBy(recorded));
});
