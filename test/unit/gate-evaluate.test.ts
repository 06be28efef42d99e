// The gate's pure evaluation: one named test per fail-closed reason, plus PASS/WARN paths and scale.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { evaluate, type Baseline, type GateDecision, type ReasonCode } from "../../src/gate/evaluate";
import { parsePolicy, type GatePolicy } from "../../src/gate/policy";
import type { LoadedFile, LoadedManifest, LoadedResults } from "../../src/results/loader";
import type { ScenarioResult } from "../../src/core/results-model";
import {
  ARTIFACT,
  DIGEST,
  JUDGED_BY,
  OTHER_DIGEST,
  TARGETS,
  inMemoryResults,
  manifestFor,
  scenario,
  type InMemoryRun,
} from "./gate-helpers";

const POLICY_YAML = `version: 1
requiredTargets: [pw-desktop, pw-pixel7, se-desktop, se-pixel7]
requirements: all
maxAge: 24h
flaky: warn
signoffs: {qa: 1, release-manager: 1}
`;

function policy(extra = ""): GatePolicy {
  return parsePolicy(POLICY_YAML + extra, "gate.policy.yaml");
}

function goodScenarios(target: string): ScenarioResult[] {
  return [
    scenario(target, "counter shows", { tags: ["@REQ-1"] }),
    scenario(target, "refresh increments", { tags: ["@REQ-2"] }),
    scenario(target, "never backwards", { tags: ["@REQ-2", "@property"], propertyRuns: 100 }),
  ];
}

/** In-memory results of the gate's example run (every target passing goodScenarios unless told otherwise). */
const results = (o: InMemoryRun = {}): LoadedResults => inMemoryResults({ scenarios: goodScenarios, ...o });

function run(
  o: InMemoryRun = {},
  p: GatePolicy = policy(),
  extra: { baseline?: Baseline; declared?: string[]; features?: Array<{ path: string; sha256: string }> } = {},
): GateDecision {
  return evaluate({
    results: results(o),
    policy: p,
    artifact: ARTIFACT,
    declaredRequirements: extra.declared ?? ["REQ-1", "REQ-2"],
    features: extra.features,
    baseline: extra.baseline,
  });
}

function assertFails(d: GateDecision, code: ReasonCode, pattern: RegExp): void {
  const f = d.findings.find((x) => x.code === code);
  assert.ok(f, `expected reason ${code}; got:\n${d.reasons.join("\n")}`);
  assert.equal(f.severity, "fail", `${code} should fail`);
  assert.match(f.message, pattern);
  assert.equal(d.result, "FAILED");
  assert.equal(d.verificationResult, "FAILED");
  assert.ok(
    d.reasons.some((r) => r.startsWith(`${code}: `)),
    "reason string carries its code",
  );
}

const tagged =
  (t: string, status: ScenarioResult["status"], extra: Partial<ScenarioResult> = {}) =>
  (x: string) =>
    x === t
      ? [...goodScenarios(x).slice(1), scenario(x, "counter shows", { tags: ["@REQ-1"], status, ...extra })]
      : goodScenarios(x);

// ── the good path ──

test("all required targets pass with full coverage → PASSED with no reasons", () => {
  const d = run();
  assert.equal(d.result, "PASSED");
  assert.equal(d.verificationResult, "PASSED");
  assert.deepEqual(d.reasons, []);
  assert.equal(d.counts.total, 12);
  assert.equal(d.counts.passed, 12);
  assert.deepEqual(d.coverage.requirements, ["REQ-1", "REQ-2"]);
  assert.deepEqual(d.coverage.cells["REQ-2"]["se-pixel7"], { status: "passed", scenarios: 2, passed: 2 });
  assert.equal(d.tests.passed.length, 12);
  assert.ok(d.tests.passed.includes("pw-desktop › features/x.feature › counter shows"));
});

test("a flaky pass with flaky: warn → WARNED, promotable (allowWarned default)", () => {
  const d = run({ scenarios: tagged("pw-pixel7", "passed", { flaky: true, attempts: 2 }) });
  assert.equal(d.result, "WARNED");
  assert.equal(d.verificationResult, "PASSED");
  assert.equal(d.findings[0].code, "flaky");
  assert.equal(d.findings[0].severity, "warn");
  assert.equal(d.tests.warned.length, 1);
  assert.equal(d.coverage.cells["REQ-1"]["pw-pixel7"].status, "flaky");
});

test("flaky: allow → a flaky pass is a plain pass", () => {
  const d = run(
    { scenarios: tagged("pw-pixel7", "passed", { flaky: true, attempts: 2 }) },
    parsePolicy(POLICY_YAML.replace("flaky: warn", "flaky: allow"), "p.yaml"),
  );
  assert.equal(d.result, "PASSED");
});

test("a requirement narrowed to mobile targets (@mobile-only) is not expected on desktop", () => {
  const d = run(
    {
      scenarios: (t) => [
        ...goodScenarios(t),
        ...(t.endsWith("pixel7") ? [scenario(t, "mobile layout", { tags: ["@REQ-3", "@mobile-only"] })] : []),
      ],
    },
    policy(),
    { declared: ["REQ-1", "REQ-2", "REQ-3"] },
  );
  assert.equal(d.result, "PASSED", d.reasons.join("\n"));
  assert.equal(d.coverage.cells["REQ-3"]["pw-desktop"], undefined);
});

test("requirementCoverage: any-target accepts a requirement covered on one required target", () => {
  const p = parsePolicy(POLICY_YAML + "requirementCoverage: any-target\n", "p.yaml");
  const d = run(
    {
      scenarios: (t) => [
        ...goodScenarios(t),
        ...(t === "se-desktop" ? [scenario(t, "only here", { tags: ["@REQ-3"] })] : []),
      ],
    },
    p,
    { declared: ["REQ-1", "REQ-2", "REQ-3"] },
  );
  assert.equal(d.result, "PASSED", d.reasons.join("\n"));
});

// ── fail closed: one test per reason ──

test("reason zero-scenarios: no scenario ran at all", () => {
  assertFails(run({ scenarios: () => [] }), "zero-scenarios", /zero scenarios ran/);
});

test("reason target-empty: a required target ran zero scenarios", () => {
  assertFails(
    run({ scenarios: (t) => (t === "se-pixel7" ? [] : goodScenarios(t)) }),
    "target-empty",
    /se-pixel7 ran zero scenarios/,
  );
});

test("reason manifest-missing: no run.json", () => {
  assertFails(run({ manifest: null }), "manifest-missing", /run manifest missing/);
});

test("reason manifest-unreadable: run.json is not a manifest", () => {
  const r = results();
  r.manifests = [{ dir: "reports", path: "reports/run.json", error: "Unexpected token" }];
  const d = evaluate({ results: r, policy: policy(), artifact: ARTIFACT, declaredRequirements: ["REQ-1", "REQ-2"] });
  assertFails(d, "manifest-unreadable", /unreadable \(Unexpected token\)/);
});

