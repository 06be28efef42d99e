// Strict parsing of verdict.intoto.jsonl: limits, envelopes, base64, statements; problems are failures, not throws.
import {
  IN_TOTO_PAYLOAD_TYPE,
  decodeBase64Strict,
  decodeBase64StrictBytes,
  sha256Hex,
  type DsseEnvelope,
} from "./dsse";
import { isUtf8 } from "node:buffer";
import { DEFAULT_MAX_VALUES, parseStrictJsonBytes, StringSpan, type ValueCount } from "../core/strict-json";
import { isSha256Hex } from "./artifact";
import {
  SIGNOFF_PREDICATE,
  STATEMENT_TYPE,
  TEST_RESULT_LISTS,
  TEST_RESULT_PREDICATE,
  VSA_PREDICATE,
  type Statement,
} from "./in-toto";

export type CheckId =
  | "input"
  | "json"
  | "envelope"
  | "base64"
  | "payloadType"
  | "statement"
  | "predicateType"
  | "signature"
  | "subject"
  | "decision"
  | "evidence"
  | "runner"
  | "policy"
  | "age"
  | "signoff"
  | "threshold";

export interface Failure {
  check: CheckId;
  message: string;
}

export interface VerdictLimits {
  /** Whole file (default 32 MiB: evidence for 100k scenarios is ~10 MB). */
  maxBytes: number;
  /** Envelopes per file (default 1000: evidence + decision + sign-offs). */
  maxLines: number;
  /** Signatures per envelope (default 16). */
  maxSignatures: number;
}

export const DEFAULT_LIMITS: VerdictLimits = { maxBytes: 32 * 1024 * 1024, maxLines: 1000, maxSignatures: 16 };

/** A verdict refused as a whole before any line is read: here and where verify refuses it while reading the file. */
export const oversizedVerdict = (size: number, limit: number): Failure => ({
  check: "input",
  message: `verdict is ${size} bytes, more than the limit of ${limit} bytes (oversized input)`,
});
export const NOT_UTF8_VERDICT: Failure = { check: "input", message: "verdict is not valid UTF-8" };

export interface ParseOptions {
  /**
   * Build the evidence's lists of test names (default true). Without them (`false`) the lists are checked as
   * strictly but left out of the parsed statement: at 100k scenarios they are most of the parse's time, and
   * only the regression baseline reads them.
   */
  testNames?: boolean;
  /**
   * Decode each payload over its base64 in `input` (default false): for a caller that owns the buffer and reads
   * nothing else of it afterwards. At 100k scenarios, fresh memory for the 6.8 MB of decoded evidence cost more
   * than decoding it.
   */
  decodeInPlace?: boolean;
}

/** Left out of statements parsed with `testNames: false`: the predicate's own lists, nothing of that name elsewhere. */
const TEST_NAMES = TEST_RESULT_LISTS.map((list) => ["predicate", list]);

export type StatementKind = "evidence" | "decision" | "signoff";

/** An envelope as checked: its payload as parsed, a string or where the string lies in the line. */
export type CheckedEnvelope = Omit<DsseEnvelope, "payload"> & { payload: string | StringSpan };

export interface VerdictEntry {
  /** 1-based line number. */
  line: number;
  envelope: CheckedEnvelope;
  /** Decoded payload: the signed statement bytes. */
  payload: Buffer;
  /** sha256 hex of `payload`: how other statements reference this one. */
  digest: string;
  /** The parsed payload (without the test-name lists when parsed with `testNames: false`). */
  statement: Statement<Record<string, unknown>>;
  kind: StatementKind;
}

export interface ParsedVerdict {
  entries: VerdictEntry[];
  failures: Failure[];
  lineCount: number;
}

const KIND_BY_PREDICATE: Record<string, StatementKind> = {
  [TEST_RESULT_PREDICATE]: "evidence",
  [VSA_PREDICATE]: "decision",
  [SIGNOFF_PREDICATE]: "signoff",
};

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

