// src/core/package.ts: where this Signoff lives, its version, and the support files it loads.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { COMPILED, frameworkSupportFiles, SIGNOFF_ROOT, toolVersion } from "../../src/core/package";

test("the root holds Signoff's package.json and the version is its version", () => {
  const pkg = JSON.parse(readFileSync(join(SIGNOFF_ROOT, "package.json"), "utf8"));
  assert.equal(pkg.name, "signoff");
  assert.equal(toolVersion(), pkg.version);
  assert.equal(COMPILED, false, "the tests run the TypeScript sources");
});

test("support code first, then the generic steps, each an existing file by absolute path", () => {
  const files = frameworkSupportFiles();
  const firstGeneric = files.findIndex((f) => f.includes(join("steps", "generic")));
  assert.ok(firstGeneric > 0);
  assert.ok(files.slice(0, firstGeneric).every((f) => f.includes(join("steps", "support"))));
  assert.ok(files.every((f) => f.startsWith("/") && existsSync(f) && !basename(f).endsWith(".d.ts")));
});
