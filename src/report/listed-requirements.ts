// The requirements the report's matrix lists whether or not a scenario of them has a result (the run's declared ones,
// the gate's), and what a reader must know about where that list or the matrix's gaps come from.
import type { RunManifest } from "../core/manifest";
import { mergedFeatureTags } from "../core/feature-tags";
import { requirementIds } from "../core/tags";
import type { VerdictView } from "./verdict";

export interface ListedRequirements {
  /** Requirement ids (without "@"), each once, each a listable id (isListableId). */
  ids: string[];
  /** One sentence each: why the list may be short, or why a gap may not be one; shown under the matrix. */
  notes: string[];
}

/** Longer than any id a tracker gives: an id this long only makes every output grow. */
export const MAX_ID_LENGTH = 200;

/**
 * Whitespace, control characters and format characters (bidi overrides that make "REQ-‮gnissap" read otherwise): no
 * Gherkin tag of a real feature file has them, and each would garble a table row or a link.
 */
const NOT_AN_ID = /[\s\p{Cc}\p{Cf}]/u;

/** The one rule an id from run.json or a verdict (display input nobody signed for the report) passes to be a row. */
export function isListableId(id: string): boolean {
  return id.length > 0 && id.length <= MAX_ID_LENGTH && !NOT_AN_ID.test(id);
}

/** What the report knows of the feature files the run read, beside run.json (src/report/unread-features.ts). */
export interface FeatureFilesRead {
  /** Feature files under the config's `features` that run.json's `features` does not list. */
  unread: number;
}

/**
 * The requirement ids declared by the feature files the run parsed (run.json's `featureTags`), read through the
 * config's requirement prefix as the scenarios' are, and, when the gate's decision of this run is shown (`decision`),
 * the ids its coverage lists, taken as ids (a policy may list `LEGAL-1` whatever the prefix). Neither source can make
 * a requirement look better: an id adds a row, and every cell's status comes from the results.
 * Nothing here throws: run.json and the verdict are display input, and what cannot be used is a note.
 */
export function listedRequirements(
  manifest: RunManifest | undefined,
  decision: VerdictView | undefined,
  prefix: string,
  features?: FeatureFilesRead,
): ListedRequirements {
  const ids = new Set<string>();
  const notes: string[] = [];
  const dropped = new Set<string>();
  const add = (id: string) => {
    if (isListableId(id)) ids.add(id);
    else dropped.add(id);
  };
  const record: unknown = manifest?.featureTags;
  if (!manifest)
    notes.push(
      "There is no run.json: requirements without a scenario result are not listed (`signoff gate` counts every declared one).",
    );
  else if (record === undefined)
    notes.push(
      "run.json records no feature tags (a run by an earlier Signoff): requirements whose scenarios did not run are not listed here (`signoff gate` counts them).",
    );
  else {
    const checked = mergedFeatureTags([record]);
    for (const tags of checked.values()) for (const id of requirementIds(tags, prefix)) add(id);
    const given =
      typeof record === "object" && record !== null && !Array.isArray(record) ? Object.keys(record).length : 0;
    if (given === 0)
      notes.push(
        "run.json's featureTags lists no feature file's tags: requirements whose scenarios did not run are not listed here (`signoff gate` counts them).",
      );
    else if (checked.size < given)
      notes.push(
        `${given - checked.size} of the ${given} entries of run.json's featureTags are not a file digest with tag names and were left out: a requirement only they declare is not listed here (\`signoff gate\` counts it).`,
      );
    const selected = (manifest.lines?.length ?? 0) > 0;
    if (selected || (features?.unread ?? 0) > 0)
      notes.push(
        `The run read only the feature files it was given (${selected ? "run.json records a `file:line` selection" : `${features!.unread} feature file(s) under the config's features are not among those run.json lists`}): requirements declared only in the others are not listed here; \`signoff gate\` reads the config's whole features dir.`,
      );
  }
  for (const id of decision?.requirements ?? []) add(id);
  if (dropped.size > 0)
    notes.push(
      `${dropped.size} requirement id(s) in run.json's featureTags or the verdict are not listed: each has whitespace, a control or format character, or more than ${MAX_ID_LENGTH} characters.`,
    );
  const shard = manifest?.shard;
  if (shard)
    notes.push(
      `These are the results of shard ${shard.index} of ${shard.total}: a scenario missing here may have run in another shard. Report on the shards' merge (\`signoff merge\`) for the whole matrix.`,
    );
  return { ids: [...ids], notes };
}
