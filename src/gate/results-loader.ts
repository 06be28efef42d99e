// Reads run manifests and Cucumber messages from one or more results dirs (shards from several machines).
//
// Problems (missing/unreadable run.json, unreadable or missing messages files) are recorded, not thrown:
// the evaluator turns them into FAIL reasons. Messages files are streamed by readMessagesFile.
import { existsSync, readdirSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { parseMessagesFileName, readMessagesFile } from "../results/read-messages";
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
    for (const t of lm.manifest?.targets ?? []) for (const m of t.messages ?? []) candidates.push(join(dir, m));
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
        try {
          lf.results = await readMessagesFile(path, { target: name.target, requirementTagPrefix: opts.requirementTagPrefix });
        } catch (err) {
          lf.error = errText(err);
        }
      }
      files.push(lf);
    }
  }
  return { dirs, manifests, files };
}
