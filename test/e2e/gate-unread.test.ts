// Through the real CLI on a real run's results: a run attestation that does not verify is FAILED with every reason
// run.json and the file listing give, without reading the messages; the signed policy uri is the file's name.
//
// The messages file is replaced by garbage of its own size: read, it would be results-tampered (and its two failed
// scenarios scenario-failed); a gate that does not read it names neither.
import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { cpSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { attestRun } from "../../src/attest/run-attestation";
import { loadSigningKey } from "../../src/attest/keys";
import { ROOT, runSignoff, tempDir, unsetEnv, type CliResult } from "../helpers/cli";

const POLICY = "version: 1\nrequiredTargets: [pw-desktop, se-desktop]\nrequirements: [REQ-COUNTER-1]\nmaxAge: 24h\n";
const OTHER_ARTIFACT = `visitor-counter@sha256:${"e".repeat(64)}`;

describe("signoff gate when the run attestation does not verify", () => {
  const work = tempDir("signoff-unread-");
  // The gate runs in job/; the policy and trust file lie beside it, outside its working directory.
  const job = join(work, "job");
  const config = join(work, "release-config");
  const policy = join(config, "gate.policy.yaml");
  const signoff = (args: string[]): Promise<CliResult> =>
    runSignoff(args, { cwd: job, env: unsetEnv("SIGNOFF_KEY", "SIGNOFF_RUN_KEY") });

  /** The real run's results with the messages replaced by same-size garbage and an unlisted file, signed by `key`. */
  function results(name: string, key: "runner" | "other"): string {
    const dir = join(job, name);
    cpSync(join(ROOT, "test", "fixtures", "real-run"), dir, { recursive: true });
    const messages = join(dir, "messages", "pw-desktop.ndjson");
    writeFileSync(messages, "\u0000".repeat(statSync(messages).size));
    writeFileSync(join(dir, "messages", "extra.ndjson"), "{}\n");
    attestRun(dir, loadSigningKey(join(work, "keys", `${key}.key`)));
    return name;
  }
  const gate = (dir: string, out: string) =>
    signoff([
      "gate",
      ...["--artifact", OTHER_ARTIFACT, "--key", join(work, "keys", "gate.key"), "--policy", policy],
      ...["--results", dir, "--trust", join(config, "trust.yaml"), "--out", out],
      // The feature files the gate judges: under scenarios: all (the default) it must read them.
      ...["--features", join(ROOT, "features")],
    ]);
  const reasonCodes = (stdout: string) =>
    [...stdout.matchAll(/^ {4}- (?:warning )?([a-z-]+): /gm)].map((m) => m[1]).sort();

  before(async () => {
    mkdirSync(job, { recursive: true });
    mkdirSync(config, { recursive: true });
    writeFileSync(policy, POLICY);
    for (const name of ["gate", "runner", "other"]) {
      const r = await signoff(["keygen", "--out", join(work, "keys", name)]);
      assert.equal(r.code, 0, r.stderr);
    }
    const trust = join(config, "trust.yaml");
    for (const args of [
      ["--role", "gate", "--key", join(work, "keys", "gate.pub")],
      ["--role", "runner", "--key", join(work, "keys", "runner.pub")],
      ["--allow-policy", policy, "--max-age", "24h"],
    ]) {
      const r = await signoff(["trust", "add", "--trust", trust, ...args]);
      assert.equal(r.code, 0, r.stderr);
    }
  });

  test("FAILED with run-attestation-invalid and every reason run.json gives; the messages are not read; signed", async () => {
    const dir = results("unpinned", "other");
    const r = await gate(dir, "unpinned.jsonl");
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.deepEqual(reasonCodes(r.stdout), [
      "build-mismatch",
      "judged-by-missing",
      "results-unlisted",
      "run-attestation-invalid",
      "target-missing",
    ]);
    assert.match(
      r.stdout,
      /run-attestation-invalid: unpinned\/run\.json\.dsse: not signed by a runner key pinned in .*trust\.yaml .*\(no result can count without it, so none was read\)/,
    );
    assert.match(r.stdout, /results-unlisted: unpinned\/messages\/extra\.ndjson/);
    assert.match(r.stdout, /target-missing: required target se-desktop has no results and is not in run\.json/);
    assert.match(r.stdout, /^ {2}scenarios: not read \(no result can count: see the reasons\)$/m);

    // Signed by the gate key under an allowed policy: verify's only objection is the decision itself.
    const v = await signoff([
      ...["verify", "--verdict", "unpinned.jsonl", "--artifact", OTHER_ARTIFACT],
      ...["--trust", join(config, "trust.yaml")],
    ]);
    assert.equal(v.code, 1, v.stdout + v.stderr);
    assert.deepEqual(
      [...v.stderr.matchAll(/✗ \[([a-z-]+)\]/g)].map((m) => m[1]),
      ["decision"],
      v.stderr,
    );
    assert.match(v.stderr, /the gate's decision is "FAILED", not PASSED.*run-attestation-invalid/);
  });

  test("that verdict, read nothing, is refused as the next gate's --baseline (it would hide every regression)", async () => {
    const dir = results("unread-baseline", "other");
    assert.equal((await gate(dir, "unread-baseline.jsonl")).code, 1);
    const r = await signoff([
      ...["gate", "--artifact", OTHER_ARTIFACT, "--key", join(work, "keys", "gate.key"), "--policy", policy],
      ...["--results", dir, "--trust", join(config, "trust.yaml"), "--baseline", "unread-baseline.jsonl"],
      ...["--features", join(ROOT, "features")],
    ]);
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.equal(r.stderr, "signoff: unread-baseline.jsonl: line 1: the baseline has no scenario results\n");
  });

  test("the same results under a valid attestation are read: the garbage is results-tampered", async () => {
    const dir = results("pinned", "runner");
    const r = await gate(dir, "pinned.jsonl");
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /results-tampered: pinned\/messages\/pw-desktop\.ndjson: .*SHA-256/);
    assert.doesNotMatch(r.stdout, /run-attestation-invalid|scenarios: not read/);
  });

  test("the signed policy uri is the policy file's name, not its path outside the working directory; verify checks the digest", async () => {
    const dir = results("uri", "other");
    const r = await gate(dir, "uri.jsonl");
    assert.equal(r.code, 1, r.stdout + r.stderr);
    // The summary names the file where it lies; the verdict only by its name.
    assert.match(r.stdout, new RegExp(`\\(policy ${policy.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\)`));
    const [evidence, decision] = readFileSync(join(job, "uri.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(Buffer.from(JSON.parse(l).payload, "base64").toString("utf8")));
    const digest = /sha256:([0-9a-f]{64})/.exec(readFileSync(join(config, "trust.yaml"), "utf8"))![1];
    assert.deepEqual(decision.predicate.policy, { uri: "gate.policy.yaml", digest: { sha256: digest } });
    assert.equal(
      evidence.predicate.configuration.find((c: { name: string }) => c.name === "policy").uri,
      "gate.policy.yaml",
    );

    // A trust file that does not allow this policy's digest: verify's policy check fails, whatever the uri says.
    const strict = join(config, "strict-trust.yaml");
    writeFileSync(join(config, "other.policy.yaml"), POLICY + "flaky: fail\n");
    for (const args of [
      ["--role", "gate", "--key", join(work, "keys", "gate.pub")],
      ["--allow-policy", join(config, "other.policy.yaml")],
    ])
      assert.equal((await signoff(["trust", "add", "--trust", strict, ...args])).code, 0);
    const v = await signoff(["verify", "--verdict", "uri.jsonl", "--artifact", OTHER_ARTIFACT, "--trust", strict]);
    assert.equal(v.code, 1, v.stdout + v.stderr);
    assert.match(v.stderr, /✗ \[policy\] /);
  });
});
