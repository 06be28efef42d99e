// src/core/judged-by.ts: what judged the build — step definition files, lock file, Signoff version — and its shape check.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { combinedDigest, isJudgedBy, judgedBy } from "../../src/core/judged-by";
import { toolVersion } from "../../src/core/package";

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
  ])
    assert.ok(!isJudgedBy(bad));
});

test("a project with no step files of its own (only an installed Signoff's) records an empty, valid set", () => {
  const recorded = judgedBy(["node_modules/signoff/dist/steps/generic/navigation.steps.js"]);
  assert.deepEqual(recorded.stepDefinitions, { digest: combinedDigest([]), files: [] });
  assert.ok(isJudgedBy(recorded));
});
