// Streams a Cucumber messages NDJSON file into normalised per-scenario results, failing closed on anything Cucumber would not write.
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { basename } from "node:path";
import type {
  Attachment,
  Envelope,
  GherkinDocument,
  Pickle,
  PickleStep,
  Scenario,
  Source,
  TestCase,
  TestCaseFinished,
  TestCaseStarted,
  TestStepFinished,
} from "@cucumber/messages" with { "resolution-mode": "import" };
import { DEFAULT_REQUIREMENT_TAG_PREFIX, requirementIds } from "../core/tags";
import {
  PROPERTY_RUNS_MEDIA_TYPE,
  statusRank,
  type NotRunScenario,
  type ScenarioResult,
  type ScenarioStatus,
  type TargetResults,
} from "../core/results-model";

/** messages/<target>.ndjson or messages/<target>@shard-<i>-of-<n>.ndjson */
export function parseMessagesFileName(file: string): { target: string; shard?: { index: number; total: number } } {
  const m = /^(.+?)(?:@shard-(\d+)-of-(\d+))?\.ndjson$/.exec(basename(file));
  if (!m) throw new Error(`${file}: not a messages file name (<target>[@shard-i-of-n].ndjson)`);
  return m[2] ? { target: m[1], shard: { index: Number(m[2]), total: Number(m[3]) } } : { target: m[1] };
}

export function messagesFileName(target: string, shard?: { index: number; total: number }): string {
  return shard ? `${target}@shard-${shard.index}-of-${shard.total}.ndjson` : `${target}.ndjson`;
}

interface PickleInfo {
  uri: string;
  name: string;
  astNodeIds: readonly string[];
  tags: string[];
  /** The pickle's own steps, as parsed: looked into only for a step that did not pass. */
  steps: readonly PickleStep[];
  /** The steps by id, made at the pickle's first step that did not pass (many test cases may name one pickle). */
  stepById?: Map<string, PickleStep>;
}

/** The pickle's step of that id: indexed once per pickle, so a file of failures is read in linear time. */
function stepOf(pickle: PickleInfo, id: string): PickleStep | undefined {
  pickle.stepById ??= new Map(pickle.steps.map((st) => [st.id, st]));
  return pickle.stepById.get(id);
}

interface Attempt {
  /** The testCaseStarted id. */
  id: string;
  testCaseId: string;
  attempt: number;
  worst: ScenarioStatus;
  failedStep?: string;
  /** The failing step's line in its feature file (the Gherkin step its pickle step came from). */
  failedStepLine?: number;
  error?: string;
  /** The failing step's exception type (Cucumber's exception.type: the thrown value's class name). */
  errorType?: string;
  startNanos: number;
  endNanos?: number;
  willBeRetried?: boolean;
  propertyRuns?: number;
  /** The test steps that reported a result, until the attempt finished: Cucumber reports every one (skipped after a failure), once. */
  reported?: Set<string>;
}

const STATUSES = new Map<string, ScenarioStatus>([
  ["PASSED", "passed"],
  ["SKIPPED", "skipped"],
  ["PENDING", "pending"],
  ["UNDEFINED", "undefined"],
  ["AMBIGUOUS", "ambiguous"],
  ["UNKNOWN", "unknown"],
  ["FAILED", "failed"],
]);

function nanos(ts: { seconds: number; nanos: number }): number {
  return ts.seconds * 1e9 + ts.nanos;
}

/** Where each scenario and example row sits and, for example rows, its cell values. */
interface AstIndex {
  lines: Map<string, number>;
  rowValues: Map<string, string[]>;
  featureName: string;
  /**
   * The steps of each Background and Scenario of the document, as parsed (the arrays, not a copy: no work per step),
   * until a step of the document did not pass; then `stepLines` indexes them.
   */
  steps?: (readonly GherkinStep[])[];
  /** Gherkin step id → line, every step of the document (Backgrounds' included); built on first use. */
  stepLines?: Map<string, number>;
}

type GherkinStep = Scenario["steps"][number];

