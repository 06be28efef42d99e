// Whether the results speak for every scenario of the feature files judged: read from what each messages file says
// Cucumber parsed (the text of each file, by digest), ran and left out, never from run.json's account of its selection.
import type { LoadedFile, LoadedManifest } from "../results/loader";
import type { TargetResults } from "../core/results-model";
import { keptOffTarget } from "../core/target-narrowing";
import { Grouped, listExamples } from "./grouped";

/** A results file that was read. */
export type ReadFile = LoadedFile & { results: TargetResults };

const EVERY_SCENARIO = "the policy judges a build on every scenario of its feature files (scenarios: all)";

/** A uri's digest as a file records it: its own entries only (a uri such as "constructor" is no digest). */
function sourceOf(results: TargetResults, uri: string): string | undefined {
  return Object.hasOwn(results.sources, uri) ? results.sources[uri] : undefined;
}

/**
 * Results parsed from another text of their feature file than the one the gate reads (edited since the run, or
 * another run's results beside this one's): they speak for criteria nobody judges now. One message per feature file.
 */
export function resultsOfOtherText(files: readonly ReadFile[], features: ReadonlyArray<{ sha256: string }>): string[] {
  const judged = new Set(features.map((f) => f.sha256));
  const byUri = new Map<string, Set<string>>();
  for (const f of files) {
    const uris = new Set(f.results.scenarios.map((s) => s.uri));
    for (const uri of uris) {
      const digest = sourceOf(f.results, uri);
      if (digest !== undefined && judged.has(digest)) continue;
      if (!byUri.has(uri)) byUri.set(uri, new Set());
      byUri.get(uri)!.add(`${f.target} (${f.path})`);
    }
  }
  return [...byUri].map(
    ([uri, where]) =>
      `${uri}: the results of ${[...where].join(", ")} were parsed from another text of it than the one judged (changed since the run, or another run's results): they cannot speak for its scenarios`,
  );
}

/** Feature files judged that no results file parsed as they are now (`scenarios: all`). */
export function featuresNotParsed(
  files: readonly ReadFile[],
  features: ReadonlyArray<{ path: string; sha256: string }>,
): string | undefined {
  const parsed = new Set<string>();
  for (const f of files) for (const uri in f.results.sources) parsed.add(sourceOf(f.results, uri) ?? "");
  const notRun = new Grouped();
  for (const f of features) if (!parsed.has(f.sha256)) notRun.add("", f.path);
  const [g] = notRun.entries().map(([, group]) => group);
  if (!g) return undefined;
  const it = g.count === 1;
  return `${listExamples(g)}: not run as ${it ? "it is" : "they are"} now (changed since the run, or left out of it): no result speaks for ${it ? "its" : "their"} scenarios`;
}

/**
 * Scenarios parsed and not run (`scenarios: all`): on a target, one its results do not hold (in no shard either)
 * and its tags do not keep off that target (a --tags or file:line selection, a rerun file, a selection in the
 * config); and one its tags keep off every target the run had.
 */
export function scenariosLeftOut(files: readonly ReadFile[], manifests: readonly LoadedManifest[]): string[] {
  const { known: targets, names: runTargets } = targetsOf(manifests);
  const ranOn = new Map<string, Set<string>>();
  const ranAnywhere = new Set<string>();
  for (const f of files)
    for (const s of f.results.scenarios) {
      const id = `${s.uri}:${s.line}`;
      if (!ranOn.has(f.target)) ranOn.set(f.target, new Set());
      ranOn.get(f.target)!.add(id);
      ranAnywhere.add(id);
    }
  const leftOut = new Map<string, Set<string>>();
  const nowhere = new Map<string, string>();
  for (const f of files) {
    const target = targets.get(f.target);
    for (const p of f.results.notRun) {
      const id = `${p.uri}:${p.line}`;
      if (ranOn.get(f.target)?.has(id)) continue;
      const where = `${id} ${p.name}`;
      if (target && keptOffTarget(p.tags, { name: f.target, ...target }, runTargets)) {
        if (!ranAnywhere.has(id)) nowhere.set(id, where);
        continue;
      }
      if (!leftOut.has(where)) leftOut.set(where, new Set());
      leftOut.get(where)!.add(f.target);
    }
  }
  const out: string[] = [];
  if (leftOut.size > 0) {
    const g = new Grouped();
    for (const [where, on] of leftOut) g.add("", `${where} — not on ${[...on].join(", ")}`);
    out.push(
      `${leftOut.size} scenario(s) were parsed but not run: ${listExamples(g.entries()[0][1])}; ${EVERY_SCENARIO}`,
    );
  }
  if (nowhere.size > 0) {
    const g = new Grouped();
    for (const where of nowhere.values()) g.add("", where);
    out.push(
      `${nowhere.size} scenario(s) ran on no target (their tags keep them off every target the run had: ${runTargets.join(", ")}): ${listExamples(g.entries()[0][1])}; ${EVERY_SCENARIO} (run a target they are for, or set scenarios: selected)`,
    );
  }
  return out;
}

type RecordedTarget = { driver: "playwright" | "selenium"; mobile?: boolean };

/**
 * Each target's driver and device kind as the runs record them, and every target name they record. A target two
 * runs record differently, or with no driver, is not known (nothing excuses a scenario it did not run); one whose
 * device kind is not recorded is judged by both kinds.
 */
function targetsOf(manifests: readonly LoadedManifest[]): { known: Map<string, RecordedTarget>; names: string[] } {
  const seen = new Map<string, RecordedTarget | null>();
  for (const m of manifests)
    for (const t of m.manifest?.targets ?? []) {
      const had = seen.get(t.name);
      const now = t.driver === "playwright" || t.driver === "selenium" ? { driver: t.driver, mobile: t.mobile } : null;
      if (had === undefined) seen.set(t.name, now);
      else if (!had || !now || had.driver !== now.driver || had.mobile !== now.mobile) seen.set(t.name, null);
    }
  const known = new Map<string, RecordedTarget>();
  for (const [name, t] of seen) if (t) known.set(name, t);
  return { known, names: [...seen.keys()] };
}
