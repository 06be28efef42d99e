// `signoff verify`'s checks: the pass path, a negative corpus (one named test per attack) and a parser fuzz.
import { test } from "node:test";
import assert from "node:assert/strict";
import type { ResourceDescriptor } from "../../src/attest/in-toto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import {
  IN_TOTO_PAYLOAD_TYPE,
  envelopeLine,
  pae,
  sha256Hex,
  signBytes,
  signEnvelope,
  type DsseEnvelope,
} from "../../src/attest/dsse";
import { evaluate, type GateDecision } from "../../src/gate/evaluate";
import { buildVerdict, runGate } from "../../src/gate/gate";
import { attestRun } from "../../src/attest/run-attestation";
import type { SigningKey } from "../../src/attest/keys";
import type { GatePolicy } from "../../src/gate/policy";
import { loadResults } from "../../src/results/loader";
import { signoffStatement, statementBytes } from "../../src/gate/statements";
import { SIGNOFF_PREDICATE, STATEMENT_TYPE } from "../../src/attest/in-toto";
import type { Trust } from "../../src/attest/trust";
import { DEFAULT_LIMITS, parseVerdict, type CheckId } from "../../src/attest/verdict-file";
import { shownReasons, verifyVerdict, verifyVerdictFile, type VerifyReport } from "../../src/gate/verify";
import { UsageError } from "../../src/core/errors";
import {
  ARTIFACT,
  OTHER_DIGEST,
  makeKey,
  makeTrust,
  NOW,
  RELEASE_POLICY as POLICY,
  T0,
  tmp,
  writeResultsDir,
  type FakeScenario,
} from "./gate-helpers";

const gateKey = makeKey("ecdsa-p256", "gate.key");
const qaKey = makeKey("ecdsa-p256", "qa.key");
const qa2Key = makeKey("ed25519", "qa2.key");
const rmKey = makeKey("ed25519", "rm.key");
const strangerKey = makeKey("ecdsa-p256", "stranger.key");

function trust(o: { allowedPolicies?: string[]; qaThreshold?: number; maxAge?: string } = {}): Trust {
  return makeTrust({
    maxAge: o.maxAge,
    allowedPolicies: o.allowedPolicies ?? [POLICY.digest],
    roles: {
      gate: { keys: [gateKey] },
      qa: { keys: [qaKey, qa2Key], threshold: o.qaThreshold ?? 1 },
      "release-manager": { keys: [rmKey] },
    },
  });
}

async function decisionFor(
  scenarios?: (t: string) => FakeScenario[],
  policy: GatePolicy = POLICY,
): Promise<GateDecision> {
  const dir = writeResultsDir(tmp(), { scenarios });
  const results = await loadResults([dir]);
  return evaluate({ results, policy, artifact: ARTIFACT, declaredRequirements: ["REQ-COUNTER-1", "REQ-COUNTER-2"] });
}

let goodDecision: GateDecision | undefined;
async function gateLines(
  o: { key?: SigningKey; decision?: GateDecision; now?: Date; configuration?: ResourceDescriptor[] } = {},
) {
  goodDecision ??= await decisionFor();
  return buildVerdict({
    decision: o.decision ?? goodDecision,
    artifact: ARTIFACT,
    policy: POLICY,
    key: o.key ?? gateKey,
    now: o.now ?? T0,
    configuration: o.configuration,
  });
}

function signoffLine(
  decisionDigest: string,
  key: SigningKey,
  role: string,
  o: { keyid?: string; subject?: string; time?: Date } = {},
): string {
  const st = signoffStatement(
    { name: ARTIFACT.name, sha256: o.subject ?? ARTIFACT.sha256 },
    {
      role,
      signer: { keyid: key.keyid },
      timeSigned: (o.time ?? T0).toISOString(),
      comment: "looks good",
      decision: { uri: "verdict.intoto.jsonl#2", digest: { sha256: decisionDigest } },
    },
  );
  const env = signEnvelope(IN_TOTO_PAYLOAD_TYPE, statementBytes(st), {
    privateKey: key.privateKey,
    keyid: o.keyid ?? key.keyid,
  });
  return envelopeLine(env);
}

/** A complete, passing verdict: evidence, decision, qa and release-manager sign-offs. */
async function goodVerdict() {
  const v = await gateLines();
  const lines = [
    ...v.lines,
    signoffLine(v.decisionDigest, qaKey, "qa"),
    signoffLine(v.decisionDigest, rmKey, "release-manager"),
  ];
  return { ...v, lines };
}

const text = (lines: string[]) => Buffer.from(lines.join("\n") + "\n");

function check(
  lines: string[] | Buffer,
  o: { trust?: Trust; now?: Date; artifact?: typeof ARTIFACT } = {},
): VerifyReport {
  return verifyVerdict(Buffer.isBuffer(lines) ? lines : text(lines), {
    artifact: o.artifact ?? ARTIFACT,
    trust: o.trust ?? trust(),
    now: o.now ?? NOW,
  });
}

function assertFailed(r: VerifyReport, checkId: CheckId, pattern: RegExp): void {
  assert.equal(r.ok, false, "must not pass");
  const f = r.failures.find((x) => x.check === checkId && pattern.test(x.message));
  assert.ok(
    f,
    `expected a failed [${checkId}] check matching ${pattern}; got:\n${r.failures.map((x) => `[${x.check}] ${x.message}`).join("\n")}`,
  );
}

