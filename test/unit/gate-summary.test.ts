// The gate's and verify's terminal text: first line says it all, the matrix marks, reasons, and no raw control characters.
import { test } from "node:test";
import assert from "node:assert/strict";
import { emptyCounts, evaluate, type GateDecision } from "../../src/gate/evaluate";
import { gateSummary, verifySummary } from "../../src/gate/summary";
import { parsePolicy } from "../../src/gate/policy";
import type { LoadedResults } from "../../src/results/loader";
import { ARTIFACT, TARGETS, inMemoryResults, scenario } from "./gate-helpers";

function decision(o: Partial<GateDecision> = {}): GateDecision {
  return {
    result: "FAILED",
    verificationResult: "FAILED",
    findings: [],
    reasons: [
      "scenario-failed: 1 scenario(s) on required targets failed: pw-desktop: features/a.feature:3 Bad\u001b[31m",
    ],
    counts: { ...emptyCounts(), total: 3, passed: 2, failed: 1, flaky: 1 },
    perTarget: {
      "pw-desktop": { ...emptyCounts(), total: 2, passed: 1, failed: 1 },
      "se-desktop": { ...emptyCounts(), total: 1, passed: 1, flaky: 1 },
    },
    coverage: {
      requirements: ["REQ-1", "REQ-2"],
      targets: ["pw-desktop", "se-desktop"],
      cells: {
        "REQ-1": {
          "pw-desktop": { status: "passed", scenarios: 1, passed: 1 },
          "se-desktop": { status: "flaky", scenarios: 1, passed: 1 },
        },
        "REQ-2": { "pw-desktop": { status: "failed", scenarios: 1, passed: 0 } },
      },
    },
    regressions: [],
    removed: [],
    refusedTargets: [],
    lackingTargets: [],
    tests: { passed: [], warned: [], failed: [] },
    run: { runIds: [] },
    ...o,
  };
}

test("a failed gate: the first line says FAILED and must not be promoted; counts, matrix marks and reasons follow", () => {
  const text = gateSummary(decision(), ARTIFACT, "reports/verdict.intoto.jsonl", "gate.policy.yaml");
  const lines = text.split("\n");
  assert.match(
    lines[0],
    /^signoff gate: FAILED — registry\.example\/visitor-counter@sha256:a{64} must not be promoted \(policy gate\.policy\.yaml\)$/,
  );
  assert.match(text, /scenarios: 3 on 2 target\(s\): 2 passed \(1 flaky\), 1 failed, 0 other/);
  assert.match(text, /REQ-1\s+✓\s+~/);
  assert.match(text, /REQ-2\s+✗\s+-/);
  assert.match(text, / {4}- scenario-failed: 1 scenario/);
  assert.match(lines[lines.length - 1], /verdict: reports\/verdict\.intoto\.jsonl$/);
  assert.doesNotMatch(text, /\u001b/, "a scenario name cannot colour or move the terminal");
});

test("a refused target's cells read ! (no result), not - (no scenario), and its scenarios are on no target", () => {
  const perTarget = { "pw-desktop": { ...emptyCounts(), total: 3, passed: 3 }, "se-desktop": emptyCounts() };
  const text = gateSummary(decision({ refusedTargets: ["se-desktop"], perTarget }), ARTIFACT, "v", "p");
  assert.match(text, /REQ-2\s+✗\s+!/);
  assert.match(text, /scenarios: 3 on 1 target\(s\)/, "its refused file counted no scenario there");
});

test("a target with one results file refused or a shard missing: its cells without a scenario read ! (no result), not -", () => {
  const text = gateSummary(decision({ lackingTargets: ["se-desktop"] }), ARTIFACT, "v", "p");
  assert.match(text, /REQ-2\s+✗\s+!/);
  assert.match(text, /REQ-1\s+✓\s+~/, "a cell with a result keeps its mark");
  assert.match(gateSummary(decision(), ARTIFACT, "v", "p"), /REQ-2\s+✗\s+-/, "else: no scenario");
});

