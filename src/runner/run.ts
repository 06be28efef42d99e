// `signoff run`: every selected scenario on every selected target against staging, into reports/.
import { execFile, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync, rmSync } from "node:fs";
import { constants as osConstants, setPriority } from "node:os";
import { basename, dirname, isAbsolute, join, relative, resolve } from "node:path";
import type { Discovery } from "../browser/discovery";
import { checkTimeouts, DEFAULT_CONFIG_FILE, loadConfig, usesNoConfigFile } from "../config/load";
import type { BuildIdentity, SignoffConfig, TargetSpec, WorldParameters } from "../config/types";
import { EnvironmentError, EXIT, InterruptedError, SignoffError, UsageError } from "../core/errors";
import { shownPath } from "../core/shown-path";
import { messagesFileName, readMessagesFileDigested } from "../results/read-messages";
import { digestFile, recordMessagesFile } from "../results/results-index";
import { toolVersion } from "../core/package";
import { loadRunKey } from "../attest/keys";
import { attestRun, runAttestationPath } from "../attest/run-attestation";
import {
  killGroup,
  loadedModulesOf,
  spawnCucumber,
  StagedCucumber,
  waitForExit,
  type CucumberRun,
} from "./cucumber-process";
import { checkFeatures, cucumberFeaturePaths, findFeatureFiles } from "./features";
import { checkLineSelections } from "./line-selection";
import { featureTagsRecord, type FeatureTagsRecord } from "../core/feature-tags";
import { judgedBy, lockFileDigest, stepDefinitionUris, type FileDigest } from "../core/judged-by";
import { preflight } from "./preflight";
import { supportCode, type SupportCode } from "./support-files";
import { countScenarios, writeManifest, type RunManifest, type TargetRun } from "../core/manifest";
import { probeRemotes, remoteBrowserVersions } from "./remote";
import { idleFiles, listPickles, selectPickles, shardSlice, slicePaths, type PickleRef, type Shard } from "./shard";
import {
  BUNDLED_APP,
  observeBuild,
  probeStaging,
  stagingGone,
  startApp,
  type BuildSource,
  type RunningApp,
} from "./staging";
import {
  readStagingCredentials,
  stagingAccessAt,
  type StagingAccess,
  type StagingCredentials,
} from "../core/staging-access";
import { categorize } from "../core/failure-category";
import { failedStepPhrase, type ScenarioResult } from "../core/results-model";
import { messageLine } from "../core/message-line";
import { escapeControl } from "../core/safe-text";
import { checkDevices, isMobile, namedTargets, targetTagExpression } from "./targets";
import { markPhase } from "../core/phase-marks";
import { prepareReportsDir } from "./prepare-reports-dir";
import type { PrelaunchSpec } from "./staged";

// Loaded once the first target's process is spawned: Playwright's browser registry costs ≈ 0.7 s of CPU to load.
const discovery = () => require("../browser/discovery") as typeof import("../browser/discovery");

/** How long a target's Cucumber process gets to wind down after an interrupt. */
const STOP_GRACE_MS = 10_000;

export interface RunOptions {
  config?: string;
  baseUrl?: string;
  targets?: string;
  tags?: string;
  parallel?: number;
  retry?: number;
  reportsDir?: string;
  /** Feature paths given on the command line (else the config's). */
  paths?: string[];
  /** [properties] `--replay <seed:path>`: property steps rerun exactly that case. */
  replay?: string;
  /** `--shard i/n`: run only this deterministic slice of each target's scenarios. */
  shard?: Shard;
  /** `--build`: what the deploy job says it put on staging. */
  build?: BuildIdentity;
}

/** Tag expression that matches no scenario: a shard whose slice is empty still writes a (complete, empty) messages file. */
const NO_SCENARIO_TAG = "@signoff:empty-shard";

/** Asynchronous and started early, so the run never waits for git on its way to the first scenario. */
function gitCommit(): Promise<string | undefined> {
  return new Promise((done) => {
    execFile("git", ["rev-parse", "HEAD"], { timeout: 10_000 }, (err, stdout) =>
      done(err ? undefined : String(stdout).trim()),
    );
  });
}

/** Asynchronous, so it runs while the preflight does (start-up, bench/RESULTS.md). */
function browserVersion(path: string | undefined): Promise<string | undefined> {
  if (!path) return Promise.resolve(undefined);
  return new Promise((done) => {
    // Debian's launcher may print a shell warning on stderr; the version is on stdout.
    const child = execFile(path, ["--version"], { timeout: 10_000 }, (err, stdout) =>
      done(err ? undefined : String(stdout).trim()),
    );
    // It runs while the first target's browser starts (≈ 0.2 s of CPU for Debian's launcher and Chromium):
    // the lowest priority lets that start have the cores first. Its children inherit it.
    if (child.pid !== undefined) {
      try {
        setPriority(child.pid, osConstants.priority.PRIORITY_LOW);
      } catch {
        // not allowed here: the version is asked for at the usual priority
      }
    }
  });
}

/** Started before the preflight when staging is given, awaited where its outcome is recorded; a rejection is never unhandled. */
function early<T>(start: () => Promise<T>): () => Promise<T> {
  const p = start();
  p.catch(() => undefined);
  return () => p;
}

