// Test fixtures for the gate: synthetic Cucumber messages, run manifests, keys and trust files (no mocks).
import { BUILTIN_TARGETS } from "../../src/config/defaults";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync } from "node:crypto";
import type { RunManifest, TargetRun } from "../../src/core/manifest";
import type { NotRunScenario, ScenarioResult, ScenarioStatus } from "../../src/core/results-model";
import type { LoadedFile, LoadedManifest, LoadedResults } from "../../src/results/loader";
import { keyIdOf, type KeyType, type SigningKey } from "../../src/attest/keys";
import { parseTrust, type Trust } from "../../src/attest/trust";
import { PROPERTY_RUNS_MEDIA_TYPE } from "../../src/core/results-model";
import { parsePolicy } from "../../src/gate/policy";
import { combinedDigest } from "../../src/core/judged-by";
import { featureTagsRecord } from "../../src/core/feature-tags";
import { checkFeatures } from "../../src/runner/features";

export const DIGEST = "a".repeat(64);

/** What a real run records about the code that judged it (the gate fails a run without it). */
const JUDGED_FILES = [{ path: "steps/generic/page.steps.ts", sha256: "6".repeat(64) }];
export const JUDGED_BY = {
  stepDefinitions: { digest: combinedDigest(JUDGED_FILES), files: JUDGED_FILES },
  signoff: { version: "0.1.0", packageJsonSha256: "7".repeat(64) },
};
export const OTHER_DIGEST = "b".repeat(64);
export const ARTIFACT = { name: "registry.example/visitor-counter", sha256: DIGEST };

export function tmp(prefix = "signoff-gate-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export interface FakeScenario {
  name: string;
  uri?: string;
  tags?: string[];
  /** Status per attempt (last one wins; earlier ones were retried). "none" = started, never finished. */
  attempts?: (Uppercase<ScenarioStatus> | "none")[];
  propertyRuns?: number;
  /** Planned (testCase) but never started. */
  notStarted?: boolean;
  /** Parsed (a pickle) but given no test case: left out by a tag expression or a file:line selection. */
  notRun?: boolean;
}

const ROOT = join(__dirname, "..", "..");

/**
 * The text Cucumber read for a feature file: the repository's own file at that path (features/visitor-counter.feature,
 * so a gate judging it finds the text it reads), else one made up for the uri.
 */
function featureText(uri: string): string {
  const file = join(ROOT, uri);
  return existsSync(file) ? readFileSync(file, "utf8") : `Feature: ${uri}\n`;
}

/** Cucumber messages NDJSON for some scenarios, as cucumber-js writes them (the parts read-messages reads). */
export function messagesNdjson(
  scenarios: FakeScenario[],
  opts: { complete?: boolean; /** Feature files parsed beside the scenarios' own. */ parsed?: string[] } = {},
): string {
  const out: unknown[] = [];
  const byUri = new Map<string, { s: FakeScenario; i: number }[]>();
  scenarios.forEach((s, i) => {
    const uri = s.uri ?? "features/example.feature";
    byUri.set(uri, [...(byUri.get(uri) ?? []), { s, i }]);
  });
  for (const uri of new Set([...byUri.keys(), ...(opts.parsed ?? [])]))
    out.push({ source: { uri, data: featureText(uri), mediaType: "text/x.cucumber.gherkin+plain" } });
  const node = (line: number) => ({ location: { line }, tags: [], keyword: "Scenario", name: "", description: "" });
  for (const [uri, list] of byUri)
    out.push({
      gherkinDocument: {
        uri,
        comments: [],
        feature: {
          ...node(1),
          keyword: "Feature",
          name: "Example",
          language: "en",
          children: list.map(({ s, i }) => ({
            scenario: { ...node(10 + i), name: s.name, id: `sc${i}`, steps: [], examples: [] },
          })),
        },
      },
    });
  scenarios.forEach((s, i) => {
    const uri = s.uri ?? "features/example.feature";
    out.push({
      pickle: {
        id: `p${i}`,
        uri,
        name: s.name,
        language: "en",
        astNodeIds: [`sc${i}`],
        tags: (s.tags ?? []).map((name) => ({ name, astNodeId: `tag-${name}` })),
        steps: [{ id: `ps${i}`, text: `step of ${s.name}`, astNodeIds: [`st${i}`] }],
      },
    });
    if (!s.notRun)
      out.push({
        testCase: { id: `tc${i}`, pickleId: `p${i}`, testSteps: [{ id: `ts${i}`, pickleStepId: `ps${i}` }] },
      });
  });
  scenarios.forEach((s, i) => {
    if (s.notStarted || s.notRun) return;
    const attempts = s.attempts ?? ["PASSED"];
    attempts.forEach((status, a) => {
      const id = `tcs${i}-${a}`;
      out.push({
        testCaseStarted: { id, testCaseId: `tc${i}`, attempt: a, timestamp: { seconds: 1000 + i, nanos: 0 } },
      });
      if (status === "none") return;
      if (s.propertyRuns !== undefined && a === attempts.length - 1)
        out.push({
          attachment: {
            testCaseStartedId: id,
            testStepId: `ts${i}`,
            mediaType: PROPERTY_RUNS_MEDIA_TYPE,
            contentEncoding: "IDENTITY",
            body: JSON.stringify({ runs: s.propertyRuns, seed: 42 }),
          },
        });
      out.push({
        testStepFinished: {
          testCaseStartedId: id,
          testStepId: `ts${i}`,
          testStepResult: {
            status,
            ...(status === "FAILED" ? { message: "Expected 2, got 1" } : {}),
            duration: { seconds: 0, nanos: 1 },
          },
          timestamp: { seconds: 1000 + i, nanos: 5 },
        },
      });
      out.push({
        testCaseFinished: {
          testCaseStartedId: id,
          timestamp: { seconds: 1001 + i, nanos: 0 },
          willBeRetried: a < attempts.length - 1,
        },
      });
    });
  });
  if (opts.complete !== false)
    out.push({ testRunFinished: { success: runSucceeds(scenarios), timestamp: { seconds: 9999, nanos: 0 } } });
  return out.map((m) => JSON.stringify(m)).join("\n") + "\n";
}

