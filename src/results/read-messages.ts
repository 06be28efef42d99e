// Streams a Cucumber messages NDJSON file into normalised per-scenario results.
import { createReadStream } from "node:fs";
import { basename } from "node:path";
import { createInterface } from "node:readline";
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

  const rl = createInterface({ input: createReadStream(file, { encoding: "utf8" }), crlfDelay: Infinity });
  for await (const line of rl) {
    if (!line.trim()) continue;
    let msg: any;
    try {
      msg = JSON.parse(line);
    } catch {
      // A torn last line is what an interrupted writer leaves: treat the file as incomplete.
      complete = false;
      break;
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
      if (!a) continue;
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
  }

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
