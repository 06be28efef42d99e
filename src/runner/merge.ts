// `signoff merge`: results from several shards (several machines, several results dirs) → one result set.
//
// Reading the dirs and the shard bookkeeping are shared with the gate (src/results/loader.ts loadResults and
// src/results/shards.ts checkShards), so the merge and the gate can never disagree about what a gap is.
// The merged dir holds every shard's messages file under its own name (<target>@shard-i-of-n.ndjson),
// every Allure result, and one run.json whose per-target completeness says whether all shards arrived;
// `signoff report` and `signoff gate` read it like any other results dir (the gate re-checks the shards).
import { existsSync, lstatSync, readdirSync, realpathSync, rmSync } from "node:fs";
import { basename, join, resolve, sep } from "node:path";
import { randomUUID } from "node:crypto";
import { checkShards } from "../results/shards";
import { isUnlisted, loadResults, type LoadedFile } from "../results/loader";
import { statusRank, type ScenarioResult } from "../core/results-model";
import { EXIT, UsageError } from "../core/errors";
import { cannotRead, checkRegularFile, copyInputFile } from "../core/input-file";
import { prepareReportsDir } from "./prepare-reports-dir";
import { shownPath } from "../core/shown-path";
import { toolVersion } from "../core/package";
import { recordMessagesFile } from "../results/results-index";
import { loadRunKey, RUN_KEY_ENV } from "../attest/keys";
import { escapeControl } from "../core/safe-text";
import {
  attestRun,
  checkRunAttestation,
  runAttestationPath,
  signedManifests,
  type RunAttestationCheck,
} from "../attest/run-attestation";
import { loadTrust } from "../attest/trust";
import { countScenarios, writeManifest, type RunManifest, type TargetRun } from "../core/manifest";
import { MAX_RUN_MESSAGES, MAX_RUN_SHARDS, MAX_RUN_TARGETS } from "../core/manifest-schema";
import { combinedDigest, isJudgedBy, type FileDigest, type JudgedBy } from "../core/judged-by";
import { mergedFeatureTags, recordOf } from "../core/feature-tags";

export interface MergedTarget {
  name: string;
  /** Every scenario of the target over all its shards, by scenario key (a key seen twice keeps the worse). */
  scenarios: ScenarioResult[];
  files: LoadedFile[];
  /** Shard gaps, duplicates, unreadable or unfinished files, incomplete shard runs. */
  problems: string[];
  complete: boolean;
}

export interface MergedResults {
  targets: MergedTarget[];
  /** Problems not tied to one target (a missing run.json, different builds...). */
  problems: string[];
  manifest: RunManifest;
  complete: boolean;
}

