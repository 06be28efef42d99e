// Checks feature files before anything starts: a syntax error is one line with file:line, exit 2.
import { existsSync, readFileSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { globSync } from "glob";
import { AstBuilder, GherkinClassicTokenMatcher, Parser } from "@cucumber/gherkin";
import { UsageError } from "../errors";

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
