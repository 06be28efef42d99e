// Reads run manifests and Cucumber messages from one or more results dirs (shards from several machines), checking every file against run.json.
//
// The results dir is hostile input: a messages file counts only if run.json lists it, it lies inside
// the dir (no absolute path, no "..", no symlink out) and its size and SHA-256 are what run.json
// records; so does its results index, which is then read instead of the messages. Problems are
// recorded per file with their own reason code, never thrown: the evaluator turns them into FAILs.
import { existsSync, lstatSync, readdirSync, realpathSync, statSync } from "node:fs";
import { createHash } from "node:crypto";
import { isAbsolute, join, normalize, resolve, sep } from "node:path";
import { MessagesError, parseMessagesFileName, readMessagesFileDigested } from "./read-messages";
import { digestFile, parseResultsIndex, resultsIndexPath } from "./results-index";
import type { TargetResults } from "../core/results-model";
import { ReadBuffer, readInputFile, reasonOf } from "../core/input-file";
import { parseManifest, readManifestBytes, type RunManifest } from "../core/manifest";
import { digestFileInWorker } from "./digest-worker";
import { shownPath } from "../core/shown-path";
import { SharedStrings } from "./shared-strings";

export interface LoadedManifest {
  dir: string;
  /** Path for messages, as src/core/shown-path.ts spells paths (e.g. "reports/run.json"). */
  path: string;
  manifest?: RunManifest;
  /** SHA-256 (hex) of the bytes `manifest` was parsed from (what the evidence names: never run.json read again). */
  sha256?: string;
  missing?: boolean;
  error?: string;
}

/** Why a results file does not count; each is its own reason code at the gate. */
export type ResultsProblem =
  /** missing, not a regular file, not Cucumber messages, or not a whole results index */
  | "results-unreadable"
  /** its size or SHA-256 (or its index's) is not what run.json records */
  | "results-tampered"
  /** listed in run.json without the size and SHA-256 to check it against */
  | "results-unrecorded"
  /** a messages file in the results dir that run.json does not list */
  | "results-unlisted"
  /** run.json points outside the results dir (absolute path, "..", a symlink out) */
  | "results-outside";

export interface LoadedFile {
  dir: string;
  /** Path for messages, as src/core/shown-path.ts spells paths. */
  path: string;
  target: string;
  shard?: { index: number; total: number };
  results?: TargetResults;
  /** Where the results came from: the results index run.json vouches for, or the messages themselves. */
  source?: "index" | "messages";
  /**
   * Set with results: the SHA-256 of the messages bytes they stand for (checked against run.json when it lists the
   * file). A copy of the file is that file only if it has this digest: it may have been replaced since it was read.
   */
  sha256?: string;
  error?: string;
  /** Set with error. */
  problem?: ResultsProblem;
}

/**
 * A messages file in a results dir whose run.json does not list it: it fails the gate (results-unlisted), and it is
 * nobody's results, so no reader counts it as a target (its name only claims one).
 */
export function isUnlisted(f: LoadedFile): boolean {
  return f.problem === "results-unlisted";
}

export interface LoadedResults {
  dirs: string[];
  manifests: LoadedManifest[];
  files: LoadedFile[];
  /** Loaded with `readMessages: false`: no file has results; one has an error only when a check above failed. */
  unread?: boolean;
}

interface Opts {
  requirementTagPrefix?: string;
  /**
   * Results dirs whose run.json is signed by a pinned runner key: only there is a results index (a summary
   * the run wrote, not checked against the messages) believed. Elsewhere whoever can edit run.json could
   * write an index and record its digest, so the messages themselves are read.
   */
  indexTrusted?: (dir: string) => boolean;
  /**
   * The run.json bytes a pinned runner key signed for a dir (the gate's run attestation check read them): loaded
   * instead of reading run.json again, which could have been replaced since the signature was checked.
   */
  signedManifest?: (dir: string) => Buffer | undefined;
  /** false: the scenarios read from an index leave out their testCaseStartedId (the gate never reads it). */
  attemptIds?: boolean;
  /**
   * false: no messages file or results index is read or hashed; each file is checked only as far as needs no read
   * of its contents (listed, inside the dir, recorded, its size, a recorded index present). For a gate whose
   * verdict is FAILED whatever the results say: it then comes at once, in memory that does not grow with them.
   */
  readMessages?: boolean;
}

/** Opts with the one table of shared strings of this load (see src/results/shared-strings.ts) and its one buffer for indexes. */
type LoadOpts = Opts & { shared: SharedStrings; readBuffer: ReadBuffer };

/** An index is ≈ 300 bytes per scenario: this is millions of scenarios in one messages file, never a real one. */
const MAX_INDEX_BYTES = 1 << 30;

