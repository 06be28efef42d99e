// The regression baseline: per-test outcomes from the last passing verdict file or a results directory.
import { statSync } from "node:fs";
import { createHash } from "node:crypto";
import { cannotRead, readInputFile } from "../core/input-file";
import { UsageError } from "../core/errors";
import type { Baseline } from "./evaluate";
import { loadResults } from "../results/loader";
import { DEFAULT_LIMITS, parseVerdict, type CheckId, type VerdictEntry } from "../attest/verdict-file";
import type { Trust } from "../attest/trust";
import { verifyVerdict } from "./verify";

/**
 * A verdict file (.jsonl): its test-result statement's passed/warned/failed lists. The baseline is an
 * input the release engineer picks (like the policy); with `trust` its signatures are checked too
 * (verdictProblem), and only a policy that requires a baseline requires them to verify.
 */
function fromVerdict(file: string, trust: Trust | undefined, artifactName: string | undefined): Baseline {
  const buf = readInputFile(file, { what: "baseline", maxBytes: DEFAULT_LIMITS.maxBytes });
  const parsed = parseVerdict(buf);
  if (parsed.failures.length)
    throw new UsageError(`${file}: baseline verdict is malformed: ${parsed.failures[0].message}`);
  const evidence = parsed.entries.filter((e) => e.kind === "evidence");
  if (evidence.length !== 1)
    throw new UsageError(
      `${file}: a baseline verdict needs exactly one test-result statement (found ${evidence.length})`,
    );
  const p = evidence[0].statement.predicate;
  const tests = new Map<string, "passed" | "warned" | "failed">();
  for (const [field, outcome] of [
    ["passedTests", "passed"],
    ["warnedTests", "warned"],
    ["failedTests", "failed"],
  ] as const) {
    const list = p[field];
    if (!Array.isArray(list) || list.some((x) => typeof x !== "string"))
      throw new UsageError(`${file}: line ${evidence[0].line}: predicate.${field}: must be a list of strings`);
    for (const t of list as string[]) tests.set(t, outcome);
  }
  // As for a results dir: an empty baseline (a verdict whose gate read no results) would hide every regression.
  if (tests.size === 0) throw new UsageError(`${file}: line ${evidence[0].line}: the baseline has no scenario results`);
  const sha256 = createHash("sha256").update(buf).digest("hex");
  const unverified = trust
    ? verdictProblem(buf, evidence[0], parsed.entries, trust, artifactName)
    : "its signature was not checked (the gate was given no --trust)";
  return { source: file, sha256, tests, ...(unverified ? { unverified } : {}) };
}

/** A results directory (run.json + messages/): the same ids the gate writes, "<target> › <scenario key>". */
async function fromResults(dir: string, requirementTagPrefix: string): Promise<Baseline> {
  const loaded = await loadResults([dir], { requirementTagPrefix });
  const tests = new Map<string, "passed" | "warned" | "failed">();
  for (const f of loaded.files) {
    if (f.error || !f.results) throw new UsageError(`${f.path}: baseline results unreadable (${f.error ?? "no data"})`);
    for (const s of f.results.scenarios)
      tests.set(`${f.target} › ${s.key}`, s.status !== "passed" ? "failed" : s.flaky ? "warned" : "passed");
  }
  if (tests.size === 0) throw new UsageError(`${dir}: the baseline has no scenario results`);
  // The run.json its messages were checked against (each file's digest is in it) stands for the whole dir.
  const sha256 = loaded.manifests[0]?.sha256;
  if (!sha256) throw new UsageError(`${dir}: baseline results have no readable run.json`);
  return { source: dir, sha256, tests, unverified: "a results directory is no signed verdict" };
}

/**
 * What `signoff verify` checks of a verdict, bar what judges it as of today: sign-offs, the policy allow-list and the
 * runner keys (the last release was promoted under its own; the trust file may have moved on since, and pinning runner
 * keys must not leave a team with no baseline that counts) and its age (checked as of the time its gate verified it).
 * So a baseline counts when a gate key the trust file pins signed a PASSED decision over the evidence its tests come
 * from.
 */
const NOT_FOR_A_BASELINE: ReadonlySet<CheckId> = new Set(["signoff", "threshold", "policy", "runner"]);

function verdictProblem(
  buf: Buffer,
  evidence: VerdictEntry,
  entries: VerdictEntry[],
  trust: Trust,
  artifactName: string | undefined,
): string | undefined {
  const subject = evidence.statement.subject?.[0] as { name?: unknown; digest?: { sha256?: unknown } } | undefined;
  const decision = entries.find((e) => e.kind === "decision");
  const when = new Date(String(decision?.statement.predicate.timeVerified));
  if (typeof subject?.name !== "string" || typeof subject.digest?.sha256 !== "string")
    return "its evidence names no artifact";
  // Another product's last release says nothing of which scenarios this one had (compared as text, as verify does).
  if (artifactName !== undefined && subject.name !== artifactName)
    return `it is a verdict on ${JSON.stringify(subject.name)}, not on ${JSON.stringify(artifactName)}, the artifact being gated`;
  if (!decision || Number.isNaN(when.getTime())) return "it has no gate decision with the time it was made";
  const report = verifyVerdict(buf, {
    artifact: { name: subject.name, sha256: subject.digest.sha256 },
    trust,
    now: when,
  });
  return report.failures.find((f) => !NOT_FOR_A_BASELINE.has(f.check))?.message;
}

/**
 * The baseline at `path` (a verdict file, or a results directory). With `trust`, a verdict is checked as a
 * signed, passing gate decision on `artifactName` (Baseline.unverified says why not); the gate decides whether that
 * matters.
 */
export async function loadBaseline(
  path: string,
  requirementTagPrefix: string,
  trust?: Trust,
  artifactName?: string,
): Promise<Baseline> {
  let isDir: boolean;
  try {
    isDir = statSync(path).isDirectory();
  } catch (err) {
    throw cannotRead(path, "baseline", err);
  }
  return isDir ? fromResults(path, requirementTagPrefix) : fromVerdict(path, trust, artifactName);
}
