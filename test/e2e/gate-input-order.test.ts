// The gate reports what it can tell without the results (a missing feature directory) before it reads any.
import { before, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import {
  chmodSync,
  chownSync,
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  statSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { runSignoff, SIGNOFF } from "../helpers/cli";
import { letNobodyThrough } from "../helpers/nobody";
import { DIGEST, tmp, writeResultsDir } from "../unit/gate-helpers";

const ARTIFACT = `registry.example/visitor-counter@sha256:${DIGEST}`;
const POLICY = join(__dirname, "..", "..", "gate.policy.yaml"); // requirements: all
/** An access time before the files' mtime: the first read moves it (relatime), so "never read" is observable. */
const NEVER_READ = new Date("2001-01-01T00:00:00Z");

let keyDir: string;
before(async () => {
  keyDir = tmp("signoff-gate-order-keys-");
  const r = await runSignoff(["keygen", "--out", join(keyDir, "gate")]);
  assert.equal(r.code, 0, r.stderr);
});

/** A project with a results dir whose messages files carry the NEVER_READ access time. */
function project(): { dir: string; messages: string[] } {
  const dir = tmp("signoff-gate-order-");
  writeResultsDir(join(dir, "reports"));
  const messages = readdirSync(join(dir, "reports", "messages")).map((f) => join(dir, "reports", "messages", f));
  for (const f of messages) utimesSync(f, NEVER_READ, statSync(f).mtime);
  return { dir, messages };
}

function gate(dir: string, extra: string[] = []) {
  return runSignoff(["gate", "--artifact", ARTIFACT, "--key", join(keyDir, "gate.key"), "--policy", POLICY, ...extra], {
    cwd: dir,
  });
}

/** The gate stopped before loading: no messages file read, no verdict written. */
function assertNothingLoadedOrWritten(dir: string, messages: string[]): void {
  for (const f of messages) assert.equal(statSync(f).atime.getTime(), NEVER_READ.getTime(), `${f} was read`);
  assert.equal(existsSync(join(dir, "reports", "verdict.intoto.jsonl")), false);
  // The check above means something only where reads move the access time (relatime, strictatime).
  readFileSync(messages[0]);
  assert.notEqual(statSync(messages[0]).atime.getTime(), NEVER_READ.getTime(), "this filesystem records no reads");
}

test("--features naming no directory: one line, exit 2, before any result is read", async () => {
  const { dir, messages } = project();
  const r = await gate(dir, ["--features", "acceptance"]);
  assert.equal(r.code, 2, r.stdout + r.stderr);
  assert.equal(
    r.stderr,
    "signoff: acceptance: feature directory not found (the policy requires all requirements found there; pass --features DIR)\n",
  );
  assert.equal(r.stdout, "");
  assertNothingLoadedOrWritten(dir, messages);
  // A policy that lists its requirements still judges every scenario of the feature files: it needs them too.
  const listed = join(dir, "listed.policy.yaml");
  writeFileSync(listed, "version: 1\nrequiredTargets: [pw-desktop]\nrequirements: [REQ-COUNTER-1]\nmaxAge: 24h\n");
  const l = await runSignoff(
    ["gate", "--artifact", ARTIFACT, "--key", join(keyDir, "gate.key"), "--policy", listed, "--features", "acceptance"],
    { cwd: dir },
  );
  assert.equal(l.code, 2, l.stdout + l.stderr);
  assert.equal(
    l.stderr,
    "signoff: acceptance: feature directory not found (the policy judges every scenario of them (scenarios: all); pass --features DIR)\n",
  );
});

test("a --results directory that is not there (a typo, a download that never happened): one line, exit 2, nothing created", async () => {
  const { dir, messages } = project();
  const r = await gate(dir, ["--results", "reports", "reprots"]);
  assert.equal(r.code, 2, r.stdout + r.stderr);
  assert.equal(
    r.stderr,
    "signoff: reprots: results directory not found (the directory signoff run wrote; pass --results DIR)\n",
  );
  assert.equal(r.stdout, "");
  assert.equal(existsSync(join(dir, "reprots")), false, "the missing directory is not created");
  assertNothingLoadedOrWritten(dir, messages);
  writeFileSync(join(dir, "results.txt"), "");
  const file = await gate(dir, ["--results", "results.txt"]);
  assert.equal(file.code, 2, file.stdout + file.stderr);
  assert.equal(
    file.stderr,
    "signoff: results.txt: not a directory (--results takes the directory signoff run wrote)\n",
  );
  const through = await gate(dir, ["--results", "results.txt/reports"]);
  assert.equal(through.code, 2, through.stdout + through.stderr);
  assert.match(through.stderr, /^signoff: results\.txt\/reports: results directory not found/);
  // An empty directory is judged: a FAIL with its reason, in a verdict.
  mkdirSync(join(dir, "empty"));
  mkdirSync(join(dir, "features"));
  writeFileSync(join(dir, "features", "a.feature"), 'Feature: A\n  @REQ-1\n  Scenario: S\n    Given I open "/"\n');
  const empty = await gate(dir, ["--results", "empty"]);
  assert.equal(empty.code, 1, empty.stdout + empty.stderr);
  assert.match(empty.stdout, /manifest-missing/);
  assert.ok(existsSync(join(dir, "empty", "verdict.intoto.jsonl")));
});

test("the config's features found nowhere: the same, from the config", async () => {
  const { dir, messages } = project();
  writeFileSync(join(dir, "signoff.config.yaml"), "features:\n  - acceptance\n  - more/*.feature\n");
  const r = await gate(dir);
  assert.equal(r.code, 2, r.stdout + r.stderr);
  assert.equal(
    r.stderr,
    "signoff: acceptance, more/*.feature: feature directory not found (the policy requires all requirements found there; pass --features DIR)\n",
  );
  assertNothingLoadedOrWritten(dir, messages);
});

test("run.json naming a feature file that is not here: one line, exit 2, before any messages file is read", async () => {
  const { dir, messages } = project();
  const runJson = join(dir, "reports", "run.json");
  writeFileSync(runJson, JSON.stringify({ ...JSON.parse(readFileSync(runJson, "utf8")), features: ["gone.feature"] }));
  const r = await gate(dir);
  assert.equal(r.code, 2, r.stdout + r.stderr);
  assert.equal(
    r.stderr,
    `signoff: reports/run.json lists the feature file gone.feature, which is not here: run the gate from the project's checkout, or name the features with --features\n`,
  );
  assertNothingLoadedOrWritten(dir, messages);
});

test("a feature directory the gate cannot list: one line naming it, exit 2, before any result is read", async () => {
  // As root, the gate runs as nobody (root lists any directory): the project is readable to nobody,
  // features/private is not. As anyone else, features/private is closed to its owner, who runs the gate.
  const asRoot = process.getuid?.() === 0;
  const { dir, messages } = project();
  chmodSync(dir, 0o755);
  cpSync(join(__dirname, "..", "..", "features"), join(dir, "features"), { recursive: true });
  const closed = join(dir, "features", "private");
  mkdirSync(closed, { mode: asRoot ? 0o700 : 0o000 });
  copyFileSync(join(keyDir, "gate.key"), join(dir, "gate.key"));
  if (asRoot) chownSync(join(dir, "gate.key"), 65534, 65534);
  const putBack = asRoot ? letNobodyThrough(SIGNOFF) : () => undefined;
  let r: SpawnSyncReturns<string>;
  try {
    r = spawnSync(
      process.execPath,
      [SIGNOFF, "gate", "--artifact", ARTIFACT, "--key", "gate.key", "--policy", POLICY, "--features", "features"],
      { cwd: dir, ...(asRoot ? { uid: 65534, gid: 65534 } : {}), encoding: "utf8", timeout: 120_000 },
    );
  } finally {
    putBack();
    chmodSync(closed, 0o700); // so the project can be removed
  }
  assert.equal(r.status, 2, r.stdout + r.stderr);
  assert.equal(r.stderr, "signoff: features/private: cannot read the feature directory (EACCES)\n");
  assertNothingLoadedOrWritten(dir, messages);
});
