// Streams a Cucumber messages NDJSON file into normalised per-scenario results.
import { createReadStream } from "node:fs";
import { basename } from "node:path";
import type { ScenarioResult, ScenarioStatus, TargetResults } from "./types";

/** messages/<target>.ndjson or messages/<target>@shard-<i>-of-<n>.ndjson */
export function parseMessagesFileName(file: string): { target: string; shard?: { index: number; total: number } } {
  const m = /^(.+?)(?:@shard-(\d+)-of-(\d+))?\.ndjson$/.exec(basename(file));
  if (!m) throw new Error(`${file}: not a messages file name (<target>[@shard-i-of-n].ndjson)`);
  return m[2] ? { target: m[1], shard: { index: Number(m[2]), total: Number(m[3]) } } : { target: m[1] };
}

export function messagesFileName(target: string, shard?: { index: number; total: number }): string {
  return shard ? `${target}@shard-${shard.index}-of-${shard.total}.ndjson` : `${target}.ndjson`;
}

/**
 * A property step attaches `{"runs": N, ...}` with this media type (this.attach(json, mediaType)) so the
 * gate can enforce the policy's minimum number of runs for property scenarios.
 */
export const PROPERTY_RUNS_MEDIA_TYPE = "application/vnd.signoff.property-runs+json";

interface PickleInfo {
  uri: string;
  name: string;
  astNodeIds: string[];
  tags: string[];
  steps: Map<string, string>;
}

interface Attempt {
  testCaseId: string;
  attempt: number;
  worst: ScenarioStatus;
  failedStep?: string;
  error?: string;
  startNanos: number;
  endNanos?: number;
  willBeRetried?: boolean;
  propertyRuns?: number;
}

const STATUS_RANK: Record<ScenarioStatus, number> = {
  passed: 0,
  skipped: 1,
  pending: 2,
  undefined: 3,
  ambiguous: 4,
  unknown: 5,
  failed: 6,
};

function toStatus(s: string): ScenarioStatus {
  const lower = s.toLowerCase();
  return (lower in STATUS_RANK ? lower : "unknown") as ScenarioStatus;
}

function nanos(ts: { seconds: number; nanos: number }): number {
  return ts.seconds * 1e9 + ts.nanos;
}

/** Where each AST node sits and, for example rows, its cell values. */
interface AstIndex {
  lines: Map<string, number>;
  rowValues: Map<string, string[]>;
  featureName: string;
}

function indexGherkinDocument(doc: any): AstIndex {
  const index: AstIndex = { lines: new Map(), rowValues: new Map(), featureName: doc.feature?.name ?? "" };
  const visitScenario = (sc: any) => {
    index.lines.set(sc.id, sc.location.line);
    for (const ex of sc.examples ?? []) {
      for (const row of ex.tableBody ?? []) {
        index.lines.set(row.id, row.location.line);
        index.rowValues.set(
          row.id,
          row.cells.map((c: any) => c.value),
        );
      }
    }
  };
  for (const child of doc.feature?.children ?? []) {
    if (child.scenario) visitScenario(child.scenario);
    for (const rc of child.rule?.children ?? []) if (rc.scenario) visitScenario(rc.scenario);
  }
  return index;
}

/** Stable scenario identity; outline rows add their cell values, true duplicates a counter. */
function scenarioKey(pickle: PickleInfo, doc: AstIndex | undefined, seen: Map<string, number>): string {
  const rowId = pickle.astNodeIds[1];
  const rowValues = rowId ? doc?.rowValues.get(rowId) : undefined;
  const key = `${pickle.uri} › ${pickle.name}` + (rowValues ? ` › ${rowValues.join(" | ")}` : "");
  const n = (seen.get(key) ?? 0) + 1;
  seen.set(key, n);
  return n > 1 ? `${key} #${n}` : key;
}

/**
 * Envelopes that never change a result, by the exact prefix cucumber-js writes (JSON.stringify, one key):
 * skipped without JSON.parse. At 100k scenarios they are most of the bytes (about 6.5 KB per scenario),
 * and parsing them was most of the gate's time. Anything formatted differently is parsed as before.
 */
const SKIPPED = ["testStepStarted", "stepDefinition", "hook", "source", "meta", "parameterType", "testRunStarted", "testRunHookStarted", "testRunHookFinished", "undefinedParameterType", "suggestion"].map((k) =>
  Buffer.from(`{"${k}":`),
);
const STEP_FINISHED = Buffer.from(`{"testStepFinished":`);
/**
 * A passed step never makes a scenario worse (STATUS_RANK.passed is 0). The bytes `"status":"PASSED"`
 * cannot occur inside a JSON string (its quotes would be escaped), and testStepResult is the only
 * object with a status in this envelope.
 */
