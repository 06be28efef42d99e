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

/** A path's names, for telling which of the gate's feature files a run's uri is (they may lie in other directories). */
const namesOf = (path: string) => path.split(/[\\/]+/).filter((n) => n !== "" && n !== ".");

/**
 * The gate's feature files by file name, to find the one a run's uri names: the one whose path ends in the most of the
 * uri's names (at least its file name). "none": the gate judges no file of that name; "ambiguous": two tie.
 */
function gateFilesByName(features: ReadonlyArray<{ path: string; sha256: string }>) {
  const byName = new Map<string, Array<{ path: string; sha256: string; names: string[] }>>();
  for (const f of features) {
    const names = namesOf(f.path);
    const name = names.at(-1) ?? f.path;
    let list = byName.get(name);
    if (!list) byName.set(name, (list = []));
    list.push({ ...f, names });
  }
  return (uri: string): { path: string; sha256: string } | "none" | "ambiguous" => {
    const names = namesOf(uri);
    const candidates = byName.get(names.at(-1) ?? uri);
    if (!candidates) return "none";
    const common = (c: { names: string[] }) => {
      let n = 0;
      while (n < names.length && n < c.names.length && names.at(-1 - n) === c.names.at(-1 - n)) n++;
      return n;
    };
    const scored = candidates.map((c) => ({ c, n: common(c) })).sort((a, b) => b.n - a.n);
    if (scored.length > 1 && scored[0].n === scored[1].n) return "ambiguous";
    return scored[0].c;
  };
}

/** A gate's path, with the run's uri for it when that is spelled otherwise. */
const shownAs = (path: string, uri: string) => (path === uri ? path : `${path} (the run's ${uri})`);

/**
 * The feature files the gate judges, as a run's results name them. Results speak for a feature file only when the
 * gate's file that their uri names has the text they were parsed from: a text any other file judged has (a copy of an
 * old version added under another name) speaks for nothing.
 */
export class JudgedFeatures {
  private readonly byName: ReturnType<typeof gateFilesByName>;
  private readonly files = new Map<string, { path: string; sha256: string } | "none" | "ambiguous">();

  constructor(readonly features: ReadonlyArray<{ path: string; sha256: string }>) {
    this.byName = gateFilesByName(features);
  }

  /** The gate's file a run's uri names; "none": no file of that name; "ambiguous": two tie. */
  fileOf(uri: string): { path: string; sha256: string } | "none" | "ambiguous" {
    let file = this.files.get(uri);
    if (file === undefined) this.files.set(uri, (file = this.byName(uri)));
    return file;
  }

  /** Results that parsed `uri` as the text of SHA-256 `digest` speak for the gate's file of that uri, as judged. */
  speaksFor(uri: string, digest: string | undefined): boolean {
    const file = this.fileOf(uri);
    return digest !== undefined && typeof file === "object" && file.sha256 === digest;
  }
}

/**
 * A target's results files → whether a scenario of `uri` speaks for the feature file as judged: every file that parsed
 * it parsed the text the gate judges. A feature file changed since the run, or not given to the gate, is
 * `features-not-run`; its scenarios must not show as covering a requirement either.
 */
export function judgedText(files: readonly LoadedFile[], judged: JudgedFeatures): (uri: string) => boolean {
  const ok = new Set<string>();
  const stale = new Set<string>();
  for (const f of files)
    if (f.results)
      for (const [uri, digest] of Object.entries(f.results.sources))
        (judged.speaksFor(uri, digest) ? ok : stale).add(uri);
  return (uri) => ok.has(uri) && !stale.has(uri);
}

/**
 * Feature files whose results are not of the text judged (`features-not-run`), one message per file:
 * - results parsed from another text of their feature file than the one the gate reads (either policy): the file was
 *   changed since the run (named by the gate's path), or the gate was not given the file the run parsed (named by the
 *   run's uri: pass the gate the same feature files), or these are another run's results;
 * - with `all` (scenarios: all), a feature file judged that no results file parsed as it is now: changed since the run,
 *   or left out of it (or added since). `lacking`: why some results are not here (refused, a shard missing), when they
 *   are not: the file's results may be among them.
 * A file is named once, under the gate's path.
 */