/** Reads the dirs and combines them per target; nothing is written. */
export async function mergeResults(
  dirs: string[],
  opts: { requirementTagPrefix?: string; signedManifest?: (dir: string) => Buffer | undefined } = {},
): Promise<MergedResults> {
  if (dirs.length === 0) throw new UsageError("merge: name at least one results directory");
  if (dirs.length > MAX_RUN_SHARDS)
    throw new UsageError(
      `merge: ${dirs.length} results directories, more than the ${MAX_RUN_SHARDS} a run.json may list`,
    );
  for (const d of dirs) if (!existsSync(d)) throw new UsageError(`merge: ${d}: no such results directory`);
  const loaded = await loadResults(dirs, opts);
  const problems: string[] = [];
  const manifests: RunManifest[] = [];
  for (const m of loaded.manifests) {
    if (m.manifest) manifests.push(m.manifest);
    else problems.push(`${m.path}: ${m.missing ? "run manifest missing" : `run manifest unreadable (${m.error})`}`);
  }
  for (const m of manifests) {
    if (m.interrupted) problems.push(`run ${m.runId}${shardText(m.shard)} was interrupted (${m.interrupted.signal})`);
    if (m.error) problems.push(`run ${m.runId}${shardText(m.shard)} reported an error: ${m.error.split("\n")[0]}`);
  }
  const digests = new Set(manifests.map((m) => m.build?.digest ?? "(not observed)"));
  if (digests.size > 1) problems.push(`the shards observed different builds: ${[...digests].join(", ")}`);
  const judgedApart = judgedByDisagreement(manifests);
  if (judgedApart) problems.push(judgedApart);

  // Target records from every manifest (one per shard run) and files per target.
  const records = new Map<string, TargetRun[]>();
  for (const m of manifests) for (const t of m.targets ?? []) records.set(t.name, [...(records.get(t.name) ?? []), t]);
  const files = new Map<string, LoadedFile[]>();
  for (const f of loaded.files) {
    // A file run.json does not list is no target's: the merge is incomplete because of it, as the gate fails it.
    if (isUnlisted(f)) problems.push(`${f.path}: ${f.error}`);
    else files.set(f.target, [...(files.get(f.target) ?? []), f]);
  }

  const targets: MergedTarget[] = [];
  for (const name of [...new Set([...records.keys(), ...files.keys()])]) {
    const tp: string[] = [];
    const tf = files.get(name) ?? [];
    if (tf.length === 0) tp.push(`target ${name}: no results file`);
    checkShards(name, tf, true, (_code, _sev, message) => tp.push(message));
    for (const f of tf) {
      if (f.error || !f.results) tp.push(`${f.path}: results unreadable (${f.error ?? "no data"})`);
      else if (!f.results.complete)
        tp.push(`${f.path}: results end without testRunFinished (run interrupted or crashed)`);
    }
    for (const r of records.get(name) ?? [])
      if (!r.complete) tp.push(`target ${name}${shardText(r.shard)} did not complete${r.error ? `: ${r.error}` : ""}`);
    // One target is one browser on one device: shards that say otherwise are not one target's (the gate reads the
    // kind back to excuse what a target's tags keep off it).
    const kinds = new Set((records.get(name) ?? []).map((r) => `${r.driver} on ${r.device}`));
    if (kinds.size > 1)
      tp.push(`target ${name}: its shards ran different drivers or devices (${[...kinds].join(", ")})`);
    const byKey = new Map<string, ScenarioResult>();
    for (const f of tf)
      for (const s of f.results?.scenarios ?? []) {
        const prev = byKey.get(s.key);
        if (!prev || statusRank(s.status) > statusRank(prev.status)) byKey.set(s.key, s);
      }
    targets.push({ name, scenarios: [...byKey.values()], files: tf, problems: tp, complete: tp.length === 0 });
  }

  const first = manifests[0];
  const recordsOf = (name: string) => records.get(name) ?? [];
  const manifest: RunManifest = {
    schema: "signoff/run@1",
    runId: randomUUID(),
    startedAt: manifests.map((m) => m.startedAt).sort()[0] ?? new Date().toISOString(),
    finishedAt:
      manifests
        .map((m) => m.finishedAt ?? "")
        .sort()
        .pop() || undefined,
    toolVersion: first?.toolVersion ?? toolVersion(),
    gitCommit: first?.gitCommit,
    baseUrl: first?.baseUrl ?? "(unknown)",
    build: digests.size === 1 ? (first?.build ?? null) : null,
    buildError: digests.size > 1 ? problems.find((p) => p.startsWith("the shards observed")) : first?.buildError,
    // Any shard's selection is the merged run's: a shard that selected must not vanish into one that did not.
    tags: unionOf(manifests.map((m) => (m.tags ? [m.tags] : undefined)))?.join("; "),
    lines: unionOf(manifests.map((m) => m.lines)),
    featureTags: recordOf(mergedFeatureTags(manifests.map((m) => m.featureTags))),
    // What judged the shards, when it was one thing: the same lock file and Signoff everywhere, and the project's
    // modules each shard loaded, every one the same in every shard that loaded it (their union).
    judgedBy: judgedApart ? undefined : unionJudgedBy(manifests),
    // Each shard's base URL too: the policy's stagingOrigins judges every server a shard tested, not the first's only.
    mergedFrom: loaded.manifests.map((m) => ({
      dir: resolve(m.dir),
      runId: m.manifest?.runId,
      shard: m.manifest?.shard,
      baseUrl: m.manifest?.baseUrl,
    })),
    targets: targets.map((t) => {
      const rs = recordsOf(t.name);
      const counts = countScenarios(t.scenarios);
      return {
        name: t.name,
        driver: rs[0]?.driver ?? "playwright",
        device: rs[0]?.device ?? "(unknown)",
        // Shards that disagree say nothing: the gate then excuses only what both answers would.
        mobile: rs.length > 0 && rs.every((r) => r.mobile === rs[0].mobile) ? rs[0].mobile : undefined,
        remote: rs[0]?.remote,
        browserVersion: rs.find((r) => r.browserVersion)?.browserVersion,
        messages: [...new Set(t.files.map((f) => join("messages", basename(f.path))))],
        complete: t.complete,
        exitCode:
          rs.length > 0 && rs.every((r) => r.exitCode === 0) ? 0 : (rs.find((r) => r.exitCode)?.exitCode ?? null),
        counts,
        error: t.problems.length ? t.problems.join("; ") : undefined,
      };
    }),
    complete: false,
  };
  // Refused before anything is written: the gate reads no run.json listing more (src/core/manifest-schema.ts).
  const listed = manifest.targets.reduce((n, t) => n + t.messages.length, 0);
  const most = Math.max(0, ...manifest.targets.map((t) => t.messages.length));
  if (manifest.targets.length > MAX_RUN_TARGETS)
    throw new UsageError(
      `merge: ${manifest.targets.length} targets in all, more than the ${MAX_RUN_TARGETS} a run.json may list`,
    );
  if (most > MAX_RUN_SHARDS)
    throw new UsageError(
      `merge: ${most} messages files for one target, more than the ${MAX_RUN_SHARDS} a run.json may list`,
    );
  if (listed > MAX_RUN_MESSAGES)
    throw new UsageError(
      `merge: ${listed} messages files in all, more than the ${MAX_RUN_MESSAGES} a run.json may list`,
    );
  const complete = problems.length === 0 && targets.length > 0 && targets.every((t) => t.complete);
  manifest.complete = complete;
  if (problems.length) manifest.error = problems.join("; ");
  return { targets, problems, manifest, complete };
}

