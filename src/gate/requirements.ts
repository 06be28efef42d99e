// Requirement ids declared in the feature files (tags like @REQ-COUNTER-1) and a digest of the feature set.
import { createHash } from "node:crypto";
import { existsSync, readdirSync, realpathSync, statSync, type Stats } from "node:fs";
import { UsageError } from "../core/errors";
import { readManifest } from "../core/manifest";
import { cannotRead, readInputFile } from "../core/input-file";
import { parseFeature, tagNamesOf } from "../core/gherkin";
import { requirementIds } from "../core/tags";
import { join, relative } from "node:path";
import { globSync } from "glob";

export interface FeatureSet {
  dir: string;
  files: string[];
  /** Requirement ids (without "@"), sorted. */
  requirements: string[];
  /** sha256 over "relative path \0 sha256(content) \n" of every file, sorted: changes when any feature changes. */
  digest: string;
}

/** Every *.feature below dir; a link that leads nowhere or in a circle is one usage error naming it. */
function walk(dir: string, out: string[], seen = new Set<string>()): void {
  const real = realpathOf(dir);
  if (seen.has(real)) return; // a link back up the tree: its files are already listed
  seen.add(real);
  for (const name of readdirSync(dir).sort()) {
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

function realpathOf(p: string): string {
  try {
    return realpathSync(p);
  } catch (err) {
    throw cannotRead(p, "feature path", err);
  }
}

/** Requirement ids tagged in a feature file: Gherkin tags only (comments, step text and DocStrings never count). */
export function requirementTagsIn(text: string, prefix: string, uri = "(feature)"): string[] {
  return requirementIds(tagNamesOf(parseFeature(text, uri)), prefix);
}

/** A feature file larger than this is not a feature file. */
const MAX_FEATURE_BYTES = 16 * 1024 * 1024;

/** Returns undefined when the directory does not exist. */
export function scanFeatures(dir: string, prefix: string): FeatureSet | undefined {
  if (!existsSync(dir)) return undefined;
  const files: string[] = [];
  if (statSync(dir).isDirectory()) walk(dir, files);
  else files.push(dir);
  return featureSet(dir, files, prefix);
}

/**
 * The feature files a run recorded in run.json (`features`, relative to where it ran): the ones it judged.
 * A listed file that is not here is a usage error: the gate must read the same features the run used.
 */
export function featuresOfRun(files: string[], prefix: string, runJson: string): FeatureSet {
  for (const f of files)
    if (!existsSync(f))
      throw new UsageError(
        `${runJson} lists the feature file ${f}, which is not here: run the gate from the project's checkout, or name the features with --features`,
      );
  return featureSet(".", files, prefix);
}

function featureSet(dir: string, files: string[], prefix: string): FeatureSet {
  const reqs = new Set<string>();
  const h = createHash("sha256");
  for (const f of files) {
    const buf = readInputFile(f, { what: "feature file", maxBytes: MAX_FEATURE_BYTES });
    for (const r of requirementTagsIn(buf.toString("utf8"), prefix, f)) reqs.add(r);
    h.update(`${relative(dir, f) || f}\0${createHash("sha256").update(buf).digest("hex")}\n`);
  }
  return { dir, files, requirements: [...reqs].sort(), digest: h.digest("hex") };
}

/**
 * The features the gate judges against: `--features` when given; else the feature files the runs
 * recorded in run.json (the paths and tags they actually used, not whatever features/ holds now);
 * else features/. A run.json that cannot be read adds none (the gate fails it on its own).
 */
export function gateFeatures(
  given: string | undefined,
  resultsDirs: string[],
  prefix: string,
  configured: string[] = ["features"],
): FeatureSet | undefined {
  if (given !== undefined) return scanFeatures(given, prefix);
  const listed = new Set<string>();
  let from: string | undefined;
  for (const dir of resultsDirs) {
    const runJson = join(dir, "run.json");
    let recorded: unknown;
    try {
      recorded = readManifest(runJson).features;
    } catch {
      continue;
    }
    if (!Array.isArray(recorded)) continue;
    from ??= runJson;
    for (const f of recorded) if (typeof f === "string") listed.add(f);
  }
  if (from) return featuresOfRun([...listed].sort(), prefix, from);
  return configuredFeatures(configured, prefix);
}

/** The config's `features` (directories, files or globs, as `signoff run` reads them); undefined when none exists. */
export function configuredFeatures(patterns: string[], prefix: string): FeatureSet | undefined {
  if (patterns.length === 1 && existsSync(patterns[0])) return scanFeatures(patterns[0], prefix);
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
  return featureSet(".", [...files].sort(), prefix);
}
