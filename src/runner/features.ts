// Checks feature files before anything starts: a syntax error is one line with file:line, exit 2.
import { existsSync, readFileSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { escape, globSync, hasMagic } from "glob";
import { AstBuilder, GherkinClassicTokenMatcher, Parser } from "@cucumber/gherkin";
import { UsageError } from "../core/errors";

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
      if (st.isDirectory()) return `${escape(filePart.replace(/\/+$/, ""), { windowsPathsNoEscape: true })}/**/*.feature`;
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
  scenarios: number;
  tags: Set<string>;
}

/** Parses every feature file; throws UsageError naming file:line for the first syntax error. */
export function checkFeatures(files: string[], cwd = process.cwd()): FeatureSummary[] {
  let nextId = 0;
  const parser = new Parser(new AstBuilder(() => String(nextId++)), new GherkinClassicTokenMatcher());
  return files.map((file) => {
    let doc;
    try {
      doc = parser.parse(readFileSync(resolve(cwd, file), "utf8"));
    } catch (err) {
      const e = err as Error & { errors?: Array<{ message: string }> };
      // Gherkin says "(12:3): expected: ..., got ..."; put the file in front as file:line:col.
      const first = (e.errors?.[0]?.message ?? e.message).split("\n")[0];
      const m = /^\((\d+):(\d+)\): (.*)$/.exec(first);
      throw new UsageError(m ? `${file}:${m[1]}:${m[2]}: ${m[3]}` : `${file}: ${first}`);
    }
    const tags = new Set<string>();
    let scenarios = 0;
    const visit = (children: readonly any[]) => {
      for (const c of children ?? []) {
        if (c.scenario) {
          scenarios += Math.max(1, (c.scenario.examples ?? []).reduce((n: number, ex: any) => n + (ex.tableBody?.length ?? 0), 0));
          for (const t of c.scenario.tags) tags.add(t.name);
        }
        if (c.rule) visit(c.rule.children);
      }
    };
    for (const t of doc.feature?.tags ?? []) tags.add(t.name);
    visit(doc.feature?.children ?? []);
    return { file, scenarios, tags };
  });
}
