// The run manifest (reports/run.json): what ran, where, against which build, and whether it finished.
import { AtomicWriteError, writeFileAtomic } from "./atomic-write";
import { readInputFile } from "./input-file";
import { EnvironmentError } from "./errors";
import type { ValidateFunction } from "ajv";
import { pickError } from "./schema-errors";
import { MAX_RUN_MESSAGES } from "./manifest-schema";
import { parseStrictJsonBytes, StrictJsonError } from "./strict-json";
import type { JudgedBy } from "./judged-by";
import type { FeatureTagsRecord } from "./feature-tags";

export type DriverName = "playwright" | "selenium";

/** Build identity as served by staging's build endpoint. */
export interface BuildIdentity {
  name: string;
  version: string;
  /** "sha256:<hex>" */
  digest: string;
}

/** What run.json records about one messages file and its index (paths relative to the results dir). */
export interface MessagesFileRecord {
  bytes: number;
  sha256: string;
  index?: { file: string; sha256: string };
}

export interface TargetRun {
  name: string;
  driver: DriverName;
  device: string;
  /** The device is a phone or tablet (what @mobile-only and @desktop-only select by); the gate reads it back. */
  mobile?: boolean;
  remote?: string;
  browserVersion?: string;
  /** messages files (relative to the reports dir) this target wrote. */
  messages: string[];
  /** Per messages file: size, SHA-256 and the results index derived from it (src/results/results-index.ts). */
  files?: Record<string, MessagesFileRecord>;
  shard?: { index: number; total: number };
  /** The target's cucumber process ran to its end and its messages end with testRunFinished. */
  complete: boolean;
  exitCode?: number | null;
  signal?: string | null;
  counts?: TargetCounts;
  error?: string;
}

/** What run.json records of a target's scenarios; the gate checks it against the parsed results. */
export interface TargetCounts {
  passed: number;
  failed: number;
  other: number;
}

export function countScenarios(scenarios: Iterable<{ status: string }>): TargetCounts {
  const counts = { passed: 0, failed: 0, other: 0 };
  for (const s of scenarios) {
    if (s.status === "passed") counts.passed++;
    else if (s.status === "failed") counts.failed++;
    else counts.other++;
  }
  return counts;
}

export interface RunManifest {
  schema: "signoff/run@1";
  runId: string;
  startedAt: string;
  finishedAt?: string;
  toolVersion: string;
  gitCommit?: string;
  baseUrl: string;
  /** What staging's build endpoint answered at the start of the run (null: not observed). */
  build: BuildIdentity | null;
  /** How the build was learned: staging's endpoint or header, or only the deploy job's `--build`. */
  buildSource?: "endpoint" | "header" | "given";
  buildError?: string;
  /** The run's --tags selection, when it made one. */
  tags?: string;
  /** The `file:line` selections it was given (as run.json records paths), when it was given any. */
  lines?: string[];
  /** The feature files the run read (relative to where it ran): the gate's requirements come from these. */
  features?: string[];
  /** Their tags by the SHA-256 of their content, as the run parsed them (src/core/feature-tags.ts). */
  featureTags?: FeatureTagsRecord;
  shard?: { index: number; total: number };
  /** `signoff merge`: the results dirs (shard runs) this manifest combines. */
  /** The shards a merged run was made of; `baseUrl`: the server each tested (a merge of an older Signoff has none). */
  mergedFrom?: Array<{ dir: string; runId?: string; shard?: { index: number; total: number }; baseUrl?: string }>;
  targets: TargetRun[];
  /** Every selected target complete and the run not interrupted. */
  complete: boolean;
  interrupted?: { signal: string; at: string };
  /** Why the run could not run or finish (environment problem, bad input...). */
  error?: string;
  /** What judged the build: step definition files, lock file, Signoff version (src/core/judged-by.ts). */
  judgedBy?: JudgedBy;
}

/**
 * Writes atomically (temp file + rename) so a reader never sees half a manifest; a failed write
 * (disk full, read-only) leaves the previous manifest in place and names the path.
 */
export function writeManifest(path: string, manifest: RunManifest): void {
  try {
    writeFileAtomic(path, JSON.stringify(manifest, null, 2) + "\n");
  } catch (err) {
    if (err instanceof AtomicWriteError) throw new EnvironmentError(err.message);
    throw err;
  }
}

/** run.json lists targets and files, never scenarios: anything near this size is not one. */
export const MAX_MANIFEST_BYTES = 64 * 1024 * 1024;

/** A run manifest's bytes: a regular file within the limit (hostile input to the gate), not yet parsed. */
export function readManifestBytes(path: string): Buffer {
  return readInputFile(path, { what: "run manifest", maxBytes: MAX_MANIFEST_BYTES });
}

/** Reads a run manifest (hostile input to the gate): a regular file within the limit, the shape readers rely on. */
export function readManifest(path: string): RunManifest {
  return parseManifest(readManifestBytes(path), path);
}

/** A run manifest's bytes (read from `path`, or the ones a runner signed) checked for the shape readers rely on. */
export function parseManifest(bytes: Buffer, path: string): RunManifest {
  // Strict: a duplicate key (JSON.parse keeps the last) could make a signed run.json read one way here and another elsewhere.
  let m: unknown;
  try {
    m = parseStrictJsonBytes(bytes);
  } catch (err) {
    if (err instanceof StrictJsonError) throw new Error(`${path}: not JSON: ${err.message}`, { cause: err });
    throw err;
  }
  if ((m as { schema?: unknown } | null)?.schema !== "signoff/run@1")
    throw new Error(`${path}: not a signoff run manifest (schema field)`);
  // Readers index into its fields: a wrong shape is "unreadable" (a FAIL at the gate), never a crash.
  const validate = manifestValidator();
  if (!validate(m)) throw new Error(`${path}: ${pickError(validate.errors ?? [], m)}`);
  const listed = (m as RunManifest).targets.reduce((n, t) => n + t.messages.length, 0);
  if (listed > MAX_RUN_MESSAGES)
    throw new Error(`${path}: targets: ${listed} messages files listed in all, more than ${MAX_RUN_MESSAGES}`);
  return m as RunManifest;
}

/** RUN_MANIFEST_SCHEMA compiled ahead of time (scripts/generate-validators.ts), loaded when a manifest is read. */
function manifestValidator(): ValidateFunction {
  return (require("./manifest-validator.generated") as { run: ValidateFunction }).run;
}