function indexGherkinDocument(doc: GherkinDocument): AstIndex {
  const index: AstIndex = {
    lines: new Map(),
    rowValues: new Map(),
    featureName: doc.feature?.name ?? "",
    steps: [],
  };
  const visitScenario = (sc: Scenario) => {
    index.lines.set(sc.id, sc.location.line);
    index.steps!.push(sc.steps);
    for (const ex of sc.examples ?? []) {
      for (const row of ex.tableBody ?? []) {
        index.lines.set(row.id, row.location.line);
        index.rowValues.set(
          row.id,
          row.cells.map((c) => c.value),
        );
      }
    }
  };
  for (const child of doc.feature?.children ?? []) {
    if (child.background) index.steps!.push(child.background.steps);
    if (child.scenario) visitScenario(child.scenario);
    for (const rc of child.rule?.children ?? []) {
      if (rc.background) index.steps!.push(rc.background.steps);
      if (rc.scenario) visitScenario(rc.scenario);
    }
  }
  return index;
}

/**
 * The line of a Gherkin step of the document. The first call indexes every step of the document: passing scenarios
 * never need it, so a run without failures never pays for it.
 */
function stepLineIn(doc: AstIndex, stepId: string): number | undefined {
  if (!doc.stepLines) {
    doc.stepLines = new Map();
    for (const steps of doc.steps ?? []) for (const st of steps) doc.stepLines.set(st.id, st.location.line);
    doc.steps = undefined; // the index replaces them
  }
  return doc.stepLines.get(stepId);
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
 * Why a messages file cannot be read as a run's results. Thrown for anything but a well-formed file:
 * a line that is not JSON (except a torn last line, which is an interrupted run: complete=false), a
 * message that does not match Cucumber's message schema, an id that points nowhere or appears twice.
 */
export class MessagesError extends Error {
  constructor(
    readonly file: string,
    readonly line: number | undefined,
    readonly detail: string,
  ) {
    super(line === undefined ? detail : `line ${line}: ${detail}`);
    this.name = "MessagesError";
  }
}

/** What was read: the bytes' SHA-256 and size, hashed in the same pass as the parse (no second read to swap the file in between). */
export interface MessagesDigest {
  sha256: string;
  bytes: number;
}

type EnvelopeValidator = ((m: unknown) => boolean) & {
  errors?: Array<{ instancePath: string; message?: string }> | null;
};
let envelopeValidator: EnvelopeValidator | undefined;
/** Cucumber's own message schema, compiled ahead of time (scripts/generate-validators.ts); loaded on first use. */
function validateEnvelope(m: unknown): string | undefined {
  envelopeValidator ??= (require("./messages-validator.generated") as { envelope: EnvelopeValidator }).envelope;
  if (envelopeValidator(m)) return undefined;
  const e = envelopeValidator.errors?.[0];
  return `not a Cucumber message: ${e ? `${e.instancePath || "(envelope)"} ${e.message ?? "is invalid"}` : "invalid"}`;
}

const NL = 10;

/** Streams the file in large chunks, hashing every byte, and hands over each line with its number. */
async function forEachLine(file: string, handle: (line: string, lineNo: number) => void): Promise<MessagesDigest> {
  const hash = createHash("sha256");
  let bytes = 0;
  let lineNo = 0;
  let rest: Buffer | undefined;
  const stream = createReadStream(file, { highWaterMark: 1 << 20 });
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      hash.update(chunk);
      bytes += chunk.length;
      const buf: Buffer = rest ? Buffer.concat([rest, chunk]) : chunk;
      let start = 0;
      for (;;) {
        const nl = buf.indexOf(NL, start);
        if (nl < 0) break;
        let end = nl;
        if (end > start && buf[end - 1] === 0x0d) end--;
        handle(buf.toString("utf8", start, end), ++lineNo);
        start = nl + 1;
      }
      rest = start < buf.length ? buf.subarray(start) : undefined;
    }
    if (rest && rest.length > 0) {
      let end = rest.length;
      if (rest[end - 1] === 0x0d) end--;
      handle(rest.toString("utf8", 0, end), ++lineNo);
    }
  } finally {
    stream.destroy();
  }
  return { sha256: hash.digest("hex"), bytes };
}