/** What Cucumber says of the run: every scenario's last attempt passed (or was skipped). */
export function runSucceeds(scenarios: FakeScenario[]): boolean {
  return scenarios.every(
    (s) => s.notStarted || s.notRun || ["PASSED", "SKIPPED"].includes((s.attempts ?? ["PASSED"]).at(-1)!),
  );
}

/** The example app's scenarios, all passing. */
export function exampleScenarios(): FakeScenario[] {
  return [
    { name: "The counter displays in a browser", uri: "features/visitor-counter.feature", tags: ["@REQ-COUNTER-1"] },
    {
      name: "Refreshing the page increments the visitor count",
      uri: "features/visitor-counter.feature",
      tags: ["@REQ-COUNTER-2"],
    },
    {
      name: "Counting never goes backwards",
      uri: "features/visitor-counter.feature",
      tags: ["@REQ-COUNTER-2", "@property"],
      propertyRuns: 50,
    },
  ];
}

export const TARGETS = ["pw-desktop", "pw-pixel7", "se-desktop", "se-pixel7"];

/** The release policy of the verify and approve tests: the four targets, every requirement, a QA and a release-manager sign-off. */
export const RELEASE_POLICY = parsePolicy(
  `version: 1
requiredTargets: [pw-desktop, pw-pixel7, se-desktop, se-pixel7]
requirements: all
maxAge: 24h
signoffs: {qa: 1, release-manager: 1}
`,
  "gate.policy.yaml",
);
/** When those tests' runs started, and "now" for their verifications. */
export const T0 = new Date("2025-06-01T12:00:00.000Z");
export const NOW = new Date("2025-06-01T13:00:00.000Z");

export interface ResultsDirOptions {
  targets?: string[];
  scenarios?: (target: string) => FakeScenario[];
  /** Per target: write shards i of n instead of one file ({target: [i...], total}). */
  shard?: { index: number; total: number };
  build?: RunManifest["build"];
  interrupted?: RunManifest["interrupted"];
  error?: string;
  targetOverrides?: Record<string, Partial<TargetRun>>;
  noManifest?: boolean;
  completeFiles?: boolean;
  /** What run.json records of the feature files the run parsed; by default the example's (exampleFeatureTags). */
  featureTags?: RunManifest["featureTags"];
}

/**
 * run.json's `featureTags` for these feature files (by default the example's features/visitor-counter.feature, whose
 * scenarios exampleScenarios are): what a run that parsed them records, so a gate reading them knows they ran.
 */
