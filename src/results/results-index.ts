// The results index: a compact, one-line-per-scenario copy of what readMessagesFile derives from one
// messages file, written next to it (messages/<target>.ndjson → messages/<target>.results.jsonl) by
// whoever already read that file (the runner after each target, `signoff merge`).
//
// Why: at large scale parsing the messages is nearly all of the gate's time, and the index is a small
// fraction of their size (bench/RESULTS.md). The messages stay the source of truth: run.json records each messages
// file's size and SHA-256 together with the index's SHA-256, and the gate uses the index only after
// both files matched that record (see src/results/loader.ts); any mismatch is a FAIL.
import { writeFileAtomic } from "../core/atomic-write";
import { createHash } from "node:crypto";
import { closeSync, createReadStream, openSync, readSync } from "node:fs";
import type { MessagesDigest } from "./read-messages";
import type { MessagesFileRecord } from "../core/manifest";
import { DEFAULT_REQUIREMENT_TAG_PREFIX } from "../core/tags";
import { SharedStrings } from "./shared-strings";
import { isScenarioStatus, type NotRunScenario, type ScenarioResult, type TargetResults } from "../core/results-model";

// @2: the feature files' digests (`sources`) and the scenarios parsed but not run (`notRun` lines) were added; an @1
// index says nothing of them, so it is refused (the gate then fails the file) rather than read as "all ran".
// A scenario line's `failedStepLine` (the failing step's line) came later, optional: an index without it still reads
// (its failures are named without the step's line), and a reader that predates it ignores it.
// @3: the parser no longer passes a scenario with no steps (`noSteps`) nor an attempt missing a step's result; an @2
// index was written by a parser that did both, so it is refused like an @1.
const FORMAT = "signoff/results-index@3";

/** messages/<target>[@shard-i-of-n].ndjson → messages/<target>[@shard-i-of-n].results.jsonl */
export function resultsIndexPath(messagesFile: string): string {
  return messagesFile.replace(/\.ndjson$/, "") + ".results.jsonl";
}

export function sha256File(path: string): string {
  const hash = createHash("sha256");
  const fd = openSync(path, "r");
  try {
    const buf = Buffer.allocUnsafe(1 << 22);
    for (let n; (n = readSync(fd, buf, 0, buf.length, null)) > 0;) hash.update(buf.subarray(0, n));
  } finally {
    closeSync(fd);
  }
  return hash.digest("hex");
}

/** SHA-256 and size of a file, streamed (a messages file can be hundreds of MB). */
export async function digestFile(path: string): Promise<MessagesDigest> {
  const hash = createHash("sha256");
  let bytes = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 22 }) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    bytes += chunk.length;
  }
  return { sha256: hash.digest("hex"), bytes };
}

/**
 * Writes the index atomically and returns its digest. Requirements are left out: they depend on the
 * requirement tag prefix of whoever reads (the gate's policy), so readers derive them from the tags.
 */
export function writeResultsIndex(path: string, results: TargetResults): string {
  const lines = [
    asciiJson({
      format: FORMAT,
      target: results.target,
      complete: results.complete,
      success: results.success,
      scenarios: results.scenarios.length,
      notRun: results.notRun.length,
      sources: results.sources,
    }),
  ];
  for (const { requirements: _derived, target: _same, ...s } of results.scenarios) lines.push(asciiJson(s));
  for (const n of results.notRun) lines.push(asciiJson(n));
  lines.push(JSON.stringify({ end: results.scenarios.length }));
  const text = lines.join("\n") + "\n";
  writeFileAtomic(path, text);
  return createHash("sha256").update(text).digest("hex");
}

/**
 * JSON.stringify with every character past ASCII written as its \uXXXX escape (the same JSON value): a line of ASCII
 * decodes into a one-byte string, which the gate decodes and parses faster than the two-byte string a single "›"
 * (in every key) makes of a line (bench/RESULTS.md).
 */
