// The Gherkin tags of feature files by the SHA-256 of their content: what a run records in run.json (`featureTags`)
// and a gate that trusts the run (its attestation verifies) takes instead of parsing a file of that digest again.
//
// Why: parsing the feature files was a sixth of the gate's CPU at 100k scenarios (bench/RESULTS.md), and the run
// has already parsed every one of them. Keyed by content, not path: the gate may read the files from another
// checkout or directory, and a file edited since the run has another digest, so it is parsed.

/** What run.json keeps: SHA-256 (hex) of a feature file's bytes → its distinct tag names, in source order. */
export type FeatureTagsRecord = Record<string, readonly string[]>;

/** The record of the feature files a run parsed. */
export function featureTagsRecord(files: Iterable<{ sha256: string; tags: Iterable<string> }>): FeatureTagsRecord {
  const record: Record<string, string[]> = {};
  for (const f of files) record[f.sha256] = [...new Set(f.tags)];
  return record;
}

/**
 * Several runs' records as one (`signoff merge`, a gate over several results dirs); a digest two records give
 * different tags is left out of it (read from the file instead). Records that are not well-formed add nothing.
 */
export function mergedFeatureTags(records: readonly unknown[]): Map<string, readonly string[]> {
  const merged = new Map<string, readonly string[]>();
  const conflicting = new Set<string>();
  for (const record of records)
    for (const [sha256, tags] of checkedFeatureTags(record)) {
      const had = merged.get(sha256);
      if (had && (had.length !== tags.length || had.some((t, i) => t !== tags[i]))) conflicting.add(sha256);
      else merged.set(sha256, tags);
    }
  for (const sha256 of conflicting) merged.delete(sha256);
  return merged;
}

/** A merged record as run.json keeps it; none when it is empty. */
export function recordOf(merged: ReadonlyMap<string, readonly string[]>): FeatureTagsRecord | undefined {
  return merged.size > 0 ? Object.fromEntries(merged) : undefined;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

/**
 * A record read from run.json (hostile input, even when signed: the fallback is parsing the file, so an entry that
 * is not a digest with a list of tag names is dropped, and a record that is not an object gives none).
 */
function checkedFeatureTags(record: unknown): Map<string, readonly string[]> {
  const checked = new Map<string, readonly string[]>();
  if (typeof record !== "object" || record === null || Array.isArray(record)) return checked;
  for (const [sha256, tags] of Object.entries(record))
    if (SHA256_HEX.test(sha256) && Array.isArray(tags) && tags.every((t) => typeof t === "string" && t.startsWith("@")))
      checked.set(sha256, tags as string[]);
  return checked;
}
