// Every `file:LINE` a run is given must select a scenario: Cucumber runs what the other paths select and says nothing of a line that selects none.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import parseTagExpression from "@cucumber/tag-expressions";
import { NothingSelectedError, UsageError } from "../core/errors";
import { newIds, nodeLinesOf, parseFeature, picklesOf, type GherkinDocument } from "../core/gherkin";
import { escapeControl } from "../core/safe-text";
import { refuseLines } from "../core/refuse-lines";
import { rowlessOutlineError } from "./features";

/** Cucumber's own split of a path into its file and its lines (pickle_filter.js, FEATURE_LINENUM_REGEXP). */
const LINE_PATH = /^(.*?)((?::\d+)+)$/;

/** "features/a.feature:12:30" → the file and its lines; undefined for a path with no line. */
export function splitLinePath(path: string): { file: string; lines: number[] } | undefined {
  const m = LINE_PATH.exec(path);
  if (!m) return undefined;
  return { file: m[1], lines: m[2].slice(1).split(":").map(Number) };
}

/** Where one line of a `file:LINE` path points when it selects no scenario, and where to point instead. */
export interface UnselectedLine {
  line: number;
  /** "line 48 is a step of …": what Cucumber found there, or why the scenario there is not run. */
  why: string;
  /** Whether the line points at no Scenario, Scenario Outline or Examples row (not one that --tags leaves out). */
  notAScenario: boolean;
}

type Scenario = NonNullable<NonNullable<GherkinDocument["feature"]>["children"][number]["scenario"]>;

/**
 * The lines of `lines` that select no scenario of the document, as cucumber-js 12 selects (pickle_filter.js): a line
 * selects every pickle whose scenario or example row starts on it, so a Scenario's line selects it, a Scenario
 * Outline's every example, an Examples row's its example; a Feature, Rule, Background, step, tag, Examples or
 * table-header line selects nothing (Cucumber ignores it). With `tags`, a line whose scenarios the expression
 * leaves out selects nothing either. Each comes with what is on that line and the scenario line nearest it.
 */
export function unselectedLines(
  doc: GherkinDocument,
  text: string,
  file: string,
  lines: readonly number[],
  tags?: string,
): UnselectedLine[] {
  const nodeLines = nodeLinesOf(doc);
  const pickles = picklesOf(doc, doc.uri ?? file, newIds());
  const expression = tags ? parseTagExpression(tags) : undefined;
  const scenarios = scenariosOf(doc);
  const out: UnselectedLine[] = [];
  for (const line of new Set(lines)) {
    const selected = pickles.filter((p) => p.astNodeIds.some((id) => nodeLines.get(id) === line));
    if (selected.length === 0) {
      out.push({ line, why: explain(doc, text, scenarios, file, line), notAScenario: true });
      continue;
    }
    if (!expression || selected.some((p) => expression.evaluate(p.tags.map((t) => t.name)))) continue;
    const scenario = scenarios.find((s) => s.location.line === line) ?? enclosing(scenarios, doc, line);
    const itsTags = [...new Set(selected.flatMap((p) => p.tags.map((t) => t.name)))];
    out.push({
      line,
      why: `--tags "${tags}" leaves out ${scenario ? `the ${scenario.keyword.trim()} "${scenario.name}"` : "what it selects"} (${itsTags.length > 0 ? `its tags: ${itsTags.join(" ")}` : "it has no tag"})`,
      notAScenario: false,
    });
  }
  return out;
}

/** Every scenario of the document (those in Rules too), in file order. */
function scenariosOf(doc: GherkinDocument): Scenario[] {
  return (doc.feature?.children ?? []).flatMap((c) =>
    c.rule ? c.rule.children.flatMap((rc) => (rc.scenario ? [rc.scenario] : [])) : c.scenario ? [c.scenario] : [],
  );
}

/**
 * The scenario whose text holds `line` (its steps, Examples, blank lines), if any: from its keyword's line to the
 * line before the next Scenario, Background or Rule (or its tags) starts.
 */
