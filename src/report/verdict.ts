// Reads the gate's verdict file (reports/verdict.intoto.jsonl) for display only — defensively.
// Nothing here verifies a signature (that is `signoff verify`'s job); a verdict that cannot be
// read is shown as such, never as a pass.
import { existsSync } from "node:fs";
import { readInputFile } from "../core/input-file";
import { GATE_DETAIL_KEY, VSA_PREDICATE } from "../attest/in-toto";
import { sha256Hex } from "../attest/dsse";
import { DEFAULT_LIMITS, parseVerdict, type ParsedVerdict } from "../attest/verdict-file";

export interface VerdictView {
  file: string;
  /** PASSED | FAILED | whatever the decision says; undefined when no decision statement was readable. */
  result?: string;
  reasons: string[];
  subject?: { name?: string; sha256?: string };
  timeVerified?: string;
  policy?: { uri?: string; sha256?: string };
  signers: string[];
  /** Sign-off statements found beside the decision (role, signer). */
  signoffs: { role?: string; keyid?: string; time?: string; comment?: string }[];
  /** Problems reading the file, one line each. */
  problems: string[];
  /**
   * The requirement ids the decision's coverage lists (the policy's, or every one the gate found declared), as
   * written: unverified, so the report only adds them as rows, never takes a cell's status from the verdict.
   */
  requirements: string[];
  /** SHA-256 of each run.json the evidence names: the runs this verdict judged. */
  runManifests: string[];
  /**
   * Set by judgedRun when the verdict is not shown as this run's decision: why (it judged other results, an
   * earlier run's say; or this run's run.json could not be read to tell).
   */
  otherRun?: string;
}

/** A nested own field of untrusted JSON, or undefined. */
function field(v: unknown, ...path: string[]): unknown {
  for (const k of path) {
    if (v === null || typeof v !== "object" || !Object.hasOwn(v, k)) return undefined;
    v = (v as Record<string, unknown>)[k];
  }
  return v;
}

function str(v: unknown): string | undefined {
  return typeof v === "string" ? v : typeof v === "number" ? String(v) : undefined;
}

/** Every "reasons" array anywhere in the predicate (namespaced detail), as lines. */
function findReasons(v: unknown, depth = 0): string[] {
  if (depth > 6 || v === null || typeof v !== "object") return [];
  const out: string[] = [];
  for (const [k, val] of Object.entries(v as Record<string, unknown>)) {
    if (/^reasons$/i.test(k) && Array.isArray(val)) {
      for (const r of val) {
        const line =
          str(r) ??
          (r && typeof r === "object"
            ? (str(field(r, "message")) ?? str(field(r, "text")) ?? str(field(r, "reason")) ?? JSON.stringify(r))
            : undefined);
        if (line) out.push(line);
      }
    } else if (typeof val === "object") for (const line of findReasons(val, depth + 1)) out.push(line); // no spread: 100k+ lines overflow the stack
  }
  return out;
}

/** Reads the verdict with the parser `signoff verify` uses (src/attest/verdict-file.ts): what one shows, the other read. */
export function readVerdict(file: string): VerdictView | undefined {
  if (!existsSync(file)) return undefined;
  const view: VerdictView = {
    file,
    reasons: [],
    signers: [],
    signoffs: [],
    problems: [],
    requirements: [],
    runManifests: [],
  };
  let parsed: ParsedVerdict;
  try {
    parsed = parseVerdict(readInputFile(file, { what: "verdict", maxBytes: DEFAULT_LIMITS.maxBytes }), DEFAULT_LIMITS, {
      testNames: false,
    });
  } catch (err) {
    view.problems.push((err as Error).message);
    return view;
  }
  for (const f of parsed.failures) view.problems.push(f.message);
  for (const e of parsed.entries) {
    const pred: unknown = e.statement.predicate;
    if (e.kind === "decision") {
      view.result = str(field(pred, "verificationResult")) ?? "(no verificationResult)";
      view.reasons = findReasons(pred);
      const subj = e.statement.subject[0];
      view.subject = { name: str(field(subj, "name")), sha256: str(field(subj, "digest", "sha256")) };
      view.timeVerified = str(field(pred, "timeVerified"));
      view.policy = { uri: str(field(pred, "policy", "uri")), sha256: str(field(pred, "policy", "digest", "sha256")) };
      view.signers = e.envelope.signatures.map((s) => str(s.keyid) || "(no keyid)");
      const covered = field(pred, GATE_DETAIL_KEY, "coverage", "requirements");
      view.requirements = Array.isArray(covered) ? covered.filter((r): r is string => typeof r === "string") : [];
    } else if (e.kind === "evidence") {
      const configuration = field(pred, "configuration");
      for (const d of Array.isArray(configuration) ? configuration : []) {
        const sha256 = str(field(d, "digest", "sha256"));
        if (field(d, "name") === "run-manifest" && sha256) view.runManifests.push(sha256);
      }
    } else if (e.kind === "signoff") {
      view.signoffs.push({
        role: str(field(pred, "role")),
        keyid: str(field(pred, "signer", "keyid")),
        time: str(field(pred, "timeSigned")),
        comment: str(field(pred, "comment")),
      });
    }
  }
  if (view.result === undefined) view.problems.push(`no decision statement (predicateType ${VSA_PREDICATE}) found`);
  return view;
}

/**
 * The verdict as it applies to the run whose run.json has these bytes: one that judged other results (a
 * verdict left from an earlier run in the same reports dir, or gated on other dirs) is marked otherRun, and
 * is then shown as no decision for this run, never as this run's PASSED or FAILED.
 */
export function judgedRun(v: VerdictView | undefined, runJson: Buffer | undefined): VerdictView | undefined {
  if (!v || !v.result) return v;
  if (!runJson) return { ...v, otherRun: "this run's run.json could not be read to check that it judged this run" };
  if (v.runManifests.includes(sha256Hex(runJson))) return v;
  return { ...v, otherRun: "judged other results than this run's" };
}

/** The verdict when it is this run's decision (readable, and judged this run). */
export function decisionOf(v: VerdictView | undefined): VerdictView | undefined {
  return v && !v.otherRun ? v : undefined;
}

/** Why a verdict that exists is not this run's decision; undefined otherwise. */
export function otherRunNote(v: VerdictView | undefined): string | undefined {
  return v?.otherRun ? `${v.file}: ${v.otherRun} (run \`signoff gate\` for this run)` : undefined;
}

/** One line for a terminal or a table cell. */
export function verdictLine(v: VerdictView | undefined): string {
  if (v?.otherRun) return `no decision for this run: ${otherRunNote(v)}`;
  if (!v) return "no verdict yet (run `signoff gate`)";
  if (!v.result) return `verdict unreadable: ${v.problems[0] ?? "unknown shape"}`;
  return `${v.result}${v.reasons.length ? ` — ${v.reasons.length} reason${v.reasons.length > 1 ? "s" : ""}` : ""}`;
}
