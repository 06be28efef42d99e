// Checks feature files before anything starts: a syntax error is one line with file:line, exit 2.
import { createHash } from "node:crypto";
import { existsSync, readFileSync, statSync } from "node:fs";
import { relative, resolve } from "node:path";
import { escape, globSync, hasMagic } from "glob";
import { UsageError } from "../core/errors";
import {
  keywordWithoutColon,
  newIds,
  outlinesWithoutRows,
  parseFeature,
  scenarioCountOf,
  tagNamesOf,
  type GherkinDocument,
} from "../core/gherkin";
import { refuseLines } from "../core/refuse-lines";

/**
 * Feature paths as Cucumber must get them: a directory (whatever its name: Cucumber takes
 * "features.v2" for a file because it has an extension) becomes a glob of the feature files below
 * it; a file stays as given, but a file with ":line"s is spelled relative to the working directory (one spelling
 * for every reader of the path: the shard's own line filter only strips "./"); a glob stays a glob. A path that is none of these, or a line on a directory or a glob
 * (which Cucumber ignores too), is a UsageError naming it, each such path on a line of its own.
 */
export function cucumberFeaturePaths(patterns: string[], cwd = process.cwd()): string[] {
  const refused: string[] = [];
  const paths = patterns.map((p) => {
    const lines = /(:\d+)+$/.exec(p)?.[0] ?? "";
    const filePart = p.slice(0, p.length - lines.length);
    const abs = resolve(cwd, filePart);
    const lineOn = (what: string) =>
      `${p}: a :LINE selects in a feature file, and ${filePart} is ${what} (Cucumber would ignore the line and run all of it)`;
    if (existsSync(abs)) {
      const st = statSync(abs);
      if (st.isDirectory()) {
        if (lines) refused.push(lineOn("a directory"));
        return `${escape(filePart.replace(/\/+$/, ""), { windowsPathsNoEscape: true })}/**/*.feature`;
      }
      if (st.isFile()) return lines ? `${relative(cwd, abs)}${lines}` : p;
      refused.push(`${p}: not a feature file or a directory`);
      return p;
    }
    if (hasMagic(filePart)) {
      if (lines) refused.push(lineOn("a glob"));
      return p;
    }
    refused.push(`${p}: no such feature file or directory`);
    return p;
  });
  refuseLines(refused);
  return paths;
}

export function findFeatureFiles(patterns: string[], cwd = process.cwd()): string[] {
  const files = new Set<string>();
  for (const p of patterns) {
    // "features/x.feature:12" narrows to a line: the file part is what exists.
    const filePart = p.replace(/(:\d+)+$/, "");
    // A directory means every feature below it, as Cucumber reads it.
    const isDir = existsSync(resolve(cwd, filePart)) && statSync(resolve(cwd, filePart)).isDirectory();
    for (const f of globSync(isDir ? `${filePart.replace(/\/$/, "")}/**/*.feature` : filePart, { cwd })) files.add(f);
  }
  return [...files].sort();
}

export interface FeatureSummary {
  file: string;
  /** SHA-256 (hex) of the bytes parsed. */
  sha256: string;
  scenarios: number;
  tags: Set<string>;
}

/** Parses every feature file; throws UsageError naming file:line for the first syntax error (or a keyword read as text). */
export function checkFeatures(files: string[], cwd = process.cwd()): FeatureSummary[] {
  const newId = newIds();
  return files.map((file) => {
    const bytes = readFileSync(resolve(cwd, file));
    const text = bytes.toString("utf8");
    const doc = parseFeature(text, file, newId);
    const rowless = rowlessOutlineError(doc, file);
    if (rowless) throw rowless;
    const misread = keywordWithoutColon(doc, text);
    if (misread)
      throw new UsageError(
        `${file}:${misread.line}: "${misread.written}" is read as description text, so its steps never run: a keyword takes a colon ("${misread.meant}")`,
      );
    const sha256 = createHash("sha256").update(bytes).digest("hex");
    return { file, sha256, scenarios: scenarioCountOf(doc), tags: new Set(tagNamesOf(doc)) };
  });
}

/** The refusal of the document's first Scenario Outline with no Examples row, if it has one. */
export function rowlessOutlineError(doc: GherkinDocument, file: string): UsageError | undefined {
  const [outline] = outlinesWithoutRows(doc);
  if (!outline) return undefined;
  return new UsageError(
    `${file}:${outline.line}: ${outline.keyword} "${outline.name}" has no Examples rows, so it would run its <placeholders> as written or not at all: add an Examples: table with a row per case, or make it a Scenario`,
  );
}