function needsBrowsers(targets: TargetSpec[], config: SignoffConfig): Discovery {
  const { discoverBrowsers, unusableSetting, NO_BROWSER_HELP, NO_CHROMEDRIVER_HELP } = discovery();
  const found = discoverBrowsers({ chromiumPath: config.browserPath, chromedriverPath: config.chromedriverPath });
  const local = targets.filter((t) => !t.remote);
  const needs = { chromium: local.length > 0, chromedriver: local.some((t) => t.driver === "selenium") };
  const unusable = unusableSetting(found, needs);
  if (unusable) throw new EnvironmentError(unusable);
  if (local.length > 0 && !found.chromium) throw new EnvironmentError(NO_BROWSER_HELP);
  if (local.some((t) => t.driver === "selenium") && !found.chromedriver)
    throw new EnvironmentError(NO_CHROMEDRIVER_HELP);
  return found;
}

/** A path as run.json records it: relative to where the run ran when inside it (the gate runs from the same checkout), else absolute. */
function recordedPath(file: string): string {
  const abs = resolve(file);
  const rel = relative(process.cwd(), abs);
  return rel === "" || rel.startsWith("..") || isAbsolute(rel) ? abs : rel;
}

/**
 * The `file:line` paths among those Cucumber is given (on the command line or in the config's `features`), and the
 * rerun files (Cucumber reads a path whose name starts with "@" as a list of `file:line`), recorded as run.json
 * records paths; none when there are none.
 */
function lineSelections(paths: readonly string[]): string[] | undefined {
  const lines = paths.flatMap((p) => {
    const m = /^(.*?)((?::\d+)+)$/.exec(p);
    if (m) return [`${recordedPath(m[1])}${m[2]}`];
    return basename(p).startsWith("@") ? [recordedPath(p)] : [];
  });
  return lines.length > 0 ? lines : undefined;
}

/** What a run needs before it touches staging: every input validated (usage and environment errors first). */
interface RunPlan {
  config: SignoffConfig;
  targets: TargetSpec[];
  featurePatterns: string[];
  featureFiles: string[];
  /** The feature files' tags by content digest, as parsed here (run.json's `featureTags`). */
  featureTags: FeatureTagsRecord;
  support: SupportCode;
  found: Discovery;
  /** Only listed for --shard, which slices them. */
  pickles?: PickleRef[];
  /** The project's lock file as the run starts (run.json's judgedBy.lockFile); null when it has none. */
  lockFile: FileDigest | null;
  /** Config stagingAccess read from the environment (before the base URL, and so the origin, is known). */
  credentials: StagingCredentials | undefined;
  /** The first target's Cucumber process: it ran the preflight and waits to be started (then taken from here). */
  first?: StagedCucumber;
  /** Read-only checks started before the preflight so they overlap its process; awaited where their outcome is recorded. */
  early: {
    staging?: () => Promise<void>;
    build?: () => ReturnType<typeof observeBuild>;
    chromiumVersion: Promise<string | undefined>;
    gitCommit: Promise<string | undefined>;
  };
}

/** What the signal handler and the target loop share while the run is under way. */
interface RunState {
  manifest: RunManifest;
  manifestPath: string;
  /** The running target's Cucumber process. */
  current?: ChildProcess;
  /** The bundled app's process, known from spawn on, so a second signal mid-start can stop it. */
  appProcess?: ChildProcess;
  interrupted?: NodeJS.Signals;
  /** Rejected by a second signal: every wait in runSuite races it, so the command ends at once (the CLI exits 130). */
  aborted: Promise<never>;
  abort: (err: InterruptedError) => void;
  /** Aborted with `aborted`: what cannot be left half done (a Grid session being opened) sees it and cleans up. */
  signal: AbortSignal;
  /** The remote probe, once under way: an aborted run waits for it to quit the session it opens. */
  probe?: Promise<unknown>;
  /**
   * What failed, by whose fault; and per target, for the summary: the scenarios that passed only on a retry, and the
   * first of those that did not pass, each with its failing step's feature:line (`notPassedByTarget`).
   */
  failures: {
    environment: number;
    other: number;
    flakyByTarget?: Record<string, number>;
    notPassedByTarget?: Record<string, NotPassed>;
    /** Targets with a scenario that has no steps: Cucumber passed it, and it checks nothing (the target fails). */
    checksNothing?: Set<string>;
  };
}

/** A target's scenarios that did not pass, for the summary: the first NOT_PASSED_SHOWN described, the rest counted. */
interface NotPassed {
  shown: string[];
  more: number;
}

/** How many scenarios that did not pass the summary names per target (the report and the gate name them all). */
const NOT_PASSED_SHOWN = 10;

/**
 * A scenario that did not pass, in the summary: where it is and where its failing step is written, the phrase the
 * gate's reasons use, then its category (`features/x.feature:9 Name — at features/x.feature:12 "I should see "Ada""
 * [product defect]`). Cucumber's own output above names the scenario's line and the step definitions' files, not the
 * line of the step that failed, and an error's type, not whose failure it is.
 */
export function describeNotPassed(s: ScenarioResult): string {
  const status = s.status === "failed" ? "" : ` (${s.status})`;
  const step = failedStepPhrase(s);
  const why = step ? ` — at ${step}` : s.error ? ` — ${messageLine(s.error, 160)}` : "";
  const category = categorize(s);
  return escapeControl(`${s.uri}:${s.line} ${s.name}${status}${why}${category ? ` [${category}]` : ""}`);
}

/**
 * SIGINT/SIGTERM from the plan to the end of the run. Until run.json is written no target runs and nothing is
 * kept, so a signal ends the run at once; runPlanned then hands them to stopOnSignal.
 */