const PASSED_STATUS = Buffer.from(`"status":"PASSED"`);
const ATTACHMENT = Buffer.from(`{"attachment":`);
const PROPERTY_RUNS = Buffer.from(PROPERTY_RUNS_MEDIA_TYPE);
const NL = 10;

function startsWithAt(buf: Buffer, start: number, end: number, prefix: Buffer): boolean {
  return end - start >= prefix.length && buf.compare(prefix, 0, prefix.length, start, start + prefix.length) === 0;
}

/** Searches the line only (a search from `start` over the whole chunk would scan megabytes per line). */
function containsIn(buf: Buffer, start: number, end: number, needle: Buffer): boolean {
  return buf.subarray(start, end).indexOf(needle) >= 0;
}

/** A line we may skip: a known prefix, and whole (an envelope ends with "}}"; a torn line is parsed, and fails). */
function skippable(buf: Buffer, start: number, end: number): boolean {
  if (end - start < 4 || buf[end - 1] !== 0x7d || buf[end - 2] !== 0x7d) return false;
  if (buf[start] !== 0x7b || buf[start + 1] !== 0x22) return false;
  if (startsWithAt(buf, start, end, STEP_FINISHED))
    return containsIn(buf, start, end, PASSED_STATUS);
  if (startsWithAt(buf, start, end, ATTACHMENT)) return !containsIn(buf, start, end, PROPERTY_RUNS);
  for (const p of SKIPPED) if (startsWithAt(buf, start, end, p)) return true;
  return false;
}

/** Streams the file in large chunks, splits lines on bytes, decodes only the lines that matter. */
async function forEachNeededLine(file: string, handle: (line: string) => boolean): Promise<void> {
  let rest: Buffer | undefined;
  const stream = createReadStream(file, { highWaterMark: 1 << 20 });
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      const buf: Buffer = rest ? Buffer.concat([rest, chunk]) : chunk;
      let start = 0;
      for (;;) {
        const nl = buf.indexOf(NL, start);
        if (nl < 0) break;
        let end = nl;
        if (end > start && buf[end - 1] === 0x0d) end--;
        if (!skippable(buf, start, end) && !handle(buf.toString("utf8", start, end))) return;
        start = nl + 1;
      }
      rest = start < buf.length ? buf.subarray(start) : undefined;
    }
    if (rest && rest.length > 0) {
      let end = rest.length;
      if (rest[end - 1] === 0x0d) end--;
      if (!skippable(rest, 0, end)) handle(rest.toString("utf8", 0, end));
    }
  } finally {
    stream.destroy();
  }
}

/**
 * Reads one messages file. A file without testRunFinished (an interrupted or crashed run)
 * is returned with complete=false; scenarios that started but never finished are "unknown".
 */