const env = (line: string) => JSON.parse(line) as DsseEnvelope;
const line = (e: DsseEnvelope) => JSON.stringify(e);
/** Re-signs a modified statement with the gate key: the attacker is the gate's own buggy/forged content. */
function resign(stmt: unknown, key: SigningKey = gateKey): string {
  return envelopeLine(signEnvelope(IN_TOTO_PAYLOAD_TYPE, Buffer.from(JSON.stringify(stmt)), key));
}
const statementOf = (l: string) => JSON.parse(Buffer.from(env(l).payload, "base64").toString("utf8"));

// ── pass path ──

test("a complete verdict with both sign-offs verifies", async () => {
  const v = await goodVerdict();
  const r = check(v.lines);
  assert.deepEqual(r.failures, []);
  assert.equal(r.ok, true);
  assert.equal(r.decision?.digest, v.decisionDigest);
  assert.deepEqual(
    r.roles.map((x) => [x.role, x.have, x.need]),
    [
      ["qa", 1, 1],
      ["release-manager", 1, 1],
    ],
  );
});

test("an Ed25519 gate key works the same", async () => {
  const edGate = makeKey("ed25519");
  const v = await gateLines({ key: edGate });
  const t = makeTrust({
    allowedPolicies: [POLICY.digest],
    roles: { gate: { keys: [edGate] }, qa: { keys: [qaKey] }, "release-manager": { keys: [rmKey] } },
  });
  const r = check(
    [...v.lines, signoffLine(v.decisionDigest, qaKey, "qa"), signoffLine(v.decisionDigest, rmKey, "release-manager")],
    { trust: t },
  );
  assert.deepEqual(r.failures, []);
});

test("keyid hints are never a security decision: wrong or empty hints still verify", async () => {
  const v = await goodVerdict();
  const lines = v.lines.map((l) => {
    const e = env(l);
    e.signatures[0].keyid = "";
    return line(e);
  });
  assert.equal(check(lines).ok, true);
});

// ── negative corpus ──

test("corpus: a payload byte flipped", async () => {
  const v = await goodVerdict();
  const e = env(v.lines[1]);
  const bytes = Buffer.from(e.payload, "base64");
  bytes[bytes.indexOf("PASSED") + 1] ^= 0x01; // "PASSED" → "PBSSED"
  e.payload = bytes.toString("base64");
  assertFailed(
    check([v.lines[0], line(e), ...v.lines.slice(2)]),
    "signature",
    /line 2 \(decision\): signature does not verify with the pinned gate key .*altered/,
  );
});

test("corpus: signed by a key the trust file does not pin", async () => {
  const v = await gateLines({ key: strangerKey });
  assertFailed(
    check(v.lines),
    "signature",
    /line 2 \(decision\): not signed by any key the trust file pins for role "gate"/,
  );
});

test("corpus: a signature moved from another envelope", async () => {
  const v = await goodVerdict();
  const evidence = env(v.lines[0]);
  const decision = env(v.lines[1]);
  decision.signatures = evidence.signatures; // valid gate signature, but over the evidence's PAE
  assertFailed(
    check([v.lines[0], line(decision), ...v.lines.slice(2)]),
    "signature",
    /line 2 \(decision\): signature does not verify/,
  );
});

test("corpus: wrong payloadType", async () => {
  const v = await goodVerdict();
  const e = env(v.lines[1]);
  const payload = Buffer.from(e.payload, "base64");
  const forged = {
    ...e,
    payloadType: "application/json",
    signatures: [
      { keyid: gateKey.keyid, sig: signBytes(pae("application/json", payload), gateKey.privateKey).toString("base64") },
    ],
  };
  assertFailed(
    check([v.lines[0], line(forged), ...v.lines.slice(2)]),
    "payloadType",
    /line 2: payloadType is "application\/json", expected "application\/vnd\.in-toto\+json"/,
  );
});

test("corpus: wrong _type", async () => {
  const v = await goodVerdict();
  const st = { ...statementOf(v.lines[1]), _type: "https://in-toto.io/Statement/v0.1" };
  assertFailed(
    check([v.lines[0], resign(st), ...v.lines.slice(2)]),
    "statement",
    /line 2: _type is "https:\/\/in-toto\.io\/Statement\/v0\.1", expected/,
  );
});

test("corpus: wrong predicateType", async () => {
  const v = await goodVerdict();
  const st = { ...statementOf(v.lines[1]), predicateType: "https://slsa.dev/provenance/v1" };
  const r = check([v.lines[0], resign(st), ...v.lines.slice(2)]);
  assertFailed(r, "predicateType", /line 2: predicateType "https:\/\/slsa\.dev\/provenance\/v1" is not one of/);
  assertFailed(r, "decision", /no decision statement/);
});

test("corpus: a predicateType naming an Object member (toString, constructor, __proto__) is no known kind", async () => {
  const v = await goodVerdict();
  for (const name of ["toString", "constructor", "__proto__", "hasOwnProperty"]) {
    const st = { ...statementOf(v.lines[1]), predicateType: name };
    const r = check([v.lines[0], resign(st), ...v.lines.slice(2)]);
    assertFailed(r, "predicateType", new RegExp(`line 2: predicateType "${name}" is not one of`));
  }
});

test("corpus: subject digest does not match the artifact being promoted", async () => {
  const v = await goodVerdict();
  const r = check(v.lines, { artifact: { name: ARTIFACT.name, sha256: OTHER_DIGEST } });
  assertFailed(
    r,
    "subject",
    new RegExp(
      `line 2 \\(decision\\): subject digest sha256:a{64} is not the artifact being promoted \\(registry\\.example/visitor-counter@sha256:${OTHER_DIGEST}\\)`,
    ),
  );
  assert.equal(r.failures.filter((f) => f.check === "subject").length, 4, "every statement is checked");
});