export function featureTagsOf(
  files = [join(__dirname, "..", "..", "features", "visitor-counter.feature")],
): RunManifest["featureTags"] {
  return featureTagsRecord(checkFeatures(files));
}

/** A results dir as `signoff run` leaves it: run.json + messages/<target>[@shard-i-of-n].ndjson. */
export function writeResultsDir(dir: string, o: ResultsDirOptions = {}): string {
  const targets = o.targets ?? TARGETS;
  mkdirSync(join(dir, "messages"), { recursive: true });
  const runs: TargetRun[] = [];
  for (const t of targets) {
    const file = o.shard ? `${t}@shard-${o.shard.index}-of-${o.shard.total}.ndjson` : `${t}.ndjson`;
    const all = (o.scenarios ?? exampleScenarios)(t);
    const text = messagesNdjson(all, { complete: o.completeFiles });
    writeFileSync(join(dir, "messages", file), text);
    const scenarios = all.filter((s) => !s.notRun);
    const last = scenarios.filter((s) => !s.notStarted).map((s) => (s.attempts ?? ["PASSED"]).at(-1));
    const passed = last.filter((a) => a === "PASSED").length;
    const failed = last.filter((a) => a === "FAILED").length;
    runs.push({
      name: t,
      driver: t.startsWith("pw-") ? "playwright" : "selenium",
      device: t.endsWith("desktop") ? "Desktop Chrome" : "Pixel 7",
      messages: [`messages/${file}`],
      // What `signoff run` records: the file's size and digest (no results index here), and the counts.
      files: {
        [`messages/${file}`]: {
          bytes: Buffer.byteLength(text),
          sha256: createHash("sha256").update(text).digest("hex"),
        },
      },
      ...(o.shard ? { shard: o.shard } : {}),
      complete: true,
      exitCode: runSucceeds(scenarios) ? 0 : 1,
      counts: { passed, failed, other: scenarios.length - passed - failed },
      ...(o.targetOverrides?.[t] ?? {}),
    });
  }
  if (!o.noManifest) {
    const manifest: RunManifest = {
      schema: "signoff/run@1",
      runId: `run-${Math.random().toString(36).slice(2, 8)}`,
      startedAt: "2025-01-01T00:00:00.000Z",
      finishedAt: "2025-01-01T00:01:00.000Z",
      toolVersion: "0.1.0",
      baseUrl: "http://127.0.0.1:4321",
      build:
        o.build === undefined ? { name: "visitor-counter", version: "1.2.3", digest: `sha256:${DIGEST}` } : o.build,
      judgedBy: JUDGED_BY,
      featureTags: o.featureTags ?? featureTagsOf(),
      ...(o.shard ? { shard: o.shard } : {}),
      targets: runs,
      complete: !o.interrupted && !o.error && runs.every((r) => r.complete),
      ...(o.interrupted ? { interrupted: o.interrupted } : {}),
      ...(o.error ? { error: o.error } : {}),
    };
    writeFileSync(join(dir, "run.json"), JSON.stringify(manifest, null, 2) + "\n");
  }
  return dir;
}

export function makeKey(type: KeyType = "ecdsa-p256", source = "test"): SigningKey & { publicPem: string } {
  const pair =
    type === "ed25519" ? generateKeyPairSync("ed25519") : generateKeyPairSync("ec", { namedCurve: "prime256v1" });
  const privateKey = createPrivateKey(pair.privateKey.export({ type: "pkcs8", format: "pem" }) as string);
  const publicKey = createPublicKey(privateKey);
  return {
    privateKey,
    publicKey,
    keyid: keyIdOf(publicKey),
    type,
    source,
    publicPem: publicKey.export({ type: "spki", format: "pem" }) as string,
  };
}

/** Trust object from keys per role (parsed through the real trust.yaml loader). */
export function makeTrust(opts: {
  roles: Record<string, { keys: { publicPem: string; name?: string }[]; threshold?: number }>;
  allowedPolicies?: string[];
  maxAge?: string;
}): Trust {
  const doc = {
    version: 1,
    ...(opts.maxAge ? { maxAge: opts.maxAge } : {}),
    allowedPolicies: (opts.allowedPolicies ?? []).map((d) => ({ digest: `sha256:${d}` })),
    roles: Object.fromEntries(
      Object.entries(opts.roles).map(([role, r]) => [
        role,
        {
          ...(r.threshold !== undefined ? { threshold: r.threshold } : {}),
          keys: r.keys.map((k) => ({ publicKey: k.publicPem, ...(k.name ? { name: k.name } : {}) })),
        },
      ]),
    ),
  };
  return parseTrust(JSON.stringify(doc), "trust.yaml", { requireGate: false });
}

