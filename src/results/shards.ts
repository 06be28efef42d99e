// Shard bookkeeping of one target's results files: the one rule `signoff merge` and the gate both apply.
import type { LoadedFile } from "./loader";

/** What can be wrong with a target's shards. */
export type ShardProblem = "shard-missing" | "shard-duplicate" | "shard-inconsistent";

/**
 * Shards of one target: all files agree on the total, every index 1..n present exactly once, and an
 * unsharded target comes from exactly one file (two copies = two machines ran the same thing).
 */
export function checkShards(
  target: string,
  files: LoadedFile[],
  isRequired: boolean,
  add: (code: ShardProblem, severity: "fail" | "warn", message: string) => void,
): void {
  const sev = isRequired ? "fail" : "warn";
  const sharded = files.filter((f) => f.shard);
  if (sharded.length === 0) {
    if (files.length > 1)
      add(
        "shard-duplicate",
        sev,
        `target ${target}: results present more than once (${files.map((f) => f.path).join(", ")})`,
      );
    return;
  }
  if (sharded.length !== files.length) {
    add(
      "shard-inconsistent",
      sev,
      `target ${target}: sharded and unsharded results mixed (${files.map((f) => f.path).join(", ")})`,
    );
    return;
  }
  const totals = new Set(sharded.map((f) => f.shard!.total));
  if (totals.size > 1) {
    add(
      "shard-inconsistent",
      sev,
      `target ${target}: shards disagree on the shard count (${[...totals].join(" vs ")})`,
    );
    return;
  }
  const total = [...totals][0];
  const seen = new Map<number, string[]>();
  for (const f of sharded) {
    const i = f.shard!.index;
    if (i < 1 || i > total) {
      add("shard-inconsistent", sev, `target ${target}: ${f.path} claims shard ${i} of ${total}`);
      continue;
    }
    seen.set(i, [...(seen.get(i) ?? []), f.path]);
  }
  for (const [i, paths] of seen)
    if (paths.length > 1)
      add(
        "shard-duplicate",
        sev,
        `target ${target}: shard ${i} of ${total} present more than once (${paths.join(", ")})`,
      );
  // The total comes from a file name: counted, not listed (a name saying "of-3000000000" must not make that list).
  const missingCount = total - seen.size;
  if (missingCount === 0) return;
  const shown: number[] = [];
  for (let i = 1; shown.length < SHOWN_MISSING && i <= total; i++) if (!seen.has(i)) shown.push(i);
  const more = missingCount > shown.length ? ` and ${missingCount - shown.length} more` : "";
  add("shard-missing", sev, `target ${target}: shard(s) ${shown.join(", ")}${more} of ${total} missing`);
}

/** How many missing shards a problem names; the loop that finds them runs at most this many past the shards there. */
const SHOWN_MISSING = 10;