test("corpus: a statement with a second subject besides the artifact being promoted", async () => {
  const v = await goodVerdict();
  const st = statementOf(v.lines[1]);
  st.subject.push({ name: "registry.example/other", digest: { sha256: OTHER_DIGEST } });
  const r = check([v.lines[0], resign(st), ...v.lines.slice(2)]);
  assertFailed(
    r,
    "subject",
    /line 2 \(decision\): 2 subjects \(registry\.example\/visitor-counter@sha256:a{64}, registry\.example\/other@sha256:b{64}\); a statement must name only the artifact being promoted/,
  );
});

test("corpus: the subject's digest is right but its name is another artifact's", async () => {
  const v = await goodVerdict();
  const r = check(v.lines, { artifact: { name: "registry.example/payments", sha256: ARTIFACT.sha256 } });
  assertFailed(
    r,
    "subject",
    /line 1 \(evidence\): subject name "registry\.example\/visitor-counter" is not the artifact being promoted \(registry\.example\/payments@sha256:a{64}\): the name must be exactly the one the gate was given \(compared as text: registry, path and any tag included\)$/m,
  );
  assertFailed(
    r,
    "subject",
    /^line 2 \(decision\): subject name "registry\.example\/visitor-counter" is not the artifact being promoted \(registry\.example\/payments@sha256:a{64}\)$/,
  );
  // How a name is compared is said once, not on every line.
  assert.equal(r.failures.filter((f) => f.message.includes("compared as text")).length, 1);
});

test("corpus: a sign-off whose signer.keyid names another key than the one that signed it", async () => {
  const v = await goodVerdict();
  const st = statementOf(signoffLine(v.decisionDigest, qaKey, "qa"));
  st.predicate.signer.keyid = qa2Key.keyid;
  const forged = envelopeLine(signEnvelope(IN_TOTO_PAYLOAD_TYPE, Buffer.from(JSON.stringify(st)), qaKey));
  const r = check([v.lines[0], v.lines[1], forged, v.lines[3]]);
  assertFailed(
    r,
    "signoff",
    new RegExp(`line 3 \\(sign-off\\): signer\\.keyid ${qa2Key.keyid.slice(0, 12)}… is not the key that signed it`),
  );
  assertFailed(r, "threshold", /role qa: 0 of 1/);
});