/**
 * What differs between the shards' records of what judged the build, when they differ: the merged run could only
 * record none, which the gate fails (`judged-by-missing`), so the merge says why here.
 */
function judgedByDisagreement(manifests: readonly RunManifest[]): string | undefined {
  const records = manifests.map((m) => m.judgedBy);
  if (new Set(records.map((j) => JSON.stringify(j ?? null))).size <= 1) return undefined;
  // run.json is the shards' (hostile) input: a record that is not a whole one (null, a string) counts as none.
  const whole = records.filter(isJudgedBy);
  if (whole.length < records.length)
    return "the shards were judged by different code (a shard recorded none): run every shard from one commit and one lock file";
  const parts: [string, (j: JudgedBy) => unknown][] = [
    ["lock file", (j) => (j.lockFile ? `${j.lockFile.path} ${j.lockFile.sha256}` : undefined)],
    ["Signoff", (j) => `${j.signoff.version} ${j.signoff.packageJsonSha256}`],
  ];
  const what = parts.filter(([, of]) => new Set(whole.map((j) => JSON.stringify(of(j)))).size > 1).map(([n]) => n);
  // A module only some shards loaded (a scenario requires it lazily) is no disagreement; other contents of one is.
  const apart = filesApart(whole);
  if (apart) what.unshift(`step definitions${apart}`);
  if (what.length === 0) return undefined;
  return `the shards were judged by different code (${what.join(", ")}): run every shard from one commit and one lock file`;
}