type ReadOptions = { target?: string; requirementTagPrefix?: string };

/**
 * Reads one messages file. A file without testRunFinished (an interrupted or crashed run)
 * is returned with complete=false; scenarios that started but never finished are "unknown".
 * Anything else that is not what Cucumber writes throws a MessagesError (fail closed).
 */
export async function readMessagesFile(file: string, opts: ReadOptions = {}): Promise<TargetResults> {
  return (await readMessagesFileDigested(file, opts)).results;
}

/** readMessagesFile, plus the SHA-256 and size of exactly the bytes it parsed. */
export async function readMessagesFileDigested(
  file: string,
  opts: ReadOptions = {},
): Promise<{ results: TargetResults; digest: MessagesDigest }> {
  const target = opts.target ?? parseMessagesFileName(file).target;
  const run = new RunReading(file);
  const digest = await forEachLine(file, (line, lineNo) => run.line(line, lineNo));
  run.end();
  const scenarios = run.scenarios(target, opts.requirementTagPrefix ?? DEFAULT_REQUIREMENT_TAG_PREFIX);
  const { complete, success } = run;
  const sources = Object.fromEntries(run.sources);
  return { results: { target, file, complete, success, scenarios, sources, notRun: run.notRun() }, digest };
}

/** One messages file as it is read: what each message added, and the checks that every message passes. */
class RunReading {
  readonly docs = new Map<string, AstIndex>();
  /** uri → SHA-256 of the feature file's text as Cucumber read it. */
  readonly sources = new Map<string, string>();
  readonly pickles = new Map<string, PickleInfo>();
  readonly testCases = new Map<string, { pickleId: string; steps: Map<string, string | undefined> }>();
  readonly attempts = new Map<string, Attempt>();
  readonly lastAttemptByCase = new Map<string, Attempt>();
  complete = false;
  success: boolean | undefined;
  /** A line that was not JSON: fine only as the very last line (what an interrupted writer leaves). */
  private torn: number | undefined;

  constructor(readonly file: string) {}

  private fail(line: number | undefined, detail: string): never {
    throw new MessagesError(this.file, line, detail);
  }

  /** One line of the file: an envelope Cucumber would write, or (only as the last line) a torn write. */
  line(line: string, lineNo: number): void {
    if (!line.trim()) return;
    if (this.torn !== undefined) this.fail(this.torn, "not JSON (and not the last line, so not a torn write)");
    if (this.complete) this.fail(lineNo, "message after testRunFinished");
    let msg: unknown;
    try {
      msg = JSON.parse(line);
    } catch {
      this.torn = lineNo;
      return;
    }
    if (typeof msg !== "object" || msg === null || Array.isArray(msg) || Object.keys(msg).length !== 1)
      this.fail(lineNo, "not a Cucumber message envelope (one message per line)");
    const invalid = validateEnvelope(msg);
    if (invalid) this.fail(lineNo, invalid);
    // Schema-valid from here on: the validator checked it against Cucumber's messages.schema.json.
    this.message(msg as Envelope, lineNo);
  }

  private message(msg: Envelope, lineNo: number): void {
    if (msg.source) this.source(msg.source, lineNo);
    else if (msg.gherkinDocument) this.gherkinDocument(msg.gherkinDocument, lineNo);
    else if (msg.pickle) this.pickle(msg.pickle, lineNo);
    else if (msg.testCase) this.testCase(msg.testCase, lineNo);
    else if (msg.testCaseStarted) this.testCaseStarted(msg.testCaseStarted, lineNo);
    else if (msg.testStepFinished) this.testStepFinished(msg.testStepFinished, lineNo);
    else if (msg.testCaseFinished) this.testCaseFinished(msg.testCaseFinished, lineNo);
    else if (msg.attachment) this.attachment(msg.attachment, lineNo);
    else if (msg.testRunFinished) {
      this.complete = true;
      this.success = msg.testRunFinished.success;
    }
  }

