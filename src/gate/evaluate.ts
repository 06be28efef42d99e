// The gate's decision: a PURE function of results, run manifests, policy, artifact and baseline → verdict with reasons.
//
// It fails closed: anything it cannot positively establish (a target, a shard, a finished run, a
// requirement's coverage, the build staging served) is a FAIL with its own reason, never a silent PASS.
// Linear in the number of scenario results (maps, no nested scans); bench/RESULTS.md measures it.
import {
  cellOf,
  cellRank,
  failedStepPhrase,
  type CellStatus,
  type ScenarioResult,
  type ScenarioStatus,
} from "../core/results-model";
import { countScenarios, type RunManifest, type TargetRun } from "../core/manifest";
import { stillNarrowed } from "../core/tags";
import { isJudgedBy } from "../core/judged-by";
import { didYouMean } from "../core/did-you-mean";
import { Grouped, listExamples, MAX_EXAMPLES } from "./grouped";
import { featureTextProblems, JudgedFeatures, judgedText, scenariosLeftOut, type ReadFile } from "./scenarios-ran";
import { formatArtifactRef, sha256FromDigest, type ArtifactRef } from "../attest/artifact";
import { originOf, type GatePolicy } from "./policy";
import {
  isUnlisted,
  type LoadedFile,
  type LoadedManifest,
  type LoadedResults,
  type ResultsProblem,
} from "../results/loader";
import { checkShards } from "../results/shards";
import { messageLine } from "../core/message-line";
import { BUILTIN_TARGETS } from "../config/defaults";

export type GateResult = "PASSED" | "WARNED" | "FAILED";

export type ReasonCode =
  | "zero-scenarios"
  | "manifest-missing"
  | "manifest-unreadable"
  | "run-interrupted"
  | "run-error"
  | "run-incomplete"
  | "results-unreadable"
  | "results-tampered"
  | "results-unrecorded"
  | "results-unlisted"
  | "results-outside"
  | "results-inconsistent"
  | "results-incomplete"
  | "target-missing"
  | "target-incomplete"
  | "target-empty"
  | "shard-missing"
  | "shard-duplicate"
  | "shard-inconsistent"
  | "build-mismatch"
  | "build-unobserved"
  | "build-inconsistent"
  | "scenario-failed"
  | "scenario-undefined"
  | "scenario-pending"
  | "scenario-skipped"
  | "scenario-ambiguous"
  | "scenario-unknown"
  | "scenario-duplicate"
  | "flaky"
  | "property-runs"
  | "requirements-none"
  | "requirement-uncovered"
  | "requirement-target-uncovered"
  | "optional-target-failed"
  | "regression"
  | "scenario-removed"
  | "baseline-missing"
  | "baseline-unverified"
  | "warned-not-allowed"
  | "run-attestation-missing"
  | "judged-by-missing"
  | "run-attestation-invalid"
  | "features-not-run"
  | "run-selected"
  | "staging-not-allowed"
  | "target-redefined";

export interface Finding {
  code: ReasonCode;
  severity: "fail" | "warn";
  message: string;
}

export interface Counts {
  total: number;
  passed: number;
  failed: number;
  flaky: number;
  skipped: number;
  pending: number;
  undefined: number;
  ambiguous: number;
  unknown: number;
}

export interface CoverageCell {
  status: CellStatus;
  scenarios: number;
  passed: number;
}

/** Requirement × target matrix; a missing cell means no scenario for that requirement ran on that target. */
export interface Coverage {
  requirements: string[];
  targets: string[];
  cells: Record<string, Record<string, CoverageCell>>;
}

export interface Regression {
  /** "<target> › <scenario key>" */
  test: string;
  before: "passed" | "warned";
  now: string;
}

/** The last passing verdict's (or result set's) per-test outcome, keyed "<target> › <scenario key>". */
export interface Baseline {
  source: string;
  /** SHA-256 of what it was read from: the verdict file, or the results dir's run.json (the evidence names it). */
  sha256: string;
  /**
   * Why it is not a verdict signed by a pinned gate key with a PASSED decision (unchecked, a results dir, a bad
   * signature …); undefined when it is. A policy that requires a baseline requires one that is.
   */
  unverified?: string;
  tests: Map<string, "passed" | "warned" | "failed">;
}

export interface GateInput {
  results: LoadedResults;
  policy: GatePolicy;
  artifact: ArtifactRef;
  /** Requirement ids declared by tags in the feature files (without "@"). */
  declaredRequirements: Iterable<string>;
  /** The feature files judged against, each with the SHA-256 of its content as the gate read it. */
  features?: ReadonlyArray<{ path: string; sha256: string }>;
  baseline?: Baseline;
  /** Per results dir: is its run.json signed by a pinned runner key (src/gate/run-attestation.ts)? */
  runAttestations?: ReadonlyArray<{ path: string; status: "valid" | "missing" | "invalid"; message?: string }>;
  /**
   * The gate's trust file pins runner keys: the team signs its runs, so a results dir without an attestation reads
   * exactly like one whose attestation was deleted (to edit its results), and fails whatever the policy says.
   */
  runnerKeysPinned?: boolean;
  /**
   * The targets the config defines (built-in ones included), when the gate read a config file: a required target
   * that has no results and is none of them is named as such, with the one it most likely meant. Without a config
   * file the run's own targets are unknown, so nothing is said.
   */
  configTargets?: readonly string[];
}

export interface GateDecision {
  result: GateResult;
  /** What the signed decision says: WARNED counts as PASSED only when the policy allows it. */
  verificationResult: "PASSED" | "FAILED";
  findings: Finding[];
  /** "code: message", failures first. */
  reasons: string[];
  counts: Counts;
  perTarget: Record<string, Counts>;
  coverage: Coverage;
  regressions: Regression[];
  removed: string[];
  tests: { passed: string[]; warned: string[]; failed: string[] };
  run: { runIds: string[]; baseUrl?: string; build?: { name: string; version: string; digest: string } | null };
  /** The results were not read (see LoadedResults.unread): counts, coverage and test lists are empty. */
  unread?: boolean;
  /** Targets whose every results file was refused (tampered, unreadable…): no scenario of theirs was counted. */
  refusedTargets: string[];
  /**
   * Targets some of whose results are not here (a results file refused or unreadable, a shard missing): a requirement
   * without a scenario on one may have one in those results, so its cell is "no result", not "no scenario".
   */
  lackingTargets: string[];
}