test("corpus: a sign-off dated in the future (beyond the clock skew) or before the decision", async () => {
  const v = await goodVerdict();
  const future = signoffLine(v.decisionDigest, qaKey, "qa", { time: new Date(NOW.getTime() + 10 * 60_000) });
  assertFailed(
    check([v.lines[0], v.lines[1], future, v.lines[3]]),
    "signoff",
    /line 3 \(sign-off\): timeSigned 2025-06-01T13:10:00\.000Z is in the future \(more than 5m ahead/,
  );
  const skewed = signoffLine(v.decisionDigest, qaKey, "qa", { time: new Date(NOW.getTime() + 2 * 60_000) });
  assert.deepEqual(check([v.lines[0], v.lines[1], skewed, v.lines[3]]).failures, [], "a small clock skew is tolerated");
  const early = signoffLine(v.decisionDigest, qaKey, "qa", { time: new Date(T0.getTime() - 1000) });
  assertFailed(
    check([v.lines[0], v.lines[1], early, v.lines[3]]),
    "signoff",
    /line 3 \(sign-off\): timeSigned 2025-06-01T11:59:59\.000Z is before the decision it approves \(timeVerified 2025-06-01T12:00:00\.000Z\)/,
  );
});

/** The release's trust file with a runner key pinned too. */
const trustPinningRunner = (runnerKey: ReturnType<typeof makeKey>) =>
  makeTrust({
    allowedPolicies: [POLICY.digest],
    roles: {
      gate: { keys: [gateKey] },
      runner: { keys: [runnerKey] },
      qa: { keys: [qaKey] },
      "release-manager": { keys: [rmKey] },
    },
  });

test("the runner role pins a machine key: never a required sign-off role, and a sign-off claiming it (or signed by it) is refused", async () => {
  const runnerKey = makeKey("ecdsa-p256", "runner.key");
  const t = trustPinningRunner(runnerKey);
  const v = await goodVerdict();
  // No run in this evidence, so no runner key pinned here vouches for one (see the runner check's own test).
  assert.deepEqual(
    check(v.lines, { trust: t }).failures.map((f) => f.check),
    ["runner"],
    "no runner sign-off is required",
  );
  const claimed = check([...v.lines, signoffLine(v.decisionDigest, runnerKey, "runner")], { trust: t });
  assertFailed(claimed, "signoff", /line 5 \(sign-off\): role runner signs run manifests, it cannot sign off/);
  const asQa = check([v.lines[0], v.lines[1], signoffLine(v.decisionDigest, runnerKey, "qa"), v.lines[3]], {
    trust: t,
  });
  assertFailed(asQa, "signoff", /line 3 \(sign-off\): signed by the runner key .* cannot sign off/);
});

test("a trust file that pins runner keys: every run the evidence judged carries a run attestation those keys signed", async () => {
  const runnerKey = makeKey("ecdsa-p256", "runner.key");
  const other = makeKey("ecdsa-p256", "other.key");
  const t = trustPinningRunner(runnerKey);
  const digest = { sha256: "a".repeat(64) };
  const run = (dir: string): ResourceDescriptor => ({ name: "run-manifest", uri: `${dir}/run.json`, digest });
  const attested = (dir: string, keyids: string[]): ResourceDescriptor => ({
    name: "run-attestation",
    uri: `${dir}/run.json.dsse`,
    digest,
    annotations: { runnerKeyids: keyids.join(",") },
  });
  const verdictWith = async (configuration: ResourceDescriptor[]) => {
    const v = await gateLines({ configuration });
    return [
      ...v.lines,
      signoffLine(v.decisionDigest, qaKey, "qa"),
      signoffLine(v.decisionDigest, rmKey, "release-manager"),
    ];
  };
  const signed = await verdictWith([
    run("shard-1"),
    attested("shard-1", [runnerKey.keyid]),
    run("shard-2"),
    attested("shard-2", [other.keyid, runnerKey.keyid]),
  ]);
  assert.deepEqual(check(signed, { trust: t }).failures, []);
  // A gate given another trust file (the attacker's runner key) or none: the evidence shows it.
  const foreign = await verdictWith([
    run("shard-1"),
    attested("shard-1", [runnerKey.keyid]),
    run("shard-2"),
    attested("shard-2", [other.keyid]),
  ]);
  assertFailed(
    check(foreign, { trust: t }),
    "runner",
    /^line 1 \(evidence\): the run "shard-2\/run\.json" was judged without a run attestation signed by a runner key this trust file pins \(none of its signers is pinned here\)/,
  );
  const unattested = await verdictWith([run("reports")]);
  assertFailed(
    check(unattested, { trust: t }),
    "runner",
    /the run "reports\/run\.json" was judged without a run attestation/,
  );
  // Without runner keys pinned, nothing is asked of the runs.
  assert.deepEqual(check(unattested).failures, []);
});

test("the runner check pairs a run with its attestation however --results was spelled (absolute, relative)", async () => {
  const runnerKey = makeKey("ecdsa-p256", "runner.key");
  const t = makeTrust({
    allowedPolicies: [POLICY.digest],
    roles: { gate: { keys: [gateKey] }, runner: { keys: [runnerKey] } },
  });
  const base = tmp();
  const dir = writeResultsDir(join(base, "reports"), {});
  attestRun(dir, runnerKey);
  const was = process.cwd();
  process.chdir(base);
  try {
    for (const given of [dir, "reports", "./reports"]) {
      const out = join(base, "v.jsonl");
      const res = await runGate({
        artifact: ARTIFACT,
        policy: POLICY,
        key: gateKey,
        resultsDirs: [given],
        out,
        now: T0,
        trust: t,
      });
      assert.equal(res.decision.verificationResult, "PASSED", given);
      const r = verifyVerdict(readFileSync(out), { artifact: ARTIFACT, trust: t, now: NOW });
      assert.deepEqual(
        r.failures.filter((f) => f.check === "runner"),
        [],
        given,
      );
    }
  } finally {
    process.chdir(was);
  }
});

test("corpus: the gate decided FAILED", async () => {
  const bad = await decisionFor((t) => [
    {
      name: "The counter displays in a browser",
      tags: ["@REQ-COUNTER-1"],
      attempts: t === "se-desktop" ? ["FAILED"] : ["PASSED"],
    },
    { name: "Refreshing increments", tags: ["@REQ-COUNTER-2"] },
  ]);
  const v = await gateLines({ decision: bad });
  assertFailed(
    check([...v.lines, signoffLine(v.decisionDigest, qaKey, "qa")]),
    "decision",
    /the gate's decision is "FAILED", not PASSED: scenario-failed: 1 scenario\(s\) on required targets failed: features\/example\.feature:10 The counter displays in a browser — on se-desktop — /,
  );
});

test("a failed decision's reasons are shown on a readable line: the first five, each cut short", () => {
  // A reason quotes the page it failed on: verify printed about 3,000 characters on one line (QA7 #8).
  const long = `scenario-failed: expected to see "Booked", the page shows "${"Home Booking ".repeat(40)}"`;
  const shown = shownReasons([long, "b", "c", "d", "e", "f", "g"]);
  assert.ok(shown.length < 300, `${shown.length} characters`);
  assert.match(
    shown,
    /^scenario-failed: expected to see "Booked", the page shows "Home Booking .*…; b; c; d; e \(\+2 more\)$/,
  );
  assert.equal(shownReasons([]), "");
});

test("corpus: the evidence is missing", async () => {
  const v = await goodVerdict();
  assertFailed(
    check(v.lines.slice(1)),
    "evidence",
    /evidence missing: the decision references sha256:[0-9a-f]{64}, but the verdict has no test-result statement/,
  );
});

test("corpus: the evidence does not match the decision's reference", async () => {
  const v = await goodVerdict();
  const st = statementOf(v.lines[0]);
  st.predicate.failedTests = [];
  st.predicate.passedTests = ["pw-desktop › something else"];
  assertFailed(
    check([resign(st), ...v.lines.slice(1)]),
    "evidence",
    new RegExp(
      `evidence digest mismatch: the decision references sha256:${v.evidenceDigest}, the evidence on line 1 is sha256:`,
    ),
  );
});

test("corpus: the verdict is too old", async () => {
  const v = await goodVerdict();
  const r = check(v.lines, { now: new Date(T0.getTime() + 25 * 3600_000) });
  assertFailed(
    r,
    "age",
    /the verdict is too old: decided 25h ago \(2025-06-01T12:00:00\.000Z\), the maximum age is 1d/,
  );
});

test("corpus: too old by less than the compact form shows: the age is shown to the second, or the millisecond", async () => {
  const v = await goodVerdict();
  const at = (ms: number) => check(v.lines, { trust: trust({ maxAge: "1m" }), now: new Date(T0.getTime() + ms) });
  assertFailed(at(68_000), "age", /decided 1m8s ago \(2025-06-01T12:00:00\.000Z\), the maximum age is 1m$/);
  assertFailed(at(60_400), "age", /decided 1m0\.4s ago \(.*\), the maximum age is 1m$/);
  assertFailed(at(60_001), "age", /decided 1m0\.001s ago \(.*\), the maximum age is 1m$/);
  assert.ok(!at(60_000).failures.some((f) => f.check === "age"), "exactly the maximum age is not too old");
  // the maximum itself is never shortened: 1m30s is not "1m"
  const r = check(v.lines, { trust: trust({ maxAge: "90s" }), now: new Date(T0.getTime() + 100_000) });
  assertFailed(r, "age", /decided 1m40s ago \(.*\), the maximum age is 1m30s$/);
});

test("the decision's gate signers are in the report, with the names the trust file gives them", async () => {
  const v = await goodVerdict();
  const named = makeTrust({
    allowedPolicies: [POLICY.digest],
    roles: {
      gate: { keys: [{ ...gateKey, name: "CI gate" }] },
      qa: { keys: [qaKey, qa2Key] },
      "release-manager": { keys: [rmKey] },
    },
  });
  assert.deepEqual(check(v.lines, { trust: named }).decision?.signedBy, [{ keyid: gateKey.keyid, name: "CI gate" }]);
  assert.deepEqual(check(v.lines).decision?.signedBy, [{ keyid: gateKey.keyid, name: undefined }]);
  // a decision no pinned gate key signed names no signer
  const stranger = await gateLines({ key: strangerKey });
  assert.equal(check(stranger.lines).decision?.signedBy, undefined);
});

test("corpus: the trust file's maxAge is stricter than the policy's", async () => {
  const v = await goodVerdict();
  assertFailed(check(v.lines, { trust: trust({ maxAge: "30m" }) }), "age", /maximum age is 30m/);
});

test("corpus: the decision is dated in the future", async () => {
  const v = await goodVerdict();
  assertFailed(
    check(v.lines, { now: new Date(T0.getTime() - 3600_000) }),
    "age",
    /timeVerified 2025-06-01T12:00:00\.000Z is in the future/,
  );
});

test("corpus: the policy digest is not on the allow-list", async () => {
  const v = await goodVerdict();
  assertFailed(
    check(v.lines, { trust: trust({ allowedPolicies: [OTHER_DIGEST] }) }),
    "policy",
    new RegExp(`policy gate\\.policy\\.yaml sha256:${POLICY.digest} is not on the trust file's allowedPolicies`),
  );
});

test("corpus: a sign-off for another verdict", async () => {
  const v = await goodVerdict();
  const other = "c".repeat(64);
  const lines = [v.lines[0], v.lines[1], signoffLine(other, qaKey, "qa"), v.lines[3]];
  const r = check(lines);
  assertFailed(
    r,
    "signoff",
    new RegExp(
      `line 3 \\(sign-off\\): sign-off is for another verdict \\(decision sha256:${other}; this verdict's decision is sha256:${v.decisionDigest}\\)`,
    ),
  );
  assertFailed(r, "threshold", /role qa: 0 of 1/);
});

test("corpus: a sign-off signed by the gate key", async () => {
  const v = await goodVerdict();
  const lines = [v.lines[0], v.lines[1], signoffLine(v.decisionDigest, gateKey, "qa"), v.lines[3]];
  const r = check(lines);
  assertFailed(r, "signoff", /line 3 \(sign-off\): signed by the gate key .*cannot sign off/);
  assertFailed(r, "threshold", /role qa: 0 of 1/);
});

test("corpus: the same key counted twice toward a threshold under two keyids", async () => {
  const v = await goodVerdict();
  const lines = [
    v.lines[0],
    v.lines[1],
    signoffLine(v.decisionDigest, qaKey, "qa"),
    signoffLine(v.decisionDigest, qaKey, "qa", { keyid: qa2Key.keyid }), // same key, the other qa key's id as hint
    v.lines[3],
  ];
  assertFailed(
    check(lines, { trust: trust({ qaThreshold: 2 }) }),
    "threshold",
    /role qa: 1 of 2 required sign-off\(s\) from distinct trusted keys/,
  );
});

test("corpus: two signatures by one key in one envelope count once", async () => {
  const v = await goodVerdict();
  const e = env(signoffLine(v.decisionDigest, qaKey, "qa"));
  e.signatures.push({ keyid: "another-hint", sig: e.signatures[0].sig });
  assertFailed(
    check([v.lines[0], v.lines[1], line(e), v.lines[3]], { trust: trust({ qaThreshold: 2 }) }),
    "threshold",
    /role qa: 1 of 2/,
  );
});

test("corpus: threshold not met (a required sign-off is missing)", async () => {
  const v = await goodVerdict();
  const r = check(v.lines.slice(0, 3));
  assertFailed(r, "threshold", /role release-manager: 0 of 1 required sign-off\(s\)/);
  assert.equal(r.failures.length, 1, "only that check fails");
});

test("corpus: a sign-off claiming a role its key is not pinned for", async () => {
  const v = await goodVerdict();
  assertFailed(
    check([...v.lines.slice(0, 3), signoffLine(v.decisionDigest, qaKey, "release-manager")]),
    "signoff",
    /claims role release-manager but is signed by a key pinned for role qa/,
  );
});

test("corpus: a sign-off by an unpinned key", async () => {
  const v = await goodVerdict();
  assertFailed(
    check([...v.lines.slice(0, 3), signoffLine(v.decisionDigest, strangerKey, "release-manager")]),
    "signoff",
    /not signed by any key the trust file pins for role "release-manager"/,
  );
});

test("corpus: duplicate JSON keys in the envelope", async () => {
  const v = await goodVerdict();
  const e = env(v.lines[1]);
  const other = env(v.lines[0]);
  const dup = `{"payloadType":"${e.payloadType}","payload":"${other.payload}","payload":"${e.payload}","signatures":${JSON.stringify(e.signatures)}}`;
  assertFailed(check([v.lines[0], dup, ...v.lines.slice(2)]), "json", /line 2: duplicate key "payload" at offset \d+/);
});

test("corpus: duplicate JSON keys inside the signed statement", async () => {
  const v = await goodVerdict();
  const st = statementOf(v.lines[1]);
  const json = JSON.stringify(st).replace(
    '"verificationResult":"PASSED"',
    '"verificationResult":"FAILED","verificationResult":"PASSED"',
  );
  const forged = envelopeLine(signEnvelope(IN_TOTO_PAYLOAD_TYPE, Buffer.from(json), gateKey));
  assertFailed(
    check([v.lines[0], forged, ...v.lines.slice(2)]),
    "statement",
    /line 2: payload is not a JSON statement \(duplicate key "verificationResult"/,
  );
});

test("corpus: the evidence's test names are not built by verify, yet malformed ones still fail it", async () => {
  const v = await goodVerdict();
  const json = JSON.stringify(statementOf(v.lines[0]));
  assert.match(json, /"passedTests":\["/, "the evidence lists its passed tests");
  const evidence = (o?: { testNames: boolean }) =>
    parseVerdict(text(v.lines), DEFAULT_LIMITS, o).entries.find((e) => e.kind === "evidence")!.statement.predicate;
  assert.deepEqual(evidence().passedTests, statementOf(v.lines[0]).predicate.passedTests);
  assert.equal("passedTests" in evidence({ testNames: false }), false, "verify's parse leaves them out");
  assert.equal(evidence({ testNames: false }).result, "PASSED");
  for (const [damage, why] of [
    [(j: string) => j.replace('"passedTests":["', '"passedTests":["\u0001'), /control character in string/],
    [(j: string) => j.replace('"passedTests":["', '"passedTests":["\\x'), /invalid escape in string/],
    [(j: string) => j.replace('"passedTests":["', '"passedTests":[{"a":1,"a":2},"'), /duplicate key "a"/],
  ] as const) {
    const forged = envelopeLine(signEnvelope(IN_TOTO_PAYLOAD_TYPE, Buffer.from(damage(json)), gateKey));
    assertFailed(check([forged, ...v.lines.slice(1)]), "statement", why);
  }
});

test("corpus: invalid base64 in the payload", async () => {
  const v = await goodVerdict();
  const e = env(v.lines[1]);
  e.payload = e.payload.slice(0, 10) + "!" + e.payload.slice(11);
  assertFailed(check([v.lines[0], line(e), ...v.lines.slice(2)]), "base64", /line 2: payload is not valid base64/);
});

test("corpus: the payload is decoded where it lies in the line: escaped base64 reads as its value, a bad character anywhere in a long one fails", async () => {
  const v = await goodVerdict();
  const e = env(v.lines[1]);
  // A JSON escape inside the payload string: the string's value is still the same base64, as before.
  const escaped = line(e).replace(
    `"payload":"${e.payload.slice(0, 2)}`,
    `"payload":"\\u00${e.payload.charCodeAt(0).toString(16)}${e.payload[1]}`,
  );
  assert.notEqual(escaped, line(e));
  assert.deepEqual(check([v.lines[0], escaped, ...v.lines.slice(2)]).failures, []);
  // A sign-off whose payload (a long comment) spans several of the decoder's chunks.
  const st = signoffStatement(ARTIFACT, {
    role: "qa",
    signer: { keyid: qaKey.keyid },
    timeSigned: T0.toISOString(),
    comment: "ok ".repeat(60_000),
    decision: { uri: "verdict.intoto.jsonl#2", digest: { sha256: v.decisionDigest } },
  });
  const long = signEnvelope(IN_TOTO_PAYLOAD_TYPE, statementBytes(st), qaKey);
  assert.ok(long.payload.length > 3 * 65_536);
  assert.deepEqual(check([...v.lines.slice(0, 2), line(long), v.lines[3]]).failures, []);
  const n = long.payload.length;
  for (const [at, c] of [
    [65_535, "!"],
    [65_536, "="],
    [n - 5, "é"],
    [n - 1, "-"],
    [131_072, "\\n"],
    // Raw control characters, which JSON forbids in a string: the parser leaves the payload's bytes to the decoder.
    [100_000, "\t"],
    [200, "\u0001"],
    [n - 2, "\u001f"],
  ] as const) {
    const bad = line(long).replace(long.payload, long.payload.slice(0, at) + c + long.payload.slice(at + 1));
    assertFailed(check([...v.lines.slice(0, 2), bad, v.lines[3]]), "base64", /line 3: payload is not valid base64/);
  }
});

test("corpus: invalid base64 in a signature (whitespace smuggled in)", async () => {
  const v = await goodVerdict();
  const e = env(v.lines[1]);
  e.signatures[0].sig = e.signatures[0].sig.slice(0, 8) + " " + e.signatures[0].sig.slice(8);
  assertFailed(
    check([v.lines[0], line(e), ...v.lines.slice(2)]),
    "base64",
    /line 2: signatures\[0\]\.sig is not valid base64/,
  );
});

test("corpus: a truncated file", async () => {
  const v = await goodVerdict();
  const full = text(v.lines);
  const r = check(full.subarray(0, full.length - 40));
  assertFailed(r, "input", /verdict is truncated: the last line has no terminating newline/);
  assertFailed(r, "input", /line 4: truncated JSON/);
});

test("corpus: oversized input (bytes)", async () => {
  const dir = tmp();
  const file = join(dir, "huge.jsonl");
  writeFileSync(file, Buffer.alloc(32 * 1024 * 1024 + 1, 0x20));
  const r = await verifyVerdictFile(file, () => ({ artifact: ARTIFACT, trust: trust(), now: NOW }));
  assertFailed(r, "input", /verdict is 33554433 bytes, more than the limit of 33554432 bytes \(oversized input\)/);
});

test("corpus: oversized input (lines)", async () => {
  const v = await goodVerdict();
  const r = check(Array.from({ length: 1001 }, () => v.lines[2]));
  assertFailed(r, "input", /verdict has more lines than the limit of 1000/);
});

test("corpus: a verdict of nothing but newlines, just under the byte limit, is refused by its line count", async () => {
  const dir = tmp();
  const file = join(dir, "newlines.jsonl");
  writeFileSync(file, Buffer.alloc(32 * 1024 * 1024, 0x0a));
  const r = await verifyVerdictFile(file, () => ({ artifact: ARTIFACT, trust: trust(), now: NOW }));
  assertFailed(r, "input", /verdict has more lines than the limit of 1000/);
});

test("corpus: oversized input (signatures per envelope)", async () => {
  const v = await goodVerdict();
  const e = env(v.lines[1]);
  e.signatures = Array.from({ length: 17 }, () => e.signatures[0]);
  assertFailed(
    check([v.lines[0], line(e), ...v.lines.slice(2)]),
    "input",
    /line 2: 17 signatures, more than the limit of 16/,
  );
});

test("corpus: deeply nested JSON is rejected, not a stack overflow", async () => {
  const deep = "[".repeat(100_000) + "]".repeat(100_000);
  assertFailed(check([deep]), "json", /nesting deeper than 32/);
});

/** A verify report's failures, one string each. */
const failuresOf = (r: VerifyReport) => r.failures.map((f) => `[${f.check}] ${f.message}`);
/** `count` copies of `item` joined by commas. */
const times = (item: string, count: number) => Array.from({ length: count }, () => item).join(",");

test("corpus: one line of one object with 2.4 million keys (30 MB) is one failure naming the cap on keys", () => {
  const body = Array.from({ length: 2_400_000 }, (_, k) => `"k${k}":0`).join(",");
  const at = body.indexOf('"k100000"') + 1;
  assert.deepEqual(failuresOf(check([`{${body}}`])), [
    `[json] line 1: an object with more than 100000 keys at offset ${at}`,
  ]);
});

test("corpus: a million tiny values, in the envelope or in the statement it carries, are one failure naming the cap on values", async () => {
  for (const item of ["[]", "{}", "0", '{"k":0}', '{"keyid":"","sig":""}']) {
    const r = check([`{"signatures":[${times(item, 1_000_000)}]}`]);
    assert.equal(r.failures.length, 1, item);
    assert.match(failuresOf(r)[0], /^\[json\] line 1: more than 1000000 values in the verdict at offset \d+$/, item);
  }
  const v = await goodVerdict();
  const e = env(v.lines[0]);
  const statement = `{"_type":"${STATEMENT_TYPE}","subject":[],"predicate":{"x":[${times("0", 1_000_000)}]}}`;
  e.payload = Buffer.from(statement).toString("base64");
  const r = check([...v.lines, line(e)]);
  assert.equal(r.failures.length, 1, failuresOf(r).join("\n"));
  assert.match(
    failuresOf(r)[0],
    /^\[statement\] line 5: payload is not a JSON statement \(more than 1000000 values in the verdict at offset \d+\)$/,
  );
});

test("corpus: values are counted over all lines: the line that passes the cap is refused and the rest is not read", () => {
  const lines = Array.from({ length: 20 }, () => `[${times("[]", 60_000)}]`);
  const failures = failuresOf(check(lines));
  // 60 001 values a line: 16 lines hold 960 016, and the 17th line's element 39 983 is value 1 000 001.
  assert.deepEqual(
    failures.slice(0, 16),
    Array.from({ length: 16 }, (_, k) => `[envelope] line ${k + 1}: not a DSSE envelope (expected a JSON object)`),
  );
  assert.deepEqual(failures.slice(16), [
    `[json] line 17: more than 1000000 values in the verdict at offset ${1 + 3 * 39_983}`,
  ]);
});

test("corpus: two decisions in one verdict", async () => {
  const v = await goodVerdict();
  const again = await gateLines({ now: new Date(T0.getTime() + 1000) });
  assertFailed(check([...v.lines, again.lines[1]]), "decision", /more than one decision statement \(lines 2, 5\)/);
});

test("corpus: an empty file", () => {
  assertFailed(check(Buffer.alloc(0)), "input", /verdict is empty/);
});

test("corpus: a trust file with no allowed policies names the fix", async () => {
  const v = await goodVerdict();
  assertFailed(
    check(v.lines, { trust: trust({ allowedPolicies: [] }) }),
    "policy",
    /the list is empty: signoff trust add --allow-policy/,
  );
});

// ── fuzz: no input crashes the parser or passes ──

test("fuzz: arbitrary bytes never crash verify and never pass", () => {
  const t = trust();
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 2000 }), (bytes) => {
      const r = verifyVerdict(Buffer.from(bytes), { artifact: ARTIFACT, trust: t, now: NOW });
      return r.ok === false && r.failures.length > 0;
    }),
    { numRuns: 300 },
  );
});

