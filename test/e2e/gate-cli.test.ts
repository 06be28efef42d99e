// End to end through the real CLI processes: keygen → trust → gate → approve ×2 → verify, and the ways it says no.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { chmodSync, copyFileSync, cpSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { gatePin, makeKeys, pinKeys, type Signoff } from "../helpers/release-flow";
import { DIGEST, OTHER_DIGEST, exampleScenarios, tmp, writeResultsDir } from "../unit/gate-helpers";

const ROOT = join(__dirname, "..", "..");
const BIN = join(ROOT, "bin", "signoff.js");
const ARTIFACT = `registry.example/visitor-counter@sha256:${DIGEST}`;
const run = promisify(execFile);

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

async function signoff(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<Ran> {
  const base = { ...process.env };
  delete base.SIGNOFF_KEY;
  delete base.SIGNOFF_KEY_PASSWORD;
  try {
    const r = await run(process.execPath, [BIN, ...args], { cwd, env: { ...base, ...env }, timeout: 300_000 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: typeof err.code === "number" ? err.code : -1, stdout: err.stdout, stderr: err.stderr };
  }
}

/** Keys and trust file, made once through the CLI (process start-up is the slow part) and copied per test. */
let template: Promise<string> | undefined;
async function makeTemplate(): Promise<string> {
  const dir = tmp("signoff-e2e-");
  mkdirSync(join(dir, "features"));
  copyFileSync(join(ROOT, "features", "visitor-counter.feature"), join(dir, "features", "visitor-counter.feature"));
  copyFileSync(join(ROOT, "gate.policy.yaml"), join(dir, "gate.policy.yaml"));
  mkdirSync(join(dir, "keys"));
  const cli: Signoff = (args, env) => signoff(dir, args, env);
  const gen = await makeKeys(cli, [
    { name: "gate", type: "ecdsa-p256" },
    { name: "qa", type: "ed25519" },
    { name: "rm", type: "ecdsa-p256" },
  ]);
  assert.match(
    gen[0].stdout,
    /^signoff keygen: wrote keys\/gate\.key \(private, 0600\) and keys\/gate\.pub \(ecdsa-p256, keyid [0-9a-f]{64}\)/,
  );
  assert.equal(statSync(join(dir, "keys", "gate.key")).mode & 0o777, 0o600);
  await pinKeys(cli, [
    gatePin(),
    { role: "qa", key: "keys/qa.pub", name: "Quinn" },
    { role: "release-manager", key: "keys/rm.pub" },
  ]);
  return dir;
}

/** A project dir: the example features and policy, keys for gate/qa/release-manager, a trust file. */
async function project(): Promise<string> {
  const from = await (template ??= makeTemplate());
  const dir = tmp("signoff-e2e-");
  cpSync(from, dir, { recursive: true });
  return dir;
}

function results(dir: string, name: string, failing = false): string {
  // like the real run: the @mobile-only scenario runs on the mobile targets only
  const scenarios = (target: string) => [
    ...exampleScenarios().map((s, i) => (failing && i === 0 ? { ...s, attempts: ["FAILED" as const] } : s)),
    ...(target.endsWith("pixel7")
      ? [
          {
            name: "The counter displays on a mobile device",
            uri: "features/visitor-counter.feature",
            tags: ["@REQ-COUNTER-3", "@mobile-only"],
          },
        ]
      : []),
  ];
  return writeResultsDir(join(dir, name), { scenarios });
}

test("the release flow: gate PASSED → two sign-offs → verify exits 0; each way to say no exits 1 with its reason", async () => {
  const dir = await project();
  results(dir, "reports");

  // gate: PASSED, writes reports/verdict.intoto.jsonl
  const gate = await signoff(dir, ["gate", "--artifact", ARTIFACT, "--key", "keys/gate.key"]);
  assert.equal(gate.code, 0, gate.stdout + gate.stderr);
  assert.match(gate.stdout, /^signoff gate: PASSED — registry\.example\/visitor-counter@sha256:a{64} may be promoted/);
  assert.match(gate.stdout, /REQ-COUNTER-3 +- +✓ +- +✓/);
  const verdict = join(dir, "reports", "verdict.intoto.jsonl");
  assert.equal(readFileSync(verdict, "utf8").trim().split("\n").length, 2);

  // one sign-off only: verify says no, naming the missing role
  const qa = await signoff(dir, [
    "approve",
    "--verdict",
    "reports/verdict.intoto.jsonl",
    "--key",
    "keys/qa.key",
    "--role",
    "qa",
    "--comment",
    "exploratory pass done",
  ]);
  assert.equal(qa.code, 0, qa.stderr);
  const missing = await signoff(dir, [
    "verify",
    "--verdict",
    "reports/verdict.intoto.jsonl",
    "--artifact",
    ARTIFACT,
    "--trust",
    "trust.yaml",
  ]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /signoff verify: FAIL .* 1 check\(s\) failed/);
  assert.match(missing.stderr, /\[threshold\] role release-manager: 0 of 1 required sign-off/);

  // the gate key cannot approve
  const self = await signoff(dir, [
    "approve",
    "--verdict",
    "reports/verdict.intoto.jsonl",
    "--key",
    "keys/gate.key",
    "--role",
    "release-manager",
  ]);
  assert.equal(self.code, 2);
  assert.match(self.stderr, /this key signed the decision/);

  // second sign-off (key from the environment, as CI would pass it): verify exits 0
  const rm = await signoff(dir, ["approve", "--verdict", "reports/verdict.intoto.jsonl", "--role", "release-manager"], {
    SIGNOFF_KEY: readFileSync(join(dir, "keys", "rm.key"), "utf8"),
  });
  assert.equal(rm.code, 0, rm.stderr);
  const ok = await signoff(dir, [
    "verify",
    "--verdict",
    "reports/verdict.intoto.jsonl",
    "--artifact",
    ARTIFACT,
    "--trust",
    "trust.yaml",
  ]);
  assert.equal(ok.code, 0, ok.stdout + ok.stderr);
  assert.match(ok.stdout, /^signoff verify: PASS — registry\.example\/visitor-counter@sha256:a{64} may be promoted/);
  assert.match(ok.stdout, /qa: 1 of 1 sign-off/);
  // the second line names what the verdict was checked against: the trust file and the gate key that signed
  const gateKeyid = /keyid: ([0-9a-f]{64})/.exec(readFileSync(join(dir, "trust.yaml"), "utf8"))?.[1] ?? "";
  assert.equal(
    ok.stdout.split("\n")[1],
    `  trust file trust.yaml; decision signed by gate key ${gateKeyid.slice(0, 12)}…`,
    ok.stdout,
  );
  // without --trust, ./trust.yaml is used, and the summary says it was the default
  const defaulted = await signoff(dir, ["verify", "--verdict", "reports/verdict.intoto.jsonl", "--artifact", ARTIFACT]);
  assert.equal(defaulted.code, 0, defaulted.stdout + defaulted.stderr);
  assert.match(
    defaulted.stdout.split("\n")[1],
    /^ {2}trust file trust\.yaml \(the default: no --trust given\); decision/,
  );

  // the good verdict presented for another digest
  const other = await signoff(dir, [
    "verify",
    "--verdict",
    "reports/verdict.intoto.jsonl",
    "--artifact",
    `registry.example/visitor-counter@sha256:${OTHER_DIGEST}`,
    "--trust",
    "trust.yaml",
  ]);
  assert.equal(other.code, 1);
  assert.match(
    other.stderr,
    /\[subject\] line 2 \(decision\): subject digest sha256:a{64} is not the artifact being promoted/,
  );

  // a truncated copy
  const bytes = readFileSync(verdict);
  writeFileSync(join(dir, "cut.jsonl"), bytes.subarray(0, bytes.length - 100));
  const cut = await signoff(dir, ["verify", "--verdict", "cut.jsonl", "--artifact", ARTIFACT, "--trust", "trust.yaml"]);
  assert.equal(cut.code, 1);
  assert.match(cut.stderr, /\[input\] verdict is truncated/);
});

test("a defective build: gate FAILED (exit 1), approve refuses, verify exits 1 naming the decision", async () => {
  const dir = await project();
  results(dir, "bad", true);
  const gate = await signoff(dir, [
    "gate",
    "--artifact",
    ARTIFACT,
    "--key",
    "keys/gate.key",
    "--results",
    "bad",
    "--out",
    "bad/verdict.intoto.jsonl",
  ]);
  assert.equal(gate.code, 1, gate.stdout + gate.stderr);
  assert.match(gate.stdout, /^signoff gate: FAILED .* must not be promoted/);
  // The scenario failing on all four targets is named once, with its targets.
  assert.match(
    gate.stdout,
    /scenario-failed: 1 scenario\(s\) on required targets failed \(4 results on 4 targets\): features\/visitor-counter\.feature:\d+ The counter displays in a browser — on pw-desktop, pw-pixel7, se-desktop, se-pixel7 — /,
  );
  const approve = await signoff(dir, [
    "approve",
    "--verdict",
    "bad/verdict.intoto.jsonl",
    "--key",
    "keys/qa.key",
    "--role",
    "qa",
  ]);
  assert.equal(approve.code, 1);
  assert.match(approve.stderr, /decision is FAILED; refusing to sign off/);
  const verify = await signoff(dir, [
    "verify",
    "--verdict",
    "bad/verdict.intoto.jsonl",
    "--artifact",
    ARTIFACT,
    "--trust",
    "trust.yaml",
  ]);
  assert.equal(verify.code, 1);
  assert.match(verify.stderr, /\[decision\] the gate's decision is "FAILED", not PASSED: scenario-failed/);
  assert.match(verify.stderr, /\[threshold\] role qa: 0 of 1/);
});

test("gate --trust warns of what verify will refuse: a policy the trust file does not allow, a gate key it does not pin", async () => {
  const dir = await project();
  results(dir, "reports");
  const gated = (key: string) =>
    signoff(dir, ["gate", "--artifact", ARTIFACT, "--key", key, "--trust", "trust.yaml", "--out", "v.jsonl"]);
  const open = await gated("keys/gate.key");
  assert.equal(open.code, 0, open.stdout + open.stderr);
  assert.equal(
    open.stderr,
    "signoff gate: warning: gate.policy.yaml lists no stagingOrigins: a run against any server counts, and any server can answer with any build's digest (a copy of a good build claiming a defective one's passes); list your staging's origin (docs/gate.md)\n",
  );
  // The staging named, that version of the policy allowed: nothing to say.
  const policy = readFileSync(join(dir, "gate.policy.yaml"), "utf8");
  writeFileSync(join(dir, "gate.policy.yaml"), `${policy}stagingOrigins: [http://127.0.0.1:4321]\n`);
  const allowed = await signoff(dir, ["trust", "add", "--allow-policy", "gate.policy.yaml"]);
  assert.match(
    allowed.stdout,
    /; no longer its earlier version sha256:[0-9a-f]{64}$/m,
    allowed.stdout + allowed.stderr,
  );
  const trusted = await gated("keys/gate.key");
  assert.equal(trusted.code, 0, trusted.stdout + trusted.stderr);
  assert.doesNotMatch(trusted.stderr, /warning/, "the policy is allowed and the key pinned: nothing to say");

  writeFileSync(join(dir, "gate.policy.yaml"), readFileSync(join(dir, "gate.policy.yaml"), "utf8") + "# edited\n");
  const k = await signoff(dir, ["keygen", "--out", "keys/other-gate"]);
  assert.equal(k.code, 0, k.stderr);
  const r = await gated("keys/other-gate.key");
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /^signoff gate: PASSED/, "the decision is the gate's to make: warnings only");
  assert.match(
    r.stderr,
    /^signoff gate: warning: gate\.policy\.yaml \(sha256:[0-9a-f]{64}\) is not on trust\.yaml's allowedPolicies: verify --trust trust\.yaml will refuse this verdict until it is \(signoff trust add --allow-policy gate\.policy\.yaml\)$/m,
  );
  assert.match(
    r.stderr,
    /^signoff gate: warning: the gate's key \(keyid [0-9a-f]{64}\) is not pinned in trust\.yaml for role gate: verify --trust trust\.yaml will refuse this verdict until it is/m,
  );
  const verified = await signoff(dir, [
    "verify",
    "--verdict",
    "v.jsonl",
    "--artifact",
    ARTIFACT,
    "--trust",
    "trust.yaml",
  ]);
  assert.equal(verified.code, 1, "as warned");
  assert.match(
    verified.stderr,
    /\[signature\] line 2 \(decision\): not signed by any key the trust file pins for role "gate"/,
  );
});

test("staging served another build than the one being promoted: gate FAILED with both digests", async () => {
  const dir = await project();
  writeResultsDir(join(dir, "reports"), {
    build: { name: "visitor-counter", version: "1.2.4", digest: `sha256:${OTHER_DIGEST}` },
  });
  const gate = await signoff(dir, ["gate", "--artifact", ARTIFACT, "--key", "keys/gate.key"]);
  assert.equal(gate.code, 1);
  assert.match(
    gate.stdout,
    new RegExp(
      `build-mismatch: staging served visitor-counter 1\\.2\\.4 \\(sha256:${OTHER_DIGEST}\\), you asked to promote ${ARTIFACT.replace(/\./g, "\\.")}`,
    ),
  );
});

test("a policy that requires a baseline: FAILED without one; with the last verdict, checked, the evidence names it", async () => {
  const dir = await project();
  results(dir, "reports");
  const policy = join(dir, "gate.policy.yaml");
  writeFileSync(
    policy,
    `${readFileSync(policy, "utf8").replace(/^regressions:.*\n(?: .*\n)*/m, "")}regressions:\n  requireBaseline: true\n`,
  );
  const gate = (args: string[] = []) =>
    signoff(dir, ["gate", "--artifact", ARTIFACT, "--key", "keys/gate.key", "--out", "next.jsonl", ...args]);
  const without = await gate();
  assert.equal(without.code, 1, without.stdout + without.stderr);
  assert.match(without.stdout, /baseline-missing: the policy requires a baseline \(regressions\.requireBaseline\)/);
  // The last release's verdict: the same results, judged by the policy before it required a baseline.
  writeFileSync(
    join(dir, "last.policy.yaml"),
    readFileSync(policy, "utf8").replace("requireBaseline: true", "requireBaseline: false"),
  );
  const made = await signoff(dir, [
    "gate",
    "--artifact",
    ARTIFACT,
    "--key",
    "keys/gate.key",
    "--policy",
    "last.policy.yaml",
    "--out",
    "last.jsonl",
  ]);
  assert.equal(made.code, 0, made.stdout + made.stderr);
  // Unchecked (no --trust), it does not count: any list of tests would pass for a baseline.
  const unchecked = await gate(["--baseline", "last.jsonl"]);
  assert.equal(unchecked.code, 1, unchecked.stdout + unchecked.stderr);
  assert.match(unchecked.stdout, /baseline-unverified: the baseline last\.jsonl is not a passing verdict .*no --trust/);
  // Another artifact's last release is no baseline for this one.
  const otherName = await signoff(dir, [
    "gate",
    "--artifact",
    ARTIFACT.replace(/^[^@]+/, "registry.example/other"),
    "--key",
    "keys/gate.key",
    "--out",
    "other.jsonl",
    "--baseline",
    "last.jsonl",
    "--trust",
    "trust.yaml",
  ]);
  assert.equal(otherName.code, 1, otherName.stdout + otherName.stderr);
  assert.match(
    otherName.stdout,
    /baseline-unverified: .*it is a verdict on "[^"]+", not on "registry\.example\/other"/,
  );
  const based = await gate(["--baseline", "last.jsonl", "--trust", "trust.yaml"]);
  assert.equal(based.code, 0, based.stdout + based.stderr);
  const evidence = JSON.parse(readFileSync(join(dir, "next.jsonl"), "utf8").split("\n")[0]).payload;
  const configuration = JSON.parse(Buffer.from(evidence, "base64").toString("utf8")).predicate.configuration;
  assert.deepEqual(
    configuration.find((c: { name: string }) => c.name === "baseline"),
    {
      name: "baseline",
      uri: "last.jsonl",
      digest: {
        sha256: createHash("sha256")
          .update(readFileSync(join(dir, "last.jsonl")))
          .digest("hex"),
      },
    },
  );
});

test("bad input is one clear line and exit 2", async () => {
  const dir = await project();
  results(dir, "reports");
  writeFileSync(
    join(dir, "broken.policy.yaml"),
    "version: 1\nrequiredTargets: [pw-desktop, 7]\nrequirements: all\nmaxAge: 24h\n",
  );
  copyFileSync(join(dir, "keys", "gate.key"), join(dir, "keys", "open.key"));
  chmodSync(join(dir, "keys", "open.key"), 0o644);
  const [badArtifact, badPolicy, openKey, noVerdict, noDefaultTrust, noNamedTrust] = await Promise.all([
    signoff(dir, ["gate", "--artifact", "visitor-counter:latest", "--key", "keys/gate.key"]),
    signoff(dir, ["gate", "--artifact", ARTIFACT, "--key", "keys/gate.key", "--policy", "broken.policy.yaml"]),
    signoff(dir, ["gate", "--artifact", ARTIFACT, "--key", "keys/open.key"]),
    signoff(dir, ["verify", "--verdict", "nope.jsonl", "--artifact", ARTIFACT]),
    // run where there is no trust.yaml (keys/), and with a --trust FILE that is not there
    signoff(join(dir, "keys"), ["verify", "--verdict", "nope.jsonl", "--artifact", ARTIFACT]),
    signoff(dir, ["verify", "--verdict", "nope.jsonl", "--artifact", ARTIFACT, "--trust", "elsewhere.yaml"]),
  ]);
  assert.equal(badArtifact.code, 2);
  assert.match(badArtifact.stderr, /expected NAME@sha256:HEX/);

  assert.equal(badPolicy.code, 2);
  assert.equal(badPolicy.stderr.trim(), "signoff: broken.policy.yaml:2:31: requiredTargets[1]: must be string");

  assert.equal(openKey.code, 2);
  assert.match(openKey.stderr, /^signoff: keys\/open\.key: permissions 0644 are too open/);

  assert.equal(noVerdict.code, 2);
  assert.match(noVerdict.stderr, /^signoff: nope\.jsonl: cannot read the verdict \(ENOENT\)/);

  // The default trust file missing: the same line says how to name one, and how one is made.
  assert.equal(noDefaultTrust.code, 2);
  assert.equal(
    noDefaultTrust.stderr,
    "signoff: trust.yaml: cannot read the trust file (ENOENT) — name the trust file with --trust FILE (one is made with signoff trust add --role gate --key gate.pub; see docs/gate.md)\n",
  );
  // One named with --trust: the user chose the path; the line names it and nothing more.
  assert.equal(noNamedTrust.code, 2);
  assert.equal(noNamedTrust.stderr, "signoff: elsewhere.yaml: cannot read the trust file (ENOENT)\n");
});

test("without --results and --features the gate reads the config's reportsDir and features", async () => {
  const dir = await project();
  mkdirSync(join(dir, "acceptance"));
  cpSync(join(dir, "features", "visitor-counter.feature"), join(dir, "acceptance", "visitor-counter.feature"));
  writeFileSync(
    join(dir, "features", "elsewhere.feature"),
    "Feature: not this project's\n  @REQ-NOT-CONFIGURED\n  Scenario: x\n    Given y\n",
  );
  writeFileSync(join(dir, "signoff.config.yaml"), "reportsDir: out/results\nfeatures:\n  - acceptance\n");
  results(dir, "out/results");

  const pass = await signoff(dir, ["gate", "--artifact", ARTIFACT, "--key", "keys/gate.key"]);
  assert.equal(pass.code, 0, pass.stdout + pass.stderr);
  assert.doesNotMatch(pass.stdout, /REQ-NOT-CONFIGURED/);
  assert.equal(
    readFileSync(join(dir, "out", "results", "verdict.intoto.jsonl"), "utf8")
      .trim()
      .split("\n").length,
    2,
  );

  // a requirement declared in the configured features and covered by no scenario: the gate read them
  writeFileSync(
    join(dir, "acceptance", "extra.feature"),
    "Feature: extra\n  @REQ-EXTRA\n  Scenario: never run\n    Given y\n",
  );
  const fail = await signoff(dir, ["gate", "--artifact", ARTIFACT, "--key", "keys/gate.key"]);
  assert.equal(fail.code, 1, fail.stdout + fail.stderr);
  assert.match(fail.stdout + fail.stderr, /REQ-EXTRA/);
});

test("policy and config that disagree: a required target no config defines is named in target-missing; another tag prefix is a warning, escaped", async () => {
  const dir = await project();
  results(dir, "reports");
  const policy = readFileSync(join(dir, "gate.policy.yaml"), "utf8");
  const gated = (policyFile = "gate.policy.yaml") =>
    signoff(dir, [
      "gate",
      "--artifact",
      ARTIFACT,
      "--key",
      "keys/gate.key",
      "--policy",
      policyFile,
      "--out",
      "v.jsonl",
    ]);
  writeFileSync(join(dir, "gate.policy.yaml"), policy.replace("  - pw-desktop\n", "  - pw-destkop\n  - tablet\n"));
  const noConfig = await gated();
  assert.equal(noConfig.code, 1, noConfig.stdout + noConfig.stderr);
  assert.match(noConfig.stdout, /target-missing: required target pw-destkop has no results and is not in run\.json$/m);
  assert.doesNotMatch(
    noConfig.stdout,
    /the config defines no target/,
    "no config file read: the run's targets are unknown",
  );

  writeFileSync(
    join(dir, "signoff.config.yaml"),
    "targets:\n  tablet:\n    driver: playwright\n    device: iPad Mini\n",
  );
  const typo = await gated();
  assert.equal(typo.code, 1, typo.stdout + typo.stderr);
  assert.match(
    typo.stdout,
    /target-missing: required target pw-destkop has no results and is not in run\.json; the config defines no target pw-destkop \(did you mean "pw-desktop"\?\)$/m,
  );
  assert.match(typo.stdout, /target-missing: required target tablet has no results and is not in run\.json$/m);

  writeFileSync(join(dir, "signoff.config.yaml"), "requirementTagPrefix: STORY-\n");
  const oddName = "pol\x1b[2Jicy.yaml";
  writeFileSync(join(dir, oddName), policy);
  const prefix = await gated(oddName);
  assert.equal(prefix.code, 0, prefix.stdout + prefix.stderr);
  assert.match(
    prefix.stderr,
    /^signoff gate: warning: the config's requirementTagPrefix "STORY-" is not the policy's "REQ-"; the gate counts the policy's \(set it in pol\\x1b\[2Jicy\.yaml\)$/m,
  );
  assert.doesNotMatch(prefix.stderr, /\x1b/, "no escape sequence reaches the terminal");
});

test("a PASSED gate names every sign-off verify will ask for: the policy's, and with --trust the trust file's thresholds", async () => {
  const dir = await project();
  results(dir, "reports");
  const policy = readFileSync(join(dir, "gate.policy.yaml"), "utf8");
  writeFileSync(join(dir, "gate.policy.yaml"), policy.replace("  release-manager: 1\n", ""));
  const gated = (...extra: string[]) =>
    signoff(dir, ["gate", "--artifact", ARTIFACT, "--key", "keys/gate.key", "--out", "v.jsonl", ...extra]);
  const policyOnly = await gated();
  assert.equal(policyOnly.code, 0, policyOnly.stdout + policyOnly.stderr);
  assert.match(
    policyOnly.stdout,
    /^signoff gate: PASSED — .* may be promoted once signed off by qa ×1 \(policy gate\.policy\.yaml\)$/m,
  );
  // trust.yaml pins a release-manager key with threshold 1: verify asks for that sign-off too, so the gate says so.
  const withTrust = await gated("--trust", "trust.yaml");
  assert.equal(withTrust.code, 0, withTrust.stdout + withTrust.stderr);
  assert.match(
    withTrust.stdout,
    /^signoff gate: PASSED — .* may be promoted once signed off by qa ×1, release-manager ×1 \(policy gate\.policy\.yaml\)$/m,
  );
});