const STATUS_CODE: Record<Exclude<ScenarioStatus, "passed">, ReasonCode> = {
  failed: "scenario-failed",
  undefined: "scenario-undefined",
  pending: "scenario-pending",
  skipped: "scenario-skipped",
  ambiguous: "scenario-ambiguous",
  unknown: "scenario-unknown",
};

const STATUS_WORDS: Record<Exclude<ScenarioStatus, "passed">, string> = {
  failed: "failed",
  undefined: "have undefined steps (or none at all)",
  pending: "are pending",
  skipped: "were skipped",
  ambiguous: "have ambiguous steps",
  unknown: "have no result (never ran or never finished)",
};

const PROBLEM_WORDS: Record<ResultsProblem, string> = {
  "results-unreadable": "results unreadable",
  "results-tampered": "not the file the run wrote",
  "results-unrecorded": "cannot be checked against run.json",
  "results-unlisted": "not listed in run.json",
  "results-outside": "outside the results directory",
};

/** Requirement ids named in one line for several requirements (all are in the decision's coverage). */
const MAX_IDS = 5;

/** The subject of a line about requirements: `requirement A has`, `requirements A, B and C have`, `requirements A, … E and 3 more have`. */
function requirementsHave(ids: string[]): string {
  if (ids.length === 1) return `requirement ${ids[0]} has`;
  const named = ids.slice(0, MAX_IDS);
  const rest = ids.length - named.length;
  const list =
    rest > 0 ? `${named.join(", ")} and ${rest} more` : `${named.slice(0, -1).join(", ")} and ${named.at(-1)}`;
  return `requirements ${list} have`;
}

export function emptyCounts(): Counts {
  return { total: 0, passed: 0, failed: 0, flaky: 0, skipped: 0, pending: 0, undefined: 0, ambiguous: 0, unknown: 0 };
}

function addCount(c: Counts, s: ScenarioResult): void {
  c.total++;
  c[s.status]++;
  if (s.flaky) c.flaky++;
}

/** One scenario (and one way of failing) across the targets it failed on: named once, its targets listed. */
interface ScenarioGroup {
  where: string;
  why: string;
  targets: string[];
}

/**
 * Like Grouped, for scenario results: per group (a status), the same scenario failing the same way on several
 * targets is one example naming its targets; the same scenario failing otherwise on another target is another.
 * Names at most MAX_EXAMPLES examples per group and counts the rest (scenarios, results, targets, examples): to
 * count them it keeps each scenario's key (the result's own string) and clipped message, not one text per result.
 */
class ScenarioGrouped {
  private groups = new Map<
    string,
    {
      results: number;
      targets: Set<string>;
      /** scenario key → each way (why) it failed → its example, when it is one of those named. */
      ways: Map<string, Map<string, ScenarioGroup | undefined>>;
      examples: ScenarioGroup[];
      count: number;
    }
  >();
  add(group: string, target: string, s: ScenarioResult): void {
    let g = this.groups.get(group);
    if (!g) this.groups.set(group, (g = { results: 0, targets: new Set(), ways: new Map(), examples: [], count: 0 }));
    g.results++;
    g.targets.add(target);
    let ways = g.ways.get(s.key);
    if (!ways) g.ways.set(s.key, (ways = new Map()));
    const why = whyScenario(s);
    if (ways.has(why)) {
      const e = ways.get(why);
      if (e && !e.targets.includes(target)) e.targets.push(target);
      return;
    }
    g.count++;
    const e = g.examples.length < MAX_EXAMPLES ? { where: whereScenario(s), why, targets: [target] } : undefined;
    if (e) g.examples.push(e);
    ways.set(why, e);
  }
  entries(): [string, { results: number; scenarios: number; targets: number; text: string }][] {
    return [...this.groups].map(([group, g]) => {
      const examples = g.examples.map((e) => `${e.where} — on ${e.targets.join(", ")}${e.why}`);
      const more = g.count - examples.length;
      const text = examples.join("; ") + (more > 0 ? `; … and ${more} more` : "");
      return [group, { results: g.results, scenarios: g.ways.size, targets: g.targets.size, text }];
    });
  }
}

const shardName = (s?: { index: number; total: number }) => (s ? ` (shard ${s.index} of ${s.total})` : "");

/**
 * How much of a failure's message a reason quotes: enough for "expected …, it shows …" or a short list of page
 * errors; the whole text (a page's, say) is in the report and the run's messages.
 */
const MESSAGE_MAX = 200;

const whereScenario = (s: ScenarioResult): string => `${s.uri}:${s.line} ${s.name}`;

/**
 * Why a scenario did not pass, in one line: its failed step where it is written (`features/x.feature:12 "…"`) and its
 * message (every line of it, clipped), never the stack.
 */
function whyScenario(s: ScenarioResult): string {
  return s.failedStep
    ? ` — at ${failedStepPhrase(s)}${s.error ? `: ${messageLine(s.error, MESSAGE_MAX)}` : ""}`
    : s.error
      ? ` — ${messageLine(s.error, MESSAGE_MAX)}`
      : "";
}

/** A failed scenario in one line. */
function describeScenario(s: ScenarioResult): string {
  return `${whereScenario(s)}${whyScenario(s)}`;
}

function firstLine(text: string): string {
  const line = text.split("\n", 1)[0].trim();
  return line.length > 160 ? `${line.slice(0, 157)}...` : line;
}

function describeTargetRun(t: TargetRun): string {
  const bits: string[] = [];
  if (t.error) bits.push(t.error);
  if (t.signal) bits.push(`killed by ${t.signal}`);
  if (t.exitCode !== undefined && t.exitCode !== null) bits.push(`exit code ${t.exitCode}`);
  return bits.join(", ");
}

type Add = (code: ReasonCode, severity: "fail" | "warn", message: string) => void;

