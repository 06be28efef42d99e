// The requirements the report's matrix lists whether or not a scenario of them has a result (the run's declared ones,
// the gate's), and what a reader must know about where that list or the matrix's gaps come from.
import type { RunManifest } from "../core/manifest";
import { mergedFeatureTags } from "../core/feature-tags";
import { requirementIds } from "../core/tags";
import type { VerdictView } from "./verdict";

export interface ListedRequirements {
  /** Requirement ids (without "@"), each once. */
  ids: string[];
  /** One sentence each: why the list may be short, or why a gap may not be one; shown under the matrix. */
  notes: string[];
}

/** An id a hostile file could give that no Gherkin tag can be: it would garble a table row or a link. */
const NOT_A_TAG_NAME = /[\s\p{Cc}]/u;

/**
 * The requirement ids declared by the feature files the run parsed (run.json's `featureTags`: every file it read,
 * selected or not, so a requirement whose scenarios were left out or narrowed off every target is listed) and, when
 * the gate's decision of this run is shown (`decision`), the ids its coverage lists (a policy's own list). Both read
 * through the config's requirement prefix, the way the scenarios' requirements are. Neither source can make a
 * requirement look better: an id adds a row, and every cell's status comes from the results.
 * Nothing here throws: run.json and the verdict are display input, and what cannot be used is a note.
 */
export function listedRequirements(
  manifest: RunManifest | undefined,
  decision: VerdictView | undefined,
  prefix: string,
): ListedRequirements {
  const ids = new Set<string>();
  const notes: string[] = [];
  const add = (tags: readonly string[]) => {
    for (const id of requirementIds(tags, prefix)) if (!NOT_A_TAG_NAME.test(id)) ids.add(id);
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
    for (const tags of checked.values()) add(tags);
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
  }
  for (const id of decision?.requirements ?? []) add([`@${id}`]);
  const shard = manifest?.shard;
  if (shard)
    notes.push(
      `These are the results of shard ${shard.index} of ${shard.total}: a scenario missing here may have run in another shard. Report on the shards' merge (\`signoff merge\`) for the whole matrix.`,
    );
  return { ids: [...ids], notes };
}
