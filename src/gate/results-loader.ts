// Reads run manifests and Cucumber messages from one or more results dirs (shards from several machines).
//
// Problems (missing/unreadable run.json, unreadable or missing messages files) are recorded, not thrown:
// the evaluator turns them into FAIL reasons. A messages file is read through its results index when
// run.json vouches for both (src/results/results-index.ts), else streamed by readMessagesFile.
import { existsSync, readdirSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { parseMessagesFileName, readMessagesFile } from "../results/read-messages";
import { readResultsIndex, sha256File, type MessagesFileRecord } from "../results/results-index";
import type { TargetResults } from "../results/types";
import { readManifest, type RunManifest } from "../runner/manifest";

export interface LoadedManifest {
  dir: string;
  /** Path for messages (as given, e.g. "reports/run.json"). */
  path: string;
  manifest?: RunManifest;
  missing?: boolean;
  error?: string;
}

export interface LoadedFile {
  dir: string;
  path: string;
  target: string;
  shard?: { index: number; total: number };
  results?: TargetResults;
  /** Where the results came from: the results index run.json vouches for, or the messages themselves. */
  source?: "index" | "messages";
  error?: string;
}

export interface LoadedResults {
  dirs: string[];
  manifests: LoadedManifest[];
  files: LoadedFile[];
}

function errText(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  return e?.code ? `${e.code}` : (e?.message ?? String(err)).split("\n")[0];
}

/**
 * For each dir: DIR/run.json, plus every messages file it lists and every DIR/messages/*.ndjson
 * (a file on disk the manifest forgot is still evidence; a listed file missing on disk is a problem).
 */
export async function loadResults(dirs: string[], opts: { requirementTagPrefix?: string } = {}): Promise<LoadedResults> {
  const manifests: LoadedManifest[] = [];
  const files: LoadedFile[] = [];
  const seen = new Set<string>();
  for (const dir of dirs) {
    const runPath = join(dir, "run.json");
    const lm: LoadedManifest = { dir, path: runPath };
    if (!existsSync(runPath)) lm.missing = true;
    else {
      try {
        lm.manifest = readManifest(runPath);
      } catch (err) {
        lm.error = errText(err);
      }
    }
    manifests.push(lm);

    const candidates: string[] = [];
    const records = new Map<string, MessagesFileRecord>();
    for (const t of lm.manifest?.targets ?? []) {
      for (const m of t.messages ?? []) candidates.push(join(dir, m));
      for (const [m, record] of Object.entries(t.files ?? {})) records.set(resolve(dir, m), record);
    }
    const msgDir = join(dir, "messages");
    if (existsSync(msgDir)) {
      try {
        for (const name of readdirSync(msgDir).sort()) if (name.endsWith(".ndjson")) candidates.push(join(msgDir, name));
      } catch (err) {
        files.push({ dir, path: msgDir, target: "(unknown)", error: `cannot list: ${errText(err)}` });
      }
    }
    for (const path of candidates) {
      const abs = resolve(path);
      if (seen.has(abs)) continue;
      seen.add(abs);
      const shown = relative(process.cwd(), abs) || abs;
      let name: ReturnType<typeof parseMessagesFileName>;
      try {
        name = parseMessagesFileName(path);
      } catch (err) {
        files.push({ dir, path: shown, target: "(unknown)", error: (err as Error).message });
        continue;
      }
      const lf: LoadedFile = { dir, path: shown, target: name.target, shard: name.shard };
      if (!existsSync(path)) lf.error = "listed in run.json but missing";
      else {
        const indexed = readVouchedIndex(dir, path, name.target, records.get(abs), opts);
        if (indexed) {
          lf.results = indexed;
          lf.source = "index";
        } else {
          try {
            lf.results = await readMessagesFile(path, { target: name.target, requirementTagPrefix: opts.requirementTagPrefix });
            lf.source = "messages";
          } catch (err) {
            lf.error = errText(err);
          }
        }
      }
      files.push(lf);
    }
  }
  return { dirs, manifests, files };
}

/**
 * The results index of a messages file, only if run.json records it and both files are exactly what it
 * recorded: the messages' size (a full hash of hundreds of MB would cost more than parsing the index
 * saves; the run's outputs are bound by run.json's digest in the evidence) and the index's SHA-256.
 * Undefined otherwise (no index, a mismatch, an unreadable or truncated index): read the messages.
 */
function readVouchedIndex(dir: string, messagesPath: string, target: string, record: unknown, opts: { requirementTagPrefix?: string }): TargetResults | undefined {
  const r = record as Partial<MessagesFileRecord> | undefined;
  if (!r || typeof r.bytes !== "number" || typeof r.index?.file !== "string" || typeof r.index.sha256 !== "string") return undefined;
  try {
    if (statSync(messagesPath).size !== r.bytes) return undefined; // the messages changed since
    const indexPath = join(dir, r.index.file);
    if (sha256File(indexPath) !== r.index.sha256) return undefined; // the index changed since
    const results = readResultsIndex(indexPath, messagesPath, opts);
    return results.target === target ? results : undefined;
  } catch {
    return undefined;
  }
}
