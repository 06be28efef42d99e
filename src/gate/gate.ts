// `signoff gate` without the CLI: load results, evaluate (pure), build + sign the two statements, write atomically.
import { AtomicWriteError, writeFileAtomic } from "../core/atomic-write";
import { ciEnvironment } from "../core/ci-environment";
import { existsSync } from "node:fs";
import { EnvironmentError } from "../core/errors";
import { MAX_YAML_BYTES, readInputFile } from "../core/input-file";
import { basename } from "node:path";
import { toolVersion } from "../core/package";
import { formatArtifactRef, isSha256Hex, sha256FromDigest, type ArtifactRef } from "../attest/artifact";
import type { FileDigest, JudgedBy } from "../core/judged-by";
import { VERDICT_FILE } from "../core/reports-dir";
import { shownPath } from "../core/shown-path";
import { IN_TOTO_PAYLOAD_TYPE, sha256Hex, signedEnvelopeLineParts } from "../attest/dsse";
import { evaluate, type Baseline, type GateDecision } from "./evaluate";
import type { SigningKey } from "../attest/keys";
import type { GatePolicy } from "./policy";
import type { FeatureSet } from "./requirements";
import { mergedFeatureTags } from "../core/feature-tags";
import { parseStrictJsonBytes } from "../core/strict-json";
import { loadResults, type LoadedResults } from "../results/loader";
import { checkRunAttestation, signedManifests, type RunAttestationCheck } from "../attest/run-attestation";
import { RUNNER_ROLE, type Trust } from "../attest/trust";
import {
  ACCEPTANCE_LEVEL,
  GATE_DETAIL_KEY,
  VERIFIER_ID,
  decisionStatement,
  evidenceParts,
  statementBytes,
} from "./statements";
import type { ResourceDescriptor } from "../attest/in-toto";

export interface VerdictInput {
  decision: GateDecision;
  artifact: ArtifactRef;
  policy: GatePolicy;
  key: Pick<SigningKey, "privateKey" | "keyid">;
  features?: FeatureSet;
  /** Extra configuration descriptors (run manifests, config file...). */
  configuration?: ResourceDescriptor[];
  url?: string;
  /** Name of the verdict file, used as the evidence's uri in the decision. */
  verdictName?: string;
  now?: Date;
}

export interface SignedVerdict {
  /** The lines, each joined from its parts when read (nothing in the gate reads them: for tests and tools). */
  readonly lines: string[];
  /**
   * Each line as the parts it is written from: the evidence's base64 is made a part at a time as it is
   * written, so neither the 11.6 MB line nor the 8.7 MB statement is ever in memory whole.
   */
  lineParts: Iterable<string>[];
  evidenceDigest: string;
  decisionDigest: string;
}