test("reason run-interrupted: the run was interrupted", () => {
  assertFails(
    run({ manifest: { interrupted: { signal: "SIGINT", at: "2025-01-01T00:00:30Z" }, complete: false } }),
    "run-interrupted",
    /interrupted \(SIGINT/,
  );
});

test("reason run-error: the manifest records an error", () => {
  assertFails(
    run({ manifest: { error: "staging went away\nstack…", complete: false } }),
    "run-error",
    /reported an error: staging went away$/,
  );
});

test("reason run-incomplete: the manifest says incomplete without saying why", () => {
  assertFails(run({ manifest: { complete: false } }), "run-incomplete", /did not complete/);
});

test("reason results-unreadable: a messages file could not be read", () => {
  assertFails(
    run({ files: (t) => (t === "pw-pixel7" ? [{ results: undefined, error: "EACCES" }] : [{}]) }),
    "results-unreadable",
    /pw-pixel7\.ndjson: results unreadable \(EACCES\)/,
  );
});

test("a target whose results were refused fails on that reason alone, not once more per requirement it leaves uncovered", () => {
  const d = run({
    files: (t) =>
      t === "pw-pixel7" ? [{ results: undefined, error: "sha256 differs", problem: "results-tampered" }] : [{}],
  });
  assertFails(d, "results-tampered", /pw-pixel7\.ndjson: not the file the run wrote \(sha256 differs\)/);
  assert.deepEqual(
    d.findings.filter((f) => f.code === "requirement-target-uncovered").map((f) => f.message),
    [],
    d.reasons.join("\n"),
  );
  assert.ok(
    !d.findings.some((f) => f.code === "target-empty"),
    `its scenarios were not counted, not zero: ${d.reasons}`,
  );
  assert.deepEqual(d.refusedTargets, ["pw-pixel7"]);
  // When no required target is left, a requirement's reason says its results were refused, not that it did not run.
  const only = run(
    { files: () => [{ results: undefined, error: "sha256 differs", problem: "results-tampered" }] },
    policy(),
    { declared: ["REQ-1"] },
  );
  assertFails(
    only,
    "requirement-uncovered",
    /^requirement REQ-1 has no scenario result: no results were read \(results files of pw-desktop, pw-pixel7, se-desktop, se-pixel7 were refused: see results-tampered\)$/,
  );
});

test("reason results-incomplete: a messages file has no testRunFinished", () => {
  const d = run({
    files: (t) =>
      t === "se-desktop"
        ? [{ results: { target: t, file: "x", complete: false, scenarios: goodScenarios(t), sources: {}, notRun: [] } }]
        : [{}],
  });
  assertFails(d, "results-incomplete", /se-desktop\.ndjson: results end without testRunFinished/);
});

test("reason run-error: every scenario passed but Cucumber reports the run failed (an AfterAll hook broke)", () => {
  const d = run({
    files: (t) =>
      t === "pw-desktop"
        ? [
            {
              results: {
                target: t,
                file: "x",
                complete: true,
                success: false,
                scenarios: goodScenarios(t),
                sources: {},
                notRun: [],
              },
            },
          ]
        : [{}],
  });
  assertFails(d, "run-error", /pw-desktop\.ndjson: Cucumber reports the run as failed although every scenario passed/);
});

test("reason target-missing: a required target has no results", () => {
  assertFails(
    run({ targets: ["pw-desktop", "pw-pixel7", "se-desktop"] }),
    "target-missing",
    /required target se-pixel7 has no results and is not in run\.json/,
  );
});

test("reason target-missing: a required target the config does not define is named so, with the one it likely meant", () => {
  const misspelt = parsePolicy(
    POLICY_YAML.replace(/requiredTargets:[^\n]*(\n\s+- [^\n]*)*/, "requiredTargets: [pw-destkop, se-desktop]"),
    "gate.policy.yaml",
  );
  assert.deepEqual(misspelt.requiredTargets, ["pw-destkop", "se-desktop"]);
  const judged = (configTargets?: string[]) =>
    evaluate({
      results: results({ targets: ["pw-desktop", "se-desktop"] }),
      policy: misspelt,
      artifact: ARTIFACT,
      declaredRequirements: ["REQ-1", "REQ-2"],
      configTargets,
    });
  assertFails(
    judged(["pw-desktop", "se-desktop", "pw-pixel7"]),
    "target-missing",
    /^required target pw-destkop has no results and is not in run\.json; the config defines no target pw-destkop \(did you mean "pw-desktop"\?\)$/,
  );
  // No config file read: the run's targets are not known, so nothing is said of the name.
  assertFails(
    judged(undefined),
    "target-missing",
    /^required target pw-destkop has no results and is not in run\.json$/,
  );
  // A target the config defines that has no results: missing, not misspelt.
  assertFails(
    judged(["pw-desktop", "se-desktop", "pw-destkop"]),
    "target-missing",
    /^required target pw-destkop has no results and is not in run\.json$/,
  );
});

test("reason target-missing: results on disk for a target run.json does not list", () => {
  const r = results();
  r.manifests[0].manifest!.targets = r.manifests[0].manifest!.targets.filter((t) => t.name !== "pw-pixel7");
  const d = evaluate({ results: r, policy: policy(), artifact: ARTIFACT, declaredRequirements: [] });
  assertFails(d, "target-missing", /pw-pixel7 has results files but is not in run\.json/);
});

test("reason target-incomplete: the manifest says a required target did not complete", () => {
  assertFails(
    run({ targetRun: { "se-pixel7": { complete: false, exitCode: null, signal: "SIGKILL" } } }),
    "target-incomplete",
    /se-pixel7 did not complete: killed by SIGKILL/,
  );
  // Nothing recorded about why: said once, not "did not complete: did not complete".
  assertFails(
    run({ targetRun: { "se-pixel7": { complete: false, exitCode: undefined } } }),
    "target-incomplete",
    /se-pixel7 did not complete \(no error, signal or exit code recorded\)$/,
  );
});

test("reason target-redefined: run.json records a built-in target's name with another driver, device or device kind", () => {
  // A phone target the policy requires, run on a desktop: its results must not make the phone column green.
  assertFails(
    run({ targetRun: { "pw-pixel7": { device: "Desktop Chrome" } } }),
    "target-redefined",
    /target pw-pixel7 is recorded as "playwright" on "Desktop Chrome"; the built-in pw-pixel7 is playwright on Pixel 7/,
  );
  assertFails(
    run({ targetRun: { "se-desktop": { driver: "playwright" } } }),
    "target-redefined",
    /target se-desktop is recorded as "playwright"/,
  );
  // The device kind decides what @mobile-only keeps off a target: a phone recorded as no phone is redefined too.
  assertFails(run({ targetRun: { "se-pixel7": { mobile: false } } }), "target-redefined", /"Pixel 7" \(not mobile\)/);
  // As recorded by `signoff run` (mobile: true for the phone), nothing to say.
  // Any target's device kind is its device's: a desktop recorded as mobile would excuse its @desktop-only scenarios.
  const custom = run({
    targets: [...TARGETS, "my-desk"],
    targetRun: { "my-desk": { device: "Desktop Chrome", mobile: true } },
  });
  assert.match(
    custom.findings.find((f) => f.code === "target-redefined")?.message ?? "",
    /target my-desk \(not required\) is recorded as "playwright" on "Desktop Chrome" \(mobile\); Desktop Chrome is not a mobile device/,
  );
  const ok = run({ targetRun: { "se-pixel7": { mobile: true }, "pw-desktop": { mobile: false } } });
  assert.ok(!ok.findings.some((f) => f.code === "target-redefined"), ok.reasons.join("\n"));
});

test("reason shard-missing: shard 2 of 3 never arrived", () => {
  const d = run({
    files: (t) => [
      { path: `a/${t}@shard-1-of-3.ndjson`, shard: { index: 1, total: 3 } },
      { path: `c/${t}@shard-3-of-3.ndjson`, shard: { index: 3, total: 3 } },
    ],
  });
  assertFails(d, "shard-missing", /target pw-desktop: shard\(s\) 2 of 3 missing/);
});

test("reason shard-missing: a file name claiming billions of shards is counted, not listed (the gate ran out of memory)", () => {
  const d = run({
    files: (t) => [
      { path: `a/${t}@shard-1-of-3000000000.ndjson`, shard: { index: 1, total: 3_000_000_000 } },
      { path: `a/${t}@shard-3-of-3000000000.ndjson`, shard: { index: 3, total: 3_000_000_000 } },
    ],
  });
  assertFails(
    d,
    "shard-missing",
    /target pw-desktop: shard\(s\) 2, 4, 5, 6, 7, 8, 9, 10, 11, 12 and 2999999988 more of 3000000000 missing/,
  );
});

test("reason shard-duplicate: the same shard from two machines", () => {
  const d = run({
    files: (t) => [
      { path: `a/${t}@shard-1-of-2.ndjson`, shard: { index: 1, total: 2 } },
      { path: `b/${t}@shard-1-of-2.ndjson`, shard: { index: 1, total: 2 } },
      { path: `c/${t}@shard-2-of-2.ndjson`, shard: { index: 2, total: 2 } },
    ],
  });
  assertFails(d, "shard-duplicate", /shard 1 of 2 present more than once \(a\/pw-desktop@shard-1-of-2\.ndjson, b\//);
});

test("reason shard-duplicate: an unsharded target present twice", () => {
  const d = run({ files: (t) => [{ path: `a/${t}.ndjson` }, { path: `b/${t}.ndjson` }] });
  assertFails(d, "shard-duplicate", /results present more than once/);
});

test("reason shard-inconsistent: shards disagree on the count", () => {
  const d = run({
    files: (t) => [
      { path: `a/${t}@shard-1-of-2.ndjson`, shard: { index: 1, total: 2 } },
      { path: `b/${t}@shard-2-of-3.ndjson`, shard: { index: 2, total: 3 } },
    ],
  });
  assertFails(d, "shard-inconsistent", /disagree on the shard count/);
});

test("reason build-mismatch: staging served X, you asked to promote Y", () => {
  const d = run({
    manifest: { build: { name: "visitor-counter", version: "1.0.1", digest: `sha256:${OTHER_DIGEST}` } },
  });
  assertFails(
    d,
    "build-mismatch",
    new RegExp(
      `staging served visitor-counter 1\\.0\\.1 \\(sha256:${OTHER_DIGEST}\\), you asked to promote registry\\.example/visitor-counter@sha256:${DIGEST}`,
    ),
  );
});

test("reason staging-not-allowed: a run against a server the policy's stagingOrigins does not list", () => {
  const listing = (origins: string) => policy(`stagingOrigins: [${origins}]\n`);
  // The run's base URL (in-memory results: http://staging), its origin compared with each listed one's.
  assert.equal(run({}, listing("http://staging/")).result, "PASSED");
  assert.equal(run({ manifest: { baseUrl: "http://staging/app/" } }, listing("http://staging:80")).result, "PASSED");
  assertFails(
    run({}, listing("https://staging")),
    "staging-not-allowed",
    /^reports\/run\.json: the run tested "http:\/\/staging", which is not a staging the policy lists \(stagingOrigins: https:\/\/staging\)$/,
  );
  for (const baseUrl of ["http://staging.evil.example", "(bundled example app)", "http://staging@evil.example/"])
    assertFails(run({ manifest: { baseUrl } }, listing("http://staging")), "staging-not-allowed", /is not a staging/);
  // A merged run: every shard's server counts, not only the one the merged run.json names.
  const mergedFrom = [
    { dir: "/ci/shard-1", baseUrl: "http://staging" },
    { dir: "/ci/shard-2", baseUrl: "https://attacker.example.net/" },
  ];
  assertFails(
    run({ manifest: { mergedFrom } }, listing("http://staging")),
    "staging-not-allowed",
    /^reports\/run\.json: the run tested "https:\/\/attacker\.example\.net\/", which is not a staging/,
  );
  assert.equal(run({ manifest: { mergedFrom: mergedFrom.slice(0, 1) } }, listing("http://staging")).result, "PASSED");
  // Unset: any staging.
  assert.equal(run({ manifest: { baseUrl: "http://anywhere.example" } }).result, "PASSED");
  assert.throws(
    () => policy("stagingOrigins: [https://staging.example.com/app]\n"),
    /stagingOrigins\/0|stagingOrigins\[0\]/,
  );
});

test("reason build-unobserved: the run did not record the build (requireObservedBuild default)", () => {
  assertFails(
    run({ manifest: { build: null, buildError: "GET /__build: 404" } }),
    "build-unobserved",
    /did not record which build staging served \(reports\/run\.json \(GET \/__build: 404\)\)/,
  );
});

test("build-unobserved is only a warning when the policy says requireObservedBuild: false", () => {
  const d = run({ manifest: { build: null } }, policy("requireObservedBuild: false\n"));
  assert.equal(d.result, "WARNED");
  assert.equal(d.findings[0].code, "build-unobserved");
});

test("reason build-inconsistent: shards observed different builds", () => {
  const other: LoadedManifest = {
    dir: "b",
    path: "b/run.json",
    manifest: {
      ...manifestFor([], {}),
      build: { name: "visitor-counter", version: "2", digest: `sha256:${OTHER_DIGEST}` },
    },
  };
  assertFails(run({ extraManifests: [other] }), "build-inconsistent", /different builds/);
});

test("reason scenario-failed: a required scenario failed (names step and error)", () => {
  const d = run({
    scenarios: tagged("se-desktop", "failed", { failedStep: "When I refresh", error: "Expected 2, got 1" }),
  });
  assertFails(
    d,
    "scenario-failed",
    /^1 scenario\(s\) on required targets failed: features\/x\.feature:3 counter shows — on se-desktop — at "When I refresh": Expected 2, got 1$/,
  );
  assert.equal(d.coverage.cells["REQ-1"]["se-desktop"].status, "failed");
  assert.equal(d.tests.failed.length, 1);
});

test("a failure's reason keeps every line of a multi-line message and leaves the stack out", () => {
  const error = [
    "SignoffAssertionError: expected no page errors, the page had 2 during the scenario:",
    "  console error: failed to load widget",
    "  page error: undefinedFunction is not defined",
    "    at Object.check (steps/page.steps.ts:12:5)",
  ].join("\n");
  const d = run({ scenarios: tagged("se-desktop", "failed", { failedStep: "Then no errors", error }) });
  assertFails(
    d,
    "scenario-failed",
    /during the scenario: console error: failed to load widget · page error: undefinedFunction is not defined$/m,
  );
  assert.doesNotMatch(d.findings.map((f) => f.message).join("\n"), /steps\/page\.steps\.ts/);
});

test("reason scenario-undefined: a required scenario has undefined steps", () => {
  assertFails(run({ scenarios: tagged("pw-desktop", "undefined") }), "scenario-undefined", /undefined steps/);
});

test("reason scenario-pending: a required scenario is pending", () => {
  assertFails(run({ scenarios: tagged("pw-desktop", "pending") }), "scenario-pending", /pending/);
});

test("reason scenario-skipped: a required scenario was skipped", () => {
  assertFails(run({ scenarios: tagged("pw-desktop", "skipped") }), "scenario-skipped", /skipped/);
});

test("reason scenario-ambiguous: a required scenario has ambiguous steps", () => {
  assertFails(run({ scenarios: tagged("pw-desktop", "ambiguous") }), "scenario-ambiguous", /ambiguous/);
});

test("reason scenario-unknown: a required scenario never finished", () => {
  assertFails(
    run({ scenarios: tagged("pw-desktop", "unknown", { error: "scenario never ran" }) }),
    "scenario-unknown",
    /no result.*scenario never ran/,
  );
});

test("reason flaky: flaky: fail makes a flaky pass a FAIL", () => {
  const p = parsePolicy(POLICY_YAML.replace("flaky: warn", "flaky: fail"), "p.yaml");
  assertFails(
    run({ scenarios: tagged("pw-desktop", "passed", { flaky: true, attempts: 3 }) }, p),
    "flaky",
    /passed on attempt 3/,
  );
});

test("reason property-runs: a property scenario ran fewer runs than the policy's minimum", () => {
  const d = run({
    scenarios: (t) =>
      goodScenarios(t).map((s) => (s.tags.includes("@property") && t === "pw-pixel7" ? { ...s, propertyRuns: 3 } : s)),
  });
  assertFails(d, "property-runs", /pw-pixel7: .*never backwards ran 3 run\(s\)/);
});

test("reason property-runs: a property scenario reported no run count", () => {
  const d = run({
    scenarios: (t) =>
      goodScenarios(t).map((s) => (s.tags.includes("@property") ? { ...s, propertyRuns: undefined } : s)),
  });
  assertFails(d, "property-runs", /reported no run count/);
});

test("reason requirements-none: requirements: all but no requirement tags anywhere", () => {
  assertFails(
    run({ scenarios: (t) => [scenario(t, "untagged")] }, policy(), { declared: [] }),
    "requirements-none",
    /no requirements found/,
  );
});

test("reason requirement-uncovered: a requirement in the features has no scenario, and the reason says it did not run", () => {
  assertFails(
    run({}, policy(), { declared: ["REQ-1", "REQ-2", "REQ-9"] }),
    "requirement-uncovered",
    /^requirement REQ-9 has no scenario in these results \(a feature file declares it: its scenarios did not run — a --tags selection left them out, or a tag such as @mobile-only keeps them off every target that ran\)$/,
  );
});

test("requirements left uncovered for the same reason are one line naming them, the first few by id", () => {
  const why =
    "have no scenario in these results (feature files declare them: their scenarios did not run — a --tags selection left them out, or a tag such as @mobile-only keeps them off every target that ran)";
  const few = run({}, policy(), { declared: ["REQ-1", "REQ-2", "REQ-9", "REQ-8", "REQ-7"] });
  assert.deepEqual(
    few.findings.filter((f) => f.code === "requirement-uncovered").map((f) => f.message),
    [`requirements REQ-7, REQ-8 and REQ-9 ${why}`],
  );
  const declared = ["REQ-1", "REQ-2", ...Array.from({ length: 7 }, (_, i) => `REQ-X${i}`)];
  const many = run({}, policy(), { declared });
  assert.deepEqual(
    many.findings.filter((f) => f.code === "requirement-uncovered").map((f) => f.message),
    [`requirements REQ-X0, REQ-X1, REQ-X2, REQ-X3, REQ-X4 and 2 more ${why}`],
  );
  assert.deepEqual(many.coverage.requirements, [...declared].sort(), "every id is in the signed coverage");
  // Another reason is another line: a requirement a policy lists that no feature file declares.
  const p = parsePolicy(POLICY_YAML.replace("requirements: all", "requirements: [REQ-1, REQ-6, REQ-7]"), "p.yaml");
  const mixed = run({}, p, { declared: ["REQ-1", "REQ-2", "REQ-6"] });
  assert.deepEqual(
    mixed.findings.filter((f) => f.code === "requirement-uncovered").map((f) => f.message),
    [
      "requirement REQ-6 has no scenario in these results (a feature file declares it: its scenarios did not run — a --tags selection left them out, or a tag such as @mobile-only keeps them off every target that ran)",
      "requirement REQ-7 has no scenario in these results",
    ],
  );
});

test("reason requirement-uncovered: an explicitly listed requirement has no scenario", () => {
  const p = parsePolicy(POLICY_YAML.replace("requirements: all", "requirements: [REQ-1, REQ-7]"), "p.yaml");
  assertFails(run({}, p), "requirement-uncovered", /^requirement REQ-7 has no scenario in these results$/);
});

test("reason requirement-target-uncovered: a requirement is missing on one required target", () => {
  const d = run({
    scenarios: (t) =>
      t === "se-pixel7" ? goodScenarios(t).filter((s) => !s.requirements.includes("REQ-1")) : goodScenarios(t),
  });
  assertFails(d, "requirement-target-uncovered", /REQ-1 has no scenario on required target\(s\) se-pixel7/);
});

test("reason optional-target-failed: a failure on a target the policy does not require is a warning", () => {
  const d = run({ targets: [...TARGETS, "se-iphone"], scenarios: tagged("se-iphone", "failed") });
  assert.equal(d.result, "WARNED");
  assert.equal(d.findings[0].code, "optional-target-failed");
  assert.match(d.findings[0].message, /target se-iphone \(not required\): 1 scenario/);
});

test("reason regression: passed in the baseline, fails now", () => {
  const baseline: Baseline = {
    source: "last.jsonl",
    sha256: "0".repeat(64),
    tests: new Map([["pw-desktop › features/x.feature › counter shows", "passed"]]),
  };
  const d = run({ scenarios: tagged("pw-desktop", "failed") }, policy(), { baseline });
  assertFails(
    d,
    "regression",
    /1 regression\(s\) since the baseline \(last\.jsonl\).*pw-desktop › features\/x\.feature › counter shows/,
  );
  assert.deepEqual(d.regressions, [
    { test: "pw-desktop › features/x.feature › counter shows", before: "passed", now: "failed" },
  ]);
});

test("reason scenario-removed: a baseline scenario vanished and removals are not allowed", () => {
  const baseline: Baseline = {
    source: "last.jsonl",
    sha256: "0".repeat(64),
    tests: new Map([["pw-desktop › features/x.feature › deleted scenario", "passed"]]),
  };
  assertFails(
    run({}, policy(), { baseline }),
    "scenario-removed",
    /1 scenario\(s\) in the baseline \(last\.jsonl\) vanished/,
  );
  const allowed = run({}, policy("regressions: {allowRemovals: true}\n"), { baseline });
  assert.equal(allowed.result, "PASSED");
  assert.deepEqual(allowed.removed, ["pw-desktop › features/x.feature › deleted scenario"]);
});

test("reason baseline-missing: the policy requires a baseline and none was given", () => {
  const requiring = policy("regressions: {requireBaseline: true}\n");
  assertFails(run({}, requiring), "baseline-missing", /the policy requires a baseline .*--baseline FILE/);
  const baseline: Baseline = {
    source: "last.jsonl",
    sha256: "0".repeat(64),
    tests: new Map([["pw-desktop › features/x.feature › counter shows", "passed"]]),
  };
  const given = run({}, requiring, { baseline });
  assert.equal(given.result, "PASSED", given.reasons.join("\n"));
  assert.equal(run({}, policy()).result, "PASSED", "not required by default");
});

test("reason baseline-unverified: a required baseline that is not a passing verdict of a pinned gate key", () => {
  const baseline: Baseline = {
    source: "last.jsonl",
    sha256: "0".repeat(64),
    tests: new Map([["pw-desktop › features/x.feature › counter shows", "passed"]]),
    unverified: "its signature was not checked (the gate was given no --trust)",
  };
  assertFails(
    run({}, policy("regressions: {requireBaseline: true}\n"), { baseline }),
    "baseline-unverified",
    /^the baseline last\.jsonl is not a passing verdict of a gate the trust file pins \(regressions\.requireBaseline\): its signature was not checked/,
  );
  assert.equal(run({}, policy(), { baseline }).result, "PASSED", "an unchecked baseline is fine when none is required");
});

test("reason scenario-duplicate: two shards reporting the same scenario keep the worse outcome", () => {
  const d = run({
    scenarios: (t) => goodScenarios(t),
    files: (t) =>
      t === "pw-desktop"
        ? [
            { path: "a.ndjson", shard: { index: 1, total: 2 } },
            {
              path: "b.ndjson",
              shard: { index: 2, total: 2 },
              results: {
                target: t,
                file: "b",
                complete: true,
                scenarios: [scenario(t, "counter shows", { tags: ["@REQ-1"], status: "failed" })],
                sources: {},
                notRun: [],
              },
            },
          ]
        : [{}],
  });
  assert.ok(d.findings.some((f) => f.code === "scenario-duplicate" && f.severity === "warn"));
  assertFails(d, "scenario-failed", /counter shows/);
});

test("reason warned-not-allowed: a WARNED outcome with allowWarned: false is not promotable", () => {
  const d = run(
    { scenarios: tagged("pw-pixel7", "passed", { flaky: true, attempts: 2 }) },
    policy("allowWarned: false\n"),
  );
  assert.equal(d.result, "WARNED");
  assert.equal(d.verificationResult, "FAILED");
  assert.equal(d.findings[0].code, "warned-not-allowed");
});

test("many failures are summarised, not listed one reason each", () => {
  const d = run({
    scenarios: (t) => [
      ...goodScenarios(t),
      ...Array.from({ length: 50 }, (_, i) => scenario(t, `bad ${i}`, { status: "failed" })),
    ],
  });
  const f = d.findings.filter((x) => x.code === "scenario-failed");
  assert.equal(f.length, 1);
  // 50 scenarios, each failing the same way on the 4 targets: 10 named (with their targets), the rest counted.
  assert.match(
    f[0].message,
    /^50 scenario\(s\) on required targets failed \(200 results on 4 targets\): .*… and 40 more$/,
  );
  assert.equal(f[0].message.split("; ").length, 11, f[0].message);
  assert.equal(d.tests.failed.length, 200);
});

// ── readable reasons: one scenario failing on every target; no scenario result read at all ──

/** A text check's failure: what it expected, then (far too much of) what the page shows, then the stack. */
const PAGE_TEXT = "Orders · Your basket · " + "Item Quantity Price ".repeat(150) + "Total €12.00";
const TOTAL_ERROR = `SignoffAssertionError: expected the page to show "€24.00"; it shows "${PAGE_TEXT}"\n    at Object.check (steps/page.steps.ts:12:5)`;

/** Two scenarios of features/orders.feature failing on every target; the first with the error `errorFor` gives. */
const ordersFailing = (errorFor: (t: string) => string) => (t: string) => [
  ...goodScenarios(t),
  scenario(t, "Order total shows the sum", {
    key: "features/orders.feature › Order total shows the sum",
    uri: "features/orders.feature",
    line: 12,
    status: "failed",
    failedStep: 'Then I should see "€24.00"',
    error: errorFor(t),
  }),
  scenario(t, "Order lines add up", {
    key: "features/orders.feature › Order lines add up",
    uri: "features/orders.feature",
    line: 30,
    status: "failed",
    failedStep: "Then the line totals add up",
    error: "Expected 24, got 12",
  }),
];

test("reason scenario-failed: a scenario failing the same way on several targets is named once with its targets, its message clipped to one short line", () => {
  const d = run({ scenarios: ordersFailing(() => TOTAL_ERROR) });
  const f = d.findings.filter((x) => x.code === "scenario-failed");
  assert.equal(f.length, 1, d.reasons.join("\n"));
  const m = f[0].message;
  assert.match(
    m,
    /^2 scenario\(s\) on required targets failed \(8 results on 4 targets\): features\/orders\.feature:12 Order total shows the sum — on pw-desktop, pw-pixel7, se-desktop, se-pixel7 — at "Then I should see "€24\.00"": SignoffAssertionError: expected the page to show "€24\.00"; it shows "Orders · Your basket · Item Quantity Price [^;]*…[^;]*Total €12\.00"; features\/orders\.feature:30 Order lines add up — on pw-desktop, pw-pixel7, se-desktop, se-pixel7 — at "Then the line totals add up": Expected 24, got 12$/,
  );
  assert.equal(m.split("Order total shows the sum").length, 2, "named once");
  assert.doesNotMatch(m, /\n|steps\/page\.steps\.ts/, "one line: the message clipped in its middle, no stack");
  assert.ok(m.length < 600, `${m.length} characters: ${m}`);
  // Only the text is shorter: every target's failure still counts, in the tests and the coverage.
  assert.equal(d.tests.failed.length, 8);
  assert.ok(d.tests.failed.includes("se-pixel7 › features/orders.feature › Order total shows the sum"));
});

test("reason scenario-failed: when a scenario's error differs per target, each error is named with its own targets", () => {
  const d = run({
    scenarios: ordersFailing((t) =>
      t.startsWith("pw-") ? "Error: timed out after 5000 ms waiting for the total" : TOTAL_ERROR,
    ),
  });
  assertFails(
    d,
    "scenario-failed",
    /^2 scenario\(s\) on required targets failed \(8 results on 4 targets\): features\/orders\.feature:12 Order total shows the sum — on pw-desktop, pw-pixel7 — at "Then I should see "€24\.00"": Error: timed out after 5000 ms waiting for the total; features\/orders\.feature:30 Order lines add up — on pw-desktop, pw-pixel7, se-desktop, se-pixel7 — at "Then the line totals add up": Expected 24, got 12; features\/orders\.feature:12 Order total shows the sum — on se-desktop, se-pixel7 — at "Then I should see "€24\.00"": SignoffAssertionError: expected the page to show "€24\.00"; it shows "Orders[^;]*…[^;]*Total €12\.00"$/,
  );
});

test("the other scenario-* reasons group the same way: an undefined step on every target is one scenario", () => {
  const d = run({
    scenarios: (t) => [
      ...goodScenarios(t),
      scenario(t, "export as PDF", { status: "undefined", failedStep: "When I export the order as PDF" }),
    ],
  });
  assertFails(
    d,
    "scenario-undefined",
    /^1 scenario\(s\) on required targets have undefined steps \(or none at all\) \(4 results on 4 targets\): features\/x\.feature:3 export as PDF — on pw-desktop, pw-pixel7, se-desktop, se-pixel7 — at "When I export the order as PDF"$/,
  );
});

const ELEVEN = ["REQ-A", "REQ-B", "REQ-C", "REQ-D", "REQ-E", "REQ-F", "REQ-G", "REQ-H", "REQ-I", "REQ-J", "REQ-K"];
const codes = (d: GateDecision) => d.findings.map((f) => f.code);

test("no run.json and no results: the requirements are one line that guesses no cause, after the root cause; every id stays in the coverage", () => {
  const d = run({ targets: [], manifest: null }, policy(), { declared: [...ELEVEN].reverse() });
  assert.equal(d.result, "FAILED");
  assert.equal(d.verificationResult, "FAILED");
  assert.deepEqual(codes(d), [
    "manifest-missing",
    "target-missing",
    "target-missing",
    "target-missing",
    "target-missing",
    "build-unobserved",
    "zero-scenarios",
    "requirement-uncovered",
  ]);
  assert.equal(
    d.reasons[d.reasons.length - 1],
    "requirement-uncovered: requirements REQ-A, REQ-B, REQ-C, REQ-D, REQ-E and 6 more have no scenario result: no results were read",
  );
  assert.doesNotMatch(d.reasons.join("\n"), /--tags|@mobile-only|did not run|in these results/);
  assert.deepEqual(d.coverage.requirements, ELEVEN, "every requirement id is in the signed coverage");
  assert.deepEqual(d.coverage.targets, TARGETS);
});

test("an unreadable run.json, or a run with zero scenarios: one requirement line each, after its root cause", () => {
  const r = results({ targets: [] });
  r.manifests = [{ dir: "reports", path: "reports/run.json", error: "Unexpected token" }];
  const unreadable = evaluate({ results: r, policy: policy(), artifact: ARTIFACT, declaredRequirements: ELEVEN });
  assert.equal(codes(unreadable)[0], "manifest-unreadable");
  assert.deepEqual(
    unreadable.findings.filter((f) => f.code.startsWith("requirement")).map((f) => f.message),
    ["requirements REQ-A, REQ-B, REQ-C, REQ-D, REQ-E and 6 more have no scenario result: no results were read"],
  );
  assert.deepEqual(unreadable.coverage.requirements, ELEVEN);

  const zero = run({ scenarios: () => [] }, policy(), { declared: ["REQ-1"] });
  assert.deepEqual(codes(zero), ["zero-scenarios", "requirement-uncovered"], zero.reasons.join("\n"));
  assert.equal(zero.findings[1].message, "requirement REQ-1 has no scenario result: the results hold no scenario");
  assert.equal(zero.result, "FAILED");
  assert.deepEqual(zero.coverage.requirements, ["REQ-1"]);
});

// ── a root cause (a results file refused, a shard missing) before what follows from it, which names it ──

const DESKTOPS = ["pw-desktop", "se-desktop"];
const desktopPolicy = () => ({ ...policy(), requiredTargets: DESKTOPS });
const TEXT = "a".repeat(64);
const parsedX = () => ({ "features/x.feature": TEXT });
const judgedX = [{ path: "features/x.feature", sha256: TEXT }];
/** Shard i of 2: "counter shows" (REQ-1) in shard 1, "refresh increments" (REQ-2, line 30) in shard 2. */
const halves = (t: string) => [
  scenario(t, "counter shows", { tags: ["@REQ-1"] }),
  scenario(t, "refresh increments", { line: 30, tags: ["@REQ-2"] }),
];
const half = (t: string, index: 1 | 2): Partial<LoadedFile> => {
  const [mine, other] = index === 1 ? halves(t) : halves(t).reverse();
  return {
    path: `results-${index}/messages/${t}@shard-${index}-of-2.ndjson`,
    shard: { index, total: 2 },
    results: {
      target: t,
      file: `results-${index}/messages/${t}@shard-${index}-of-2.ndjson`,
      complete: true,
      success: true,
      scenarios: [mine],
      sources: parsedX(),
      // Cucumber parses the whole feature file: the other shard's scenario is parsed and not run here.
      notRun: [{ uri: other.uri, line: other.line, name: other.name, tags: other.tags }],
    },
  };
};

test("one tampered shard file: results-tampered first; the scenarios and requirement it leaves without a result say so", () => {
  const d = run(
    {
      targets: DESKTOPS,
      scenarios: halves,
      files: (t) =>
        t === "pw-desktop"
          ? [{ ...half(t, 1), results: undefined, error: "sha256 differs", problem: "results-tampered" }, half(t, 2)]
          : [half(t, 1), half(t, 2)],
    },
    desktopPolicy(),
    { features: judgedX },
  );
  assert.deepEqual(
    codes(d),
    ["results-tampered", "run-selected", "requirement-target-uncovered"],
    d.reasons.join("\n"),
  );
  assert.match(d.reasons[0], /^results-tampered: results-1\/messages\/pw-desktop@shard-1-of-2\.ndjson: not the file/);
  assert.equal(
    d.findings[1].message,
    "1 scenario(s) have no result (a results file of pw-desktop was refused: see results-tampered): features/x.feature:3 counter shows — not on pw-desktop",
  );
  assert.equal(
    d.findings[2].message,
    "requirement REQ-1 has no scenario result on required target(s) pw-desktop (a results file of pw-desktop was refused: see results-tampered)",
  );
  assert.doesNotMatch(d.reasons.join("\n"), /scenarios: all|--tags/, "no selection is guessed");
  assert.deepEqual(d.refusedTargets, [], "pw-desktop's other shard was read");
  assert.deepEqual(d.lackingTargets, ["pw-desktop"]);
});

test("a missing shard: shard-missing first; requirement-uncovered names it instead of guessing a --tags selection", () => {
  const d = run(
    { targets: DESKTOPS, scenarios: (t) => halves(t).slice(0, 1), files: (t) => [half(t, 1)] },
    desktopPolicy(),
    { features: [...judgedX, { path: "features/y.feature", sha256: "c".repeat(64) }] },
  );
  assert.deepEqual(
    codes(d),
    ["shard-missing", "shard-missing", "features-not-run", "run-selected", "requirement-uncovered"],
    d.reasons.join("\n"),
  );
  assert.equal(
    d.findings[2].message,
    "features/y.feature: no results file read parsed it — shards of pw-desktop, se-desktop are missing: see shard-missing; or it was left out of the run, or added since: no result speaks for its scenarios",
  );
  assert.equal(
    d.findings[3].message,
    "1 scenario(s) have no result (shards of pw-desktop, se-desktop are missing: see shard-missing): features/x.feature:30 refresh increments — not on pw-desktop, se-desktop",
  );
  assert.equal(
    d.findings[4].message,
    "requirement REQ-2 has no scenario in these results (a feature file declares it; shards of pw-desktop, se-desktop are missing: see shard-missing)",
  );
  assert.doesNotMatch(d.reasons.join("\n"), /--tags|@mobile-only/);
  assert.deepEqual(d.lackingTargets, DESKTOPS);
});

// How fast this is, is measured by `npm run bench` (gate section), never asserted here.
test("scale: 100k scenario results with a 100k baseline are all counted and judged", () => {
  const per = 25_000;
  const made = new Map<string, ScenarioResult[]>();
  for (const t of TARGETS)
    made.set(
      t,
      Array.from({ length: per }, (_, i) =>
        scenario(t, `s${i}`, { key: `features/f${i % 50}.feature › s${i}`, tags: [`@REQ-${i % 200}`] }),
      ),
    );
  const baseline: Baseline = { source: "b", sha256: "0".repeat(64), tests: new Map() };
  for (const [t, list] of made) for (const s of list) baseline.tests.set(`${t} › ${s.key}`, "passed");
  const d = run({ scenarios: (t) => made.get(t)! }, policy(), { declared: [], baseline });
  assert.equal(d.counts.total, 100_000);
  assert.equal(d.result, "PASSED", d.reasons.join("\n"));
});

test("a run that did not record what judged the build fails: judged-by-missing", () => {
  for (const judgedBy of [
    undefined,
    {},
    { ...JUDGED_BY, stepDefinitions: { digest: "x", files: [] } },
    { ...JUDGED_BY, signoff: undefined },
  ]) {
    assertFails(run({ manifest: { judgedBy } as never }), "judged-by-missing", /did not record what judged the build/);
  }
  assert.equal(run().result, "PASSED");
});

describe("every scenario ran (policy scenarios: all, the default)", () => {
  const textX = "a".repeat(64);
  const textB = "b".repeat(64);
  const edited = "e".repeat(64);
  // goodScenarios come from features/x.feature; the run also parsed features/b.feature.
  const parsed = () => ({ "features/x.feature": textX, "features/b.feature": textB });
  const asRun = [
    { path: "features/x.feature", sha256: textX },
    { path: "features/b.feature", sha256: textB },
  ];
  const notRun = (name: string, tags: string[] = [], line = 30) => ({ uri: "features/x.feature", line, name, tags });
  const mobile = (t: string) => t.endsWith("pixel7");
  /** The four targets as run.json records them: their driver and device kind. */
  const kinds = Object.fromEntries(
    TARGETS.map((t) => [t, { driver: t.startsWith("pw-") ? "playwright" : "selenium", mobile: mobile(t) } as const]),
  );

  test("the feature files the run parsed, as they are now, every scenario run → PASSED", () => {
    const d = run({ sources: parsed }, policy(), { features: asRun });
    assert.equal(d.result, "PASSED", d.reasons.join("\n"));
  });

  test("a feature file changed since the run, or one the run left out: features-not-run, naming it", () => {
    const changed = [asRun[0], { path: "features/b.feature", sha256: edited }];
    assertFails(
      run({ sources: parsed }, policy(), { features: changed }),
      "features-not-run",
      /^features\/b\.feature: changed since the run \(the results parsed another text of it\): no result speaks for its scenarios as it is now$/,
    );
    const added = [...asRun, { path: "elsewhere/new.feature", sha256: edited }];
    assertFails(
      run({ sources: parsed }, policy(), { features: added }),
      "features-not-run",
      /^elsewhere\/new\.feature: the run did not parse it \(left out of the run, or added since\): no result speaks for its scenarios$/,
    );
  });

  test("results parsed from another text of their feature file (any path, either policy): features-not-run", () => {
    // The gate reads the files from another directory: only their content counts.
    const elsewhere = [
      { path: "app/features/x.feature", sha256: edited },
      { path: "app/features/b.feature", sha256: textB },
    ];
    for (const p of [policy(), { ...policy(), scenarios: "selected" as const }])
      assertFails(
        run({ sources: parsed }, p, { features: elsewhere }),
        "features-not-run",
        /^app\/features\/x\.feature \(the run's features\/x\.feature\): changed since the run: the results of pw-desktop \(reports\/messages\/pw-desktop\.ndjson\), .* were parsed from another text of it than the one judged/,
      );
    const moved = asRun.map((f) => ({ ...f, path: `app/${f.path}` }));
    assert.equal(run({ sources: parsed }, policy(), { features: moved }).result, "PASSED");
    // A messages file that says nothing of the text it parsed (no source message) speaks for no file either.
    assertFails(run({ sources: () => ({}) }, policy(), { features: asRun }), "features-not-run", /another text/);
    // A uri named like an object's own member is no digest.
    const member = (t: string) => [scenario(t, "counter shows", { uri: "constructor", tags: ["@REQ-1"] })];
    assertFails(
      run({ sources: parsed, scenarios: member }, policy(), { features: asRun, declared: ["REQ-1"] }),
      "features-not-run",
      /^constructor: /,
    );
  });

  test("a feature file the run parsed and the gate was not given: named as not given, not as changed", () => {
    const withB = (t: string) => [...goodScenarios(t), scenario(t, "B rule", { uri: "features/b.feature", line: 4 })];
    const d = run({ sources: parsed, scenarios: withB }, policy(), {
      features: [{ path: "app/features/x.feature", sha256: textX }],
    });
    assert.deepEqual(
      d.findings.filter((f) => f.code === "features-not-run").map((f) => f.message),
      [
        "features/b.feature: not given to the gate: the run parsed this feature file (the results of pw-desktop, pw-pixel7, se-desktop, se-pixel7), and no feature file the gate judges has that name — pass the gate the same feature files the run ran (--features)",
      ],
    );
    assert.doesNotMatch(d.reasons.join("\n"), /changed since the run/);
  });

  test("results speak only for the feature file their uri names: a copy of its old text under another name speaks for none", () => {
    // The run parsed x as textX; x has been edited since, and an "archive" copy of textX was added to the checkout.
    const withArchive = [
      { path: "features/x.feature", sha256: edited },
      { path: "features/b.feature", sha256: textB },
      { path: "features/zz-archive.feature", sha256: textX },
    ];
    for (const p of [policy(), { ...policy(), scenarios: "selected" as const }]) {
      const d = run({ sources: parsed }, p, { features: withArchive });
      assertFails(d, "features-not-run", /^features\/x\.feature: changed since the run: /);
      assert.equal(d.coverage.cells["REQ-1"]?.["pw-desktop"]?.status, "unknown");
    }
    // Under `all`, the copy itself is a feature file no results file parsed.
    const notRun = run({ sources: parsed }, policy(), { features: withArchive }).findings.filter(
      (f) => f.code === "features-not-run",
    );
    assert.ok(
      notRun.some((f) => /^features\/zz-archive\.feature: the run did not parse it/.test(f.message)),
      notRun.map((f) => f.message).join("\n"),
    );
    // Two gate files the uri names equally well: neither is taken (a copy could otherwise stand in for the file).
    const tie = [
      { path: "a/features/x.feature", sha256: edited },
      { path: "b/features/x.feature", sha256: textX },
      { path: "features/b.feature", sha256: textB },
    ];
    assertFails(
      run({ sources: parsed }, { ...policy(), scenarios: "selected" as const }, { features: tie }),
      "features-not-run",
      /^features\/x\.feature: .* were parsed from another text of it than the one judged/,
    );
  });

  test("the matrix shows no requirement covered by results of a feature file changed or not given: unknown (!)", () => {
    const withB = (t: string) => [
      ...goodScenarios(t),
      scenario(t, "B rule", { uri: "features/b.feature", line: 4, tags: ["@REQ-B"] }),
    ];
    const cellsOf = (d: GateDecision, r: string) =>
      TARGETS.map((t) => d.coverage.cells[r]?.[t]?.status ?? "none").join(",");
    const judgedX = { path: "features/x.feature", sha256: textX };
    for (const features of [[judgedX], [judgedX, { path: "features/b.feature", sha256: edited }]]) {
      const d = run({ sources: parsed, scenarios: withB }, policy(), { features, declared: ["REQ-1", "REQ-2"] });
      assert.equal(d.result, "FAILED");
      assert.equal(cellsOf(d, "REQ-B"), "unknown,unknown,unknown,unknown");
      // The judged file's requirements keep their results; the counts keep every scenario.
      assert.equal(cellsOf(d, "REQ-1"), "passed,passed,passed,passed");
      assert.equal(d.counts.passed, 16);
    }
    const asGiven = run({ sources: parsed, scenarios: withB }, policy(), { features: asRun });
    assert.equal(cellsOf(asGiven, "REQ-B"), "passed,passed,passed,passed");
  });

  test("a feature file edited since the run is named once, by the gate's path with the run's in parentheses", () => {
    const edits = [
      { path: "app/features/x.feature", sha256: edited },
      { path: "app/features/b.feature", sha256: textB },
    ];
    const d = run({ sources: parsed }, policy(), { features: edits });
    const notRun = d.findings.filter((f) => f.code === "features-not-run").map((f) => f.message);
    assert.equal(notRun.length, 1, notRun.join("\n"));
    assert.match(
      notRun[0],
      /^app\/features\/x\.feature \(the run's features\/x\.feature\): changed since the run: the results of pw-desktop \(reports\/messages\/pw-desktop\.ndjson\), .* were parsed from another text of it than the one judged \(or they are another run's results\): they cannot speak for its scenarios$/,
    );
    // The same path: named once, without parentheses.
    const same = run({ sources: parsed }, policy(), { features: [{ ...asRun[0], sha256: edited }, asRun[1]] });
    assert.deepEqual(
      same.findings.filter((f) => f.code === "features-not-run").map((f) => f.message.split(":")[0]),
      ["features/x.feature"],
    );
    // One target's results are of another text, which the others parsed as it is now: another run's results.
    const older = (t: string) => (t === "se-desktop" ? { ...parsed(), "features/x.feature": edited } : parsed());
    assertFails(
      run({ sources: older }, policy(), { features: asRun }),
      "features-not-run",
      /^features\/x\.feature: the results of se-desktop \(reports\/messages\/se-desktop\.ndjson\) were parsed from another text of it than the one judged, which other results parsed \(are these another run's results\?\): they cannot speak for its scenarios$/,
    );
  });

  test("a run that says it selected scenarios by --tags or file:line: run-selected, naming the selection", () => {
    assertFails(
      run({ sources: parsed, manifest: { tags: "@smoke" } }, policy(), { features: asRun }),
      "run-selected",
      /^reports\/run\.json: the run selected scenarios \(--tags "@smoke"\)/,
    );
    assertFails(
      run({ sources: parsed, manifest: { lines: ["features/x.feature:12"] } }, policy(), { features: asRun }),
      "run-selected",
      /\(features\/x\.feature:12\)/,
    );
  });

  test("a scenario the messages show parsed and not run, whatever run.json says: run-selected, naming it", () => {
    // A selection run.json does not record (in the config's features, a rerun file, a run.json edited).
    const d = run({ sources: parsed, notRun: () => [notRun("The count is exact")] }, policy(), { features: asRun });
    assertFails(
      d,
      "run-selected",
      /^1 scenario\(s\) were not run: features\/x\.feature:30 The count is exact — not on pw-desktop, pw-pixel7, se-desktop, se-pixel7; the policy judges a build on every scenario/,
    );
    // Run by another shard of the same target: it ran.
    const sharded = run(
      {
        sources: parsed,
        targets: ["pw-desktop"],
        files: () => [
          { path: "a.ndjson", shard: { index: 1, total: 2 } },
          {
            path: "b.ndjson",
            shard: { index: 2, total: 2 },
            results: {
              ...{ target: "pw-desktop", file: "b", complete: true, success: true },
              scenarios: [scenario("pw-desktop", "other half", { line: 30, tags: ["@REQ-1"] })],
              sources: parsed(),
              notRun: [],
            },
          },
        ],
        notRun: () => [notRun("other half")],
      },
      { ...policy(), requiredTargets: ["pw-desktop"] },
      { features: asRun },
    );
    assert.ok(!sharded.findings.some((f) => f.code === "run-selected"), sharded.reasons.join("\n"));
  });

  /** The scenario at line 30 as the targets `on` ran it and the others parsed it and left it out. */
  const ranOn = (on: (t: string) => boolean, name: string, tags: string[]) => ({
    scenarios: (t: string) => [...goodScenarios(t), ...(on(t) ? [scenario(t, name, { line: 30, tags })] : [])],
    notRun: (t: string) => (on(t) ? [] : [notRun(name, tags)]),
  });

  test("a scenario kept off a target by its own tags is excused there; one kept off every target is not", () => {
    const targetRun = kinds;
    for (const [on, name, tags] of [
      [mobile, "Swipe", ["@mobile-only"]],
      [(t: string) => t.startsWith("pw-"), "Trace", ["@playwright-only"]],
      [(t: string) => t === "se-pixel7", "Only there", ["@target:se-pixel7"]],
    ] as const) {
      const d = run({ sources: parsed, targetRun, ...ranOn(on, name, [...tags]) }, policy(), { features: asRun });
      assert.equal(d.result, "PASSED", d.reasons.join("\n"));
    }
    // @mobile-only on a desktop target's run that did run it elsewhere is fine; run nowhere it is not.
    const desktops = ["pw-desktop", "se-desktop"];
    const nowhere = run(
      { sources: parsed, targets: desktops, targetRun, notRun: () => [notRun("Swipe", ["@mobile-only"])] },
      { ...policy(), requiredTargets: desktops },
      { features: asRun },
    );
    assertFails(
      nowhere,
      "run-selected",
      /^1 scenario\(s\) ran on no target \(their tags keep them off every target the run had: pw-desktop, se-desktop\): features\/x\.feature:30 Swipe;/,
    );
    const both = run(
      { sources: parsed, targetRun, notRun: () => [notRun("Never", ["@mobile-only", "@desktop-only"])] },
      policy(),
      { features: asRun },
    );
    assertFails(both, "run-selected", /ran on no target .*: features\/x\.feature:30 Never;/);
  });

  test("only what run.json records excuses a scenario: a target of unknown kind or driver excuses nothing it might run", () => {
    const unknownKind = Object.fromEntries(TARGETS.map((t) => [t, { ...kinds[t], mobile: undefined }]));
    const swipe = ranOn(mobile, "Swipe", ["@mobile-only"]);
    assertFails(
      run({ sources: parsed, targetRun: unknownKind, ...swipe }, policy(), { features: asRun }),
      "run-selected",
      /were not run: features\/x\.feature:30 Swipe — not on pw-desktop, se-desktop;/,
    );
    // Both answers keep it off: excused without knowing the kind.
    const trace = ranOn((t) => t.startsWith("pw-"), "Trace", ["@playwright-only"]);
    assert.equal(
      run({ sources: parsed, targetRun: unknownKind, ...trace }, policy(), { features: asRun }).result,
      "PASSED",
    );
    const noDriver = Object.fromEntries(TARGETS.map((t) => [t, { ...kinds[t], driver: undefined }]));
    assertFails(
      run({ sources: parsed, targetRun: noDriver as never, ...trace }, policy(), { features: asRun }),
      "run-selected",
      /Trace — not on se-desktop, se-pixel7/,
    );
  });

  test("a feature file another target parsed and this one did not (another run's results for it): its scenarios were not run there", () => {
    // se-desktop's results are an older run's, from before features/b.feature existed; the others parsed and ran it.
    const newFile = (t: string) => [
      ...goodScenarios(t),
      ...(t === "se-desktop" ? [] : [scenario(t, "New rule", { uri: "features/b.feature", line: 4 })]),
    ];
    const older = (t: string) => (t === "se-desktop" ? { "features/x.feature": textX } : parsed());
    assertFails(
      run({ sources: older, scenarios: newFile, targetRun: kinds }, policy(), { features: asRun }),
      "run-selected",
      /^1 scenario\(s\) were not run: features\/b\.feature:4 New rule — not on se-desktop;/,
    );
    // Kept off that target by its own tags (and run elsewhere), it is excused there.
    const playwrightOnly = (t: string) => [
      ...goodScenarios(t),
      ...(t.startsWith("pw-")
        ? [scenario(t, "New rule", { uri: "features/b.feature", line: 4, tags: ["@playwright-only"] })]
        : []),
    ];
    const onlyPw = (t: string) => (t.startsWith("se-") ? { "features/x.feature": textX } : parsed());
    const d = run({ sources: onlyPw, scenarios: playwrightOnly, targetRun: kinds }, policy(), { features: asRun });
    assert.equal(d.result, "PASSED", d.reasons.join("\n"));
  });

  test("scenarios: selected lets a run select, and still fails results from another text of a feature file", () => {
    const selected = { ...policy(), scenarios: "selected" as const };
    const tagged = { tags: "@smoke", lines: ["features/x.feature:12"] };
    const left = () => [notRun("Not smoke")];
    const withOther = [...asRun, { path: "features/other.feature", sha256: edited }];
    const d = run({ sources: parsed, manifest: tagged, notRun: left }, selected, { features: withOther });
    assert.equal(d.result, "PASSED", d.reasons.join("\n"));
  });
});
