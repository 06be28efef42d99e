// The gate's and verify's terminal text: first line says it all, the matrix marks, reasons, and no raw control characters.
import { test } from "node:test";
import assert from "node:assert/strict";
import { emptyCounts, type GateDecision } from "../../src/gate/evaluate";
import { gateSummary, verifySummary } from "../../src/gate/summary";
import { ARTIFACT } from "./gate-helpers";

function decision(o: Partial<GateDecision> = {}): GateDecision {
  return {
    result: "FAILED",
    verificationResult: "FAILED",
    findings: [],
    reasons: [
      "scenario-failed: 1 scenario(s) on required targets failed: pw-desktop: features/a.feature:3 Bad\u001b[31m",
    ],
    counts: { ...emptyCounts(), total: 3, passed: 2, failed: 1, flaky: 1 },
    perTarget: { "pw-desktop": emptyCounts(), "se-desktop": emptyCounts() },
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

test("a refused target's cells read ! (no result), not - (no scenario)", () => {
  const text = gateSummary(decision({ refusedTargets: ["se-desktop"] }), ARTIFACT, "v", "p");
  assert.match(text, /REQ-2\s+✗\s+!/);
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
  assert.match(text.split("\n")[0], /PASSED — .* may be promoted/);
  assert.match(text, /… and 3 more requirements/);
  assert.doesNotMatch(text, /reasons:/);
});

test("verify: PASS lists the decision and sign-offs per role; FAIL lists every failed check", () => {
  const pass = verifySummary(
    {
      ok: true,
      failures: [],
      roles: [{ role: "qa", need: 1, have: 1, keyids: ["k"] }],
      decision: { line: 2, digest: "d", timeVerified: "2026-01-01T00:00:00Z", policyDigest: "p" },
    },
    ARTIFACT,
  );
  assert.match(
    pass,
    /^signoff verify: PASS — .* may be promoted\n {2}decision PASSED at 2026-01-01T00:00:00Z \(policy sha256:p\)\n {2}qa: 1 of 1 sign-off\(s\)$/,
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
  );
  assert.match(
    fail,
    /^signoff verify: FAIL — .* must not be promoted: 2 check\(s\) failed\n {2}✗ \[age\] too old\n {2}✗ \[subject\] other build$/,
  );
});