test("a passed gate may be promoted; more than 50 requirements are cut with a count", () => {
  const reqs = Array.from({ length: 53 }, (_, i) => `REQ-${i}`);
  const text = gateSummary(
    decision({
      result: "PASSED",
      verificationResult: "PASSED",
      reasons: [],
      coverage: { requirements: reqs, targets: ["pw-desktop"], cells: {} },
    }),
    ARTIFACT,
    "v",
    "p",
  );
  assert.match(text.split("\n")[0], /PASSED — .* may be promoted \(policy p\)$/);
  assert.match(text, /… and 3 more requirements/);
  // The sign-offs the policy requires are named: verify asks for them before the build may be promoted.
  const passed = decision({ result: "PASSED", verificationResult: "PASSED", reasons: [] });
  assert.match(
    gateSummary(passed, ARTIFACT, "v", "p", { qa: 1, "release-manager": 2, none: 0 }).split("\n")[0],
    /PASSED — .* may be promoted once signed off by qa ×1, release-manager ×2 \(policy p\)$/,
  );
  assert.match(gateSummary(decision(), ARTIFACT, "v", "p", { qa: 1 }), /must not be promoted \(policy p\)/);
  assert.doesNotMatch(text, /reasons:/);
});

test("verify: PASS lists the decision and sign-offs per role; FAIL lists every failed check", () => {
  const pass = verifySummary(
    {
      ok: true,
      failures: [],
      roles: [{ role: "qa", need: 1, have: 1, keyids: ["k"] }],
      decision: {
        line: 2,
        digest: "d",
        timeVerified: "2026-01-01T00:00:00Z",
        policyDigest: "p",
        signedBy: [{ keyid: "3f2a1b2c3d4e5f60718293a4b5c6d7e8", name: "CI gate" }],
      },
    },
    ARTIFACT,
    { file: "release-config/trust.yaml", defaulted: false },
  );
  assert.match(
    pass,
    /^signoff verify: PASS — .* may be promoted\n {2}trust file release-config\/trust\.yaml; decision signed by gate key 3f2a1b2c3d4e… \(CI gate\)\n {2}decision PASSED at 2026-01-01T00:00:00Z \(policy sha256:p\)\n {2}qa: 1 of 1 sign-off\(s\)$/,
  );
  const fail = verifySummary(
    {
      ok: false,
      roles: [],
      failures: [
        { check: "age", message: "too old" },
        { check: "subject", message: "other build" },
      ],
    },
    ARTIFACT,
    { file: "trust.yaml", defaulted: true },
  );
  assert.match(
    fail,
    /^signoff verify: FAIL — .* must not be promoted: 2 check\(s\) failed\n {2}trust file trust\.yaml \(the default: no --trust given\); no decision signed by a key it pins for role gate\n {2}✗ \[age\] too old\n {2}✗ \[subject\] other build$/,
  );
});

test("verify: the trust file and every gate key that signed the decision are named, its name escaped", () => {
  const text = verifySummary(
    {
      ok: false,
      roles: [],
      failures: [{ check: "threshold", message: "role qa: 0 of 1" }],
      decision: {
        line: 2,
        digest: "d",
        signedBy: [{ keyid: "a".repeat(64), name: "gate\u001b[2J one" }, { keyid: "b".repeat(64) }],
      },
    },
    ARTIFACT,
    { file: "incoming/trust.yaml", defaulted: false },
  );
  assert.equal(
    text.split("\n")[1],
    `  trust file incoming/trust.yaml; decision signed by gate keys ${"a".repeat(12)}… (gate\\x1b[2J one), ${"b".repeat(12)}…`,
  );
});

// ── what a release manager reads: the decision evaluate() makes, as the summary prints it ──