  private source(src: Source, lineNo: number): void {
    if (this.sources.has(src.uri)) this.fail(lineNo, `source ${JSON.stringify(src.uri)} twice`);
    this.sources.set(src.uri, createHash("sha256").update(src.data, "utf8").digest("hex"));
  }

  private gherkinDocument(doc: GherkinDocument, lineNo: number): void {
    if (doc.uri === undefined || this.docs.has(doc.uri))
      this.fail(lineNo, `gherkinDocument ${JSON.stringify(doc.uri)} without a uri or twice`);
    this.docs.set(doc.uri, indexGherkinDocument(doc));
  }

  private pickle(p: Pickle, lineNo: number): void {
    if (this.pickles.has(p.id)) this.fail(lineNo, `pickle ${p.id} twice`);
    this.pickles.set(p.id, {
      uri: p.uri,
      name: p.name,
      astNodeIds: p.astNodeIds,
      tags: p.tags.map((t) => t.name),
      steps: p.steps,
    });
  }

  private testCase(tc: TestCase, lineNo: number): void {
    if (this.testCases.has(tc.id)) this.fail(lineNo, `testCase ${tc.id} twice`);
    this.testCases.set(tc.id, {
      pickleId: tc.pickleId,
      steps: new Map(tc.testSteps.map((s) => [s.id, s.pickleStepId])),
    });
  }

  private testCaseStarted(s: TestCaseStarted, lineNo: number): void {
    if (!this.testCases.has(s.testCaseId))
      this.fail(lineNo, `testCaseStarted ${s.id} for test case ${s.testCaseId}, which is not in the file`);
    if (this.attempts.has(s.id)) this.fail(lineNo, `testCaseStarted ${s.id} twice`);
    // Cucumber runs a test case as attempt 0, and again (numbered one more) only after an attempt finished marked
    // willBeRetried. The scenario's outcome is its last attempt's, so any other start would let one that Cucumber
    // never retried (a failure, a hang) be outweighed by a later start, or hide the failed attempts before a pass.
    const prev = this.lastAttemptByCase.get(s.testCaseId);
    if (prev && (prev.endNanos === undefined || !prev.willBeRetried))
      this.fail(
        lineNo,
        `testCaseStarted ${s.id}: test case ${s.testCaseId} started again, but its attempt ${prev.attempt} ` +
          (prev.endNanos === undefined ? "never finished" : "was not to be retried"),
      );
    const next = prev ? prev.attempt + 1 : 0;
    if (s.attempt !== next)
      this.fail(lineNo, `testCaseStarted ${s.id}: attempt ${s.attempt} of test case ${s.testCaseId}, not ${next}`);
    const a: Attempt = {
      id: s.id,
      testCaseId: s.testCaseId,
      attempt: s.attempt,
      worst: "passed",
      startNanos: nanos(s.timestamp),
      reported: new Set(),
    };
    this.attempts.set(s.id, a);
    this.lastAttemptByCase.set(s.testCaseId, a);
  }

  private testStepFinished(f: TestStepFinished, lineNo: number): void {
    const a =
      this.attempts.get(f.testCaseStartedId) ??
      this.fail(lineNo, `testStepFinished for test case attempt ${f.testCaseStartedId}, which never started`);
    const tc = this.testCases.get(a.testCaseId)!;
    if (!tc.steps.has(f.testStepId))
      this.fail(lineNo, `testStepFinished for step ${f.testStepId}, which is not a step of test case ${a.testCaseId}`);
    if (a.endNanos !== undefined)
      this.fail(lineNo, `testStepFinished after its test case attempt ${f.testCaseStartedId} finished`);
    if (a.reported!.has(f.testStepId))
      this.fail(lineNo, `testStepFinished twice for step ${f.testStepId} of attempt ${f.testCaseStartedId}`);
    a.reported!.add(f.testStepId);
    const status =
      STATUSES.get(f.testStepResult.status) ??
      this.fail(lineNo, `unknown step status ${JSON.stringify(f.testStepResult.status)}`);
    if (statusRank(status) <= statusRank(a.worst)) return;
    a.worst = status;
    if (status === "skipped") return;
    const pickleStepId = tc.steps.get(f.testStepId);
    const pickle = this.pickles.get(tc.pickleId);
    const step = pickleStepId && pickle ? stepOf(pickle, pickleStepId) : undefined;
    a.failedStep = pickleStepId ? (step?.text ?? "(unknown step)") : "(hook)";
    a.failedStepLine = step && pickle ? this.stepLine(pickle.uri, step) : undefined;
    a.error = f.testStepResult.message ?? f.testStepResult.exception?.message;
    a.errorType = f.testStepResult.exception?.type;
  }