/** The evidence (test-result) and decision (verification_summary) statements, each signed: two JSONL lines. */
export function buildVerdict(input: VerdictInput): SignedVerdict {
  const { decision, artifact, policy } = input;
  const now = input.now ?? new Date();
  const configuration: ResourceDescriptor[] = [{ name: "policy", uri: policy.uri, digest: { sha256: policy.digest } }];
  if (input.features)
    configuration.push({ name: "features", uri: input.features.dir, digest: { sha256: input.features.digest } });
  configuration.push(...(input.configuration ?? []));
  const build = decision.run.build;
  const buildHex = sha256FromDigest(build?.digest);
  if (build && buildHex)
    configuration.push({
      name: "staging-deployment",
      ...(decision.run.baseUrl ? { uri: decision.run.baseUrl } : {}),
      digest: { sha256: buildHex },
      annotations: { name: build.name, version: build.version },
    });

  const evidence = evidenceParts(artifact, {
    result: decision.result,
    configuration,
    ...(input.url ? { url: input.url } : {}),
    passedTests: decision.tests.passed,
    warnedTests: decision.tests.warned,
    failedTests: decision.tests.failed,
  });
  const evidenceDigest = sha256Hex(evidence);

  const decisionStmt = decisionStatement(artifact, {
    verifier: { id: VERIFIER_ID, version: { signoff: toolVersion() } },
    timeVerified: now.toISOString(),
    resourceUri: formatArtifactRef(artifact),
    policy: { uri: policy.uri, digest: { sha256: policy.digest } },
    inputAttestations: [{ uri: `${input.verdictName ?? VERDICT_FILE}#1`, digest: { sha256: evidenceDigest } }],
    verificationResult: decision.verificationResult,
    verifiedLevels: decision.verificationResult === "PASSED" ? [ACCEPTANCE_LEVEL] : [],
    [GATE_DETAIL_KEY]: {
      result: decision.result,
      reasons: decision.reasons,
      counts: decision.counts,
      coverage: decision.coverage,
      // Bounded: the full outcome per test is in the evidence; the decision stays small for consumers.
      regressions: decision.regressions.slice(0, 1000),
      removed: decision.removed.slice(0, 1000),
      requirements: { signoffs: policy.signoffs, maxAge: policy.maxAge, maxAgeSeconds: policy.maxAgeSeconds },
      run: decision.run,
    },
  });
  const decisionBytes = statementBytes(decisionStmt);
  const lineParts = [
    signedEnvelopeLineParts(IN_TOTO_PAYLOAD_TYPE, evidence, input.key),
    signedEnvelopeLineParts(IN_TOTO_PAYLOAD_TYPE, decisionBytes, input.key),
  ].map(([head, payload, tail]): Iterable<string> => ({
    *[Symbol.iterator]() {
      yield head;
      yield* payload;
      yield tail;
    },
  }));
  return {
    get lines() {
      return lineParts.map((parts) => [...parts].join(""));
    },
    lineParts,
    evidenceDigest,
    decisionDigest: sha256Hex(decisionBytes),
  };
}

/** A reader (or a crash) never sees half a verdict; a write that fails is one line naming the file. */
export function writeAtomically(path: string, text: string | Uint8Array | Iterable<string | Uint8Array>): void {
  try {
    writeFileAtomic(path, text, { mkdir: true });
  } catch (err) {
    if (err instanceof AtomicWriteError) throw new EnvironmentError(err.message);
    throw err;
  }
}

/** A link to the CI job, when running in one (the test-result predicate's url). */
export function ciRunUrl(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return ciEnvironment(env)?.url;
}

export interface GateRunOptions {
  artifact: ArtifactRef;
  policy: GatePolicy;
  key: SigningKey;
  resultsDirs: string[];
  /**
   * The feature set, or how to read it (given the tags the attested runs recorded): read while the messages are
   * hashed on the worker threads; what it throws, runGate throws.
   */
  features?: FeatureSet | ((recorded: ReadonlyMap<string, readonly string[]>) => FeatureSet | undefined);
  baseline?: Baseline;
  configFile?: string;
  /** The targets the config file defines, built-in ones included (GateInput.configTargets); none without a config file. */
  configTargets?: readonly string[];
  out: string;
  now?: Date;
  /** Pins the runner key(s): each results dir's run attestation is checked against it. */
  trust?: Trust;
}

export interface GateRunResult extends SignedVerdict {
  decision: GateDecision;
  results: LoadedResults;
  out: string;
}

/**
 * What judged the build, as the run recorded it (hostile input like the rest of run.json: only well-formed
 * digests are copied; the run attestation, when required, is what makes them trustworthy).
 */
export function judgedByDescriptors(j: unknown): ResourceDescriptor[] {
  const x = j as Partial<JudgedBy> | undefined;
  const out: ResourceDescriptor[] = [];
  const steps = x?.stepDefinitions;
  if (steps && isSha256Hex(steps.digest) && Array.isArray(steps.files)) {
    // The files by name too (paths relative to the run's folder), when every one is a path: what an auditor looks for.
    const paths = steps.files.map((f: Partial<FileDigest> | null) => f?.path);
    out.push({
      name: "step-definitions",
      digest: { sha256: steps.digest },
      annotations: {
        files: String(steps.files.length),
        ...(paths.every((p): p is string => typeof p === "string") ? { paths } : {}),
      },
    });
  }
  if (x?.lockFile && isSha256Hex(x.lockFile.sha256) && typeof x.lockFile.path === "string")
    out.push({ name: "lock-file", uri: basename(x.lockFile.path), digest: { sha256: x.lockFile.sha256 } });
  if (x?.signoff && typeof x.signoff.version === "string" && isSha256Hex(x.signoff.packageJsonSha256))
    out.push({
      name: "signoff",
      uri: `pkg:npm/signoff@${x.signoff.version}`,
      digest: { sha256: x.signoff.packageJsonSha256 },
    });
  return out;
}