function enclosing(scenarios: readonly Scenario[], doc: GherkinDocument, line: number): Scenario | undefined {
  // The last scenario starting at or before the line holds it unless a block starts between them (linear: a file of
  // thousands of scenarios is judged per line given).
  let own: Scenario | undefined;
  for (const s of scenarios) if (s.location.line <= line && (!own || s.location.line > own.location.line)) own = s;
  if (!own) return undefined;
  const from = own.location.line;
  return blockStarts(doc).some((start) => start > from && start <= line) ? undefined : own;
}

/** The first line of each Scenario, Background and Rule: its first tag's, or its keyword's. */
function blockStarts(doc: GherkinDocument): number[] {
  const start = (node: { location: { line: number }; tags?: ReadonlyArray<{ location: { line: number } }> }) =>
    (node.tags ?? []).reduce((first, t) => Math.min(first, t.location.line), node.location.line);
  return (doc.feature?.children ?? []).flatMap((c) => [
    ...(c.rule ? [start(c.rule), ...c.rule.children.flatMap((rc) => [rc.scenario ?? rc.background!].map(start))] : []),
    ...(c.scenario ? [start(c.scenario)] : []),
    ...(c.background ? [start(c.background)] : []),
  ]);
}

/**
 * What is on the line and where to point instead: the scenario whose steps or Examples the line is in; else (a
 * Feature, Rule or Background line, a tag) the next scenario or example row, or the last one before it.
 */
function explain(
  doc: GherkinDocument,
  text: string,
  scenarios: readonly Scenario[],
  file: string,
  line: number,
): string {
  const kind = whatIsAt(doc, text, line);
  const what = `line ${line} is ${kind.what}`;
  const named = (s: Scenario) => `the ${s.keyword.trim()} "${s.name}"`;
  const at = (l: number) => `${file}:${l}`;
  // A blank line or a comment between two scenarios may be meant for either: the nearer one is named.
  const own = kind.between ? undefined : enclosing(scenarios, doc, line);
  if (own) {
    const rows = own.examples.flatMap((ex) => ex.tableBody.map((r) => r.location.line));
    const selects = rows.length > 0 ? `every example of it, an Examples row's line (as ${at(rows[0])}) that one` : "it";
    return `${what} of ${named(own)}; ${at(own.location.line)} selects ${selects}`;
  }
  const candidates = scenarios.flatMap((s) => [
    { line: s.location.line, what: named(s) },
    ...s.examples.flatMap((ex) =>
      ex.tableBody.map((r) => ({ line: r.location.line, what: `an example of ${named(s)}` })),
    ),
  ]);
  const after = candidates.find((c) => c.line > line);
  const before = candidates.filter((c) => c.line < line).at(-1);
  const pick =
    after && before ? (kind.between && line - before.line < after.line - line ? before : after) : (after ?? before);
  return `${what}; ${pick ? `the nearest scenario line is ${at(pick.line)} (${pick.what})` : "the file has no scenario"}`;
}

/**
 * What is on a line of a feature file, as a user would name it ("a step", "the Feature line"; a part of a scenario
 * is named without it: explain says whose), and whether it is a blank line or a comment, which belong to no scenario.
 */
