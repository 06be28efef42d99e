// Requirement ids declared in the feature files (tags like @REQ-COUNTER-1) and a digest of the feature set.
import { createHash } from "node:crypto";
import { existsSync, readdirSync, statSync } from "node:fs";
import { readInputFile } from "../input-file";
import { join, relative } from "node:path";

export interface FeatureSet {
  dir: string;
  files: string[];
  /** Requirement ids (without "@"), sorted. */
  requirements: string[];
  /** sha256 over "relative path \0 sha256(content) \n" of every file, sorted: changes when any feature changes. */
  digest: string;
}

function walk(dir: string, out: string[]): void {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    const st = statSync(p);
    if (st.isDirectory()) walk(p, out);
    else if (name.endsWith(".feature")) out.push(p);
  }
}

/** Requirement tags in Gherkin text: tag lines only (comments and step text never count). */
export function requirementTagsIn(text: string, prefix: string): string[] {
  const out: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line.startsWith("@")) continue;
    // a tag line may end with a comment: "@REQ-1 @slow # why"
    const hash = line.search(/\s#/);
    for (const tag of (hash >= 0 ? line.slice(0, hash) : line).split(/\s+/))
      if (tag.startsWith(`@${prefix}`) && tag.length > prefix.length + 1) out.push(tag.slice(1));
  }
  return out;
}

/** A feature file larger than this is not a feature file. */
const MAX_FEATURE_BYTES = 16 * 1024 * 1024;

/** Returns undefined when the directory does not exist. */
export function scanFeatures(dir: string, prefix: string): FeatureSet | undefined {
  if (!existsSync(dir)) return undefined;
  const files: string[] = [];
  if (statSync(dir).isDirectory()) walk(dir, files);
  else files.push(dir);
  const reqs = new Set<string>();
  const h = createHash("sha256");
  for (const f of files) {
    const buf = readInputFile(f, { what: "feature file", maxBytes: MAX_FEATURE_BYTES });
    for (const r of requirementTagsIn(buf.toString("utf8"), prefix)) reqs.add(r);
    h.update(`${relative(dir, f) || f}\0${createHash("sha256").update(buf).digest("hex")}\n`);
  }
  return { dir, files, requirements: [...reqs].sort(), digest: h.digest("hex") };
}