function describe(x: unknown): string {
  const s = JSON.stringify(x);
  return s === undefined ? String(x) : s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

/**
 * The file's lines without their "\n" (none after a final newline), or undefined past `max` lines: a file of
 * 32 MB of newlines must not become 32 million buffers before it is refused.
 */
function splitLines(input: Buffer, max: number): Buffer[] | undefined {
  const lines: Buffer[] = [];
  for (let at = 0; at < input.length;) {
    if (lines.length === max) return undefined;
    let end = input.indexOf(0x0a, at);
    if (end < 0) end = input.length;
    lines.push(input.subarray(at, end));
    at = end + 1;
  }
  return lines;
}

/** Only whitespace (a blank line is its own failure, not a JSON error). */
function isBlank(bytes: Buffer): boolean {
  return bytes.length < 1024 && bytes.toString("utf8").trim() === "";
}

/** Envelope shape: exactly payloadType, payload, signatures[{keyid?, sig}] — nothing else, nothing missing. */
export function checkEnvelope(
  x: unknown,
  where: string,
  limits: VerdictLimits,
  fail: (c: CheckId, m: string) => void,
): CheckedEnvelope | undefined {
  if (!isObject(x)) return void fail("envelope", `${where}: not a DSSE envelope (expected a JSON object)`);
  for (const k of Object.keys(x))
    if (k !== "payloadType" && k !== "payload" && k !== "signatures")
      return void fail("envelope", `${where}: unexpected field ${describe(k)} in the envelope`);
  if (typeof x.payloadType !== "string") return void fail("envelope", `${where}: payloadType: missing or not a string`);
  if (typeof x.payload !== "string" && !(x.payload instanceof StringSpan))
    return void fail("envelope", `${where}: payload: missing or not a string`);
  if (!Array.isArray(x.signatures) || x.signatures.length === 0)
    return void fail("envelope", `${where}: signatures: missing or empty`);
  if (x.signatures.length > limits.maxSignatures)
    return void fail(
      "input",
      `${where}: ${x.signatures.length} signatures, more than the limit of ${limits.maxSignatures}`,
    );
  const signatures: DsseEnvelope["signatures"] = [];
  for (let i = 0; i < x.signatures.length; i++) {
    const s = x.signatures[i];
    if (!isObject(s)) return void fail("envelope", `${where}: signatures[${i}]: not an object`);
    for (const k of Object.keys(s))
      if (k !== "keyid" && k !== "sig")
        return void fail("envelope", `${where}: signatures[${i}]: unexpected field ${describe(k)}`);
    if (s.keyid !== undefined && (typeof s.keyid !== "string" || s.keyid.length > 512))
      return void fail("envelope", `${where}: signatures[${i}].keyid: not a string (or longer than 512)`);
    if (typeof s.sig !== "string" || s.sig.length > 2048)
      return void fail("envelope", `${where}: signatures[${i}].sig: missing, not a string or too long`);
    signatures.push({ keyid: (s.keyid as string | undefined) ?? "", sig: s.sig });
  }
  return { payloadType: x.payloadType, payload: x.payload, signatures };
}

/**
 * The envelope's payload decoded from strict base64, or undefined. A span without escapes is decoded from where it
 * lies (over itself with `inPlace`); its bytes were not read by the parser, and the decoder refuses anything but
 * base64's alphabet, so a control character JSON forbids is refused here.
 */
export function decodePayload(payload: string | StringSpan, inPlace = false): Buffer | undefined {
  if (typeof payload === "string") return decodeBase64Strict(payload);
  if (payload.escaped) return decodeBase64Strict(payload.value());
  return decodeBase64StrictBytes(payload.bytes.subarray(payload.start, payload.end), { inPlace });
}

/** Statement v1 shape and a known predicateType; returns the kind or reports why not. */
function checkStatement(x: unknown, where: string, fail: (c: CheckId, m: string) => void): StatementKind | undefined {
  if (!isObject(x))
    return void fail("statement", `${where}: payload is not an in-toto statement (expected a JSON object)`);
  if (x._type !== STATEMENT_TYPE)
    return void fail("statement", `${where}: _type is ${describe(x._type)}, expected "${STATEMENT_TYPE}"`);
  if (!Array.isArray(x.subject) || x.subject.length === 0 || x.subject.length > 1024)
    return void fail("statement", `${where}: subject: must be a non-empty list`);
  for (let i = 0; i < x.subject.length; i++) {
    const s = x.subject[i];
    if (!isObject(s) || !isObject(s.digest))
      return void fail("statement", `${where}: subject[${i}]: must have a digest object`);
    if (s.digest.sha256 !== undefined && !isSha256Hex(s.digest.sha256))
      return void fail("statement", `${where}: subject[${i}].digest.sha256: must be 64 lowercase hex digits`);
  }
  if (typeof x.predicateType !== "string")
    return void fail("statement", `${where}: predicateType: missing or not a string`);
  // Own keys only: "toString" or "constructor" is no predicate type.
  const kind = Object.hasOwn(KIND_BY_PREDICATE, x.predicateType) ? KIND_BY_PREDICATE[x.predicateType] : undefined;
  if (!kind)
    return void fail(
      "predicateType",
      `${where}: predicateType ${describe(x.predicateType)} is not one of ${Object.keys(KIND_BY_PREDICATE).join(", ")}`,
    );
  if (!isObject(x.predicate)) return void fail("statement", `${where}: predicate: missing or not an object`);
  return kind;
}

/**
 * Parses a verdict file's bytes. Never throws: every problem becomes a Failure naming the line, and
 * the lines that are well-formed are still returned so verify can name every other failed check too.
 */
export function parseVerdict(
  input: Buffer,
  limits: VerdictLimits = DEFAULT_LIMITS,
  opts: ParseOptions = {},
): ParsedVerdict {
  // One count of JSON values over all lines, so that the cap holds for the file: each of a thousand lines of tiny
  // values would pass a cap per line.
  const counted: ValueCount = { values: 0, of: "the verdict" };
  const statementOptions = { maxDepth: 32, skip: opts.testNames === false ? TEST_NAMES : undefined, counted };
  const failures: Failure[] = [];
  const entries: VerdictEntry[] = [];
  const fail = (check: CheckId, message: string) => void failures.push({ check, message });
  if (input.length > limits.maxBytes)
    return { entries, failures: [oversizedVerdict(input.length, limits.maxBytes)], lineCount: 0 };
  // Checked as UTF-8 once, then read as bytes: decoding megabytes to a string costs more than parsing them.
  if (!isUtf8(input)) return { entries, failures: [{ ...NOT_UTF8_VERDICT }], lineCount: 0 };
  if (input.length === 0) {
    fail("input", "verdict is empty");
    return { entries, failures, lineCount: 0 };
  }
  // Every line we write ends with "\n": a missing one means the file was cut short (a torn write or copy).
  const endsWithNewline = input[input.length - 1] === 0x0a;
  if (!endsWithNewline) fail("input", "verdict is truncated: the last line has no terminating newline");
  const lines = splitLines(input, limits.maxLines);
  if (!lines) {
    fail("input", `verdict has more lines than the limit of ${limits.maxLines}`);
    return { entries, failures, lineCount: limits.maxLines + 1 };
  }
  lines.forEach((raw, idx) => {
    const line = idx + 1;
    const where = `line ${line}`;
    if (counted.values > DEFAULT_MAX_VALUES) return; // refused on an earlier line; the rest is not read
    const bytes = raw[raw.length - 1] === 0x0d ? raw.subarray(0, -1) : raw;
    if (isBlank(bytes)) return fail("envelope", `${where}: empty line`);
    let json: unknown;
    try {
      // The payload is left where it is in the line and decoded from there (decodePayload).
      json = parseStrictJsonBytes(bytes, { maxDepth: 32, spans: [["payload"]], counted });
    } catch (err) {
      const truncated = idx === lines.length - 1 && !endsWithNewline;
      return fail(
        truncated ? "input" : "json",
        `${where}: ${truncated ? "truncated JSON: " : ""}${(err as Error).message}`,
      );
    }
    const env = checkEnvelope(json, where, limits, fail);
    if (!env) return;
    if (env.payloadType !== IN_TOTO_PAYLOAD_TYPE)
      return fail(
        "payloadType",
        `${where}: payloadType is ${describe(env.payloadType)}, expected "${IN_TOTO_PAYLOAD_TYPE}"`,
      );
    const payload = decodePayload(env.payload, opts.decodeInPlace);
    if (!payload) return fail("base64", `${where}: payload is not valid base64`);
    for (let i = 0; i < env.signatures.length; i++)
      if (!decodeBase64Strict(env.signatures[i].sig) || env.signatures[i].sig === "")
        return fail("base64", `${where}: signatures[${i}].sig is not valid base64`);
    let statementJson: unknown;
    try {
      // From its bytes: the test names hold "›", so the statement decoded whole is a two-byte string that
      // costs more to make than the parse (bench/RESULTS.md, verify at 100k).
      statementJson = parseStrictJsonBytes(payload, statementOptions);
    } catch (err) {
      return fail("statement", `${where}: payload is not a JSON statement (${(err as Error).message})`);
    }
    const kind = checkStatement(statementJson, where, fail);
    if (!kind) return;
    entries.push({
      line,
      envelope: env,
      payload,
      digest: sha256Hex(payload),
      statement: statementJson as Statement<Record<string, unknown>>,
      kind,
    });
  });
  return { entries, failures, lineCount: lines.length };
}
