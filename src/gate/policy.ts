// The release policy (gate.policy.yaml): schema, loading, defaults, and its digest for the verdict.
import { UsageError } from "../core/errors";
import { MAX_YAML_BYTES, readInputFile } from "../core/input-file";
import { sha256Hex } from "../attest/dsse";
import { DURATION_PATTERN, parseDuration } from "../core/duration";
import { DEFAULT_REQUIREMENT_TAG_PREFIX, PROPERTY_TAG } from "../core/tags";
import { parseYamlWithSchema } from "../attest/yaml-file";
import { basename } from "node:path";

export const DEFAULT_POLICY_FILE = "gate.policy.yaml";

export type FlakyRule = "allow" | "warn" | "fail";

export interface GatePolicy {
  /** Path as the command's lines spell it (src/core/shown-path.ts). */
  source: string;
  /**
   * The policy's uri in the verdict: the file's name, never its path, so the signed verdict does not depend on where
   * the file lies on the machine that ran the gate; its digest binds the content (and is what verify checks).
   */
  uri: string;
  /** sha256 hex of the file's bytes: what the trust file allow-lists. */
  digest: string;
  requiredTargets: string[];
  /** "all" = every requirement tag found in the feature files; or an explicit list. */
  requirements: "all" | string[];
  /** every-target: each requirement needs a scenario on every required target; any-target: on one. */
  requirementCoverage: "every-target" | "any-target";
  /**
   * Only the policy sets it for the gate: the policy's digest is what verify pins, and a prefix taken
   * from the (unpinned) config could narrow what counts as a requirement.
   */
  requirementTagPrefix: string;
  flaky: FlakyRule;
  /** Whether a WARNED outcome may be promoted (decision PASSED) or not (decision FAILED). */
  allowWarned: boolean;
  properties: { tag: string; minRuns: number };
  maxAge: string;
  maxAgeSeconds: number;
  /** role → how many distinct signers must approve. */
  signoffs: Record<string, number>;
  regressions: { allowRemovals: boolean; requireBaseline: boolean };
  /** A run that did not record which build staging served cannot be bound to the artifact: FAIL (else WARN). */
  requireObservedBuild: boolean;
  /** Every results dir's run.json must come with a run attestation signed by the trust file's runner key(s). */
  requireRunAttestation: boolean;
  /**
   * all: every scenario of the feature files must have run (no --tags, no file:line, every feature file as it is
   * now); selected: a run may select scenarios, and only the requirements' coverage says what is missing.
   */
  scenarios: "all" | "selected";
  /**
   * The staging origins a run may have tested (its run.json `baseUrl`); unset: any. A run against another server —
   * one that merely claims the artifact's digest on its build endpoint — FAILs.
   */
  stagingOrigins?: string[];
}

export const POLICY_SCHEMA = {
  type: "object",
  additionalProperties: false,
  required: ["version", "requiredTargets", "requirements", "maxAge"],
  properties: {
    version: { const: 1 },
    requiredTargets: {
      type: "array",
      minItems: 1,
      uniqueItems: true,
      items: { type: "string", minLength: 1 },
    },
    requirements: {
      description: 'must be "all" or a list of requirement ids',
      oneOf: [
        { const: "all" },
        { type: "array", minItems: 1, uniqueItems: true, items: { type: "string", minLength: 1 } },
      ],
    },
    requirementCoverage: { enum: ["every-target", "any-target"] },
    requirementTagPrefix: {
      type: "string",
      minLength: 1,
      pattern: "^[^@\\s]+$",
      description: "must be a tag prefix without @, e.g. REQ-",
    },
    flaky: { enum: ["allow", "warn", "fail"] },
    allowWarned: { type: "boolean" },
    properties: {
      type: "object",
      additionalProperties: false,
      properties: {
        tag: { type: "string", pattern: "^@[^\\s@]+$", description: "must be a tag such as @property" },
        minRuns: { type: "integer", minimum: 1 },
      },
    },
    maxAge: { type: "string", pattern: DURATION_PATTERN, description: "must be a duration such as 24h, 90m, 7d" },
    signoffs: {
      type: "object",
      propertyNames: {
        pattern: "^(?!(?:gate|runner)$)[a-z][a-z0-9-]{0,62}$",
        description:
          'must be a role name (lowercase letters, digits, dashes); "gate" and "runner" sign decisions and runs, they are not sign-off roles',
      },
      additionalProperties: { type: "integer", minimum: 1, maximum: 100 },
    },
    regressions: {
      type: "object",
      additionalProperties: false,
      properties: { allowRemovals: { type: "boolean" }, requireBaseline: { type: "boolean" } },
    },
    requireObservedBuild: { type: "boolean" },
    requireRunAttestation: { type: "boolean" },
    scenarios: { enum: ["all", "selected"] },
    stagingOrigins: {
      type: "array",
      minItems: 1,
      uniqueItems: true,
      items: {
        type: "string",
        pattern: "^https?://[^/?#\\s]+/?$",
        description: "must be an origin such as https://staging.example.com (scheme, host and port, no path)",
      },
    },
  },
} as const;

