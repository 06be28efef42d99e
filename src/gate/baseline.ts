// The regression baseline: per-test outcomes from the last passing verdict file or a results directory.
import { statSync } from "node:fs";
import { createHash } from "node:crypto";
import { cannotRead, readInputFile } from "../core/input-file";
import { UsageError } from "../core/errors";
import type { Baseline } from "./evaluate";
import { loadResults } from "../results/loader";
import { DEFAULT_LIMITS, parseVerdict } from "../attest/verdict-file";

/**
 * A verdict file (.jsonl): its test-result statement's passed/warned/failed lists. The baseline is an
 * input the release engineer picks (like the policy), so its signatures are not checked here; verify
 * it with `signoff verify` first if it comes from somewhere untrusted.
 */
function fromVerdict(file: string): Baseline {
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
  return { source: file, sha256: createHash("sha256").update(buf).digest("hex"), tests };
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
  return { source: dir, sha256, tests };
}

export async function loadBaseline(path: string, requirementTagPrefix: string): Promise<Baseline> {
  let isDir: boolean;
  try {
    isDir = statSync(path).isDirectory();
  } catch (err) {
    throw cannotRead(path, "baseline", err);
  }
  return isDir ? fromResults(path, requirementTagPrefix) : fromVerdict(path);
}