export function evaluate(input: GateInput): GateDecision {
  const { results, policy } = input;
  const findings: Finding[] = [];
  const add: Add = (code, severity, message) => findings.push({ code, severity, message });
  const required = new Set(policy.requiredTargets);

  checkRunManifests(results, required, add);
  checkRecordedTargets(results, required, add);
  checkRunAttestations(input, add);
  checkJudgedBy(results, add);
  // The results files and shards before what follows from them: a scenario "not run" or a requirement "uncovered"
  // because its results file was refused or its shard is missing names that cause, after it.
  const byTarget = checkResultsFiles(results, required, add);
  const lacking = lackingResults(byTarget);
  for (const [target, files] of byTarget)
    checkShards(target, files, required.has(target), (code, severity, message) => {
      if (code === "shard-missing") lacking.add(target, code);
      add(code, severity, message);
    });
  // The feature files judged: results parsed from another text of one cannot speak for it.
  const judged = input.features && new JudgedFeatures(input.features);
  checkScenarioSelection(input, judged, lacking, add);
  checkAgainstManifests(results, required, add);
  checkRequiredTargets(results, policy, byTarget, input.configTargets, add);
  checkBuild(input, add);
  checkStaging(input, add);
  checkBaselineGiven(input, add);

  const tally = tallyScenarios(byTarget, policy, required, input.baseline !== undefined, judged);
  // Unread results (a run attestation that does not verify): no scenario, requirement or regression is known, and
  // "zero scenarios" or "requirement uncovered" would be false.
  if (results.unread) {
    if (!findings.some((f) => f.severity === "fail"))
      add("zero-scenarios", "fail", "the results were not read: there is nothing to base a release decision on");
    return decide(input, findings, byTarget, new Set(), new Lacking(), tally, new Set(), [], []);
  }
  const refused = refusedTargets(byTarget);
  checkScenarios(tally, policy, refused, add);
  const requiredReqs = checkRequirements(input, byTarget, refused, lacking, tally, add);
  const { regressions, removed } = checkRegressions(input, required, tally, add);
  return decide(input, findings, byTarget, refused, lacking, tally, requiredReqs, regressions, removed);
}

/**
 * Targets some of whose results are not here — a results file refused (tampered, unreadable…) or a shard missing —
 * with the reasons that say so: what seems not run or uncovered on them may be in those results, and the lines that
 * follow from it name the cause instead of guessing one.
 */
class Lacking {
  private byTarget = new Map<string, Set<ReasonCode>>();
  add(target: string, code: ReasonCode): void {
    let codes = this.byTarget.get(target);
    if (!codes) this.byTarget.set(target, (codes = new Set()));
    codes.add(code);
  }
  has(target: string): boolean {
    return this.byTarget.has(target);
  }
  get size(): number {
    return this.byTarget.size;
  }
  targets(): string[] {
    return [...this.byTarget.keys()].sort();
  }
  /**
   * Why these targets' results are not all here, and the reasons to see: "a results file of pw-desktop was refused:
   * see results-tampered", "a shard of pw-desktop, se-desktop is missing: see shard-missing". Every target lacking when
   * none are given.
   */
  why(targets: readonly string[] = this.targets()): string {
    const of = (test: (c: ReasonCode) => boolean) =>
      targets.filter((t) => [...(this.byTarget.get(t) ?? [])].some(test));
    const say = (those: string[], one: string, many: string, verb: [string, string]) =>
      those.length === 0
        ? ""
        : those.length === 1
          ? `${one} of ${those[0]} ${verb[0]}`
          : `${many} of ${those.join(", ")} ${verb[1]}`;
    const codes = new Set(targets.flatMap((t) => [...(this.byTarget.get(t) ?? [])]));
    const parts = [
      say(
        of((c) => c !== "shard-missing" && c !== "results-unreadable"),
        "a results file",
        "results files",
        ["was refused", "were refused"],
      ),
      say(
        of((c) => c === "results-unreadable"),
        "a results file",
        "results files",
        ["could not be read", "could not be read"],
      ),
      say(
        of((c) => c === "shard-missing"),
        "a shard",
        "shards",
        ["is missing", "are missing"],
      ),
    ].filter(Boolean);
    return `${parts.join(", and ")}: see ${[...codes].sort().join(", ")}`;
  }
}

/** The targets with a results file refused or unreadable (a file run.json does not list is no target's). */
function lackingResults(byTarget: Map<string, LoadedFile[]>): Lacking {
  const lacking = new Lacking();
  for (const [target, files] of byTarget)
    for (const f of files)
      if (f.error !== undefined || !f.results) lacking.add(target, f.problem ?? "results-unreadable");
  return lacking;
}

/** Run manifests: present, readable, finished, not interrupted, no error; every target complete. */
function checkRunManifests(results: LoadedResults, required: Set<string>, add: Add): void {
  for (const m of results.manifests) {
    if (!m.manifest) {
      if (m.missing)
        add("manifest-missing", "fail", `${m.path}: run manifest missing; cannot tell whether the run finished`);
      else add("manifest-unreadable", "fail", `${m.path}: run manifest unreadable (${m.error})`);
      continue;
    }
    const rm = m.manifest;
    if (rm.interrupted)
      add(
        "run-interrupted",
        "fail",
        `${m.path}: the run was interrupted (${rm.interrupted.signal} at ${rm.interrupted.at})`,
      );
    if (rm.error) add("run-error", "fail", `${m.path}: the run reported an error: ${firstLine(rm.error)}`);
    if (!rm.complete && !rm.interrupted && !rm.error)
      add("run-incomplete", "fail", `${m.path}: the run manifest says the run did not complete`);
    for (const t of rm.targets ?? []) {
      if (t.complete) continue;
      const sev = required.has(t.name) ? "fail" : "warn";
      add(
        "target-incomplete",
        sev,
        `target ${t.name}${shardName(t.shard)}${sev === "warn" ? " (not required)" : ""} did not complete` +
          (describeTargetRun(t) ? `: ${describeTargetRun(t)}` : " (no error, signal or exit code recorded)"),
      );
    }
  }
}

// Loaded when a run.json is read (the device snapshot is 70 KB of data: not for the pure parts of the gate that never need it).
const devices = () => require("../core/device-kind") as typeof import("../core/device-kind");

