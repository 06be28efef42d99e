#!/usr/bin/env node
// Runs the project's tests with node's test runner: `npm test [-- unit|e2e|<file>...]`.
const { spawnSync } = require("node:child_process");
const { readdirSync, statSync } = require("node:fs");
const { join, relative } = require("node:path");

const root = join(__dirname, "..");
function collect(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...collect(p));
    else if (name.endsWith(".test.ts")) out.push(relative(root, p));
  }
  return out;
}

const args = process.argv.slice(2);
const files =
  args.length === 0
    ? collect(join(root, "test"))
    : args.flatMap((a) => (a === "unit" || a === "e2e" ? collect(join(root, "test", a)) : [a]));

// The static checks first: the layering rules (.dependency-cruiser.js, docs/architecture.md), then ESLint and
// Prettier (`npm run lint`). A forbidden import, a cycle, a lint error or an unformatted file fails `npm test`
// and `npm test -- unit`; a run of named files skips them to stay quick.
if (args.length === 0 || args.includes("unit")) {
  const deps = spawnSync(process.execPath, [join(root, "scripts", "lint-deps.js")], { stdio: "inherit", cwd: root });
  if (deps.status !== 0) process.exit(deps.status ?? 1);
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  const lint = spawnSync(npm, ["run", "--silent", "lint"], { stdio: "inherit", cwd: root });
  if (lint.status !== 0) process.exit(lint.status ?? 1);
}

// Two files at a time. The end-to-end tests spend most of their time waiting (on pages, timeouts, child processes),
// so a second file fills the 2 cores: the whole suite takes ≈ 2/3 of the time one at a time did. Each test scopes its
// servers (port 0), temp dirs and the browser processes it checks to its own, so two never see each other's.
// SIGNOFF_TEST_CONCURRENCY=1 runs one at a time (to tell a load problem from a real one).
const concurrency = /^[1-9]\d*$/.test(process.env.SIGNOFF_TEST_CONCURRENCY ?? "")
  ? process.env.SIGNOFF_TEST_CONCURRENCY
  : "2";
const res = spawnSync(
  process.execPath,
  ["--require", join(root, "src", "register.js"), "--test", `--test-concurrency=${concurrency}`, ...files],
  { stdio: "inherit", cwd: root },
);
process.exit(res.status ?? 1);