class RunSignals {
  private reject!: (err: InterruptedError) => void;
  /** Rejected by `abort`: every wait of the run races it. */
  readonly aborted = new Promise<never>((_, reject) => (this.reject = reject));
  private readonly controller = new AbortController();
  /** Aborted by `abort`, for work that must clean up rather than be left behind (the remote probe's session). */
  readonly signal = this.controller.signal;
  /** Why the run was aborted (the first abort's error), once it was. */
  reason?: InterruptedError;
  abort = (err: InterruptedError): void => {
    this.reason ??= err;
    this.controller.abort(this.reason);
    this.reject(this.reason);
  };
  handle = (signal: NodeJS.Signals): void =>
    this.abort(new InterruptedError(signal, "stopped before any target ran; nothing was written"));
  /** Called at the next signal only: the run's wind-down cuts a wait short with it. */
  private next: (() => void)[] = [];
  private readonly listener = (signal: NodeJS.Signals) => {
    const next = this.next;
    this.next = [];
    for (const f of next) f();
    this.handle(signal);
  };

  /** `f` at the next signal, unless the returned function is called first. */
  onNextSignal(f: () => void): () => void {
    this.next.push(f);
    return () => (this.next = this.next.filter((g) => g !== f));
  }

  /** `work`, or less of it: a signal while it runs calls `hurry` (which makes it end at once), then it is awaited. */
  async hurriedBy<T>(work: () => Promise<T>, hurry: () => void): Promise<T> {
    const off = this.onNextSignal(hurry);
    try {
      return await work();
    } finally {
      off();
    }
  }

  /** Waits for `work` to settle, or for the next signal, whichever comes first; never rejects. */
  settledOrSignalled(work: Promise<unknown>): Promise<void> {
    return new Promise((done) => {
      const off = this.onNextSignal(done);
      void work.then(
        () => (off(), done()),
        () => (off(), done()),
      );
    });
  }

  constructor() {
    this.aborted.catch(() => undefined); // observed by `until`; never an unhandled rejection
    process.on("SIGINT", this.listener);
    process.on("SIGTERM", this.listener);
  }

  readonly until = <T>(work: Promise<T>): Promise<T> => Promise.race([work, this.aborted]);

  dispose(): void {
    process.off("SIGINT", this.listener);
    process.off("SIGTERM", this.listener);
  }
}

export async function runSuite(opts: RunOptions): Promise<number> {
  markPhase("cli", "run module loaded");
  const config = loadConfig(opts.config);
  checkTimeouts(config);
  // Before any process or browser starts: a variable the config names that the environment lacks is one line, exit 2.
  const credentials = readStagingCredentials(config.stagingAccess, config.source);
  markPhase("cli", "config loaded");
  // A runner key that cannot be loaded is a setup error before anything runs, not an unsigned run.
  const runKey = loadRunKey();
  const signals = new RunSignals();
  try {
    const plan = await planRun(opts, config, credentials, signals);
    try {
      return await runPlanned(opts, config, runKey, plan, signals);
    } finally {
      // The first target's process has waited since the preflight: it goes (with its browser) if the run ends
      // before it starts, before the CLI exits.
      await stopStaged(plan.first, signals);
    }
  } catch (err) {
    // A signal while the run wound down after another error (staging unreachable) interrupted the command: the
    // exit code says so as run.json does (stopOnSignal), and the line still names the error the run stopped on.
    // Only Signoff's own errors: a bug (a TypeError) after a signal is still reported as the crash it is.
    if (signals.reason && err instanceof SignoffError && !(err instanceof InterruptedError))
      throw new InterruptedError(
        signals.reason.signal,
        `${signals.reason.detail} (the run had stopped on: ${(err as Error).message})`,
      );
    throw err;
  } finally {
    signals.dispose();
  }
}

/**
 * Ends the first target's process unless it started; a signal meanwhile (the user's second, or the first after a
 * staging error) kills its process group at once instead of waiting out its grace period.
 */
function stopStaged(staged: StagedCucumber | undefined, signals: RunSignals): Promise<void> {
  if (!staged) return Promise.resolve();
  return signals.hurriedBy(
    () => staged.stopUnlessStarted(),
    () => staged.killUnlessStarted(),
  );
}

/**
 * A staging (or Grid) that does not answer ends the run before any scenario. A reports dir an earlier run wrote then
 * keeps that run's results, and what was made from them (its report, its verdict): nothing ran to replace them. A new
 * dir gets a run.json saying why (prepareStaging), for the gate of a CI job whose run could not start.
 */
async function keepEarlierRunUnlessStagingAnswers(
  reportsDir: string,
  plan: RunPlan,
  remotes: () => Promise<void>,
): Promise<void> {
  if (!existsSync(join(reportsDir, "run.json"))) return;
  try {
    await plan.early.staging?.();
    await remotes();
  } catch (err) {
    console.log(`Nothing ran: ${shownPath(reportsDir)} keeps the earlier run's results`);
    throw err;
  }
}