export function whatIsAt(doc: GherkinDocument, text: string, line: number): { what: string; between: boolean } {
  const textLines = text.split(/\r?\n/);
  if (text.endsWith("\n")) textLines.pop();
  const between = (what: string) => ({ what, between: true });
  if (line < 1) return between("no line (lines count from 1)");
  if (line > textLines.length) return between(`past the end of the file (it has ${textLines.length} lines)`);
  const kinds = new Map<number, string>();
  const mark = (l: number, what: string) => kinds.set(l, kinds.get(l) ?? what);
  const tagged = (tags: ReadonlyArray<{ location: { line: number } }>) =>
    tags.forEach((t) => mark(t.location.line, "a tag line"));
  const steps = (list: Scenario["steps"], of = "") => {
    for (const step of list) {
      mark(step.location.line, `a step${of}`);
      if (step.docString) {
        // The content's lines, and the delimiters around them.
        const end = step.docString.location.line + step.docString.content.split("\n").length + 1;
        for (let l = step.docString.location.line; l <= end; l++) mark(l, `a step's doc string${of}`);
      }
      for (const row of step.dataTable?.rows ?? []) mark(row.location.line, `a step's data table row${of}`);
    }
  };
  const scenario = (s: Scenario) => {
    tagged(s.tags);
    steps(s.steps);
    for (const ex of s.examples) {
      mark(ex.location.line, `the ${ex.keyword.trim()} line`);
      tagged(ex.tags);
      if (ex.tableHeader) mark(ex.tableHeader.location.line, `the header row of the ${ex.keyword.trim()}`);
    }
  };
  const background = (b: { location: { line: number }; keyword: string; steps: Scenario["steps"] }) => {
    mark(b.location.line, `a ${b.keyword.trim()} line`);
    steps(b.steps, ` of the ${b.keyword.trim()}`);
  };
  const feature = doc.feature;
  if (feature) {
    mark(feature.location.line, `the ${feature.keyword.trim()} line`);
    tagged(feature.tags);
    for (const c of feature.children) {
      if (c.background) background(c.background);
      if (c.scenario) scenario(c.scenario);
      if (c.rule) {
        mark(c.rule.location.line, `a ${c.rule.keyword.trim()} line`);
        tagged(c.rule.tags);
        for (const rc of c.rule.children) {
          if (rc.background) background(rc.background);
          if (rc.scenario) scenario(rc.scenario);
        }
      }
    }
  }
  const known = kinds.get(line);
  if (known) return { what: known, between: false };
  if (doc.comments.some((c) => c.location.line === line)) return between("a comment");
  return textLines[line - 1].trim() === "" ? between("a blank line") : { what: "description text", between: false };
}

/**
 * Refuses the run when a `file:LINE` path (on the command line or in the config's `features`) has a line that selects
 * no scenario, even when the other paths select some: one line on stderr per such line (the last is the error's),
 * before any process or browser starts. NothingSelectedError (exit 1), as when all the paths select nothing. The
 * paths' files exist (cucumberFeaturePaths checked them); a file that does not parse is its GherkinSyntaxError.
 */
export function checkLineSelections(paths: readonly string[], tags: string | undefined, cwd = process.cwd()): void {
  checkNotAlsoWhole(paths, cwd);
  const problems: Array<{ file: string } & UnselectedLine> = [];
  // Parsed once per file however many paths name it (a list of file:line paths may name one file hundreds of times).
  const parsed = new Map<string, { text: string; doc: GherkinDocument }>();
  for (const path of paths) {
    const split = splitLinePath(path);
    // A rerun file ("@rerun.txt") or a plain path: nothing to check here.
    if (!split) continue;
    let feature = parsed.get(split.file);
    if (!feature) {
      const text = readFileSync(resolve(cwd, split.file), "utf8");
      feature = { text, doc: parseFeature(text, split.file) };
      parsed.set(split.file, feature);
      // An outline without rows is refused for what it is (checkFeatures, exit 2), not as a line selecting nothing.
      const rowless = rowlessOutlineError(feature.doc, split.file);
      if (rowless) throw rowless;
    }
    const { text, doc } = feature;
    for (const u of unselectedLines(doc, text, split.file, split.lines, tags))
      problems.push({ file: split.file, ...u });
  }
  if (problems.length === 0) return;
  const lines = problems.map((p) => `${p.file}:${p.line} selects no scenario: ${p.why}`);
  const rule = problems.some((p) => p.notAScenario)
    ? " (a file:line must point at a Scenario, a Scenario Outline or an Examples row)"
    : "";
  refuseLines(lines, (last) => new NothingSelectedError(`${last}${rule}; nothing was run`));
}

/**
 * A file given whole and with lines (`a.feature a.feature:5`) runs only those lines in Cucumber: the lines narrow the
 * whole file, silently. Refused (exit 2) rather than guessed: either may be what was meant. A folder holding the file
 * is not the file: `features/ features/a.feature:5` narrows a.feature as Cucumber documents.
 */
function checkNotAlsoWhole(paths: readonly string[], cwd: string): void {
  const whole = new Map<string, string>();
  for (const path of paths) if (!splitLinePath(path) && !path.startsWith("@")) whole.set(resolve(cwd, path), path);
  for (const path of paths) {
    const split = splitLinePath(path);
    const same = split && whole.get(resolve(cwd, split.file));
    if (same)
      throw new UsageError(
        `${escapeControl(same)} is given whole and as ${escapeControl(path)}: Cucumber would run only the lines of it; give the file or its lines, not both`,
      );
  }
}