export function featureTextProblems(
  files: readonly ReadFile[],
  judged: JudgedFeatures,
  all: boolean,
  lacking?: string,
): string[] {
  const gateFileOf = (uri: string) => judged.fileOf(uri);
  /** The gate's files some results file parsed as they are now (under the uri that names each). */
  const parsed = new Set<string>();
  const uris = new Set<string>();
  for (const f of files)
    for (const uri in f.results.sources) {
      const file = gateFileOf(uri);
      if (typeof file === "object" && judged.speaksFor(uri, sourceOf(f.results, uri))) parsed.add(file.path);
      uris.add(uri);
    }
  /** uri → the results files (target and path) that parsed another text of it than the one judged. */
  const byUri = new Map<string, Array<{ target: string; path: string }>>();
  for (const f of files) {
    const scenarioUris = new Set(f.results.scenarios.map((s) => s.uri));
    for (const uri of scenarioUris) {
      if (judged.speaksFor(uri, sourceOf(f.results, uri))) continue;
      if (!byUri.has(uri)) byUri.set(uri, []);
      byUri.get(uri)!.push({ target: f.target, path: f.path });
    }
  }
  const out: string[] = [];
  /** The gate's files named already (their results are of another text): not named again as not run. */
  const named = new Set<string>();
  for (const [uri, where] of byUri) {
    const results = `the results of ${where.map((w) => `${w.target} (${w.path})`).join(", ")}`;
    const file = gateFileOf(uri);
    if (file === "none")
      out.push(
        `${uri}: not given to the gate: the run parsed this feature file (the results of ${[...new Set(where.map((w) => w.target))].join(", ")}), and no feature file the gate judges has that name — pass the gate the same feature files the run ran (--features)`,
      );
    else if (file === "ambiguous")
      out.push(
        `${uri}: ${results} were parsed from another text of it than the one judged (changed since the run, or another run's results): they cannot speak for its scenarios`,
      );
    else {
      named.add(file.path);
      // Other results parsed the file as it is now: these were parsed from another text of it.
      const cause = parsed.has(file.path)
        ? `${results} were parsed from another text of it than the one judged, which other results parsed (are these another run's results?)`
        : `changed since the run: ${results} were parsed from another text of it than the one judged (or they are another run's results)`;
      out.push(`${shownAs(file.path, uri)}: ${cause}: they cannot speak for its scenarios`);
    }
  }
  if (!all) return out;
  // The run's uri for each gate file a results file parsed under that name (as another text when not in `parsed`).
  const runUriOf = new Map<string, string>();
  for (const uri of uris) {
    const file = gateFileOf(uri);
    if (typeof file === "object" && !runUriOf.has(file.path)) runUriOf.set(file.path, uri);
  }
  const changed = new Grouped();
  const leftOut = new Grouped();
  for (const f of judged.features) {
    if (parsed.has(f.path) || named.has(f.path)) continue;
    const uri = runUriOf.get(f.path);
    if (uri !== undefined) changed.add("", shownAs(f.path, uri));
    else leftOut.add("", f.path);
  }
  const [c] = changed.entries().map(([, group]) => group);
  if (c) {
    const it = c.count === 1;
    out.push(
      `${listExamples(c)}: changed since the run (the results parsed another text of ${it ? "it" : "them"}): no result speaks for ${it ? "its" : "their"} scenarios as ${it ? "it is" : "they are"} now`,
    );
  }
  const [l] = leftOut.entries().map(([, group]) => group);
  if (l) {
    const it = l.count === 1;
    const why = lacking
      ? `no results file read parsed ${it ? "it" : "them"} — ${lacking}; or ${it ? "it was" : "they were"} left out of the run, or added since`
      : `the run did not parse ${it ? "it" : "them"} (left out of the run, or added since)`;
    out.push(`${listExamples(l)}: ${why}: no result speaks for ${it ? "its" : "their"} scenarios`);
  }
  return out;
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
 * its tags keep off every target the run had. `judged`: the feature files judged (any text, when none).
 * `lacking`: targets some of whose results are not here (a file refused, a shard missing): a scenario with no result on
 * one may be in those results, so it is named apart, with that cause first.
 */
export function scenariosLeftOut(
  files: readonly ReadFile[],
  manifests: readonly LoadedManifest[],
  judged?: JudgedFeatures,
  lacking?: { has(target: string): boolean; why(targets: readonly string[]): string },
): string[] {
  const { known: targets, names: runTargets } = targetsOf(manifests);
  const isJudged = (f: ReadFile, uri: string) => {
    const digest = sourceOf(f.results, uri);
    return digest !== undefined && (!judged || judged.speaksFor(uri, digest));
  };
  const parsedBy = new Map<string, Set<string>>();
  const parsedByAny = new Set<string>();
  for (const f of files) {
    const parsed = setIn(parsedBy, f.target);
    for (const uri in f.results.sources)
      if (isJudged(f, uri)) {
        parsed.add(uri);
        parsedByAny.add(uri);
      }
  }
  // A feature file another target parsed as judged and this one did not: each of its scenarios is asked of it too.
  const unparsed = new Map<string, string[]>();
  for (const [target, parsed] of parsedBy) {
    const missing = [...parsedByAny].filter((uri) => !parsed.has(uri));
    if (missing.length > 0) unparsed.set(target, missing);
  }
  // Nothing parsed and left out, no file a target did not parse: every scenario ran (the usual run, and the gate's
  // 100k bench), so the scenarios that ran are not indexed.
  if (unparsed.size === 0 && files.every((f) => f.results.notRun.length === 0)) return [];
  const ranOn = new Map<string, Set<string>>();
  const ranAnywhere = new Set<string>();
  for (const f of files) {
    const ran = setIn(ranOn, f.target);
    for (const s of f.results.scenarios) {
      const id = idOf(s);
      ran.add(id);
      ranAnywhere.add(id);
    }
  }
  const leftOut = new Map<string, Set<string>>();
  /** Not run on a target whose results are not all here: perhaps in those. */
  const noResult = new Map<string, Set<string>>();
  const nowhere = new Map<string, string>();
  const consider = (target: string, p: Pickled) => {
    const id = idOf(p);
    if (ranOn.get(target)?.has(id)) return;
    const where = `${id} ${p.name}`;
    const kind = targets.get(target);
    if (kind && keptOffTarget(p.tags, { name: target, ...kind }, runTargets)) {
      if (!ranAnywhere.has(id)) nowhere.set(id, where);
    } else setIn(lacking?.has(target) ? noResult : leftOut, where).add(target);
  };
  for (const f of files) for (const p of f.results.notRun) consider(f.target, p);
  if (unparsed.size > 0) {
    const pickles = picklesOf(files, new Set([...unparsed.values()].flat()), isJudged);
    for (const [target, uris] of unparsed)
      for (const uri of uris) for (const p of pickles.get(uri) ?? []) consider(target, p);
  }
  const out: string[] = [];
  if (noResult.size > 0) {
    const g = new Grouped();
    const on = new Set<string>();
    for (const [where, those] of noResult) {
      g.add("", `${where} — not on ${[...those].join(", ")}`);
      for (const t of those) on.add(t);
    }
    out.push(
      `${noResult.size} scenario(s) have no result (${lacking!.why([...on].sort())}): ${listExamples(g.entries()[0][1])}`,
    );
  }
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