async function runPlanned(
  opts: RunOptions,
  config: SignoffConfig,
  runKey: ReturnType<typeof loadRunKey>,
  plan: RunPlan,
  signals: RunSignals,
): Promise<number> {
  const { until } = signals;
  // Awaited before the reports dir is cleared: from there to run.json's first write nothing waits.
  const commit = await until(plan.early.gitCommit);
  const reportsDir = resolve(opts.reportsDir ?? config.reportsDir);
  // Asked once, here or in prepareStaging, whichever comes first.
  let remotesProbed: Promise<void> | undefined;
  const remotes = () => (remotesProbed ??= probeRemotes(plan.targets));
  await until(keepEarlierRunUnlessStagingAnswers(reportsDir, plan, remotes));
  const { messagesDir, allureDir } = prepareReportsDir(reportsDir);
  rmSync(runAttestationPath(reportsDir), { force: true }); // a previous run's signature never vouches for this run
  const state: RunState = {
    manifest: newManifest(opts, plan, opts.baseUrl ?? config.baseUrl, commit),
    manifestPath: join(reportsDir, "run.json"),
    aborted: signals.aborted,
    abort: signals.abort,
    signal: signals.signal,
    failures: { environment: 0, other: 0 },
  };
  writeManifest(state.manifestPath, state.manifest);

  const code: LoadedCode = { stepUris: new Set(), modules: new Set(), unlisted: [] };
  let app: RunningApp | undefined;
  let wentAway: string | undefined;
  signals.handle = (signal) => stopOnSignal(state, signal);
  try {
    const staging = await until(prepareStaging(state, opts, plan, remotes));
    app = staging.app;
    await until(recordBuild(state, staging.baseUrl, opts, plan));
    markPhase("cli", "staging ready");
    for (const [i, target] of plan.targets.entries()) {
      if (state.interrupted) break;
      if (await until(stagingGoneBefore(state, staging.baseUrl, i))) break;
      // The local browser's version is recorded once the target has started: asking Chromium takes ≈ 1 s here.
      const browser = target.remote
        ? Promise.resolve(staging.remoteVersions.get(target.remote))
        : plan.early.chromiumVersion;
      await until(
        runTarget(state, state.manifest.targets[i], target, {
          opts,
          plan,
          baseUrl: staging.baseUrl,
          browser,
          messagesDir,
          allureDir,
          code,
        }),
      );
    }
    wentAway = await until(stagingWentAway(state, staging.baseUrl));
  } finally {
    // An interrupt may have come while the probe's Grid session was being opened: it is quit before the CLI exits
    // (bounded in remoteBrowserVersions; a second signal stops waiting).
    if (state.probe) await signals.settledOrSignalled(state.probe);
    // The handlers stay until the end (runSuite): a second signal while the app stops still ends the run as interrupted.
    // The app goes first: a manifest that cannot be written must not leave it running.
    await until(app?.stop() ?? Promise.resolve());
    finishManifest(state, code, plan.lockFile);
    if (runKey)
      console.log(
        `Signed the run manifest: ${shownPath(attestRun(reportsDir, runKey))} (runner key ${runKey.keyid.slice(0, 12)}…)`,
      );
  }

  printSummary(state.manifest, state.manifestPath, state.failures, app !== undefined);
  // The results cannot judge the build: an environment error (exit 3), the manifest incomplete, the gate FAIL.
  if (wentAway) throw new EnvironmentError(wentAway);
  return runExitCode(state.manifest, state.interrupted, state.failures.checksNothing);
}

/**
 * After a target with scenarios failed for the environment: when staging no longer answers, the targets from `next`
 * on are not run (each would fail every scenario the same way, a page of errors per target) and say why.
 */
async function stagingGoneBefore(state: RunState, baseUrl: string, next: number): Promise<boolean> {
  if (next === 0 || state.failures.environment === 0) return false;
  const code = await stagingGone(baseUrl);
  if (!code || state.interrupted) return false;
  for (const t of state.manifest.targets.slice(next))
    t.error = `not run: staging ${baseUrl} no longer answers (${code})`;
  return true;
}

/**
 * Staging that went down mid-run fails every later scenario with an environment error (by its type): when every
 * scenario that did not pass failed so, and staging cannot be connected to now (by the connection error's code),
 * the run says staging went away (run.json's error; exit 3). A product or test failure anywhere keeps the verdict's 1.
 */
async function stagingWentAway(state: RunState, baseUrl: string): Promise<string | undefined> {
  const { environment, other } = state.failures;
  if (state.interrupted || environment === 0 || other > 0) return undefined;
  const code = await stagingGone(baseUrl);
  // A first signal during the check (up to 10 s) makes the run interrupted, as run.json will say: exit 130, not 3.
  if (!code || state.interrupted) return undefined;
  state.manifest.error = `staging went away during the run: ${baseUrl} no longer answers (${code}); ${environment} scenario(s) failed for it`;
  return state.manifest.error;
}

async function planRun(
  opts: RunOptions,
  config: SignoffConfig,
  credentials: StagingCredentials | undefined,
  signals: RunSignals,
): Promise<RunPlan> {
  const { until } = signals;
  // Devices are checked once the first target's process is spawned (checkPlan): their catalog is slow to load.
  const targets = namedTargets(config, opts.targets);
  // Directories become globs here: Cucumber reads a directory named like a file ("features.v2") as a file.
  const givenPaths = opts.paths && opts.paths.length > 0 ? opts.paths : config.features;
  const featurePatterns = cucumberFeaturePaths(givenPaths);
  // A file:LINE that selects nothing is refused here, before the first target's process (and its browser) starts.
  checkLineSelections(givenPaths, opts.tags);
  const support = supportCode(config);
  // The first target's process starts now and does the preflight while this one checks the rest (start-up).
  let staged: StagedCucumber | undefined;
  const dryRunWorld = dryRunWorldParameters(config, targets[0], opts);
  const checks = { tags: opts.tags, world: dryRunWorld, targetNames: Object.keys(config.targets) };
  const checked = preflight(featurePatterns, support, checks, (dryRun) => {
    staged = new StagedCucumber(dryRun, {
      stepTimeoutMs: config.timeouts.stepMs,
      prelaunch: prelaunchFor(targets[0], config, opts.parallel, opts.baseUrl ?? config.baseUrl),
    });
    return staged;
  });
  checked.catch(() => undefined); // awaited below; a check failing first must not leave it unhandled
  try {
    const rest = checkPlan(opts, config, targets, featurePatterns, credentials);
    markPhase("cli", "plan checked");
    const first = await until(checked);
    markPhase("cli", "preflight done");
    return { config, targets, featurePatterns, support, first, credentials, ...rest };
  } catch (err) {
    await stopStaged(staged, signals);
    await checked.catch(() => undefined); // an interrupted preflight still removes its temp files
    throw err;
  }
}