/**
 * The feature tags the attested runs recorded (src/core/feature-tags.ts), read from the bytes their runner signed:
 * only a run the gate trusts may spare it a parse. A signed run.json that is not JSON records none.
 */
function recordedFeatureTags(signedManifests: Iterable<Buffer>): Map<string, readonly string[]> {
  const records: unknown[] = [];
  for (const bytes of signedManifests)
    try {
      records.push((parseStrictJsonBytes(bytes) as { featureTags?: unknown } | null)?.featureTags);
    } catch {
      // the loader reports run.json itself
    }
  return mergedFeatureTags(records);
}

export async function runGate(opts: GateRunOptions): Promise<GateRunResult> {
  const trust = opts.trust;
  const runAttestations: RunAttestationCheck[] = trust
    ? opts.resultsDirs.map((dir) => checkRunAttestation(dir, trust))
    : [];
  // Each attested dir's run.json as its runner signed it: the loader and the feature tags read these bytes.
  const attested = signedManifests(runAttestations);
  // An attestation that does not verify FAILs the gate whatever the results say: they are checked only as far as
  // needs no read of them, so the FAIL comes at once and in bounded memory (not after parsing 600 MB at 100k).
  const loading = loadResults(opts.resultsDirs, {
    requirementTagPrefix: opts.policy.requirementTagPrefix,
    indexTrusted: (dir) => attested.has(dir),
    signedManifest: (dir) => attested.get(dir),
    attemptIds: false,
    readMessages: !runAttestations.some((a) => a.status === "invalid"),
  });
  let features: FeatureSet | undefined;
  try {
    features =
      typeof opts.features === "function" ? opts.features(recordedFeatureTags(attested.values())) : opts.features;
  } finally {
    // Nothing is decided without the results; a feature set that cannot be read still waits for them (no
    // hashing left running, no rejection unheard).
    await loading;
  }
  const results = await loading;
  const decision = evaluate({
    runAttestations,
    runnerKeysPinned: (trust?.roles[RUNNER_ROLE]?.keys.length ?? 0) > 0,
    results,
    policy: opts.policy,
    artifact: opts.artifact,
    declaredRequirements: features?.requirements ?? [],
    features: features?.fileDigests,
    baseline: opts.baseline,
    configTargets: opts.configTargets,
  });
  const configuration: ResourceDescriptor[] = [];
  for (const m of results.manifests)
    if (m.manifest && m.sha256) configuration.push({ name: "run-manifest", uri: m.path, digest: { sha256: m.sha256 } });
  for (const m of results.manifests) for (const d of judgedByDescriptors(m.manifest?.judgedBy)) configuration.push(d);
  if (opts.baseline)
    configuration.push({ name: "baseline", uri: opts.baseline.source, digest: { sha256: opts.baseline.sha256 } });
  for (const a of runAttestations)
    if (a.status === "valid" && a.digest)
      configuration.push({
        name: "run-attestation",
        // Spelled as the run manifests are (relative inside the working directory): verify pairs them by directory.
        uri: shownPath(a.path),
        digest: { sha256: a.digest },
        annotations: { runnerKeyids: (a.keyids ?? []).join(",") },
      });
  if (opts.configFile && existsSync(opts.configFile))
    configuration.push({
      name: "config",
      uri: opts.configFile,
      digest: { sha256: sha256Hex(readInputFile(opts.configFile, { what: "config", maxBytes: MAX_YAML_BYTES })) },
    });
  const signed = buildVerdict({
    decision,
    artifact: opts.artifact,
    policy: opts.policy,
    key: opts.key,
    features,
    configuration,
    url: ciRunUrl(),
    verdictName: opts.out.split(/[\\/]/).pop(),
    now: opts.now,
  });
  writeAtomically(opts.out, {
    *[Symbol.iterator]() {
      for (const parts of signed.lineParts) {
        yield* parts;
        yield "\n";
      }
    },
  });
  // Assigned, not spread: `lines` is a getter that would join every line.
  return Object.assign(signed, { decision, results, out: opts.out });
}