/** The shards' records as one (they agree: judgedByDisagreement): every project module any of them loaded. */
function unionJudgedBy(manifests: readonly RunManifest[]): JudgedBy | undefined {
  const records = manifests.map((m) => m.judgedBy).filter(isJudgedBy);
  if (records.length === 0 || records.length < manifests.length) return manifests[0]?.judgedBy;
  const files = new Map<string, FileDigest>();
  for (const j of records) for (const f of j.stepDefinitions.files) files.set(f.path, f);
  const union = [...files.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { ...records[0], stepDefinitions: { digest: combinedDigest(union), files: union } };
}

/** How many of the files that differ between shards the merge names. */
const FILES_NAMED = 3;

/**
 * ": FILE, FILE (+N more)" naming the project files the shards' records list with other contents; "" when every file
 * two shards list is the same in both (a module only some shards loaded — a scenario requires it lazily — is in the
 * merged record, not a disagreement). Escaped: run.json is the shards' input.
 */
function filesApart(records: readonly JudgedBy[]): string {
  // Per path: the contents the records list it with.
  const listed = new Map<string, Set<string>>();
  for (const j of records)
    for (const f of j.stepDefinitions.files)
      (listed.get(f.path) ?? listed.set(f.path, new Set()).get(f.path)!).add(f.sha256);
  const apart = [...listed]
    .filter(([, shas]) => shas.size > 1)
    .map(([path]) => escapeControl(path))
    .sort();
  if (apart.length === 0) return "";
  const more = apart.length > FILES_NAMED ? ` (+${apart.length - FILES_NAMED} more)` : "";
  return `: ${apart.slice(0, FILES_NAMED).join(", ")}${more}`;
}

/**
 * With a trust file, merging must not launder results: a shard whose run attestation is missing or does
 * not verify makes the merged run incomplete, with the reason, before the merged run.json is signed.
 */
function unattestedShards(checks: readonly RunAttestationCheck[], merged: MergedResults): void {
  for (const check of checks)
    if (check.status !== "valid")
      merged.problems.push(`run attestation ${check.status}: ${check.message ?? check.path}`);
  if (merged.problems.length === 0) return;
  merged.complete = false;
  merged.manifest.complete = false;
  merged.manifest.error = merged.problems.join("; ");
}

function shardText(s?: { index: number; total: number }): string {
  return s ? ` (shard ${s.index}/${s.total})` : "";
}

/**
 * No run writes a file this large (a messages file takes tens of KB a scenario): a bigger one, such as a sparse file
 * claiming terabytes, is refused rather than copied until the disk is full.
 */
const MAX_COPY_BYTES = 64 * 1024 ** 3;

/** One file merge copies from a shard into the merged dir; a messages file with the record its digest goes in. */
interface PlannedCopy {
  /** As shown in messages (src/core/shown-path.ts), and opened by that name. */
  src: string;
  dest: string;
  what: string;
  messages?: { file: LoadedFile; rel: string; record: TargetRun };
}

/**
 * What merge copies: each target's messages files, then every shard's allure-results/ entries. Only regular files,
 * checked without following a link (the shards are someone else's output: a link would copy what it points at, a
 * FIFO would hang the merge); anything else is a UsageError naming it. A messages file run.json places outside its
 * shard is not the shard's and not copied (the merged run.json already names it); one that is missing neither.
 */
function plannedCopies(dirs: string[], merged: MergedResults, out: string): PlannedCopy[] {
  const copies: PlannedCopy[] = [];
  for (const t of merged.targets) {
    const record = merged.manifest.targets.find((x) => x.name === t.name)!;
    for (const file of t.files) {
      if (file.problem === "results-outside") continue;
      const src = shownPath(file.path);
      const what = "shard's messages file";
      if (!checkRegularFile(src, what)) continue;
      const rel = join("messages", basename(file.path));
      copies.push({ src, dest: join(out, rel), what, messages: { file, rel, record } });
    }
  }
  for (const d of dirs) {
    const allure = join(d, "allure-results");
    if (!isDirectory(allure)) continue;
    let names: string[];
    try {
      names = readdirSync(allure).sort();
    } catch (err) {
      throw cannotRead(shownPath(allure), "shard's allure-results", err);
    }
    for (const name of names) {
      const src = shownPath(join(allure, name));
      const what = "shard's Allure result";
      checkRegularFile(src, what);
      copies.push({ src, dest: join(out, "allure-results", name), what });
    }
  }
  return copies;
}

/** A shard's allure-results/: false when there is none; anything but a directory (a link to one too) is refused. */
function isDirectory(path: string): boolean {
  try {
    return checkRegularFile(shownPath(path), "shard's allure-results", "directory");
  } catch (err) {
    // A "results dir" that is a file has no allure-results in it; the merge already names its missing run.json.
    if (err instanceof UsageError && (err.cause as NodeJS.ErrnoException | undefined)?.code === "ENOTDIR") return false;
    throw err;
  }
}

/**
 * Writes the merged dir: every planned copy, then run.json. Every file to copy is checked before the first is
 * written: a shard with a link or a FIFO in it is refused with the merged dir as it was, as any other usage error
 * leaves it. An earlier merge's (or run's) results there go first, as `signoff run` clears its reports dir: kept,
 * they were files the new run.json does not record, and the gate failed the dir for them.
 */
export function writeMergedDir(dirs: string[], merged: MergedResults, out: string): void {
  const copies = plannedCopies(dirs, merged, out);
  prepareReportsDir(out, "merged directory");
  for (const c of copies) {
    // A duplicated shard keeps its first copy; the merged run.json names the duplicate and is incomplete.
    if (lstatSync(c.dest, { throwIfNoEntry: false })) continue;
    const digest = copyInputFile(c.src, c.dest, { what: c.what, maxBytes: MAX_COPY_BYTES, noFollow: true });
    if (c.messages) recordCopy(merged, c.messages, c.dest, digest);
  }
  rmSync(runAttestationPath(out), { force: true });
  writeManifest(join(out, "run.json"), merged.manifest);
}

/**
 * Records a copied messages file in the merged run.json by its digest (the gate checks the merged dir like any
 * run's), with a results index when it was readable, so its gate is as fast as a single run's. A copy that is not
 * the file the merge read (replaced in between) vouches for nothing: it is recorded as it is, with no index, and
 * its target is incomplete, so the merged results (signed, with a run key) never pass for what was read.
 */
function recordCopy(
  merged: MergedResults,
  copied: NonNullable<PlannedCopy["messages"]>,
  dest: string,
  digest: { bytes: number; sha256: string },
): void {
  const { file, rel, record } = copied;
  const read = file.results;
  const sameAsRead = read !== undefined && file.sha256 === digest.sha256;
  record.files = {
    ...record.files,
    [rel]: sameAsRead ? recordMessagesFile(dest, rel, read, digest) : { bytes: digest.bytes, sha256: digest.sha256 },
  };
  if (read && !sameAsRead)
    targetIncomplete(
      merged,
      record,
      `${file.path}: changed while being merged (read with SHA-256 ${file.sha256}, copied with ${digest.sha256})`,
    );
}

/** A problem found after the merged run.json was assembled: its target, and so the merge, is incomplete. */
function targetIncomplete(merged: MergedResults, record: TargetRun, problem: string): void {
  const target = merged.targets.find((t) => t.name === record.name)!;
  target.problems.push(problem);
  target.complete = false;
  record.complete = false;
  record.error = target.problems.join("; ");
  merged.complete = false;
  merged.manifest.complete = false;
}

/**
 * `--into` is cleared of an earlier run's results before the merge writes (prepareReportsDir): an input that is it, or
 * lies in its messages/ or allure-results/, by any path (a link, `..`), would lose its files before they are read.
 */
function refuseInputsInto(dirs: string[], into: string): void {
  const real = (p: string) => (existsSync(p) ? realpathSync(p) : resolve(p));
  const out = real(into);
  const cleared = [join(out, "messages"), join(out, "allure-results")];
  for (const d of dirs) {
    const input = real(d);
    if (input === out || cleared.some((c) => input === c || input.startsWith(c + sep)))
      throw new UsageError(`merge: --into ${into} must not be one of the inputs`);
  }
}

/** Merges the dirs into `into`: messages + Allure results copied, one combined run.json. Exit 1 if incomplete. */
export async function mergeCommand(dirs: string[], into: string, opts: { trustFile?: string } = {}): Promise<number> {
  const out = resolve(into);
  refuseInputsInto(dirs, into);
  const runKey = loadRunKey(); // before any work: a bad key is a setup error
  // Signing unverified shards would launder an edited one into a validly attested run.
  if (runKey && !opts.trustFile)
    throw new UsageError(
      `merge: ${RUN_KEY_ENV} is set, so give --trust FILE: the merged run.json is signed only after every shard's own run attestation verifies`,
    );
  const trust = opts.trustFile ? loadTrust(opts.trustFile) : undefined;
  // Checked before anything is read, and each attested shard loaded from the run.json bytes its runner signed: a
  // run.json replaced between the check and the read would otherwise be merged, and signed, as if checked.
  const checks = trust ? dirs.map((dir) => checkRunAttestation(dir, trust)) : [];
  const signed = signedManifests(checks);
  const merged = await mergeResults(dirs, { signedManifest: (dir) => signed.get(dir) });
  if (trust) unattestedShards(checks, merged);
  writeMergedDir(dirs, merged, out);
  const attestation = runKey ? attestRun(out, runKey) : undefined;
  // The merge's own problems (a shard's attestation, a run.json, builds or code that differ) first: they make the
  // merged run incomplete whatever its targets' files say, so no target line under them reads COMPLETE.
  console.log(
    escapeControl(
      `Merged ${dirs.length} results dir(s) into ${shownPath(into)}${merged.complete ? "" : ": INCOMPLETE (the gate fails it)"}`,
    ),
  );
  // Problems come from the shards' files: hostile text, escaped before it reaches a terminal.
  for (const p of merged.problems) console.log(`  ${escapeControl(p)}`);
  for (const t of merged.targets) {
    const c = merged.manifest.targets.find((x) => x.name === t.name)!.counts!;
    const complete = t.complete && merged.problems.length === 0;
    const why = t.complete && !complete ? " (the merged run is incomplete: see above)" : "";
    console.log(
      escapeControl(
        `  ${(complete ? "COMPLETE" : "INCOMPLETE").padEnd(10)} ${t.name.padEnd(14)} ${t.scenarios.length} scenario(s): ${c.passed} passed, ${c.failed} failed${c.other ? `, ${c.other} other` : ""} from ${t.files.length} file(s)${why}`,
      ),
    );
    for (const p of t.problems) console.log(`      ${escapeControl(p)}`);
  }
  if (runKey && attestation)
    console.log(
      `Signed the merged run manifest: ${shownPath(attestation)} (runner key ${runKey.keyid.slice(0, 12)}…)${merged.complete ? "" : ", marked incomplete"}`,
    );
  return merged.complete ? EXIT.ok : EXIT.no;
}

/** The shards' selections (`file:line`s, tag expressions) together; none when none made one. */
function unionOf(lists: ReadonlyArray<string[] | undefined>): string[] | undefined {
  const all = new Set(lists.flatMap((l) => l ?? []));
  return all.size > 0 ? [...all].sort() : undefined;
}
