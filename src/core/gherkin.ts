// Reading Gherkin, once: feature text parsed by @cucumber/gherkin and walked by @cucumber/gherkin-utils, typed by @cucumber/messages.
import { AstBuilder, compile, dialects, GherkinClassicTokenMatcher, Parser, type Dialect } from "@cucumber/gherkin";
import { walkGherkinDocument } from "@cucumber/gherkin-utils";
import type { GherkinDocument, Pickle } from "@cucumber/messages" with { "resolution-mode": "import" };
import { UsageError } from "./errors";

export type { GherkinDocument, Pickle };

/** Makes ids for AST nodes and pickles; one generator per set of documents keeps ids unique across them. */
export type NewId = () => string;

export function newIds(): NewId {
  let next = 0;
  return () => String(next++);
}

/**
 * A feature file that is not valid Gherkin: `where` is file:line:col, the message adds Gherkin's complaint, which
 * quotes the offending line (the gate, reading files a run.json names, reports `where` alone).
 */
export class GherkinSyntaxError extends UsageError {
  constructor(
    readonly where: string,
    detail: string,
  ) {
    super(`${where}: ${detail}`);
  }
}

/** Parses one feature file's text; a syntax error is a GherkinSyntaxError naming file:line:col. */
export function parseFeature(text: string, uri: string, newId: NewId = newIds()): GherkinDocument {
  // Gherkin looks the name up with a plain index, so "constructor" or "__proto__" passed its check and failed later
  // with "keywords is not iterable".
  const language = headerLanguage(text.split(/\r?\n/));
  if (language && !Object.hasOwn(dialects, language.name))
    throw new GherkinSyntaxError(`${uri}:${language.line}:1`, `Language not supported: ${language.name}`);
  const parser = new Parser(new AstBuilder(newId), new GherkinClassicTokenMatcher());
  try {
    return { ...parser.parse(text), uri };
  } catch (err) {
    const e = err as Error & { errors?: Array<{ message: string }> };
    // Gherkin says "(12:3): expected: ..., got ..."; put the file in front as file:line:col.
    const first = (e.errors?.[0]?.message ?? e.message).split("\n")[0];
    const m = /^\((\d+):(\d+)\): (.*)$/.exec(first);
    if (!m) throw new GherkinSyntaxError(uri, first);
    throw new GherkinSyntaxError(`${uri}:${m[1]}:${m[2]}`, `${m[3]}${keywordHint(text, Number(m[1]))}`);
  }
}

/**
 * The commonest syntax error in words: a line under a Scenario or Background that starts with no keyword (the
 * parser lists the token types it expected). Names the step keywords of the feature's language (its header's
 * `# language:` line, as Gherkin reads it).
 */