  private testCaseFinished(f: TestCaseFinished, lineNo: number): void {
    const a =
      this.attempts.get(f.testCaseStartedId) ??
      this.fail(lineNo, `testCaseFinished for test case attempt ${f.testCaseStartedId}, which never started`);
    if (a.endNanos !== undefined) this.fail(lineNo, `testCaseFinished twice for ${f.testCaseStartedId}`);
    // A finished attempt with a step that never reported was cut or pruned: what that step did is not known.
    const steps = this.testCases.get(a.testCaseId)!.steps.size;
    if (a.reported!.size !== steps)
      this.fail(
        lineNo,
        `testCaseFinished for ${f.testCaseStartedId}: ${steps - a.reported!.size} of its ${steps} test steps reported no result`,
      );
    a.reported = undefined; // no step reports after the end (refused above): a run of 100k scenarios keeps no sets
    a.endNanos = nanos(f.timestamp);
    a.willBeRetried = f.willBeRetried;
  }

  private attachment(at: Attachment, lineNo: number): void {
    if (at.testCaseStartedId !== undefined && !this.attempts.has(at.testCaseStartedId))
      this.fail(lineNo, `attachment for test case attempt ${at.testCaseStartedId}, which never started`);
    if (at.mediaType !== PROPERTY_RUNS_MEDIA_TYPE || !at.testCaseStartedId) return;
    const a = this.attempts.get(at.testCaseStartedId)!;
    const runs = propertyRunsIn(at);
    if (typeof runs === "number" && Number.isFinite(runs)) a.propertyRuns = Math.min(a.propertyRuns ?? Infinity, runs);
  }

  /** The checks only the whole file can answer: every test case's pickle is there, and no retry is missing. */
  end(): void {
    if (this.torn !== undefined) this.complete = false; // a torn last line: the writer was interrupted
    for (const [id, tc] of this.testCases)
      if (!this.pickles.has(tc.pickleId))
        this.fail(undefined, `test case ${id}: its pickle ${tc.pickleId} is not in the file`);
    // Cucumber retries an attempt it marks willBeRetried: in a finished run, the last attempt is never so marked.
    if (this.complete)
      for (const [id, a] of this.lastAttemptByCase)
        if (a.willBeRetried)
          this.fail(undefined, `test case ${id}: attempt ${a.attempt} was to be retried, but no retry followed`);
  }

  /** Every test case's outcome: its last attempt's, "unknown" for one cut short, and those never started. */
  scenarios(target: string, reqPrefix: string): ScenarioResult[] {
    const out: ScenarioResult[] = [];
    const seenKeys = new Map<string, number>();
    const failedBefore = new Set<string>();
    for (const a of this.attempts.values()) if (a.worst !== "passed" && a.willBeRetried) failedBefore.add(a.testCaseId);
    for (const [testCaseId, a] of this.lastAttemptByCase) {
      const outcome = attemptOutcome(a);
      // Cucumber passes a scenario with no steps; as an acceptance criterion it checks nothing, so it is no pass.
      if (outcome.status === "passed" && this.pickles.get(this.testCases.get(testCaseId)!.pickleId)!.steps.length === 0)
        Object.assign(outcome, { status: "undefined", error: NO_STEPS, noSteps: true });
      const flaky = outcome.status === "passed" && failedBefore.has(testCaseId);
      out.push({ ...this.scenarioBase(testCaseId, target, reqPrefix, seenKeys), ...outcome, flaky });
    }
    // Test cases planned but never started (run cut short) are reported, not silently dropped.
    for (const testCaseId of this.testCases.keys()) {
      if (this.lastAttemptByCase.has(testCaseId)) continue;
      out.push({
        ...this.scenarioBase(testCaseId, target, reqPrefix, seenKeys),
        status: "unknown",
        attempts: 0,
        flaky: false,
        durationMs: 0,
        error: "scenario never ran (run interrupted or crashed)",
      });
    }
    return out;
  }

