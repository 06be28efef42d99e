// Whether the results speak for every scenario of the feature files judged: read from what each messages file says
// Cucumber parsed (the text of each file, by digest), ran and left out, never from run.json's account of its selection.
import type { LoadedFile, LoadedManifest } from "../results/loader";
import type { NotRunScenario, TargetResults } from "../core/results-model";
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

/** A scenario as the messages name it: where it is, its name and tags. */
type Pickled = Pick<NotRunScenario, "uri" | "line" | "name" | "tags">;

const idOf = (p: { uri: string; line: number }) => `${p.uri}:${p.line}`;

function setIn<K, V>(map: Map<K, Set<V>>, key: K): Set<V> {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  return set;
}

/**
 * Scenarios not run (`scenarios: all`): on a target, one its results do not hold (in no shard either) and its tags do
 * not keep off that target — parsed and left out (a --tags or file:line selection, a rerun file, a selection in the
 * config), or in a feature file the target did not parse as judged (another run's results for that target); and one
 * its tags keep off every target the run had. `judged`: the digests of the feature files judged (any, when none).
 */
export function scenariosLeftOut(
  files: readonly ReadFile[],
  manifests: readonly LoadedManifest[],
  judged?: ReadonlySet<string>,
): string[] {
  const { known: targets, names: runTargets } = targetsOf(manifests);
  const isJudged = (f: ReadFile, uri: string) => {
    const digest = sourceOf(f.results, uri);
    return digest !== undefined && (!judged || judged.has(digest));
  };
  const ranOn = new Map<string, Set<string>>();
  const ranAnywhere = new Set<string>();
  const parsedBy = new Map<string, Set<string>>();
  const parsedByAny = new Set<string>();
  for (const f of files) {
    const ran = setIn(ranOn, f.target);
    for (const s of f.results.scenarios) {
      const id = idOf(s);
      ran.add(id);
      ranAnywhere.add(id);
    }
    const parsed = setIn(parsedBy, f.target);
    for (const uri in f.results.sources)
      if (isJudged(f, uri)) {
        parsed.add(uri);
        parsedByAny.add(uri);
      }
  }
  const leftOut = new Map<string, Set<string>>();
  const nowhere = new Map<string, string>();
  const consider = (target: string, p: Pickled) => {
    const id = idOf(p);
    if (ranOn.get(target)?.has(id)) return;
    const where = `${id} ${p.name}`;
    const kind = targets.get(target);
    if (kind && keptOffTarget(p.tags, { name: target, ...kind }, runTargets)) {
      if (!ranAnywhere.has(id)) nowhere.set(id, where);
    } else setIn(leftOut, where).add(target);
  };
  for (const f of files) for (const p of f.results.notRun) consider(f.target, p);
  // A feature file another target parsed as judged and this one did not: each of its scenarios is asked of it too.
  const unparsed = new Map<string, string[]>();
  for (const [target, parsed] of parsedBy) {
    const missing = [...parsedByAny].filter((uri) => !parsed.has(uri));
    if (missing.length > 0) unparsed.set(target, missing);
  }
  if (unparsed.size > 0) {
    const pickles = picklesOf(files, new Set([...unparsed.values()].flat()), isJudged);
    for (const [target, uris] of unparsed)
      for (const uri of uris) for (const p of pickles.get(uri) ?? []) consider(target, p);
  }
  const out: string[] = [];
  if (leftOut.size > 0) {
    const g = new Grouped();
    for (const [where, on] of leftOut) g.add("", `${where} — not on ${[...on].join(", ")}`);
    out.push(`${leftOut.size} scenario(s) were not run: ${listExamples(g.entries()[0][1])}; ${EVERY_SCENARIO}`);
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

/** The scenarios of these feature files, as the results files that parsed them as judged name them (once each). */
function picklesOf(
  files: readonly ReadFile[],
  uris: ReadonlySet<string>,
  isJudged: (f: ReadFile, uri: string) => boolean,
): Map<string, Pickled[]> {
  const out = new Map<string, Map<string, Pickled>>();
  const add = (f: ReadFile, p: Pickled) => {
    if (!uris.has(p.uri) || !isJudged(f, p.uri)) return;
    let byId = out.get(p.uri);
    if (!byId) out.set(p.uri, (byId = new Map()));
    if (!byId.has(idOf(p))) byId.set(idOf(p), p);
  };
  for (const f of files) {
    for (const s of f.results.scenarios) add(f, s);
    for (const p of f.results.notRun) add(f, p);
  }
  return new Map([...out].map(([uri, byId]) => [uri, [...byId.values()]]));
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
