// The JSON schema of run.json (signoff/run@1): the shape every reader of a run manifest may rely on.
//
// Compiled ahead of time (scripts/generate-validators.ts → manifest-validator.generated.js). run.json is hostile
// input at the gate and at `signoff merge`: a field of the wrong type must make the manifest unreadable (a FAIL, or
// one line at merge), never a crash deep in a reader. Fields a later version may add are allowed and ignored.

const text = { type: "string" } as const;

/**
 * Far more targets, messages files per target (shards) and merged shards than any run has: a hostile run.json of
 * thousands of each would make every reader's per-target work (the gate's summary, one column per target) its cost.
 * The writers refuse more before anything runs (`--targets`, `--shard`, `signoff merge`).
 */
export const MAX_RUN_TARGETS = 256;
export const MAX_RUN_SHARDS = 1024;
/** Messages files a run lists in all (checked by parseManifest: a schema cannot sum its targets'). */
export const MAX_RUN_MESSAGES = 4096;
const count = { type: "integer", minimum: 0 } as const;
const shard = {
  type: "object",
  required: ["index", "total"],
  properties: { index: { type: "integer", minimum: 1 }, total: { type: "integer", minimum: 1 } },
} as const;

const TARGET = {
  type: "object",
  required: ["name", "messages", "complete"],
  properties: {
    name: text,
    driver: { enum: ["playwright", "selenium"] },
    device: text,
    mobile: { type: "boolean" },
    remote: text,
    browserVersion: text,
    messages: { type: "array", items: text, maxItems: MAX_RUN_SHARDS },
    // Checked entry by entry by the results loader: a record that is not a size and a digest is results-unrecorded.
    files: {},
    shard,
    complete: { type: "boolean" },
    exitCode: { anyOf: [{ type: "integer" }, { type: "null" }] },
    signal: { anyOf: [text, { type: "null" }] },
    counts: {
      type: "object",
      required: ["passed", "failed", "other"],
      properties: { passed: count, failed: count, other: count },
    },
    error: text,
  },
} as const;

export const RUN_MANIFEST_SCHEMA = {
  $id: "signoff/run@1",
  type: "object",
  required: ["schema", "targets", "complete"],
  properties: {
    schema: { const: "signoff/run@1" },
    runId: text,
    startedAt: text,
    finishedAt: text,
    toolVersion: text,
    gitCommit: text,
    baseUrl: text,
    build: {
      anyOf: [
        { type: "null" },
        {
          type: "object",
          required: ["name", "version", "digest"],
          properties: { name: text, version: text, digest: text },
        },
      ],
    },
    buildSource: { enum: ["endpoint", "header", "given"] },
    buildError: text,
    tags: text,
    lines: { type: "array", items: text },
    features: { type: "array", items: text },
    // Read entry by entry: an entry that is not a digest with its tag names is dropped (src/core/feature-tags.ts).
    featureTags: {},
    shard,
    mergedFrom: {
      type: "array",
      maxItems: MAX_RUN_SHARDS,
      items: { type: "object", required: ["dir"], properties: { dir: text, runId: text, shard, baseUrl: text } },
    },
    targets: { type: "array", items: TARGET, maxItems: MAX_RUN_TARGETS },
    complete: { type: "boolean" },
    interrupted: { type: "object", required: ["signal", "at"], properties: { signal: text, at: text } },
    error: text,
    // Checked in full, digests and all, by isJudgedBy (src/core/judged-by.ts): one that is not is named as such.
    judgedBy: {},
  },
} as const;