test("fuzz: envelope-shaped JSON with arbitrary statements never passes", () => {
  const t = trust();
  const statement = fc.record({
    _type: fc.constantFrom(STATEMENT_TYPE, "x", 1),
    subject: fc.array(
      fc.record({ name: fc.string(), digest: fc.record({ sha256: fc.constantFrom(ARTIFACT.sha256, "zz") }) }),
      { maxLength: 2 },
    ),
    predicateType: fc.constantFrom(
      "https://slsa.dev/verification_summary/v1",
      "https://in-toto.io/attestation/test-result/v0.1",
      SIGNOFF_PREDICATE,
      "other",
    ),
    predicate: fc.oneof(
      fc.jsonValue(),
      fc.record({
        verificationResult: fc.constantFrom("PASSED", "FAILED"),
        timeVerified: fc.constant(T0.toISOString()),
      }),
    ),
  });
  fc.assert(
    fc.property(
      fc.array(
        fc.record({
          payloadType: fc.constantFrom(IN_TOTO_PAYLOAD_TYPE, "text/plain"),
          statement,
          sig: fc.oneof(fc.base64String(), fc.string()),
          keyid: fc.constantFrom(gateKey.keyid, "", "x"),
        }),
        { minLength: 1, maxLength: 4 },
      ),
      (envs) => {
        const lines = envs.map((e) =>
          JSON.stringify({
            payloadType: e.payloadType,
            payload: Buffer.from(JSON.stringify(e.statement)).toString("base64"),
            signatures: [{ keyid: e.keyid, sig: e.sig }],
          }),
        );
        const r = verifyVerdict(text(lines), { artifact: ARTIFACT, trust: t, now: NOW });
        return r.ok === false && r.failures.length > 0;
      },
    ),
    { numRuns: 300 },
  );
});