function keywordHint(text: string, line: number): string {
  const lines = text.split(/\r?\n/);
  const source = lines[line - 1]?.trim() ?? "";
  const dialect = dialectOf(lines);
  const under = (keywords: readonly string[]) =>
    lines.slice(0, line - 1).some((l) => keywords.some((k) => l.trim().startsWith(`${k}:`)));
  const stepKinds = [dialect.given, dialect.when, dialect.then, dialect.and, dialect.but];
  const blocks = [dialect.feature, dialect.rule, dialect.background, dialect.scenario, dialect.scenarioOutline];
  if (
    source === "" ||
    /^(\||@|#|"""|```)/.test(source) ||
    stepKinds.flat().some((k) => source.startsWith(k)) ||
    [...blocks, dialect.examples].flat().some((k) => source.startsWith(`${k}:`)) ||
    !under([...dialect.background, ...dialect.scenario, ...dialect.scenarioOutline])
  )
    return "";
  // One keyword of each kind is enough to say what is missing (French has 27 of them).
  const shortest = (kind: readonly string[]) =>
    kind.filter((k) => k !== "* ").reduce((a, b) => (b.length < a.length ? b : a));
  const words = [...stepKinds.map((kind) => shortest(kind).trim()), "*"];
  return ` (a step line starts with ${words.slice(0, -1).join(", ")} or ${words.at(-1)}; other text goes in a description, right under a Feature, Rule or Scenario line)`;
}

/** The dialect a `# language:` comment in the file's header names (only there does Gherkin read one); English else. */
function dialectOf(lines: readonly string[]): Dialect {
  return dialectNamed(headerLanguage(lines)?.name);
}

/** Gherkin's dialect of that name (an own key only: "constructor" is none), English when there is none. */
function dialectNamed(name: string | undefined): Dialect {
  return name !== undefined && Object.hasOwn(dialects, name) ? dialects[name] : dialects.en;
}

/** The first `# language:` line before anything but comments and blank lines, matched as Gherkin matches it. */
function headerLanguage(lines: readonly string[]): { name: string; line: number } | undefined {
  for (const [i, l] of lines.entries()) {
    const line = l.trim();
    if (line === "") continue;
    if (!line.startsWith("#")) break;
    const name = /^#\s*language\s*:\s*([a-zA-Z\-_]+)\s*$/.exec(line)?.[1];
    if (name !== undefined) return { name, line: i + 1 };
  }
  return undefined;
}

/** Every tag of the document (feature, rule, scenario, examples) in source order: never step text, DocStrings or comments. */
export function tagNamesOf(doc: GherkinDocument): string[] {
  return walkGherkinDocument<string[]>(doc, [], { tag: (tag, acc) => [...acc, tag.name] });
}

/** How many scenarios the document runs: an outline counts once per example row. */
export function scenarioCountOf(doc: GherkinDocument): number {
  return walkGherkinDocument(doc, 0, {
    scenario: (s, n) =>
      n +
      Math.max(
        1,
        s.examples.reduce((rows, ex) => rows + ex.tableBody.length, 0),
      ),
  });
}

/**
 * The outlines that would not run as their author meant: a Scenario Outline with no Examples (Gherkin runs it once
 * as a plain scenario, `<placeholders>` and all) or whose Examples have no row (it runs not at all).
 */
export function outlinesWithoutRows(doc: GherkinDocument): Array<{ line: number; keyword: string; name: string }> {
  const dialect = dialectNamed(doc.feature?.language);
  return walkGherkinDocument(doc, [] as Array<{ line: number; keyword: string; name: string }>, {
    scenario: (s, found) => {
      const outline = dialect.scenarioOutline.includes(s.keyword.trim()) || s.examples.length > 0;
      const rows = s.examples.reduce((n, ex) => n + ex.tableBody.length, 0);
      return outline && rows === 0
        ? [...found, { line: s.location.line, keyword: s.keyword.trim(), name: s.name }]
        : found;
    },
  });
}

/**
 * A keyword written without its colon ("Scenario y") that Gherkin read as description text, steps and all: its
 * scenario never runs and nothing says so (a tagged one fails to parse; an untagged one vanishes). Found in the
 * descriptions of the feature and its rules (under a Scenario line Gherkin reads a step as a step) where a line that is
 * a keyword and a title, with no colon anywhere, is followed right away by a step line indented under it (Given,
 * When…; not `*`, a bullet in prose). `text` is the file's, for the line number. Undefined for none.
 */
export function keywordWithoutColon(
  doc: GherkinDocument,
  text: string,
): { line: number; written: string; meant: string } | undefined {
  const dialect = dialectNamed(doc.feature?.language);
  const blocks = [
    ...dialect.scenario,
    ...dialect.scenarioOutline,
    ...dialect.background,
    ...dialect.rule,
    ...dialect.examples,
  ].sort((a, b) => b.length - a.length); // "Scenario Outline" before "Scenario"
  const steps = [...dialect.given, ...dialect.when, ...dialect.then, ...dialect.and, ...dialect.but]
    .map((k) => k.trim())
    .filter((k) => k !== "*");
  const startsWith = (line: string, keywords: string[]) =>
    keywords.find((k) => line === k || (line.startsWith(k) && /\s/.test(line[k.length])));
  // Lines as Gherkin counts them (a lone \r is no line break to it).
  const fileLines = text.split(/\r?\n/);
  const found = walkGherkinDocument(doc, [] as { line: number; written: string; meant: string }[], {
    feature: (f, acc) => [...acc, ...misread(f.description, f.location.line)],
    rule: (r, acc) => [...acc, ...misread(r.description, r.location.line)],
  });
  return found[0];

  function misread(description: string, after: number): { line: number; written: string; meant: string }[] {
    const raw = description.split("\n");
    const lines = raw.map((l) => l.trim());
    const indent = (l: string) => l.length - l.trimStart().length;
    // The step line indented under it, as a scenario's steps are: prose runs on at the same depth.
    const at = lines.findIndex(
      (l, i) =>
        !l.includes(":") &&
        startsWith(l, blocks) !== undefined &&
        startsWith(lines[i + 1] ?? "", steps) !== undefined &&
        indent(raw[i + 1]) > indent(raw[i]),
    );
    if (at < 0) return [];
    const written = lines[at];
    const keyword = startsWith(written, blocks)!;
    const found = fileLines.findIndex((l, i) => i >= after && l.trim() === written);
    return [
      {
        line: found >= 0 ? found + 1 : after,
        written,
        meant: `${keyword}: ${written.slice(keyword.length).trim()}`.trim(),
      },
    ];
  }
}

/** The line of every scenario and example row, by AST node id (what a pickle's astNodeIds name). */
export function nodeLinesOf(doc: GherkinDocument): Map<string, number> {
  return walkGherkinDocument(doc, new Map<string, number>(), {
    scenario: (s, lines) => {
      lines.set(s.id, s.location.line);
      for (const ex of s.examples) for (const row of ex.tableBody) lines.set(row.id, row.location.line);
      return lines;
    },
  });
}

/** The line a pickle comes from: its example row for an outline, else its scenario. */
export function pickleLine(doc: GherkinDocument | undefined, astNodeIds: readonly string[]): number | undefined {
  if (!doc) return undefined;
  const lines = nodeLinesOf(doc);
  return lines.get(astNodeIds[1] ?? "") ?? lines.get(astNodeIds[0] ?? "");
}

/** The name of the Rule a scenario sits in, if any. */
export function ruleNameOf(doc: GherkinDocument | undefined, scenarioId: string | undefined): string | undefined {
  for (const child of doc?.feature?.children ?? []) {
    if (child.rule?.children.some((c) => c.scenario?.id === scenarioId)) return child.rule.name;
  }
  return undefined;
}

/** The pickles (one per scenario or example row) Cucumber would run from the document. */
export function picklesOf(doc: GherkinDocument, uri: string, newId: NewId): readonly Pickle[] {
  return compile(doc, uri, newId);
}
