// Which feature files a features setting names (directories, files, globs), listed without reading one: what the gate
// judges and what the report compares with the files a run read.
import { existsSync, readdirSync, realpathSync, statSync, type Stats } from "node:fs";
import { join } from "node:path";
import { globSync } from "glob";
import { cannotRead } from "./input-file";

/** Which feature files make a feature set (`dir`: what their paths in the digest are relative to). */
export interface FeatureFiles {
  dir: string;
  files: string[];
}

/** Every *.feature below dir; a link that leads nowhere or in a circle is one usage error naming it. */
function walk(dir: string, out: string[], seen = new Set<string>()): void {
  const real = realpathOf(dir);
  if (seen.has(real)) return; // a link back up the tree: its files are already listed
  seen.add(real);
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch (err) {
    throw cannotRead(dir, "feature directory", err);
  }
  for (const name of names) {
    const p = join(dir, name);
    let st: Stats;
    try {
      st = statSync(p);
    } catch (err) {
      throw cannotRead(p, "feature path", err);
    }
    if (st.isDirectory()) walk(p, out, seen);
    else if (name.endsWith(".feature")) out.push(p);
  }
}

export function realpathOf(p: string): string {
  try {
    return realpathSync(p);
  } catch (err) {
    throw cannotRead(p, "feature path", err);
  }
}

/** The feature files below dir, listed without reading one; undefined when the directory does not exist. */
export function featureFilesIn(dir: string): FeatureFiles | undefined {
  if (!existsSync(dir)) return undefined;
  const files: string[] = [];
  if (statSync(dir).isDirectory()) walk(dir, files);
  else files.push(dir);
  return { dir, files };
}

/** The config's `features` (directories, files or globs, as `signoff run` reads them); undefined when none exists. */
export function configuredFeatures(patterns: string[]): FeatureFiles | undefined {
  if (patterns.length === 1 && existsSync(patterns[0])) return featureFilesIn(patterns[0]);
  const files = new Set<string>();
  for (const p of patterns) {
    const filePart = p.replace(/(:\d+)+$/, "");
    if (existsSync(filePart) && statSync(filePart).isDirectory()) {
      const found: string[] = [];
      walk(filePart, found);
      for (const f of found) files.add(f);
    } else for (const f of globSync(filePart)) if (f.endsWith(".feature")) files.add(f);
  }
  if (files.size === 0) return undefined;
  return { dir: ".", files: [...files].sort() };
}