/** A problem with one file: the reason code and one line naming what is wrong. */
class FileProblem extends Error {
  constructor(
    readonly problem: ResultsProblem,
    message: string,
  ) {
    super(message);
  }
}

const errText = reasonOf;

function realDir(dir: string): string | undefined {
  try {
    return realpathSync(dir);
  } catch {
    return undefined;
  }
}

/**
 * For each dir: DIR/run.json, every messages file it lists (checked against its record), and every
 * DIR/messages/*.ndjson it does not list (results-unlisted; read as evidence only when there is no
 * readable run.json, which is a FAIL of its own).
 */
export async function loadResults(dirs: string[], given: Opts = {}): Promise<LoadedResults> {
  const opts: LoadOpts = { ...given, shared: new SharedStrings(), readBuffer: new ReadBuffer() };
  const manifests: LoadedManifest[] = [];
  const files: LoadedFile[] = [];
  const seen = new Set<string>();
  for (const dir of dirs) {
    const lm = loadManifest(dir, opts.signedManifest?.(dir));
    manifests.push(lm);
    const root = realDir(dir);
    const listed: Promise<LoadedFile>[] = [];
    for (const t of lm.manifest?.targets ?? []) {
      for (const rel of t.messages) {
        const abs = resolve(dir, rel);
        // One file listed twice (or a dir given twice) is read once; a path out of the dir is never skipped as "seen".
        if (seen.has(abs) && !leavesDir(rel)) continue;
        seen.add(abs);
        // All at once: their digests are computed on worker threads while the indexes are parsed (src/results/digest-worker.ts).
        listed.push(loadListed(dir, root, rel, t.name, (t.files as Record<string, unknown> | undefined)?.[rel], opts));
      }
    }
    for (const f of await Promise.all(listed)) files.push(f); // not push(...): thousands of arguments overflow the stack
    const msgDir = join(dir, "messages");
    if (!existsSync(msgDir)) continue;
    let names: string[];
    try {
      names = readdirSync(msgDir)
        .filter((n) => n.endsWith(".ndjson"))
        .sort();
    } catch (err) {
      files.push({
        dir,
        path: shownPath(msgDir),
        target: "(unknown)",
        error: `cannot list: ${errText(err)}`,
        problem: "results-unreadable",
      });
      continue;
    }
    for (const n of names) {
      const abs = resolve(msgDir, n);
      if (seen.has(abs)) continue;
      seen.add(abs);
      files.push(await loadUnlisted(dir, abs, Boolean(lm.manifest), opts));
    }
  }
  return { dirs, manifests, files, ...(opts.readMessages === false ? { unread: true } : {}) };
}

function loadManifest(dir: string, signed: Buffer | undefined): LoadedManifest {
  // Read by the name it is shown with, so the manifest's own errors ("PATH: targets: …") spell it the same way.
  const runPath = shownPath(join(dir, "run.json"));
  const lm: LoadedManifest = { dir, path: runPath };
  if (!signed && !existsSync(runPath)) lm.missing = true;
  else {
    try {
      const bytes = signed ?? readManifestBytes(runPath);
      lm.manifest = parseManifest(bytes, runPath);
      lm.sha256 = createHash("sha256").update(bytes).digest("hex");
    } catch (err) {
      lm.error = errText(err);
    }
  }
  return lm;
}

/** A file on disk that run.json does not list: a FAIL when there is a run.json, else read for what it says. */
async function loadUnlisted(dir: string, abs: string, hasManifest: boolean, opts: Opts): Promise<LoadedFile> {
  const shown = shownPath(abs);
  // Before its name is read: any name (".ndjson", "x..ndjson") run.json does not list is unlisted, a FAIL, never a target.
  if (hasManifest)
    return {
      dir,
      path: shown,
      target: "(unlisted)",
      error: "a messages file in the results dir that run.json does not name",
      problem: "results-unlisted",
    };
  let name: ReturnType<typeof parseMessagesFileName>;
  try {
    name = parseMessagesFileName(abs);
  } catch (err) {
    return { dir, path: shown, target: "(unknown)", error: (err as Error).message, problem: "results-unreadable" };
  }
  const lf: LoadedFile = { dir, path: shown, target: name.target, shard: name.shard };
  try {
    // A FIFO or device would hang or never end the read.
    if (!statSync(abs).isFile()) return { ...lf, error: "not a regular file", problem: "results-unreadable" };
    if (opts.readMessages === false) return lf;
    const read = await readMessagesFileDigested(abs, {
      target: name.target,
      requirementTagPrefix: opts.requirementTagPrefix,
    });
    lf.results = read.results;
    lf.sha256 = read.digest.sha256;
    lf.source = "messages";
  } catch (err) {
    lf.error = errText(err);
    lf.problem = "results-unreadable";
  }
  return lf;
}