const POLICY = parsePolicy(
  "version: 1\nrequiredTargets: [pw-desktop, pw-pixel7, se-desktop, se-pixel7]\nrequirements: all\nmaxAge: 24h\n",
  "gate.policy.yaml",
);
const REQS = ["REQ-A", "REQ-B", "REQ-C", "REQ-D", "REQ-E", "REQ-F", "REQ-G", "REQ-H", "REQ-I", "REQ-J", "REQ-K"];
const reasonLines = (text: string) => text.split("\n").filter((l) => l.startsWith("    - "));

test("the same two scenarios failing on four targets: one short scenario-failed line naming each scenario once", () => {
  const pageText = "Your basket " + "Item Quantity Price ".repeat(150) + "Total €12.00";
  const failing = (t: string, name: string, line: number, error: string) =>
    scenario(t, name, {
      key: `features/orders.feature › ${name}`,
      uri: "features/orders.feature",
      line,
      tags: ["@REQ-A"],
      status: "failed",
      failedStep: "Then the total shows the sum",
      error,
    });
  const d = evaluate({
    results: inMemoryResults({
      targets: TARGETS,
      scenarios: (t) => [
        failing(t, "Order total shows the sum", 12, `SignoffAssertionError: expected "€24.00"; it shows "${pageText}"`),
        failing(t, "Order lines add up", 30, "Expected 24, got 12"),
      ],
    }),
    policy: POLICY,
    artifact: ARTIFACT,
    declaredRequirements: ["REQ-A"],
  });
  const text = gateSummary(d, ARTIFACT, "reports/verdict.intoto.jsonl", "gate.policy.yaml");
  const failed = reasonLines(text).filter((l) => l.startsWith("    - scenario-failed: "));
  assert.equal(failed.length, 1, text);
  assert.match(
    failed[0],
    /^ {4}- scenario-failed: 2 scenario\(s\) on required targets failed \(8 results on 4 targets\): features\/orders\.feature:12 Order total shows the sum — on pw-desktop, pw-pixel7, se-desktop, se-pixel7 — at "Then the total shows the sum": SignoffAssertionError: expected "€24\.00"; it shows "Your basket Item Quantity Price [^;]*…[^;]*; features\/orders\.feature:30 Order lines add up — on pw-desktop, pw-pixel7, se-desktop, se-pixel7 — at "Then the total shows the sum": Expected 24, got 12$/,
  );
  assert.ok(failed[0].length < 600, `${failed[0].length} characters: ${failed[0]}`);
  for (const r of d.reasons)
    assert.ok(text.includes(r), "the summary prints the signed decision's reasons as they are");
});

test("an empty results dir: the root cause first, the requirements in one line guessing no cause, their cells 'no result'", () => {
  const empty: LoadedResults = {
    dirs: ["reports"],
    manifests: [{ dir: "reports", path: "reports/run.json", missing: true }],
    files: [],
  };
  const d = evaluate({ results: empty, policy: POLICY, artifact: ARTIFACT, declaredRequirements: REQS });
  const text = gateSummary(d, ARTIFACT, "reports/verdict.intoto.jsonl", "gate.policy.yaml");
  assert.match(text.split("\n")[0], /^signoff gate: FAILED — .* must not be promoted/);
  const reasons = reasonLines(text);
  assert.match(reasons[0], /^ {4}- manifest-missing: reports\/run\.json: run manifest missing/);
  assert.deepEqual(
    reasons.filter((l) => l.includes("requirement")),
    [
      "    - requirement-uncovered: requirements REQ-A, REQ-B, REQ-C, REQ-D, REQ-E and 6 more have no scenario result: no results were read",
    ],
  );
  assert.equal(reasons.length, 8, text); // manifest-missing, target-missing ×4, build-unobserved, zero-scenarios, requirements
  assert.doesNotMatch(text, /--tags|@mobile-only/);
  // Every requirement is still in the matrix (and the signed coverage), none marked "no scenario": nothing was read.
  for (const r of REQS) assert.match(text, new RegExp(`^ {2}${r} +! +! +! +! *$`, "m"), text);
  assert.deepEqual(d.coverage.requirements, REQS);
});