test("fuzz: mutating a passing verdict never passes (unless only a keyid hint changed)", async () => {
  const v = await goodVerdict();
  const original = text(v.lines);
  const t = trust();
  const stripHints = (b: Buffer) => b.toString("latin1").replace(/"keyid":"[^"]*"/g, '"keyid":""');
  fc.assert(
    fc.property(
      fc.array(fc.record({ at: fc.nat(original.length - 1), byte: fc.integer({ min: 0, max: 255 }) }), {
        minLength: 1,
        maxLength: 3,
      }),
      (edits) => {
        const mutated = Buffer.from(original);
        for (const e of edits) mutated[e.at] = e.byte;
        const r = verifyVerdict(mutated, { artifact: ARTIFACT, trust: t, now: NOW });
        if (!r.ok) return r.failures.length > 0;
        return stripHints(mutated) === stripHints(original);
      },
    ),
    { numRuns: 400 },
  );
});

test("fuzz: a verdict read from its file (payloads decoded over the file's own bytes) is judged as its copy is", async () => {
  const v = await goodVerdict();
  const original = text(v.lines);
  const t = trust();
  const file = join(tmp(), "verdict.intoto.jsonl");
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.record({ at: fc.nat(original.length - 1), byte: fc.integer({ min: 0, max: 255 }) }), {
        maxLength: 3,
      }),
      async (edits) => {
        const mutated = Buffer.from(original);
        for (const e of edits) mutated[e.at] = e.byte;
        writeFileSync(file, mutated);
        const fromFile = await verifyVerdictFile(file, () => ({ artifact: ARTIFACT, trust: t, now: NOW }));
        assert.deepEqual(fromFile, verifyVerdict(mutated, { artifact: ARTIFACT, trust: t, now: NOW }));
      },
    ),
    { numRuns: 300 },
  );
});

test("verifyVerdictFile: the trust file's error comes first, and the verdict's is still a one-line UsageError", async () => {
  const missing = join(tmp(), "none.jsonl");
  const bad = new UsageError("trust.yaml: roles.gate: required field is missing");
  await assert.rejects(
    verifyVerdictFile(missing, () => {
      throw bad;
    }),
    (err) => err === bad,
  );
  await assert.rejects(
    verifyVerdictFile(missing, () => ({ artifact: ARTIFACT, trust: trust(), now: NOW })),
    (err) => err instanceof UsageError && /none\.jsonl: cannot read the verdict \(ENOENT\)/.test(err.message),
  );
});

test("the sha256 reference is over the decoded payload, so re-encoding base64 changes nothing", async () => {
  const v = await goodVerdict();
  const e = env(v.lines[1]);
  assert.equal(sha256Hex(Buffer.from(e.payload, "base64")), v.decisionDigest);
  // URL-safe base64 of the same bytes (which DSSE verifiers must accept) still verifies, references intact.
  e.payload = Buffer.from(e.payload, "base64").toString("base64url");
  const r = check([v.lines[0], line(e), ...v.lines.slice(2)]);
  assert.deepEqual(r.failures, []);
});