/** A messages file run.json lists under target `listedAs`, with its record (size, SHA-256, index). */
async function loadListed(
  dir: string,
  root: string | undefined,
  rel: string,
  listedAs: string,
  record: unknown,
  opts: LoadOpts,
): Promise<LoadedFile> {
  const shown = shownPath(resolve(dir, rel));
  let lf: LoadedFile = { dir, path: shown, target: listedAs };
  try {
    const name = parseMessagesFileName(rel);
    lf = { ...lf, target: name.target, shard: name.shard };
    if (name.target !== listedAs)
      throw new FileProblem(
        "results-unreadable",
        `listed in run.json under target ${listedAs} but named for target ${name.target}`,
      );
    const real = insideDir(dir, root, rel, "messages file", "results-unreadable");
    const r = checkedRecord(record);
    const size = statSync(real).size;
    if (size !== r.bytes)
      throw new FileProblem("results-tampered", `${size} bytes, run.json records ${r.bytes}: changed since the run`);
    // A recorded index is checked either way (a changed one is tampering); it is believed only in an attested dir.
    const recordedIndex = r.index;
    if (opts.readMessages === false) {
      if (recordedIndex)
        insideDir(dir, root, checkedIndexName(rel, recordedIndex), "results index", "results-tampered");
      return lf;
    }
    let read: { results: TargetResults; source: "index" | "messages"; sha256: string };
    if (recordedIndex && opts.indexTrusted?.(dir))
      read = await readThroughIndex(
        () => checkedIndex(dir, root, rel, recordedIndex, opts.readBuffer),
        real,
        r,
        name.target,
        opts,
      );
    else {
      if (recordedIndex) checkedIndex(dir, root, rel, recordedIndex, opts.readBuffer);
      read = await readMessagesChecked(real, r, name.target, opts);
    }
    lf.results = read.results;
    lf.source = read.source;
    lf.sha256 = read.sha256;
  } catch (err) {
    lf.error = errText(err);
    lf.problem = err instanceof FileProblem ? err.problem : "results-unreadable";
  }
  return lf;
}

const leavesDir = (rel: string) => isAbsolute(rel) || normalize(rel).split(sep).includes("..");

/**
 * The real path of `rel` inside the results dir, as a regular file; a path that leaves the dir
 * (absolute, "..", a symlink whose target is outside) is results-outside, a missing one `ifMissing`.
 */
function insideDir(
  dir: string,
  root: string | undefined,
  rel: string,
  what: string,
  ifMissing: ResultsProblem,
): string {
  if (isAbsolute(rel))
    throw new FileProblem(
      "results-outside",
      `run.json gives the ${what} as an absolute path (${rel}); it must be inside ${shownPath(dir)}`,
    );
  if (leavesDir(rel))
    throw new FileProblem("results-outside", `run.json's path for the ${what} (${rel}) leaves ${shownPath(dir)}`);
  const abs = resolve(dir, rel);
  try {
    lstatSync(abs);
  } catch {
    throw new FileProblem(ifMissing, `${what} ${rel} is listed in run.json but missing`);
  }
  const real = realpathSync(abs);
  if (!root || !real.startsWith(root + sep))
    throw new FileProblem(
      "results-outside",
      `${what} ${rel} is a link to ${shownPath(real)}, outside ${shownPath(dir)}`,
    );
  if (!statSync(real).isFile()) throw new FileProblem("results-unreadable", `${what} ${rel} is not a regular file`);
  return real;
}

interface Recorded {
  bytes: number;
  sha256: string;
  index?: { file: string; sha256: string };
}

function checkedRecord(record: unknown): Recorded {
  const r = record as Partial<Recorded> | undefined;
  const hex = (v: unknown) => typeof v === "string" && /^[0-9a-f]{64}$/.test(v);
  if (!r || typeof r !== "object" || !Number.isSafeInteger(r.bytes) || !hex(r.sha256))
    throw new FileProblem(
      "results-unrecorded",
      "run.json records no size and SHA-256 for it (files.<path>.bytes/sha256), so it cannot be checked",
    );
  if (r.index !== undefined && (typeof r.index?.file !== "string" || !hex(r.index.sha256)))
    throw new FileProblem(
      "results-unrecorded",
      "run.json's record of its results index is malformed (index.file/sha256)",
    );
  return r as Recorded;
}

