// How many of the config's feature files the run did not read (a path selection): their requirements are not in
// run.json's featureTags, though the gate, reading the config's whole features, judges them.
import { resolve } from "node:path";
import { UsageError } from "../core/errors";
import { configuredFeatures } from "../core/feature-files";
import type { RunManifest } from "../core/manifest";
import type { FeatureFilesRead } from "./listed-requirements";

/**
 * Compares the config's feature files found here with run.json's `features` (paths relative to where the run ran,
 * which is where the report runs in a project). Undefined when that cannot be known: no run.json list, or no
 * feature files here (a report job given only the results), or a features dir that cannot be listed.
 */
export function featureFilesRead(
  manifest: RunManifest | undefined,
  configured: string[],
): FeatureFilesRead | undefined {
  const recorded: unknown = manifest?.features;
  if (!Array.isArray(recorded)) return undefined;
  let found: string[] | undefined;
  try {
    found = configuredFeatures(configured)?.files;
  } catch (err) {
    if (err instanceof UsageError) return undefined; // the gate names it; the report is no place to fail on it
    throw err;
  }
  if (!found) return undefined;
  const read = new Set(recorded.filter((f): f is string => typeof f === "string").map((f) => resolve(f)));
  let unread = 0;
  for (const f of found) if (!read.has(resolve(f))) unread++;
  return { unread };
}