/**
 * A built-in target's name means its driver and device (the config refuses redefining one) and a policy requiring
 * `pw-pixel7` requires a phone: a run.json recording that name with another driver, device or device kind (an older
 * Signoff's, or one edited where runs are not attested) did not test what the name promises. Any target's recorded
 * device kind must be its device's (it decides what `@mobile-only` and `@desktop-only` keep off the target). A run
 * recording no device kind is judged by both kinds elsewhere, so only a recorded one is compared.
 */
function checkRecordedTargets(results: LoadedResults, required: Set<string>, add: Add): void {
  for (const m of results.manifests)
    for (const t of m.manifest?.targets ?? []) {
      const builtin = Object.hasOwn(BUILTIN_TARGETS, t.name) ? BUILTIN_TARGETS[t.name] : undefined;
      const mobile = devices().snapshotIsMobile(builtin?.device ?? t.device);
      const kindDiffers = t.mobile !== undefined && mobile !== undefined && t.mobile !== mobile;
      const redefined = builtin && (t.driver !== builtin.driver || t.device !== builtin.device);
      if (!redefined && !kindDiffers) continue;
      const recorded = `${JSON.stringify(t.driver)} on ${JSON.stringify(t.device)}${t.mobile === undefined ? "" : t.mobile ? " (mobile)" : " (not mobile)"}`;
      const truth = builtin
        ? `the built-in ${t.name} is ${builtin.driver} on ${builtin.device}`
        : `${t.device} is ${mobile ? "" : "not "}a mobile device`;
      const sev = required.has(t.name) ? "fail" : "warn";
      add(
        "target-redefined",
        sev,
        `${m.path}: target ${t.name}${sev === "warn" ? " (not required)" : ""} is recorded as ${recorded}; ${truth}, so its results do not speak for it`,
      );
    }
}

/**
 * Run attestations: an invalid one always fails (someone changed what the run signed); a missing one when the policy
 * requires them or the trust file pins runner keys.
 */
function checkRunAttestations(input: GateInput, add: Add): void {
  for (const a of input.runAttestations ?? []) {
    if (a.status === "invalid")
      add(
        "run-attestation-invalid",
        "fail",
        (a.message ?? `${a.path}: run attestation does not verify`) +
          (input.results.unread ? " (no result can count without it, so none was read)" : ""),
      );
    else if (a.status === "missing" && (input.policy.requireRunAttestation || input.runnerKeysPinned))
      add(
        "run-attestation-missing",
        "fail",
        `${a.message ?? `${a.path}: no run attestation`}; ` +
          (input.policy.requireRunAttestation
            ? "the policy requires one (requireRunAttestation)"
            : "the trust file pins runner keys, so every results dir must be signed by one"),
      );
  }
}

/** What judged the build: the evidence must be able to name the support code, lock file and Signoff that ran. */
function checkJudgedBy(results: LoadedResults, add: Add): void {
  for (const m of results.manifests)
    if (m.manifest && !isJudgedBy(m.manifest.judgedBy))
      add(
        "judged-by-missing",
        "fail",
        `${m.path}: the run did not record what judged the build (judgedBy: the step definitions, hooks and parameter types that ran, and Signoff's version; with no step file of the project's own, the lock file that installed the rest), so the verdict could not name them`,
      );
}

/**
 * Every scenario of the feature files ran (policy `scenarios: all`): no run says it selected some (run.json's `tags`
 * and `lines`), and the messages show none parsed and left out; each feature file judged is one a results file
 * parsed as it is now. Under `selected` too: no result comes from another text of its feature file than the one judged.
 */
function checkScenarioSelection(
  input: GateInput,
  judged: JudgedFeatures | undefined,
  lacking: Lacking,
  add: Add,
): void {
  const read = input.results.manifests.filter((m) => m.manifest) as Array<LoadedManifest & { manifest: RunManifest }>;
  if (read.length === 0) return; // manifest-missing/unreadable say why
  const all = input.policy.scenarios === "all";
  if (all) for (const m of read) checkRunSelection(m, add);
  const files = input.results.files.filter((f): f is ReadFile => f.results !== undefined && !f.problem);
  // Nothing read: the reasons that say why come first, and every scenario would otherwise be named here too.
  if (files.length === 0) return;
  if (judged)
    for (const m of featureTextProblems(files, judged, all, lacking.size > 0 ? lacking.why() : undefined))
      add("features-not-run", "fail", m);
  if (all)
    for (const m of scenariosLeftOut(files, input.results.manifests, judged, lacking)) add("run-selected", "fail", m);
}

/** A run that selected scenarios by --tags or file:line (run.json's `tags` and `lines`) left the others unjudged. */
function checkRunSelection(m: { path: string; manifest: RunManifest }, add: Add): void {
  const selected = [m.manifest.tags ? `--tags "${m.manifest.tags}"` : "", ...(m.manifest.lines ?? [])].filter(Boolean);
  if (selected.length === 0) return;
  const shown = selected.join(", ");
  add(
    "run-selected",
    "fail",
    `${m.path}: the run selected scenarios (${shown.length > 200 ? `${shown.slice(0, 197)}...` : shown}); the policy judges a build on every scenario of its feature files (scenarios: all)`,
  );
}

/**
 * Results files: readable and complete; returns them grouped per target for the shard bookkeeping. A file run.json
 * does not list fails on its own and joins no target: counted as one, it would add a target nobody ran (a column
 * in the coverage, "on N+1 targets").
 */
function checkResultsFiles(results: LoadedResults, required: Set<string>, add: Add): Map<string, LoadedFile[]> {
  const byTarget = new Map<string, LoadedFile[]>();
  for (const f of results.files) {
    checkResultsFile(f, required.has(f.target), results.unread === true, add);
    if (isUnlisted(f)) continue;
    const list = byTarget.get(f.target) ?? [];
    list.push(f);
    byTarget.set(f.target, list);
  }
  return byTarget;
}

