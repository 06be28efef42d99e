// An empty SIGNOFF_RUN_KEY is what CI gives for a secret that is not defined: `signoff run` and `signoff merge` stop
// with one line and exit 2 before anything runs, as the gate does for an empty SIGNOFF_KEY, never an unsigned run
// that the gate refuses (run-attestation-missing) only after the whole suite has run.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { runSignoff, tempDir, unsetEnv } from "../helpers/cli";

const EMPTY =
  /^signoff: no signing key: SIGNOFF_RUN_KEY is set but empty \(a CI secret that is not defined\?\): set it to the private key \(PEM, or base64 of the PEM\), or unset it to run without a run attestation\n$/;

test("signoff run with SIGNOFF_RUN_KEY set but empty (or blank): exit 2, one line, nothing run or written", async () => {
  for (const value of ["", "  \n"]) {
    const reports = join(tempDir("signoff-run-key-"), "reports");
    const r = await runSignoff(["run", "--targets", "pw-desktop", "--reports", reports], {
      env: { ...unsetEnv("SIGNOFF_RUN_KEY_PASSWORD"), SIGNOFF_RUN_KEY: value },
      timeoutMs: 60_000,
    });
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.match(r.stderr, EMPTY);
    assert.equal(r.stdout, "");
    assert.equal(existsSync(reports), false, "nothing ran: no reports dir");
  }
});

test("signoff merge with SIGNOFF_RUN_KEY set but empty: exit 2, the same line, nothing merged", async () => {
  const work = tempDir("signoff-merge-key-");
  for (const d of ["results-1", "results-2"]) mkdirSync(join(work, d));
  const r = await runSignoff(["merge", "results-1", "results-2", "--into", "merged"], {
    cwd: work,
    env: { SIGNOFF_RUN_KEY: "" },
    timeoutMs: 60_000,
  });
  assert.equal(r.code, 2, r.stdout + r.stderr);
  assert.match(r.stderr, EMPTY);
  assert.equal(existsSync(join(work, "merged")), false);
});

test("the gate's SIGNOFF_KEY set but empty says so the same way (one source)", async () => {
  const work = tempDir("signoff-gate-key-");
  const r = await runSignoff(["approve", "--verdict", "none.jsonl", "--role", "qa"], {
    cwd: work,
    env: { ...unsetEnv("SIGNOFF_KEY_PASSWORD"), SIGNOFF_KEY: "" },
    timeoutMs: 60_000,
  });
  assert.equal(r.code, 2, r.stdout + r.stderr);
  assert.match(
    r.stderr,
    /^signoff: no signing key: SIGNOFF_KEY is set but empty \(a CI secret that is not defined\?\): set it to the private key \(PEM, or base64 of the PEM\), or pass --key FILE\n$/,
  );
});

test("unset, the run is unsigned as before: the variable's absence is not an error", async () => {
  // Only the key loading is under test: an unknown target stops the run right after it (exit 2, another line).
  const r = await runSignoff(["run", "--targets", "no-such-target", "--reports", join(tempDir(), "reports")], {
    env: unsetEnv("SIGNOFF_RUN_KEY", "SIGNOFF_RUN_KEY_PASSWORD"),
    timeoutMs: 60_000,
  });
  assert.doesNotMatch(r.stderr, /no signing key/);
});