/** A normalised scenario result for pure evaluator tests. */
export function scenario(target: string, name: string, o: Partial<ScenarioResult> = {}): ScenarioResult {
  return {
    key: `features/x.feature › ${name}`,
    uri: "features/x.feature",
    line: 3,
    feature: "X",
    name,
    tags: o.tags ?? [],
    requirements: (o.tags ?? []).filter((t) => t.startsWith("@REQ-")).map((t) => t.slice(1)),
    target,
    status: "passed",
    attempts: 1,
    flaky: false,
    durationMs: 5,
    ...o,
  };
}

/** What inMemoryResults builds: the targets, each one's scenarios, and what to change of the run's record. */
export interface InMemoryRun {
  targets?: string[];
  scenarios?: (t: string) => ScenarioResult[];
  manifest?: Partial<RunManifest> | null;
  targetRun?: Record<string, Partial<TargetRun>>;
  files?: (t: string) => Partial<LoadedFile>[];
  extraManifests?: LoadedManifest[];
  /** Per target: what its messages say Cucumber parsed (each feature file's digest) and left out. */
  sources?: (t: string) => Record<string, string>;
  notRun?: (t: string) => NotRunScenario[];
}

/** The run.json of an in-memory run of `targets` (inMemoryResults's). */
export function manifestFor(targets: string[], o: InMemoryRun): RunManifest {
  return {
    schema: "signoff/run@1",
    runId: "run-1",
    startedAt: "2025-01-01T00:00:00Z",
    toolVersion: "0.1.0",
    baseUrl: "http://staging",
    build: { name: "visitor-counter", version: "1.0.0", digest: `sha256:${DIGEST}` },
    judgedBy: JUDGED_BY,
    featureTags: {},
    targets: targets.map((name) => ({
      name,
      // A built-in name records its own driver and device (the gate checks it); any other, some device.
      driver: BUILTIN_TARGETS[name]?.driver ?? "playwright",
      device: BUILTIN_TARGETS[name]?.device ?? "x",
      messages: [`messages/${name}.ndjson`],
      complete: true,
      ...recorded((o.scenarios ?? (() => []))(name)),
      ...(o.targetRun?.[name] ?? {}),
    })),
    complete: true,
    ...(o.manifest ?? {}),
  };
}

const succeeded = (scenarios: ScenarioResult[]) =>
  scenarios.every((s) => s.status === "passed" || s.status === "skipped");

/** What the run records of a target whose messages hold these scenarios: its counts and Cucumber's exit code. */
function recorded(scenarios: ScenarioResult[]): Pick<TargetRun, "counts" | "exitCode"> {
  const passed = scenarios.filter((s) => s.status === "passed").length;
  const failed = scenarios.filter((s) => s.status === "failed").length;
  return {
    counts: { passed, failed, other: scenarios.length - passed - failed },
    exitCode: succeeded(scenarios) ? 0 : 1,
  };
}

/** A finished run in memory, as the loader gives it (the evaluator is pure: no files needed). */
export function inMemoryResults(o: InMemoryRun = {}): LoadedResults {
  const targets = o.targets ?? TARGETS;
  const files: LoadedFile[] = [];
  for (const t of targets) {
    const variants = o.files?.(t) ?? [{}];
    for (const v of variants) {
      const scenarios = (o.scenarios ?? (() => []))(t);
      files.push({
        dir: "reports",
        path: `reports/messages/${t}.ndjson`,
        target: t,
        results: {
          target: t,
          file: `reports/messages/${t}.ndjson`,
          complete: true,
          success: succeeded(scenarios),
          scenarios,
          sources: o.sources?.(t) ?? {},
          notRun: o.notRun?.(t) ?? [],
        },
        ...v,
      });
    }
  }
  const manifests: LoadedManifest[] =
    o.manifest === null
      ? [{ dir: "reports", path: "reports/run.json", missing: true }]
      : [{ dir: "reports", path: "reports/run.json", manifest: manifestFor(targets, o) }];
  return { dirs: ["reports"], manifests: [...manifests, ...(o.extraManifests ?? [])], files };
}