function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[\u0080-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/**
 * Parses an index (the bytes whose digest the caller has checked). Throws on anything but a whole index
 * in this format (a header, exactly the announced number of scenarios with a known status, the end line).
 *
 * Line by line from the bytes: decoding the whole index into one string first (UTF-8 with non-ASCII
 * scenario names makes it a two-byte string, twice the file's size) was most of the gate's parse time.
 */
export function parseResultsIndex(
  bytes: Buffer,
  path: string,
  file: string,
  opts: {
    requirementTagPrefix?: string;
    /** Shares strings and tag lists with the other indexes of the same load (one table per load). */
    shared?: SharedStrings;
    /** false: leave out each scenario's testCaseStartedId (the gate never reads it; the report does). */
    attemptIds?: boolean;
  } = {},
): TargetResults {
  const lines = lineReader(bytes);
  const header = JSON.parse(lines.next() ?? "null");
  if (
    header?.format !== FORMAT ||
    typeof header.target !== "string" ||
    typeof header.complete !== "boolean" ||
    !Number.isInteger(header.scenarios) ||
    header.scenarios < 0 ||
    !Number.isInteger(header.notRun) ||
    header.notRun < 0 ||
    !isSources(header.sources)
  )
    throw new Error(`${path}: not a results index (${FORMAT}; one of an older Signoff is not read)`);
  const truncated = () => new Error(`${path}: truncated results index`);
  // The announced count bounds nothing: a line that is not there ends the parse before any allocation for it.
  const reqPrefix = opts.requirementTagPrefix ?? DEFAULT_REQUIREMENT_TAG_PREFIX;
  const shared = opts.shared ?? new SharedStrings();
  const target = shared.string(header.target as string);
  const scenarios: ScenarioResult[] = [];
  for (let i = 0; i < header.scenarios; i++) {
    const line = lines.next();
    if (line === undefined) throw truncated();
    const s = JSON.parse(line);
    if (
      typeof s?.key !== "string" ||
      !isScenarioStatus(s.status) ||
      !Array.isArray(s.tags) ||
      s.tags.some((t: unknown) => typeof t !== "string") ||
      (s.failedStepLine !== undefined && !(Number.isInteger(s.failedStepLine) && s.failedStepLine > 0)) ||
      (s.noSteps !== undefined && !(s.noSteps === true && s.status === "undefined"))
    ) {
      if (s?.end !== undefined && lines.next() === undefined) throw truncated();
      throw new Error(`${path}: line ${i + 2} is not a scenario result`);
    }
    const hints = { like: shared.like(i, reqPrefix), last: scenarios[i - 1] };
    scenarios.push(compactScenario(s, target, shared, reqPrefix, opts.attemptIds !== false, hints));
  }
  const notRun: NotRunScenario[] = [];
  for (let i = 0; i < header.notRun; i++) {
    const line = lines.next();
    if (line === undefined) throw truncated();
    const n = JSON.parse(line);
    if (!isNotRun(n)) throw new Error(`${path}: line ${header.scenarios + i + 2} is not a scenario that was not run`);
    notRun.push({ uri: n.uri, line: n.line, name: n.name, tags: n.tags });
  }
  const end = JSON.parse(lines.next() ?? "null");
  if (end?.end !== header.scenarios || lines.next() !== undefined) throw truncated();
  shared.remember(reqPrefix, scenarios);
  const { complete, success } = header;
  return { target: header.target, file, complete, success, scenarios, sources: { ...header.sources }, notRun };
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

/** uri → SHA-256 hex, every entry. */
function isSources(x: unknown): x is Record<string, string> {
  return (
    typeof x === "object" &&
    x !== null &&
    !Array.isArray(x) &&
    Object.values(x).every((d) => typeof d === "string" && SHA256_HEX.test(d))
  );
}

function isNotRun(n: unknown): n is NotRunScenario {
  const x = n as Partial<NotRunScenario> | null;
  return (
    typeof x?.uri === "string" &&
    Number.isInteger(x.line) &&
    typeof x.name === "string" &&
    Array.isArray(x.tags) &&
    x.tags.every((t: unknown) => typeof t === "string")
  );
}

/**
 * One parsed index line as the scenario kept: every field in one shape (none added later), the strings and tag
 * lists other lines repeat shared, the attempt id only when asked for. The parsed line itself dies young.
 * Hints: `like`, the same line of the index shared before (another target), and `last`, the line before.
 */
function compactScenario(
  s: ScenarioResult,
  target: string,
  shared: SharedStrings,
  reqPrefix: string,
  attemptIds: boolean,
  { like, last }: { like?: ScenarioResult; last?: ScenarioResult },
): ScenarioResult {
  const { tags, requirements } = shared.tags(s.tags, reqPrefix, like);
  const kept: ScenarioResult = {
    key: shared.string(s.key, like?.key),
    uri: shared.string(s.uri, last?.uri),
    line: s.line,
    feature: shared.string(s.feature, last?.feature),
    name: shared.string(s.name, like?.name),
    tags,
    requirements,
    target,
    status: s.status,
    attempts: s.attempts,
    flaky: s.flaky,
    durationMs: s.durationMs,
  };
  // Rare (a failure, a property scenario): set only when the line has them, as the line had them.
  if (s.propertyRuns !== undefined) kept.propertyRuns = s.propertyRuns;
  if (s.failedStep !== undefined) kept.failedStep = s.failedStep;
  if (s.failedStepLine !== undefined) kept.failedStepLine = s.failedStepLine;
  if (s.error !== undefined) kept.error = s.error;
  if (s.errorType !== undefined) kept.errorType = s.errorType;
  if (attemptIds && s.testCaseStartedId !== undefined) kept.testCaseStartedId = s.testCaseStartedId;
  if (s.noSteps === true) kept.noSteps = true;
  return kept;
}

/** The lines of `bytes` ("\n"-terminated, the last one's newline optional), each decoded on its own. */
function lineReader(bytes: Buffer): { next(): string | undefined } {
  let at = 0;
  return {
    next() {
      if (at >= bytes.length) return undefined;
      let end = bytes.indexOf(0x0a, at);
      if (end < 0) end = bytes.length;
      const line = bytes.toString("utf8", at, end);
      at = end + 1;
      return line;
    },
  };
}

/**
 * The record run.json keeps for a messages file just read into `results` (its digest: what was parsed),
 * and the index written beside it. The index is only an optimisation: if it cannot be written, the
 * record still carries the messages' digest and `onIndexError` hears why.
 */
export function recordMessagesFile(
  messagesFile: string,
  relMessages: string,
  results: TargetResults,
  digest: MessagesDigest,
  onIndexError: (err: unknown) => void = () => {},
): MessagesFileRecord {
  const record: MessagesFileRecord = { bytes: digest.bytes, sha256: digest.sha256 };
  try {
    record.index = {
      file: resultsIndexPath(relMessages),
      sha256: writeResultsIndex(resultsIndexPath(messagesFile), results),
    };
  } catch (err) {
    onIndexError(err);
  }
  return record;
}
