// Requirement ids declared in the feature files (tags like @REQ-COUNTER-1) and a digest of the feature set.
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { UsageError } from "../core/errors";
import { readManifest } from "../core/manifest";
import { readInputFile } from "../core/input-file";
import { requirementIds } from "../core/tags";
import { isAbsolute, join, relative, resolve, sep } from "node:path";
import { escapeControl } from "../core/safe-text";
import { configuredFeatures, featureFilesIn, realpathOf, type FeatureFiles } from "../core/feature-files";
import { shownPath } from "../core/shown-path";

export type { FeatureFiles } from "../core/feature-files";

// Loaded when a file must be parsed: a gate whose features a trusted run recorded never needs it (start-up cost).
const gherkin = () => require("../core/gherkin") as typeof import("../core/gherkin");

export interface FeatureSet {
  dir: string;
  files: string[];
  /** Requirement ids (without "@"), sorted. */
  requirements: string[];
  /** sha256 over "relative path \0 sha256(content) \n" of every file, sorted: changes when any feature changes. */
  digest: string;
  /** Each file (as `files` names it) with the SHA-256 (hex) of its content as read. */
  fileDigests: Array<{ path: string; sha256: string }>;
}

/**
 * The tags of a feature file: Gherkin tags only (comments, step text and DocStrings never count). A file that does
 * not parse is named with the place only: Gherkin's complaint quotes the line, and the file may be anything a
 * link or a run.json led to (the gate's output is a CI log); `signoff run` says what is wrong with it.
 */
function tagsIn(text: string, uri: string): string[] {
  const { parseFeature, tagNamesOf, GherkinSyntaxError } = gherkin();
  try {
    return tagNamesOf(parseFeature(text, uri));
  } catch (err) {
    if (!(err instanceof GherkinSyntaxError)) throw err;
    throw new UsageError(
      `${err.where}: not valid Gherkin (the gate quotes nothing from it; \`signoff run\` on the file says what is wrong)`,
    );
  }
}

/** A feature file larger than this is not a feature file. */
const MAX_FEATURE_BYTES = 16 * 1024 * 1024;

/** Returns undefined when the directory does not exist. */
export function scanFeatures(dir: string, prefix: string): FeatureSet | undefined {
  const found = featureFilesIn(dir);
  return found && readFeatureFiles(found, prefix);
}

/**
 * The feature files a run recorded in run.json (`features`, relative to where it ran): the ones it judged.
 * A listed file that is not here is a usage error: the gate must read the same features the run used. run.json is
 * hostile input: a path that resolves outside the directory the gate runs in, or names no `.feature` file, is refused
 * before anything is read, as the messages files it lists are (a forged list must not make the gate read, hash or
 * quote other files).
 */
function featuresOfRun(files: string[], runJson: string): FeatureFiles {
  for (const f of files) {
    const shown = escapeControl(f);
    const rel = relative(process.cwd(), resolve(f));
    if (rel === "" || rel === ".." || rel.startsWith(`..${sep}`) || isAbsolute(rel))
      throw new UsageError(
        `${runJson} lists the feature file ${shown}, outside this checkout: the gate reads features only from where it runs; name them with --features`,
      );
    if (!f.endsWith(".feature"))
      throw new UsageError(`${runJson} lists ${shown} as a feature file: it is not a .feature file`);
    if (!existsSync(f))
      throw new UsageError(
        `${runJson} lists the feature file ${shown}, which is not here: run the gate from the project's checkout, or name the features with --features`,
      );
    // Through a link (one in the results dir, say): where it leads must be inside too.
    const real = relative(realpathOf("."), realpathOf(f));
    if (real === ".." || real.startsWith(`..${sep}`) || isAbsolute(real))
      throw new UsageError(
        `${runJson} lists the feature file ${shown}, a link to outside this checkout: the gate reads features only from where it runs; name them with --features`,
      );
  }
  return { dir: ".", files };
}

/**
 * Reads, parses and hashes the files: the costly part (see gateFeatureFiles). A file whose digest `recorded` holds
 * (the tags a trusted run parsed from those bytes, src/core/feature-tags.ts) is not parsed again.
 */
export function readFeatureFiles(
  { dir, files }: FeatureFiles,
  prefix: string,
  recorded: ReadonlyMap<string, readonly string[]> = new Map(),
): FeatureSet {
  const reqs = new Set<string>();
  const h = createHash("sha256");
  const fileDigests: FeatureSet["fileDigests"] = [];
  for (const f of files) {
    const buf = readInputFile(f, { what: "feature file", maxBytes: MAX_FEATURE_BYTES });
    const sha256 = createHash("sha256").update(buf).digest("hex");
    const tags = recorded.get(sha256) ?? tagsIn(buf.toString("utf8"), f);
    for (const r of requirementIds(tags, prefix)) reqs.add(r);
    h.update(`${relative(dir, f) || f}\0${sha256}\n`);
    fileDigests.push({ path: f, sha256 });
  }
  return { dir, files, requirements: [...reqs].sort(), digest: h.digest("hex"), fileDigests };
}

/**
 * The features the gate judges against: `--features` when given; else the project's (the config's
 * `features`) together with every other feature file the runs recorded in run.json. A run of a few
 * feature files therefore leaves the others' requirements uncovered: `requirements: all` is the project's
 * requirements, not the run's choice. A run.json that cannot be read adds none (the gate fails it on its own).
 */
export function gateFeatures(
  given: string | undefined,
  resultsDirs: string[],
  prefix: string,
  configured: string[] = ["features"],
): FeatureSet | undefined {
  const found = gateFeatureFiles(given, resultsDirs, configured);
  return found && readFeatureFiles(found, prefix);
}

/**
 * gateFeatures' choice of files, made without reading a feature or a result (run.json only): the gate makes it
 * before it loads the results, so a missing feature directory is reported at once, not after the hashing.
 */
export function gateFeatureFiles(
  given: string | undefined,
  resultsDirs: string[],
  configured: string[] = ["features"],
): FeatureFiles | undefined {
  if (given !== undefined) {
    // Named as every other path the gate shows (relative inside the working directory): an absolute --features would
    // otherwise put the CI machine's checkout path in every line naming a feature file, and in the evidence.
    const found = featureFilesIn(given);
    return found && { dir: found.dir, files: found.files.map((f) => shownPath(f)) };
  }
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
  const project = configuredFeatures(configured);
  if (!from) return project;
  const run = featuresOfRun([...listed], from);
  // One spelling per file (relative inside the working directory): run.json may name a file by its absolute path
  // (a run given an absolute folder) that the config's folder names relative, and one file must not judge twice.
  const files = new Set([...run.files, ...(project?.files ?? [])].map((f) => shownPath(f)));
  return { dir: ".", files: [...files].sort() };
}
