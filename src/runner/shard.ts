// `--shard i/n`: a deterministic slice of the scenarios, the same on every machine given the same features.
//
// Every scenario (pickle: one per scenario, one per example row) is listed in-process with Cucumber's own
// Gherkin compiler and tag-expression parser, filtered by the same tag expression the target's Cucumber
// process gets, sorted by "uri:line", and dealt round-robin: shard i takes the scenarios at positions
// i-1, i-1+n, i-1+2n... Round-robin (not contiguous blocks) spreads long features over the shards.
// The slice goes to Cucumber as "file:line" paths, so Cucumber itself still decides what runs.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { newIds, nodeLinesOf, parseFeature, picklesOf } from "../core/gherkin";
import parseTagExpression from "@cucumber/tag-expressions";
import { UsageError } from "../core/errors";
import { MAX_RUN_SHARDS } from "../core/manifest-schema";

export interface Shard {
  /** 1-based. */
  index: number;
  total: number;
}

/** "2/3" → {index: 2, total: 3}; anything else is a usage error. */
export function parseShard(text: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!m) throw new UsageError(`--shard must look like i/n (e.g. 1/3), got "${text}"`);
  const index = Number(m[1]);
  const total = Number(m[2]);
  if (total < 1 || index < 1 || index > total)
    throw new UsageError(`--shard ${text}: i must be between 1 and n (n ≥ 1)`);
  // `signoff merge` could not combine more: run.json lists at most this many merged shards.
  if (total > MAX_RUN_SHARDS) throw new UsageError(`--shard ${text}: n must be at most ${MAX_RUN_SHARDS}`);
  return { index, total };
}

export interface PickleRef {
  /** Feature file path as Cucumber prints it (relative to the working directory, forward slashes). */
  uri: string;
  /** Line of the scenario, or of the example row for an outline. */
  line: number;
  /**
   * Every line a `file:LINE` path selects it by, as Cucumber's line filter does: the scenario's, and an outline's
   * example its row's too (an outline's line selects all its examples). Absent: `line` only.
   */
  selectedBy?: number[];
  name: string;
  tags: string[];
}

/** Every pickle of the given feature files (relative paths), in file order. */
export function listPickles(files: string[], cwd = process.cwd()): PickleRef[] {
  const newId = newIds();
  const out: PickleRef[] = [];
  for (const file of files) {
    const uri = file.split("\\").join("/");
    const doc = parseFeature(readFileSync(join(cwd, file), "utf8"), uri, newId);
    const lines = nodeLinesOf(doc);
    for (const p of picklesOf(doc, uri, newId)) {
      const node = p.astNodeIds[1] ?? p.astNodeIds[0];
      const selectedBy = p.astNodeIds.map((id) => lines.get(id)).filter((l): l is number => l !== undefined);
      out.push({ uri, line: lines.get(node) ?? 0, selectedBy, name: p.name, tags: p.tags.map((t) => t.name) });
    }
  }
  return out;
}

/** "features/a.feature:12:30" → lines wanted per file ({} when no pattern names a line). */
function lineFilters(patterns: string[]): Map<string, Set<number>> {
  const wanted = new Map<string, Set<number>>();
  for (const p of patterns) {
    const m = /^(.*?)((?::\d+)+)$/.exec(p);
    if (!m) continue;
    const file = m[1].split("\\").join("/").replace(/^\.\//, "");
    const set = wanted.get(file) ?? new Set<number>();
    for (const l of m[2].split(":").filter(Boolean)) set.add(Number(l));
    wanted.set(file, set);
  }
  return wanted;
}

/** The pickles one target runs (tag expression as given to its Cucumber process), sorted by uri:line. */
export function selectPickles(
  pickles: PickleRef[],
  tagExpression: string | undefined,
  patterns: string[] = [],
): PickleRef[] {
  const expr = tagExpression ? parseTagExpression(tagExpression) : undefined;
  const lines = lineFilters(patterns);
  return pickles
    .filter((p) => !expr || expr.evaluate(p.tags))
    .filter((p) => !lines.has(p.uri) || (p.selectedBy ?? [p.line]).some((l) => lines.get(p.uri)!.has(l)))
    .sort((a, b) => (a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : a.line - b.line));
}

/** Round-robin slice: positions index-1, index-1+total, ... of the sorted list. */
export function shardSlice<T>(sorted: T[], shard: Shard): T[] {
  return sorted.filter((_, i) => i % shard.total === shard.index - 1);
}

/** Cucumber paths for a slice: one "file:line:line..." per feature file, in order. */
export function slicePaths(slice: PickleRef[]): string[] {
  const byFile = new Map<string, number[]>();
  for (const p of slice) {
    const lines = byFile.get(p.uri) ?? [];
    if (!lines.includes(p.line)) lines.push(p.line);
    byFile.set(p.uri, lines);
  }
  return [...byFile].map(([uri, lines]) => `${uri}:${lines.join(":")}`);
}

/**
 * The feature files (relative paths) none of whose scenarios the target runs: none passes its tag expression, or
 * the file has none (a Background only). Given whole to a shard's Cucumber they run nothing and are parsed, so its
 * messages show the gate every feature file was read (a slice's file:line paths name only the files it runs).
 */
export function idleFiles(files: readonly string[], pickles: readonly PickleRef[], tagExpression: string): string[] {
  const expr = parseTagExpression(tagExpression);
  const busy = new Set(pickles.filter((p) => expr.evaluate(p.tags)).map((p) => p.uri));
  return files.map((f) => f.split("\\").join("/")).filter((uri) => !busy.has(uri));
}