interface RawPolicy {
  version: 1;
  requiredTargets: string[];
  requirements: "all" | string[];
  requirementCoverage?: "every-target" | "any-target";
  requirementTagPrefix?: string;
  flaky?: FlakyRule;
  allowWarned?: boolean;
  properties?: { tag?: string; minRuns?: number };
  maxAge: string;
  signoffs?: Record<string, number>;
  regressions?: { allowRemovals?: boolean; requireBaseline?: boolean };
  requireObservedBuild?: boolean;
  requireRunAttestation?: boolean;
  scenarios?: "all" | "selected";
  stagingOrigins?: string[];
}

/** Validates policy text; `file` names it in errors (UsageError, exit 2). */
export function parsePolicy(text: string, file: string): GatePolicy {
  const raw = parseYamlWithSchema<RawPolicy>(text, file, "policy");
  const maxAgeSeconds = parseDuration(raw.maxAge);
  if (maxAgeSeconds === undefined) throw new UsageError(`${file}: maxAge: must be a positive duration such as 24h`);
  return {
    source: file,
    uri: basename(file),
    digest: sha256Hex(Buffer.from(text, "utf8")),
    requiredTargets: raw.requiredTargets,
    requirements: raw.requirements,
    requirementCoverage: raw.requirementCoverage ?? "every-target",
    requirementTagPrefix: raw.requirementTagPrefix ?? DEFAULT_REQUIREMENT_TAG_PREFIX,
    flaky: raw.flaky ?? "warn",
    allowWarned: raw.allowWarned ?? true,
    properties: { tag: raw.properties?.tag ?? PROPERTY_TAG, minRuns: raw.properties?.minRuns ?? 25 },
    maxAge: raw.maxAge,
    maxAgeSeconds,
    signoffs: raw.signoffs ?? {},
    regressions: {
      allowRemovals: raw.regressions?.allowRemovals ?? false,
      requireBaseline: raw.regressions?.requireBaseline ?? false,
    },
    requireObservedBuild: raw.requireObservedBuild ?? true,
    requireRunAttestation: raw.requireRunAttestation ?? false,
    scenarios: raw.scenarios ?? "all",
    stagingOrigins: raw.stagingOrigins?.map((o, i) => {
      const origin = originOf(o);
      if (origin === undefined)
        throw new UsageError(`${file}: stagingOrigins[${i}]: ${JSON.stringify(o)} is no origin`);
      return origin;
    }),
  };
}

/** An origin as URL spells it (https://staging.example.com, the default port left out), for comparing with a run's. */
export function originOf(url: string): string | undefined {
  try {
    const u = new URL(url);
    return u.protocol === "http:" || u.protocol === "https:" ? u.origin : undefined;
  } catch {
    return undefined;
  }
}

export function loadPolicy(file: string): GatePolicy {
  const buf = readInputFile(file, { what: "gate policy", maxBytes: MAX_YAML_BYTES });
  // Digest over the exact bytes on disk, so `sha256sum gate.policy.yaml` matches the verdict.
  const policy = parsePolicy(buf.toString("utf8"), file);
  return { ...policy, digest: sha256Hex(buf) };
}

/** The policy file digest as the trust file lists it. */
export function policyFileDigest(file: string): string {
  return sha256Hex(readInputFile(file, { what: "policy", maxBytes: MAX_YAML_BYTES }));
}
