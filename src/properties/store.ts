// The counterexample store: failing cases found by property steps, kept under the project (not
// reports/) and tried first on every later run, so a bug once found stays found until it is fixed.
//
// File: .signoff/counterexamples.json (override with SIGNOFF_COUNTEREXAMPLES=<file>; "off" disables).
// {
//   "schema": "signoff/counterexamples@1",
//   "about": "...",
//   "properties": {
//     "<feature> › <scenario> › <step>": [ { counterexample, shown, error, seed, path, ... } ]
//   }
// }
// To clear one entry, delete its object from the list (or the whole key to clear a property);
// delete the file to clear everything. Entries are never removed automatically: a fixed bug's
// counterexample keeps guarding against the regression and simply passes.
import { writeFileAtomic } from "../core/atomic-write";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { lock } from "proper-lockfile";

export const STORE_SCHEMA = "signoff/counterexamples@1";
export const DEFAULT_STORE_PATH = ".signoff/counterexamples.json";

export interface StoredCounterexample {
  /** The shrunk failing value as JSON, rebuilt by the property step on later runs. */
  counterexample: unknown;
  /** The same, readable. */
  shown: string;
  /** First lines of the failure it caused. */
  error: string;
  /** How to regenerate it with fast-check (signoff run --replay <seed>:<path>). */
  seed: number;
  path: string;
  replayPath?: string;
  target: string;
  /** The staging it was found on. */
  baseUrl: string;
  /** Found on the bundled example app: its baseUrl was a port of that run only. */
  bundledApp?: boolean;
  foundAt: string;
  lastFailedAt: string;
}

export interface StoreFile {
  schema: typeof STORE_SCHEMA;
  about: string;
  properties: Record<string, StoredCounterexample[]>;
}

// Committed with the project: names Signoff's docs without a path that depends on where Signoff was installed.
const ABOUT =
  "Counterexamples found by Signoff property steps; each is tried first whenever its property runs. " +
  "Delete an entry (or a whole property key) to stop replaying it; see Signoff's docs/steps.md, 'Property steps'.";

/** Where the store lives for this process; undefined when disabled. */
export function storePath(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string | undefined {
  const v = env.SIGNOFF_COUNTEREXAMPLES;
  if (v !== undefined && /^(off|none|false|0)$/i.test(v.trim())) return undefined;
  return resolve(cwd, v && v.trim() !== "" ? v : DEFAULT_STORE_PATH);
}

function emptyFile(): StoreFile {
  return { schema: STORE_SCHEMA, about: ABOUT, properties: {} };
}

export class CounterexampleStore {
  constructor(readonly file: string) {}

  /** The file's contents; a missing file is an empty store, a broken one an error naming the file. */
  read(): StoreFile {
    if (!existsSync(this.file)) return emptyFile();
    let data: unknown;
    try {
      data = JSON.parse(readFileSync(this.file, "utf8"));
    } catch (err) {
      throw new Error(
        `counterexample store ${this.file} is not valid JSON (${(err as Error).message}); fix or delete it`,
        { cause: err },
      );
    }
    const file = data as { about?: unknown; properties?: unknown } | null;
    if (
      !file ||
      typeof file !== "object" ||
      typeof file.properties !== "object" ||
      Array.isArray(file.properties) ||
      file.properties === null
    ) {
      throw new Error(`counterexample store ${this.file} has no "properties" object; fix or delete it`);
    }
    for (const [key, list] of Object.entries(file.properties)) {
      if (!Array.isArray(list)) throw new Error(`counterexample store ${this.file}: "${key}" is not a list`);
    }
    const properties = file.properties as StoreFile["properties"];
    return { schema: STORE_SCHEMA, about: typeof file.about === "string" ? file.about : ABOUT, properties };
  }

  entries(property: string): StoredCounterexample[] {
    return this.read().properties[property] ?? [];
  }

  /**
   * Adds a counterexample (or refreshes an equal one). Read-merge-write under proper-lockfile's
   * lock, written to a temp file and renamed, so parallel workers neither lose nor tear each other's entries.
   */
  async save(property: string, entry: StoredCounterexample): Promise<void> {
    await this.withLock(() => {
      const data = this.read();
      const list = data.properties[property] ?? [];
      const same = list.find((e) => JSON.stringify(e.counterexample) === JSON.stringify(entry.counterexample));
      if (same) Object.assign(same, { ...entry, foundAt: same.foundAt });
      else list.push(entry);
      data.properties[property] = list;
      const sorted: Record<string, StoredCounterexample[]> = {};
      for (const k of Object.keys(data.properties).sort()) sorted[k] = data.properties[k];
      data.properties = sorted;
      writeFileAtomic(this.file, JSON.stringify(data, null, 2) + "\n", { mkdir: true });
    });
  }

  /** Marks a stored counterexample as failing again (lastFailedAt). */
  async touch(property: string, counterexample: unknown, at = new Date().toISOString()): Promise<void> {
    const match = this.entries(property).find(
      (e) => JSON.stringify(e.counterexample) === JSON.stringify(counterexample),
    );
    if (match) await this.save(property, { ...match, lastFailedAt: at });
  }

  /** The lock is `<file>.lock`; one left by a crashed writer is stale after 10 s and taken over. */
  private async withLock(fn: () => void): Promise<void> {
    mkdirSync(dirname(this.file), { recursive: true });
    let compromised: Error | undefined;
    let release: () => Promise<void>;
    try {
      release = await lock(this.file, {
        realpath: false,
        stale: 10_000,
        retries: { retries: 30, factor: 1.3, minTimeout: 20, maxTimeout: 200 },
        onCompromised: (err) => {
          compromised = err;
        },
      });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ELOCKED") throw err;
      throw new Error(
        `counterexample store ${this.file} is locked (${this.file}.lock); remove the lock if no run is active`,
        { cause: err },
      );
    }
    try {
      fn();
    } finally {
      await release().catch(() => undefined);
    }
    if (compromised)
      throw new Error(`counterexample store ${this.file}: the lock was lost while writing (${compromised.message})`);
  }
}

export function openStore(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): CounterexampleStore | undefined {
  const p = storePath(env, cwd);
  return p ? new CounterexampleStore(p) : undefined;
}