function checkResultsFile(f: LoadedFile, isRequired: boolean, unread: boolean, add: Add): void {
  if (unread && !f.error) return; // checked as far as needs no read of it, and not read
  if (f.error || !f.results) {
    const problem = f.problem ?? "results-unreadable";
    // A file that is not what the run wrote fails the gate whichever target it claims to be.
    const sev = problem !== "results-unreadable" || isRequired ? "fail" : "warn";
    add(problem, sev, `${f.path}: ${PROBLEM_WORDS[problem]} (${f.error ?? "no data"})`);
  } else if (!f.results.complete) {
    add(
      "results-incomplete",
      isRequired ? "fail" : "warn",
      `${f.path}: results end without testRunFinished (run interrupted or crashed); ${f.results.scenarios.length} scenario(s) recorded`,
    );
  } else if (f.results.success === false && f.results.scenarios.every((s) => s.status === "passed")) {
    // Every scenario passed, yet Cucumber says the run failed: a hook outside the scenarios
    // (BeforeAll/AfterAll) broke. That is not a pass.
    add(
      "run-error",
      isRequired ? "fail" : "warn",
      `${f.path}: Cucumber reports the run as failed although every scenario passed (a BeforeAll/AfterAll hook failed?)`,
    );
  }
}

/** A policy's misspelt target fails every release: "; the config defines no target X (did you mean "Y"?)". */
function notInConfig(target: string, configTargets: readonly string[] | undefined): string {
  if (!configTargets || configTargets.includes(target)) return "";
  return `; the config defines no target ${target}${didYouMean(target, configTargets)}`;
}

/** Required targets have results, and are listed in run.json when there is one. */
function checkRequiredTargets(
  results: LoadedResults,
  policy: GatePolicy,
  byTarget: Map<string, LoadedFile[]>,
  configTargets: readonly string[] | undefined,
  add: Add,
): void {
  const listedTargets = new Set<string>();
  for (const m of results.manifests) for (const t of m.manifest?.targets ?? []) listedTargets.add(t.name);
  const anyManifest = results.manifests.some((m) => m.manifest);
  for (const t of policy.requiredTargets) {
    const files = byTarget.get(t);
    if (!files || files.length === 0) {
      add(
        "target-missing",
        "fail",
        `required target ${t} has no results${listedTargets.has(t) ? "" : anyManifest ? " and is not in run.json" : ""}` +
          notInConfig(t, configTargets),
      );
    } else if (anyManifest && !listedTargets.has(t)) {
      add("target-missing", "fail", `required target ${t} has results files but is not in run.json`);
    }
  }
}

/** Every scenario counted and classified once, with the requirement × target matrix built on the way. */
interface Tally {
  counts: Counts;
  perTarget: Record<string, Counts>;
  tests: { passed: string[]; warned: string[]; failed: string[] };
  /** "<target> › <key>" → outcome; only built when there is a baseline to compare with. */
  current?: Map<string, CellStatus>;
  cells: Record<string, Record<string, CoverageCell>>;
  bad: ScenarioGrouped;
  optionalBad: Grouped;
  flaky: Grouped;
  propertyProblems: Grouped;
  duplicates: Grouped;
  /** requirement → false as soon as one of its scenarios runs on all targets (carries no narrowing tag). */
  narrowed: Map<string, boolean>;
}

/**
 * Scenarios: combine shards, count, classify, build the coverage matrix. `judged`: the feature files judged; a
 * scenario of a feature file whose results were parsed from another text (features-not-run) is counted, but
 * its coverage cell reads "unknown" (no result that can count), not the status it had.
 */
function tallyScenarios(
  byTarget: Map<string, LoadedFile[]>,
  policy: GatePolicy,
  required: Set<string>,
  withBaseline: boolean,
  judged: JudgedFeatures | undefined,
): Tally {
  const tally: Tally = {
    counts: emptyCounts(),
    perTarget: {},
    tests: { passed: [], warned: [], failed: [] },
    current: withBaseline ? new Map() : undefined,
    cells: {},
    bad: new ScenarioGrouped(),
    optionalBad: new Grouped(),
    flaky: new Grouped(),
    propertyProblems: new Grouped(),
    duplicates: new Grouped(),
    narrowed: new Map(),
  };
  for (const [target, files] of byTarget) {
    const tc = (tally.perTarget[target] = emptyCounts());
    // One prefix per target: each test id is then one string pair over the scenario's own key, not a copy.
    const idPrefix = `${target} › `;
    const speaks = judged && judgedText(files, judged);
    for (const s of combineShards(target, files, tally.duplicates)) {
      addCount(tc, s);
      addCount(tally.counts, s);
      tallyScenario(tally, policy, target, idPrefix, required.has(target), s, speaks);
    }
  }
  return tally;
}

function tallyScenario(
  tally: Tally,
  policy: GatePolicy,
  target: string,
  idPrefix: string,
  isRequired: boolean,
  s: ScenarioResult,
  speaks?: (uri: string) => boolean,
): void {
  const id = idPrefix + s.key;
  const cell = cellOf(s);
  tally.current?.set(id, cell);
  // tests lists (test-result predicate)
  if (s.status !== "passed" || (s.flaky && policy.flaky === "fail")) tally.tests.failed.push(id);
  else if (s.flaky && policy.flaky === "warn") tally.tests.warned.push(id);
  else tally.tests.passed.push(id);
  // classification
  const which = isRequired ? "required" : "optional";
  if (s.status !== "passed") {
    if (isRequired) tally.bad.add(s.status, target, s);
    else tally.optionalBad.add(target, `${target}: ${describeScenario(s)}`);
  } else if (s.flaky && policy.flaky !== "allow")
    tally.flaky.add(which, `${target}: ${s.uri}:${s.line} ${s.name} (passed on attempt ${s.attempts})`);
  if (s.status === "passed" && s.tags.includes(policy.properties.tag)) {
    const runs = s.propertyRuns;
    if (runs === undefined)
      tally.propertyProblems.add(which, `${target}: ${s.uri}:${s.line} ${s.name} reported no run count`);
    else if (runs < policy.properties.minRuns)
      tally.propertyProblems.add(which, `${target}: ${s.uri}:${s.line} ${s.name} ran ${runs} run(s)`);
  }
  addCoverage(tally, target, s, !speaks || speaks(s.uri) ? cell : "unknown");
}