export async function readMessagesFile(
  file: string,
  opts: { target?: string; requirementTagPrefix?: string } = {},
): Promise<TargetResults> {
  const target = opts.target ?? parseMessagesFileName(file).target;
  const reqPrefix = "@" + (opts.requirementTagPrefix ?? "REQ-");
  const docs = new Map<string, AstIndex>();
  const pickles = new Map<string, PickleInfo>();
  const testCases = new Map<string, { pickleId: string; steps: Map<string, string | undefined> }>();
  const attempts = new Map<string, Attempt>();
  const lastAttemptByCase = new Map<string, Attempt>();
  let complete = false;
  let success: boolean | undefined;

  /** One line; false stops the reading. */
  const handle = (line: string): boolean => {
    if (!line.trim()) return true;
    let msg: any;
    try {
      msg = JSON.parse(line);
    } catch {
      // A torn last line is what an interrupted writer leaves: treat the file as incomplete.
      complete = false;
      return false;
    }
    if (msg.gherkinDocument) {
      docs.set(msg.gherkinDocument.uri, indexGherkinDocument(msg.gherkinDocument));
    } else if (msg.pickle) {
      const p = msg.pickle;
      pickles.set(p.id, {
        uri: p.uri,
        name: p.name,
        astNodeIds: p.astNodeIds,
        tags: p.tags.map((t: any) => t.name),
        steps: new Map(p.steps.map((s: any) => [s.id, s.text])),
      });
    } else if (msg.testCase) {
      const tc = msg.testCase;
      testCases.set(tc.id, {
        pickleId: tc.pickleId,
        steps: new Map(tc.testSteps.map((s: any) => [s.id, s.pickleStepId])),
      });
    } else if (msg.testCaseStarted) {
      const s = msg.testCaseStarted;
      const a: Attempt = { testCaseId: s.testCaseId, attempt: s.attempt, worst: "passed", startNanos: nanos(s.timestamp) };
      attempts.set(s.id, a);
      lastAttemptByCase.set(s.testCaseId, a);
    } else if (msg.testStepFinished) {
      const f = msg.testStepFinished;
      const a = attempts.get(f.testCaseStartedId);
      if (!a) return true;
      const status = toStatus(f.testStepResult.status);
      if (STATUS_RANK[status] > STATUS_RANK[a.worst]) {
        a.worst = status;
        if (status !== "skipped") {
          const tc = testCases.get(a.testCaseId);
          const pickleStepId = tc?.steps.get(f.testStepId);
          const pickle = tc && pickles.get(tc.pickleId);
          a.failedStep = pickleStepId ? pickle?.steps.get(pickleStepId) : "(hook)";
          a.error = f.testStepResult.message ?? f.testStepResult.exception?.message;
        }
      }
    } else if (msg.testCaseFinished) {
      const f = msg.testCaseFinished;
      const a = attempts.get(f.testCaseStartedId);
      if (a) {
        a.endNanos = nanos(f.timestamp);
        a.willBeRetried = f.willBeRetried;
      }
    } else if (msg.attachment) {
      const at = msg.attachment;
      if (at.mediaType === PROPERTY_RUNS_MEDIA_TYPE && at.testCaseStartedId) {
        const a = attempts.get(at.testCaseStartedId);
        let runs: unknown;
        try {
          runs = JSON.parse(at.contentEncoding === "BASE64" ? Buffer.from(at.body, "base64").toString("utf8") : at.body)?.runs;
        } catch {
          runs = undefined;
        }
        if (a && typeof runs === "number" && Number.isFinite(runs)) a.propertyRuns = Math.min(a.propertyRuns ?? Infinity, runs);
      }
    } else if (msg.testRunFinished) {
      complete = true;
      success = msg.testRunFinished.success;
    }
    return true;
  };
  await forEachNeededLine(file, handle);

  const scenarios: ScenarioResult[] = [];
  const seenKeys = new Map<string, number>();
  const failedBefore = new Set<string>();
  for (const a of attempts.values()) if (a.worst !== "passed" && a.willBeRetried) failedBefore.add(a.testCaseId);

  for (const [testCaseId, a] of lastAttemptByCase) {
    const tc = testCases.get(testCaseId);
    const pickle = tc && pickles.get(tc.pickleId);
    if (!pickle) continue;
    const doc = docs.get(pickle.uri);
    const rowId = pickle.astNodeIds[1];
    const key = scenarioKey(pickle, doc, seenKeys);
    const finished = a.endNanos !== undefined;
    const status: ScenarioStatus = finished ? a.worst : "unknown";
    scenarios.push({
      key,
      uri: pickle.uri,
      line: doc?.lines.get(rowId ?? pickle.astNodeIds[0]) ?? 0,
      feature: doc?.featureName ?? "",
      name: pickle.name,
      tags: pickle.tags,
      requirements: pickle.tags.filter((t) => t.startsWith(reqPrefix)).map((t) => t.slice(1)),
      target,
      status,
      attempts: a.attempt + 1,
      flaky: status === "passed" && failedBefore.has(testCaseId),
      durationMs: finished ? Math.round((a.endNanos! - a.startNanos) / 1e6) : 0,
      propertyRuns: a.propertyRuns,
      failedStep: finished ? a.failedStep : undefined,
      error: finished ? a.error : "scenario started but never finished (run interrupted or crashed)",
    });
  }
  // Test cases planned but never started (run cut short) are reported, not silently dropped.
  for (const [testCaseId, tc] of testCases) {
    if (lastAttemptByCase.has(testCaseId)) continue;
    const pickle = pickles.get(tc.pickleId);
    if (!pickle) continue;
    const doc = docs.get(pickle.uri);
    scenarios.push({
      key: scenarioKey(pickle, doc, seenKeys),
      uri: pickle.uri,
      line: doc?.lines.get(pickle.astNodeIds[1] ?? pickle.astNodeIds[0]) ?? 0,
      feature: doc?.featureName ?? "",
      name: pickle.name,
      tags: pickle.tags,
      requirements: pickle.tags.filter((t) => t.startsWith(reqPrefix)).map((t) => t.slice(1)),
      target,
      status: "unknown",
      attempts: 0,
      flaky: false,
      durationMs: 0,
      error: "scenario never ran (run interrupted or crashed)",
    });
  }
  return { target, file, complete, success, scenarios };
}
