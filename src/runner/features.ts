// Checks feature files before anything starts: a syntax error is one line with file:line, exit 2.
import { createHash } from "node:crypto";
import { existsSync, readFileSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { escape, globSync, hasMagic } from "glob";
import { UsageError } from "../core/errors";
import { newIds, outlinesWithoutRows, parseFeature, scenarioCountOf, tagNamesOf } from "../core/gherkin";

/**
 * Feature paths as Cucumber must get them: a directory (whatever its name: Cucumber takes
 * "features.v2" for a file because it has an extension) becomes a glob of the feature files below
 * it; a file stays as given (with its ":line"); a glob stays a glob. A path that is none of these
 * is a UsageError naming it.
 */
export function cucumberFeaturePaths(patterns: string[], cwd = process.cwd()): string[] {
  return patterns.map((p) => {
    const filePart = p.replace(/(:\d+)+$/, "");
    const abs = resolve(cwd, filePart);
    if (existsSync(abs)) {
      const st = statSync(abs);
      if (st.isDirectory())
        return `${escape(filePart.replace(/\/+$/, ""), { windowsPathsNoEscape: true })}/**/*.feature`;
      if (st.isFile()) return p;
      throw new UsageError(`${p}: not a feature file or a directory`);
    }
    if (hasMagic(filePart)) return p;
    throw new UsageError(`${p}: no such feature file or directory`);
  });
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

/** Parses every feature file; throws UsageError naming file:line for the first syntax error. */
export function checkFeatures(files: string[], cwd = process.cwd()): FeatureSummary[] {
  const newId = newIds();
  return files.map((file) => {
    const bytes = readFileSync(resolve(cwd, file));
    const doc = parseFeature(bytes.toString("utf8"), file, newId);
    const [outline] = outlinesWithoutRows(doc);
    if (outline)
      throw new UsageError(
        `${file}:${outline.line}: ${outline.keyword} "${outline.name}" has no Examples rows, so it would run its <placeholders> as written or not at all: add an Examples: table with a row per case, or make it a Scenario`,
      );
    const sha256 = createHash("sha256").update(bytes).digest("hex");
    return { file, sha256, scenarios: scenarioCountOf(doc), tags: new Set(tagNamesOf(doc)) };
  });
}