function addCoverage(tally: Tally, target: string, s: ScenarioResult, cell: CellStatus): void {
  for (const r of s.requirements) {
    tally.narrowed.set(r, stillNarrowed(tally.narrowed.get(r), s.tags));
    const row = (tally.cells[r] ??= {});
    const c = row[target];
    if (!c) row[target] = { status: cell, scenarios: 1, passed: cell === "passed" || cell === "flaky" ? 1 : 0 };
    else {
      c.scenarios++;
      if (cell === "passed" || cell === "flaky") c.passed++;
      if (cellRank(cell) > cellRank(c.status)) c.status = cell;
    }
  }
}

/** Targets whose every results file was refused: each has its own failing reason (results-tampered…). */
function refusedTargets(byTarget: Map<string, LoadedFile[]>): Set<string> {
  return new Set([...byTarget].filter(([, files]) => files.every((f) => f.error !== undefined)).map(([t]) => t));
}

/** Findings from the scenarios themselves: none ran, failed, flaky, too few property runs, duplicates. */
function checkScenarios(tally: Tally, policy: GatePolicy, refused: Set<string>, add: Add): void {
  const { counts, perTarget } = tally;
  if (counts.total === 0)
    add("zero-scenarios", "fail", "zero scenarios ran: there is nothing to base a release decision on");
  for (const t of policy.requiredTargets) {
    const tc = perTarget[t];
    // A refused target's scenarios were not counted, not "zero": its refusal is the reason.
    if (tc && tc.total === 0 && counts.total > 0 && !refused.has(t))
      add("target-empty", "fail", `required target ${t} ran zero scenarios`);
  }
  for (const [status, g] of tally.bad.entries()) {
    const st = status as Exclude<ScenarioStatus, "passed">;
    // A scenario failing on every target is one scenario named once, not one line per target.
    const times = g.results > g.scenarios ? ` (${g.results} results on ${g.targets} targets)` : "";
    add(
      STATUS_CODE[st],
      "fail",
      `${g.scenarios} scenario(s) on required targets ${STATUS_WORDS[st]}${times}: ${g.text}`,
    );
  }
  for (const [target, g] of tally.optionalBad.entries())
    add(
      "optional-target-failed",
      "warn",
      `target ${target} (not required): ${g.count} scenario(s) did not pass: ${listExamples(g)}`,
    );
  for (const [which, g] of tally.flaky.entries()) {
    const sev = which === "required" && policy.flaky === "fail" ? "fail" : "warn";
    add(
      "flaky",
      sev,
      `${g.count} flaky scenario(s)${which === "optional" ? " on targets that are not required" : ""} (failed, then passed on retry): ${listExamples(g)}`,
    );
  }
  for (const [which, g] of tally.propertyProblems.entries())
    add(
      "property-runs",
      which === "required" ? "fail" : "warn",
      `${g.count} property scenario(s) (${policy.properties.tag}) below the policy's minimum of ${policy.properties.minRuns} runs: ${listExamples(g)}`,
    );
  for (const [target, g] of tally.duplicates.entries())
    add(
      "scenario-duplicate",
      "warn",
      `target ${target}: ${g.count} scenario(s) reported by more than one results file (kept the worse outcome): ${listExamples(g)}`,
    );
}

/** Requirements: every required requirement has scenarios (on every required target, by default). Returns them. */
function checkRequirements(
  input: GateInput,
  byTarget: Map<string, LoadedFile[]>,
  refused: Set<string>,
  lacking: Lacking,
  tally: Tally,
  add: Add,
): Set<string> {
  const { policy } = input;
  const { cells, narrowed } = tally;
  const declared = new Set(input.declaredRequirements);
  const requiredReqs =
    policy.requirements === "all" ? new Set([...declared, ...Object.keys(cells)]) : new Set(policy.requirements);
  if (policy.requirements === "all" && requiredReqs.size === 0)
    add(
      "requirements-none",
      "fail",
      `no requirements found: the policy requires all requirements, but no scenario or feature file carries a @${policy.requirementTagPrefix}… tag`,
    );
  // A refused target has its own failing reason: one line per requirement it therefore does not cover would bury
  // that reason, and the gate fails either way.
  const presentRequired = policy.requiredTargets.filter((t) => byTarget.has(t) && !refused.has(t));
  // Required targets with results refused or a shard missing: what is not covered there may be in those results.
  const lackingRequired = policy.requiredTargets.filter((t) => lacking.has(t));
  const lackingNote = (targets: string[]) => ` (${lacking.why(targets)})`;
  // No scenario result at all (no run.json, no results, zero scenarios, every file refused): the reason is above,
  // and no requirement has a result, so why each has none is not known: one line, guessing nothing. The ids are
  // all in the decision's coverage.
  if (tally.counts.total === 0) {
    const ids = [...requiredReqs].sort();
    if (ids.length === 0) return requiredReqs;
    const anyRead = [...byTarget.values()].some((files) => files.some((f) => f.results && !f.error));
    add(
      "requirement-uncovered",
      "fail",
      `${requirementsHave(ids)} no scenario result: ` +
        (anyRead ? "the results hold no scenario" : "no results were read") +
        (lackingRequired.length ? lackingNote(lackingRequired) : ""),
    );
    return requiredReqs;
  }
  // Why a declared requirement has no result: its results were refused or its shard is missing (named above, so no
  // guess), or its scenarios did not run. Said once for every requirement it is true of.
  const whyNone = (many: boolean) =>
    `${many ? "feature files declare them" : "a feature file declares it"}` +
    (lackingRequired.length
      ? `; ${lacking.why(lackingRequired)}`
      : `: ${many ? "their" : "its"} scenarios did not run — a --tags selection left them out, or a tag such as @mobile-only keeps them off every target that ran`);
  // Requirements left uncovered for the same reason are one line: a line each would repeat the reason as often.
  const alike = new Map<string, { rule: ReasonCode; ids: string[]; says: (many: boolean) => string }>();
  const uncovered = (rule: ReasonCode, key: string, id: string, says: (many: boolean) => string) => {
    const group = alike.get(`${rule}\u0000${key}`) ?? { rule, ids: [], says };
    group.ids.push(id);
    alike.set(`${rule}\u0000${key}`, group);
  };
  for (const r of [...requiredReqs].sort()) {
    const row = cells[r] ?? {};
    const coveredOn = policy.requiredTargets.filter((t) => row[t]);
    if (coveredOn.length === 0) {
      const note = lackingRequired.length ? lackingNote(lackingRequired) : "";
      if (Object.keys(row).length)
        uncovered("requirement-uncovered", "elsewhere", r, () => ` no scenario on any required target${note}`);
      else if (declared.has(r))
        uncovered("requirement-uncovered", "declared", r, (many) => ` no scenario in these results (${whyNone(many)})`);
      else uncovered("requirement-uncovered", "listed", r, () => ` no scenario in these results${note}`);
    } else if (policy.requirementCoverage === "every-target" && !narrowed.get(r)) {
      const missing = presentRequired.filter((t) => !row[t]);
      const lackingThere = missing.filter((t) => lacking.has(t));
      if (missing.length)
        uncovered(
          "requirement-target-uncovered",
          missing.join(","),
          r,
          // Where results were refused or a shard is missing, no scenario *result*: the scenario may be in those.
          () =>
            ` no scenario${lackingThere.length === missing.length ? " result" : ""} on required target(s) ${missing.join(", ")}` +
            (lackingThere.length ? lackingNote(lackingThere) : ""),
        );
    }
  }
  for (const { rule, ids, says } of alike.values())
    add(rule, "fail", `${requirementsHave(ids)}${says(ids.length > 1)}`);
  return requiredReqs;
}

