#!/usr/bin/env node
// Runs the project's tests with node's test runner: `npm test [-- unit|e2e|<file>...]`.
const { spawnSync } = require("node:child_process");
const { chmodSync, mkdtempSync, readdirSync, rmSync, statSync } = require("node:fs");
const { tmpdir } = require("node:os");
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
// One temporary directory for the whole run, removed at its end: what the tests make there (and what the browsers,
// drivers and killed processes they start leave there) does not pile up in the machine's tmp. A nested TMPDIR is
// also what a user with a long one has (src/browser/browser-temp.ts). The report test's screenshots are meant to be
// opened afterwards, so they go to the machine's tmp.
const runTmp = mkdtempSync(join(tmpdir(), "signoff-tests-"));
chmodSync(runTmp, 0o1777); // as open as the machine's tmp: some tests run a command as another user (nobody)
const env = {
  ...process.env,
  TMPDIR: runTmp,
  SIGNOFF_REPORT_SHOTS: process.env.SIGNOFF_REPORT_SHOTS ?? join(tmpdir(), "signoff-report-shots"),
};
// Every test file, suite and test is bounded (on Node 20 the limit applies to each file's process too; the longest
// file takes ≈ 5 min): a test that waits forever on a regression fails with its name instead of holding CI.
const testTimeoutMs = 20 * 60_000;
const res = spawnSync(
  process.execPath,
  [
    ...["--require", join(root, "src", "register.js"), "--test"],
    ...[`--test-concurrency=${concurrency}`, `--test-timeout=${testTimeoutMs}`, ...files],
  ],
  { stdio: "inherit", cwd: root, env },
);
rmSync(runTmp, { recursive: true, force: true, maxRetries: 3 });
process.exit(res.status ?? 1);