/** Features, browsers and (for --shard) scenarios checked; the read-only probes of staging started. */
function checkPlan(
  opts: RunOptions,
  config: SignoffConfig,
  targets: TargetSpec[],
  featurePatterns: string[],
  credentials: StagingCredentials | undefined,
) {
  // Every target in the config, not only those selected: a typo in one not run today is still a config error.
  checkDevices(Object.values(config.targets), config.source);
  const featureFiles = findFeatureFiles(featurePatterns);
  const featureTags = featureTagsRecord(checkFeatures(featureFiles));
  if (featureFiles.length === 0)
    throw new UsageError(
      `no feature files match ${featurePatterns.join(", ")}${usesNoConfigFile(config) ? ` (and no ${DEFAULT_CONFIG_FILE} here: run signoff from your project's folder, or create one with signoff init)` : ""}`,
    );
  // Read now, not once the run is over: a lock file that is a FIFO or a device (which would block the read, and the
  // run's signal handlers with it) or a huge file stops the run before it starts, exit 2.
  const lockFile = lockFileDigest() ?? null;
  const found = needsBrowsers(targets, config);
  const pickles: PickleRef[] | undefined = opts.shard ? listPickles(featureFiles) : undefined;
  // A usage error from the preflight still comes first: these only record their outcome later.
  const given = opts.baseUrl ?? config.baseUrl;
  const access = given ? stagingAccessAt(credentials, given) : undefined;
  const early_ = {
    staging: given ? early(() => probeStaging(given, { path: config.stagingProbe, access })) : undefined,
    build: given ? early(() => observeBuild(given, buildSource(config, opts, access))) : undefined,
    chromiumVersion: browserVersion(found.chromium?.path),
    gitCommit: gitCommit(),
  };
  return { featureFiles, featureTags, found, pickles, lockFile, early: early_ };
}

/**
 * What a serial, local target's process launches as it starts: the driver its World will ask for. The
 * process finds the browsers itself (the same discovery as the runner's), so the runner need not wait for it.
 */
export function prelaunchFor(
  target: TargetSpec,
  config: Pick<SignoffConfig, "timeouts" | "browserPath" | "chromedriverPath"> &
    Partial<Pick<SignoffConfig, "stagingAccess" | "source">>,
  parallel: number | undefined,
  baseUrl?: string,
): PrelaunchSpec | undefined {
  // Workers launch their own browsers; a remote one is probed first (exit 3 naming its URL).
  if (target.remote || (parallel ?? 1) > 1) return undefined;
  return {
    target,
    browsers: { chromiumPath: config.browserPath, chromedriverPath: config.chromedriverPath },
    timeouts: { actionTimeoutMs: config.timeouts.actionMs, navigationTimeoutMs: config.timeouts.navigationMs },
    // Variable names only: the process reads the values from its own environment. Without a base URL yet (the
    // bundled app starts later) the World launches its own browser, with the access the early one would lack.
    ...(config.stagingAccess && baseUrl
      ? { stagingAccess: { config: config.stagingAccess, source: config.source ?? DEFAULT_CONFIG_FILE, baseUrl } }
      : {}),
  };
}

/** Where the build identity is read, with staging's access headers. */
function buildSource(config: SignoffConfig, opts: RunOptions, access: StagingAccess | undefined): BuildSource {
  return { endpoint: config.buildEndpoint, header: config.buildHeader, given: opts.build, access };
}

function newManifest(
  opts: RunOptions,
  plan: RunPlan,
  baseUrl: string | undefined,
  commit: string | undefined,
): RunManifest {
  return {
    schema: "signoff/run@1",
    runId: randomUUID(),
    startedAt: new Date().toISOString(),
    toolVersion: toolVersion(),
    gitCommit: commit,
    baseUrl: baseUrl ?? "(bundled example app)",
    build: null,
    tags: opts.tags,
    lines: lineSelections(opts.paths && opts.paths.length > 0 ? opts.paths : plan.config.features),
    features: plan.featureFiles.map(recordedPath),
    featureTags: plan.featureTags,
    shard: opts.shard,
    targets: plan.targets.map((t) => ({
      name: t.name,
      driver: t.driver,
      device: t.device,
      remote: t.remote,
      shard: opts.shard,
      messages: [],
      complete: false,
    })),
    complete: false,
  };
}

/**
 * First signal: the running target winds down and keeps its results. Second, or the first before any target
 * started (staging, the remotes' probes: there are no results to keep): everything goes now.
 */
function stopOnSignal(state: RunState, signal: NodeJS.Signals): void {
  const started = state.manifest.targets.some((t) => t.messages.length > 0);
  if (state.interrupted || !started) {
    const second = Boolean(state.interrupted);
    state.interrupted ??= signal;
    if (state.current) killGroup(state.current, "SIGKILL");
    state.appProcess?.kill("SIGKILL");
    state.manifest.interrupted = { signal: state.interrupted, at: new Date().toISOString() };
    state.manifest.complete = false;
    state.manifest.finishedAt = new Date().toISOString();
    try {
      writeManifest(state.manifestPath, state.manifest);
    } catch {
      // nothing more can be saved
    }
    const where = dirname(state.manifestPath);
    state.abort(
      new InterruptedError(
        signal,
        second
          ? `second signal: stopped at once; the results so far are in ${where}`
          : `stopped before any target ran; ${join(where, "run.json")} says so`,
      ),
    );
    return;
  }
  state.interrupted = signal;
  console.error(
    `\nsignoff: ${signal} received: stopping the run, keeping the results so far (send again to exit at once)`,
  );
  const child = state.current;
  if (child) {
    // The worker fails the running scenario as interrupted, skips the rest and flushes its results;
    // if that takes too long the whole process group goes.
    // The user's own signal, so the interrupted scenario names what they sent (Ctrl+C is SIGINT).
    child.kill(signal);
    setTimeout(() => killGroup(child, "SIGKILL"), STOP_GRACE_MS).unref();
  }
}

/** Staging up (the bundled app when no base URL is given) and answering, remote endpoints answering; failures go into run.json. */
async function prepareStaging(
  state: RunState,
  opts: RunOptions,
  plan: RunPlan,
  /** Probes the remote targets' endpoints (once per run). */
  remotes: () => Promise<void>,
): Promise<{ baseUrl: string; app?: RunningApp; remoteVersions: Map<string, string> }> {
  const { config, targets } = plan;
  let app: RunningApp | undefined;
  try {
    let baseUrl = opts.baseUrl ?? config.baseUrl;
    if (!baseUrl) {
      app = await startApp(BUNDLED_APP, [], {}, (child) => (state.appProcess = child));
      baseUrl = app.baseUrl;
      console.log(`Started the bundled example app at ${baseUrl}`);
    }
    state.manifest.baseUrl = baseUrl;
    const access = stagingAccessAt(plan.credentials, baseUrl);
    await (plan.early.staging ? plan.early.staging() : probeStaging(baseUrl, { path: config.stagingProbe, access }));
    // Grid / browser-server endpoints answer before any scenario starts (exit 3 naming the URL otherwise).
    await remotes();
    const probe = remoteBrowserVersions(
      targets,
      { actionTimeoutMs: config.timeouts.actionMs, navigationTimeoutMs: config.timeouts.navigationMs },
      { signal: state.signal },
    );
    state.probe = probe;
    const remoteVersions = await probe;
    return { baseUrl, app, remoteVersions };
  } catch (err) {
    state.manifest.error = (err as Error).message;
    await app?.stop();
    throw err;
  }
}

/** The build staging serves (or the deploy job names), into run.json and on the terminal. */
async function recordBuild(state: RunState, baseUrl: string, opts: RunOptions, plan: RunPlan): Promise<void> {
  const { config } = plan;
  const observed = await (plan.early.build
    ? plan.early.build()
    : observeBuild(baseUrl, buildSource(config, opts, stagingAccessAt(plan.credentials, baseUrl))));
  state.manifest.build = observed.build;
  state.manifest.buildSource = observed.source;
  if (observed.error) state.manifest.buildError = observed.error;
  if (observed.build)
    console.log(
      `${observed.source === "given" ? "The deploy job names" : "Staging serves"} ${observed.build.name} ${observed.build.version} (${observed.build.digest})`,
    );
  else console.log(`Staging serves no build identity: ${observed.error}`);
  writeManifest(state.manifestPath, state.manifest);
}

/** Which features and tags one target's Cucumber runs: the target's tag narrowing, and with --shard its slice. */
export function targetSelection(
  target: TargetSpec,
  targetNames: string[],
  opts: Pick<RunOptions, "tags" | "shard">,
  featurePatterns: string[],
  pickles: PickleRef[] | undefined,
  featureFiles: readonly string[] = [],
): { paths: string[]; tags: string; shardNote: string } {
  const tagExpr = targetTagExpression(target, targetNames);
  const tags = opts.tags ? `(${opts.tags}) and (${tagExpr})` : tagExpr;
  if (!opts.shard || !pickles) return { paths: featurePatterns, tags, shardNote: "" };
  const all = selectPickles(pickles, tags, featurePatterns);
  const slice = shardSlice(all, opts.shard);
  const shardNote = `, shard ${opts.shard.index}/${opts.shard.total}: ${slice.length} of ${all.length} scenario(s)`;
  if (slice.length > 0)
    return { paths: [...slicePaths(slice), ...idleFiles(featureFiles, pickles, tags)], tags, shardNote };
  return { paths: featurePatterns, tags: `(${tags}) and ${NO_SCENARIO_TAG}`, shardNote };
}

/** What a target's World gets: complete, so it never falls back to reading the config itself (world-defaults.ts). */
function worldParameters(
  config: SignoffConfig,
  target: TargetSpec,
  opts: Pick<RunOptions, "replay" | "baseUrl">,
  baseUrl: string,
  found: Discovery,
): WorldParameters {
  // [properties] staging is the bundled app, on a new port each run: a replay line must not name its URL.
  const bundledApp = !(opts.baseUrl ?? config.baseUrl) || undefined;
  return {
    baseUrl,
    target,
    timeouts: config.timeouts,
    browserPath: found.chromium?.path,
    chromedriverPath: found.chromedriver?.path,
    requirementTagPrefix: config.requirementTagPrefix,
    links: config.links,
    properties: { ...config.properties, replay: opts.replay, bundledApp }, // [properties] --replay
    pageHealth: config.pageHealth,
    ...(config.stagingAccess ? { stagingAccess: config.stagingAccess, configSource: config.source } : {}),
  };
}

/** Where a dry run's World "points" when staging is the bundled app, not started yet: nothing is ever opened. */
const DRY_RUN_BASE_URL = "http://127.0.0.1/";

/**
 * The dry run's World parameters. Cucumber constructs a World per scenario even in a dry run (no hook or step
 * runs): given none, each would load and validate the config again. Staging is not known yet and not used.
 */
export function dryRunWorldParameters(config: SignoffConfig, target: TargetSpec, opts: RunOptions): WorldParameters {
  return worldParameters(config, target, opts, opts.baseUrl ?? config.baseUrl ?? DRY_RUN_BASE_URL, { unusable: [] });
}

/** One target: its Cucumber process to the end, then its results, step definitions and run.json. */
async function runTarget(
  state: RunState,
  record: TargetRun,
  target: TargetSpec,
  ctx: {
    opts: RunOptions;
    plan: RunPlan;
    baseUrl: string;
    browser: Promise<string | undefined>;
    messagesDir: string;
    allureDir: string;
    code: LoadedCode;
  },
): Promise<void> {
  const { opts, plan } = ctx;
  const { config } = plan;
  const messagesFile = join(ctx.messagesDir, messagesFileName(target.name, opts.shard));
  record.messages = [join("messages", messagesFileName(target.name, opts.shard))];
  record.mobile = isMobile(target);
  writeManifest(state.manifestPath, state.manifest);
  const { featurePatterns, pickles, featureFiles } = plan;
  const selection = targetSelection(target, Object.keys(config.targets), opts, featurePatterns, pickles, featureFiles);
  console.log(
    `\n▶ ${target.name} (${target.driver}, ${target.device}${target.remote ? `, ${target.remote}` : ""}${selection.shardNote})`,
  );
  const world = worldParameters(config, target, opts, ctx.baseUrl, plan.found);
  const run: CucumberRun = {
    paths: selection.paths,
    support: plan.support,
    world,
    tags: selection.tags,
    messagesFile,
    allureResultsDir: ctx.allureDir,
    parallel: opts.parallel,
    retry: opts.retry,
    stepTimeoutMs: config.timeouts.stepMs,
  };
  markPhase("cli", `start ${target.name}`);
  // The first target's process is already up (it ran the preflight); later ones start now.
  const staged = plan.first;
  plan.first = undefined;
  const current = (state.current = staged
    ? staged.start(run)
    : spawnCucumber(run, { prelaunch: prelaunchFor(target, config, opts.parallel, ctx.baseUrl) }));
  record.browserVersion = await ctx.browser;
  // On disk as soon as known: a run killed before the target ends still says which browser it ran on.
  if (record.browserVersion) writeManifest(state.manifestPath, state.manifest);
  const { code, signal } = await waitForExit(current);
  // Read before killGroup removes it with the target's temp files.
  const modules = loadedModulesOf(current);
  // Anything the target left behind in its process group (a browser, a chromedriver) goes too.
  killGroup(current, "SIGKILL");
  state.current = undefined;
  await recordTargetResults(
    record,
    messagesFile,
    { code, signal, interrupted: Boolean(state.interrupted) },
    config.requirementTagPrefix,
    state.failures,
  );
  await collectStepDefinitions(messagesFile, ctx.code.stepUris);
  for (const m of modules ?? []) ctx.code.modules.add(m);
  // A target that ran to the end lists what it loaded (src/core/loaded-modules.ts); without its list the modules
  // its steps imported are unknown, and the run records no judgedBy rather than one that leaves them out. An
  // incomplete target (interrupted, killed, never started) fails the gate anyway; its step files still count.
  if (!modules && record.complete) ctx.code.unlisted.push(target.name);
  writeManifest(state.manifestPath, state.manifest);
}

/** The manifest's last word: interrupted or not, complete only when every target is, and what judged the build. */
function finishManifest(state: RunState, code: LoadedCode, lockFile: FileDigest | null): void {
  const { manifest } = state;
  if (state.interrupted) manifest.interrupted = { signal: state.interrupted, at: new Date().toISOString() };
  manifest.complete = !state.interrupted && !manifest.error && manifest.targets.every((t) => t.complete);
  manifest.finishedAt = new Date().toISOString();
  recordJudgedBy(manifest, code, lockFile);
  writeManifest(state.manifestPath, manifest);
}

/**
 * 130 after an interrupt; 3 when a target's browser could not be started (its process exits 3, see
 * src/core/browser-start.ts); 0 only when every target completed and its Cucumber exited 0 with no scenario that
 * checks nothing (`checksNothing`: targets with a scenario of no steps, which Cucumber passes); else 1.
 */
export function runExitCode(
  manifest: Pick<RunManifest, "targets">,
  interrupted: NodeJS.Signals | undefined,
  checksNothing: ReadonlySet<string> = new Set(),
): number {
  if (interrupted) return EXIT.interrupted;
  if (manifest.targets.some((t) => t.exitCode === EXIT.environment)) return EXIT.environment;
  return manifest.targets.every((t) => targetPassed(t, checksNothing)) ? EXIT.ok : EXIT.no;
}

/** A target passed: complete, its Cucumber exited 0, and none of its scenarios checks nothing. */
function targetPassed(t: TargetRun, checksNothing: ReadonlySet<string> | undefined): boolean {
  return t.complete && t.exitCode === 0 && !checksNothing?.has(t.name);
}

/** What one target's Cucumber process left: exit, completeness and counts, read back from its messages. */
export async function recordTargetResults(
  record: TargetRun,
  messagesFile: string,
  ended: { code: number | null; signal: NodeJS.Signals | null; interrupted: boolean },
  requirementTagPrefix: string,
  failures: RunState["failures"],
): Promise<void> {
  record.exitCode = ended.code;
  record.signal = ended.signal;
  try {
    const { results, digest } = await readMessagesFileDigested(messagesFile, {
      target: record.name,
      requirementTagPrefix,
    });
    const browserNotStarted = ended.code === EXIT.environment;
    record.complete = results.complete && !ended.interrupted && ended.signal === null && !browserNotStarted;
    if (browserNotStarted) record.error = "its browser could not be started; its other scenarios were not tried";
    record.counts = countScenarios(results.scenarios);
    for (const s of results.scenarios) {
      if (s.noSteps) (failures.checksNothing ??= new Set()).add(record.name);
      if (s.status !== "passed" && s.status !== "skipped") {
        const np = ((failures.notPassedByTarget ??= {})[record.name] ??= { shown: [], more: 0 });
        if (np.shown.length < NOT_PASSED_SHOWN) np.shown.push(describeNotPassed(s));
        else np.more++;
      }
      const category = categorize(s);
      if (category === "environment problem") failures.environment++;
      else if (category === "flaky")
        (failures.flakyByTarget ??= {})[record.name] = (failures.flakyByTarget[record.name] ?? 0) + 1;
      else if (category !== undefined) failures.other++;
    }
    if (!results.complete)
      record.error ??= `cucumber ended (exit ${ended.code ?? ended.signal}) before finishing the run`;
    // The digest of exactly the bytes just parsed: the gate accepts this file only as long as it matches.
    record.files = {
      [record.messages[0]]: recordMessagesFile(messagesFile, record.messages[0], results, digest, (err) =>
        // Only an optimisation: without an index the gate reads the messages themselves.
        console.error(
          `signoff: no results index for ${record.messages[0]}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
        ),
      ),
    };
  } catch (err) {
    failures.other++; // what failed there is unknown: never read as "only the environment failed"
    // Interrupted before its Cucumber wrote a message, a target did not start: no file is no corruption.
    // Incomplete all the same, so the gate still reads it as FAIL.
    const neverStarted = ended.interrupted && (err as NodeJS.ErrnoException).code === "ENOENT";
    record.error = neverStarted
      ? "not started (interrupted before it wrote any results)"
      : `messages unreadable: ${(err as Error).message}`;
    // Recorded all the same, so the gate names the file as unreadable rather than unrecorded.
    const digest = await digestFile(messagesFile).catch(() => undefined);
    if (digest) record.files = { [record.messages[0]]: { bytes: digest.bytes, sha256: digest.sha256 } };
  }
}

/** The step definition files a target's Cucumber loaded; a messages file that cannot be read adds none (the run records why). */
async function collectStepDefinitions(messagesFile: string, into: Set<string>): Promise<void> {
  try {
    for (const uri of await stepDefinitionUris(messagesFile)) into.add(uri);
  } catch {
    // recordTargetResults has already recorded the unreadable messages as the target's error
  }
}

/** What the targets' Cucumber processes ran, collected as each target ends: what judgedBy is made of. */
interface LoadedCode {
  /** The files of the step definitions, hooks and parameter types their messages name (relative to the run's folder). */
  stepUris: Set<string>;
  /** Every file they loaded (absolute paths, as their module caches name them). */
  modules: Set<string>;
  /** Complete targets whose process did not list the modules it loaded. */
  unlisted: string[];
}

function recordJudgedBy(manifest: RunManifest, code: LoadedCode, lockFile: FileDigest | null): void {
  if (code.unlisted.length) {
    console.error(
      `signoff: cannot record the code that judged the build: ${code.unlisted.join(", ")} did not list the modules it loaded`,
    );
    return;
  }
  try {
    manifest.judgedBy = judgedBy(code.stepUris, process.cwd(), lockFile, code.modules);
  } catch (err) {
    // Without it the evidence cannot name the steps that ran; the run itself still counts.
    console.error(`signoff: cannot record the step definitions that ran: ${(err as Error).message ?? String(err)}`);
  }
}

/**
 * One line per target, and under it each scenario that did not pass with its failing step's feature:line. A pass
 * that needed a retry is named: the gate fails flaky scenarios unless the policy allows them.
 */
function printSummary(
  m: RunManifest,
  manifestPath: string,
  failures: RunState["failures"],
  /** No base URL was given: the bundled example app was started and tested. */
  bundledApp: boolean,
): void {
  const flakyByTarget = failures.flakyByTarget ?? {};
  console.log("\nSummary");
  for (const t of m.targets) {
    const c = t.counts;
    const state = !t.complete ? "INCOMPLETE" : targetPassed(t, failures.checksNothing) ? "PASS" : "FAIL";
    const flaky = flakyByTarget[t.name] ? ` (${flakyByTarget[t.name]} flaky: passed only on a retry)` : "";
    console.log(
      `  ${state.padEnd(10)} ${t.name.padEnd(14)} ${c ? `${c.passed} passed${flaky}, ${c.failed} failed${c.other ? `, ${c.other} other` : ""}` : "no results"}${t.error ? ` — ${t.error}` : ""}`,
    );
    const np = failures.notPassedByTarget?.[t.name];
    for (const line of np?.shown ?? []) console.log(`    ✗ ${line}`);
    if (np?.more) console.log(`    … and ${np.more} more (signoff report's overview.html lists every one)`);
  }
  // A CI job whose staging URL is unset tests the example app: its failures are no product's defects.
  if (bundledApp && m.targets.some((t) => !targetPassed(t, failures.checksNothing)))
    console.log(
      `Note: no base URL was given, so this ran against Signoff's bundled example app (${m.baseUrl}), not your staging: pass --base-url or set baseUrl in the config`,
    );
  console.log(
    `Results: ${m.targets.length} target(s); manifest ${m.complete ? "complete" : "INCOMPLETE"} (${shownPath(manifestPath)})`,
  );
}