/**
 * A baseline the policy requires, signed: without one, a scenario (or a whole feature file) deleted since the last release
 * leaves no trace in the run. Needs no results, so it is named even when they are not read.
 */
function checkBaselineGiven(input: GateInput, add: Add): void {
  const { baseline } = input;
  if (!input.policy.regressions.requireBaseline) return;
  if (!baseline)
    add(
      "baseline-missing",
      "fail",
      "the policy requires a baseline (regressions.requireBaseline) and the gate was given none: pass the last passing verdict with --baseline FILE",
    );
  // Else any list of tests would do: the current results themselves, or a verdict written by hand.
  else if (baseline.unverified)
    add(
      "baseline-unverified",
      "fail",
      `the baseline ${baseline.source} is not a passing verdict of a gate the trust file pins (regressions.requireBaseline): ${baseline.unverified}`,
    );
}

/** Regressions against a baseline: what passed then and does not now, and what vanished. */
function checkRegressions(
  input: GateInput,
  required: Set<string>,
  tally: Tally,
  add: Add,
): { regressions: Regression[]; removed: string[] } {
  const regressions: Regression[] = [];
  const removed: string[] = [];
  if (!input.baseline) return { regressions, removed };
  const regressed = new Grouped();
  const gone = new Grouped();
  for (const [id, before] of input.baseline.tests) {
    const now = tally.current!.get(id);
    if (now === undefined) {
      removed.push(id);
      gone.add("all", id);
    } else if (before !== "failed" && now !== "passed" && now !== "flaky") {
      regressions.push({ test: id, before, now });
      const target = id.slice(0, id.indexOf(" › "));
      regressed.add(required.has(target) ? "required" : "optional", id);
    }
  }
  for (const [which, g] of regressed.entries())
    add(
      "regression",
      which === "required" ? "fail" : "warn",
      `${g.count} regression(s) since the baseline (${input.baseline.source}): passed then, do not pass now: ${listExamples(g)}`,
    );
  for (const [, g] of gone.entries())
    if (!input.policy.regressions.allowRemovals)
      add(
        "scenario-removed",
        "fail",
        `${g.count} scenario(s) in the baseline (${input.baseline.source}) vanished (the policy does not allow removals): ${listExamples(g)}`,
      );
  return { regressions, removed };
}

/** The outcome: failures first, then warnings; WARNED promotes only when the policy allows it. */
function decide(
  input: GateInput,
  findings: Finding[],
  byTarget: Map<string, LoadedFile[]>,
  refused: Set<string>,
  lacking: Lacking,
  tally: Tally,
  requiredReqs: Set<string>,
  regressions: Regression[],
  removed: string[],
): GateDecision {
  const { policy } = input;
  const manifests = input.results.manifests;
  const fails = findings.filter((f) => f.severity === "fail");
  const warns = findings.filter((f) => f.severity === "warn");
  const result: GateResult = fails.length ? "FAILED" : warns.length ? "WARNED" : "PASSED";
  if (result === "WARNED" && !policy.allowWarned)
    fails.push({
      code: "warned-not-allowed",
      severity: "fail",
      message: "the outcome is WARNED and the policy does not allow promoting a WARNED build (allowWarned: false)",
    });
  const ordered = [...fails, ...warns];
  const targets = [...new Set([...policy.requiredTargets, ...[...byTarget.keys()].sort()])];
  const firstBuild = manifests.find((m) => m.manifest?.build)?.manifest?.build;
  const anyManifest = manifests.some((m) => m.manifest);
  return {
    result,
    verificationResult: fails.length === 0 ? "PASSED" : "FAILED",
    findings: ordered,
    reasons: ordered.map((f) => `${f.severity === "warn" ? "warning " : ""}${f.code}: ${f.message}`),
    counts: tally.counts,
    perTarget: tally.perTarget,
    coverage: {
      requirements: [...new Set([...requiredReqs, ...Object.keys(tally.cells)])].sort(),
      targets,
      cells: tally.cells,
    },
    regressions,
    removed,
    refusedTargets: [...refused].sort(),
    lackingTargets: lacking.targets(),
    tests: tally.tests,
    run: {
      runIds: manifests.flatMap((m) => (m.manifest ? [m.manifest.runId] : [])),
      baseUrl: manifests.find((m) => m.manifest)?.manifest?.baseUrl,
      build: firstBuild ?? (anyManifest ? null : undefined),
    },
    ...(input.results.unread ? { unread: true } : {}),
  };
}