  /** The pickles no test case runs: scenarios a tag expression or a `file:line` selection left out. */
  notRun(): NotRunScenario[] {
    const run = new Set<string>();
    for (const tc of this.testCases.values()) run.add(tc.pickleId);
    const out: NotRunScenario[] = [];
    for (const [id, p] of this.pickles)
      if (!run.has(id)) out.push({ uri: p.uri, line: this.lineOf(p), name: p.name, tags: p.tags });
    return out;
  }

  /**
   * Where a pickle step is written: the Gherkin step it came from (its first AST node: a Background's step, a
   * Scenario's, or a Scenario Outline's for every row). Undefined when the document does not have it, or gives no
   * line a file has (the results index takes only a positive line).
   */
  private stepLine(uri: string, step: PickleStep): number | undefined {
    const doc = this.docs.get(uri);
    const id = step.astNodeIds[0];
    const line = doc && id !== undefined ? stepLineIn(doc, id) : undefined;
    return line !== undefined && line > 0 ? line : undefined;
  }

  /** A pickle's line: its example row's for a row of a Scenario Outline, else its scenario's. */
  private lineOf(pickle: PickleInfo): number {
    return this.docs.get(pickle.uri)?.lines.get(pickle.astNodeIds[1] ?? pickle.astNodeIds[0]) ?? 0;
  }

  /** What a test case is, whatever happened to it: identity, place, tags, requirements. */
  private scenarioBase(testCaseId: string, target: string, reqPrefix: string, seenKeys: Map<string, number>) {
    const pickle = this.pickles.get(this.testCases.get(testCaseId)!.pickleId)!;
    const doc = this.docs.get(pickle.uri);
    return {
      key: scenarioKey(pickle, doc, seenKeys),
      uri: pickle.uri,
      line: this.lineOf(pickle),
      feature: doc?.featureName ?? "",
      name: pickle.name,
      tags: pickle.tags,
      requirements: requirementIds(pickle.tags, reqPrefix),
      target,
    };
  }
}

/** The `runs` a property-runs attachment reports, if it can be read. */
function propertyRunsIn(at: Attachment): unknown {
  try {
    return JSON.parse(at.contentEncoding === "BASE64" ? Buffer.from(at.body, "base64").toString("utf8") : at.body)
      ?.runs;
  } catch {
    return undefined;
  }
}

/** Why a scenario with no steps does not pass. */
const NO_STEPS =
  "the scenario has no steps: it checks nothing (write its Given/When/Then, or take it out of the feature file until it has them)";

/** A test case's outcome from its last attempt. An attempt Cucumber meant to retry is not an outcome: without its retry (run cut short) the scenario has none. */
function attemptOutcome(a: Attempt) {
  const finished = a.endNanos !== undefined && !a.willBeRetried;
  const status: ScenarioStatus = finished ? a.worst : "unknown";
  return {
    status,
    attempts: a.attempt + 1,
    durationMs: finished ? Math.round((a.endNanos! - a.startNanos) / 1e6) : 0,
    propertyRuns: a.propertyRuns,
    failedStep: finished ? a.failedStep : undefined,
    failedStepLine: finished ? a.failedStepLine : undefined,
    error: finished
      ? a.error
      : a.willBeRetried
        ? "scenario was to be retried, but the run ended first"
        : "scenario started but never finished (run interrupted or crashed)",
    errorType: finished ? a.errorType : undefined,
    testCaseStartedId: a.id,
  };
}