/** The recorded index's name, when it is messages file `rel`'s own: each has exactly one, beside it, never another shard's. */
function checkedIndexName(rel: string, index: { file: string }): string {
  if (index.file !== resultsIndexPath(rel))
    throw new FileProblem(
      "results-tampered",
      `run.json names ${index.file} as its results index; its index is ${resultsIndexPath(rel)}`,
    );
  return index.file;
}

/** The recorded index of messages file `rel`, as run.json records it: its own (beside it), present, with the recorded SHA-256. */
function checkedIndex(
  dir: string,
  root: string | undefined,
  rel: string,
  index: { file: string; sha256: string },
  readBuffer: ReadBuffer,
): { file: string; bytes: Buffer } {
  // The run wrote an index and recorded it: one gone since is tampering, not an old run.
  const indexPath = insideDir(dir, root, checkedIndexName(rel, index), "results index", "results-tampered");
  // Into the load's one buffer: each index is parsed before the next is read, and none is held after its parse.
  const bytes = readInputFile(shownPath(indexPath), {
    what: "results index",
    maxBytes: MAX_INDEX_BYTES,
    into: readBuffer,
  });
  if (createHash("sha256").update(bytes).digest("hex") !== index.sha256)
    throw new FileProblem(
      "results-tampered",
      `its results index ${index.file} is not the one run.json records (SHA-256 differs): changed since the run`,
    );
  return { file: index.file, bytes };
}

/**
 * The messages' digest (on a worker thread, started first) against the record, then the checked index's
 * results. The index's bytes are read, checked and parsed in one synchronous step and never held across the
 * wait: with every file loaded at once, each index's bytes (7.6 MB at 100k) would otherwise stay alive until
 * its messages were hashed.
 */
async function readThroughIndex(
  checkIndex: () => { file: string; bytes: Buffer },
  messages: string,
  r: Recorded,
  target: string,
  opts: LoadOpts,
) {
  const hashing = digestFileInWorker(messages);
  // The index is parsed while the messages are hashed; its results count only once the digest matched. The parse
  // waits one turn first, so that every other listed file of the dir is given to the workers before a parse holds
  // the main thread (at 100k a parse takes as long as hashing a file).
  await Promise.resolve();
  const parsed = parseCheckedIndex(checkIndex, messages, opts);
  // A refused index is the reason, as when it was checked before hashing; the digest is still awaited (no
  // unhandled rejection).
  const digest = await hashing.catch((err: unknown) => {
    throw "file" in parsed ? err : parsed.error;
  });
  if (!("file" in parsed)) throw parsed.error;
  if (digest.sha256 !== r.sha256)
    throw new FileProblem(
      "results-tampered",
      `SHA-256 ${digest.sha256} is not the ${r.sha256} run.json records: changed since the run`,
    );
  if ("error" in parsed) throw parsed.error;
  const results = parsed.results;
  if (results.target !== target)
    throw new FileProblem("results-unreadable", `its results index ${parsed.file} is for target ${results.target}`);
  return { results, source: "index" as const, sha256: digest.sha256 };
}

/** The index checked against run.json and parsed; a refused index is `{error}` without `file`, an unparsable one `{file, error}`. */
function parseCheckedIndex(
  checkIndex: () => { file: string; bytes: Buffer },
  messages: string,
  opts: LoadOpts,
): { file: string; results: TargetResults } | { file: string; error: unknown } | { error: unknown } {
  let index: { file: string; bytes: Buffer };
  try {
    index = checkIndex();
  } catch (error) {
    return { error };
  }
  try {
    const { requirementTagPrefix, shared, attemptIds } = opts;
    const results = parseResultsIndex(index.bytes, index.file, messages, { requirementTagPrefix, shared, attemptIds });
    return { file: index.file, results };
  } catch (error) {
    return { file: index.file, error };
  }
}

/** No index recorded: the messages themselves, hashed in the same pass as the parse. */
async function readMessagesChecked(messages: string, r: Recorded, target: string, opts: Opts) {
  const tampered = (sha256: string) =>
    new FileProblem(
      "results-tampered",
      `SHA-256 ${sha256} is not the ${r.sha256} run.json records: changed since the run`,
    );
  try {
    const { results, digest } = await readMessagesFileDigested(messages, {
      target,
      requirementTagPrefix: opts.requirementTagPrefix,
    });
    if (digest.sha256 !== r.sha256 || digest.bytes !== r.bytes) throw tampered(digest.sha256);
    return { results, source: "messages" as const, sha256: digest.sha256 };
  } catch (err) {
    if (!(err instanceof MessagesError)) throw err;
    // Unreadable as messages: say whether it is what the run wrote (a broken run) or changed since (tampering).
    const digest = await digestFile(messages);
    if (digest.sha256 !== r.sha256) throw tampered(digest.sha256);
    throw new FileProblem("results-unreadable", err.message);
  }
}