/**
 * One target's scenarios across its files. The common case (one file) needs no map: read-messages
 * already gives every scenario a unique key. Across shards, one key twice keeps the worse outcome.
 */
function combineShards(target: string, files: LoadedFile[], duplicates: Grouped): Iterable<ScenarioResult> {
  const withResults = files.filter((f) => f.results);
  if (withResults.length <= 1) return withResults[0]?.results?.scenarios ?? [];
  const combined = new Map<string, ScenarioResult>();
  for (const f of withResults) {
    for (const s of f.results!.scenarios) {
      const prev = combined.get(s.key);
      if (prev) {
        duplicates.add(target, s.key);
        if (cellRank(cellOf(s)) > cellRank(cellOf(prev))) combined.set(s.key, s);
      } else combined.set(s.key, s);
    }
  }
  return combined.values();
}

/**
 * What the gate parsed must be what the run said it saw: per results dir and target, run.json's counts
 * and Cucumber's exit code, and in each file Cucumber's own testRunFinished.success. A file edited
 * consistently enough to pass its digest check still has to agree with all three.
 */
function checkAgainstManifests(results: LoadedResults, required: Set<string>, add: Add): void {
  const bad = (target: string, message: string) =>
    add("results-inconsistent", required.has(target) ? "fail" : "warn", message);
  for (const f of results.files) {
    const r = f.results;
    if (!r?.complete || r.success !== true) continue;
    // A scenario with no steps Cucumber passed: not a pass here, and no contradiction of Cucumber's success either.
    const notPassed = r.scenarios.filter((s) => s.status !== "passed" && s.status !== "skipped" && !s.noSteps).length;
    if (notPassed > 0)
      bad(
        f.target,
        `${f.path}: Cucumber reports the run as successful, yet ${notPassed} scenario(s) in it did not pass`,
      );
  }
  // Files by results dir and target, gathered once: a manifest's targets each look theirs up.
  const filesOf = new Map<string, LoadedResults["files"]>();
  for (const f of results.files) {
    if (isUnlisted(f)) continue;
    const key = JSON.stringify([f.dir, f.target]);
    const same = filesOf.get(key);
    if (same) same.push(f);
    else filesOf.set(key, [f]);
  }
  for (const m of results.manifests) {
    for (const t of m.manifest?.targets ?? []) {
      if (!t.complete) continue; // reported as target-incomplete
      const files = t.messages.length > 0 ? (filesOf.get(JSON.stringify([m.dir, t.name])) ?? []) : [];
      if (files.length === 0 || files.some((f) => !f.results)) continue; // reported per file
      const scenarios = [...combineShards(t.name, files, new Grouped())];
      const counts = countScenarios(scenarios);
      const c = t.counts;
      if (!c || c.passed !== counts.passed || c.failed !== counts.failed || c.other !== counts.other)
        bad(
          t.name,
          `${m.path}: target ${t.name} records ${c ? `${c.passed} passed, ${c.failed} failed, ${c.other} other` : "no counts"}; its results say ${counts.passed} passed, ${counts.failed} failed, ${counts.other} other`,
        );
      const succeeded = files.every((f) => f.results!.success === true);
      if (typeof t.exitCode !== "number" || (t.exitCode === 0) !== succeeded)
        bad(
          t.name,
          `${m.path}: target ${t.name}'s Cucumber exited with ${t.exitCode ?? "no code"}, but its results say the run ${succeeded ? "succeeded" : "failed"}`,
        );
    }
  }
}

/**
 * The staging each run tested is one the policy lists (`stagingOrigins`): the build a run records is what the server
 * at its base URL said it serves, and any server can say so.
 */
function checkStaging(input: GateInput, add: Add): void {
  const allowed = input.policy.stagingOrigins;
  if (!allowed) return;
  for (const m of input.results.manifests) {
    if (!m.manifest) continue;
    // A merged run: every shard's server as well as the one it names.
    const shards = (m.manifest.mergedFrom ?? []).map((f) => f.baseUrl).filter((b) => b !== undefined);
    for (const baseUrl of new Set([m.manifest.baseUrl, ...shards])) {
      const origin = originOf(baseUrl);
      if (origin !== undefined && allowed.includes(origin)) continue;
      add(
        "staging-not-allowed",
        "fail",
        `${m.path}: the run tested ${JSON.stringify(baseUrl)}, which is not a staging the policy lists (stagingOrigins: ${allowed.join(", ")})`,
      );
    }
  }
}

function checkBuild(input: GateInput, add: Add): void {
  const { artifact, policy } = input;
  const wanted = formatArtifactRef(artifact);
  const observed = new Map<string, { path: string; name: string; version: string }>();
  let unobserved: string[] = [];
  for (const m of input.results.manifests) {
    if (!m.manifest) continue;
    const b = m.manifest.build;
    if (!b) {
      unobserved.push(`${m.path}${m.manifest.buildError ? ` (${firstLine(m.manifest.buildError)})` : ""}`);
      continue;
    }
    const hex = sha256FromDigest(b.digest);
    if (!hex) {
      add(
        "build-unobserved",
        "fail",
        `${m.path}: build.digest ${JSON.stringify(b.digest)} is not sha256:<64 hex digits>`,
      );
      continue;
    }
    if (!observed.has(hex)) observed.set(hex, { path: m.path, name: b.name, version: b.version });
  }
  if (observed.size > 1)
    add(
      "build-inconsistent",
      "fail",
      `the results come from different builds: ${[...observed].map(([h, o]) => `${o.path} saw ${o.name}@sha256:${h}`).join(", ")}`,
    );
  for (const [hex, o] of observed) {
    if (hex !== artifact.sha256)
      add(
        "build-mismatch",
        "fail",
        `staging served ${o.name} ${o.version} (sha256:${hex}), you asked to promote ${wanted}: the tested build is not the one being promoted`,
      );
  }
  if (!input.results.manifests.some((m) => m.manifest)) unobserved = ["(no run manifest)"];
  if (unobserved.length)
    add(
      "build-unobserved",
      policy.requireObservedBuild ? "fail" : "warn",
      `the run did not record which build staging served (${unobserved.join(", ")}); the results cannot be bound to ${wanted}`,
    );
}
