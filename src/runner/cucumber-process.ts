// Runs Cucumber for one target in its own process, with Signoff's formatters and world parameters.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { devNull, tmpdir } from "node:os";
import { join } from "node:path";
import type { WorldParameters } from "../config/types";
import { COMPILED, SIGNOFF_ROOT } from "../core/package";
import type { SupportCode } from "./support-files";
import { killRecordedGroups, PROCESS_GROUPS_ENV } from "../browser/process-groups";
import { socketSafeTempBase } from "../browser/browser-temp";
import { PRELAUNCH_ENV, STAGED_ENV, type PrelaunchSpec, type StagedMessage, type StagedRequest } from "./staged";
import { LOADED_MODULES_ENV, readLoadedModules } from "../core/loaded-modules";
import { withoutSigningKeys } from "../attest/keys";

/** The process entry (cucumber-main), compiled or, in a checkout, the source through ts-node. */
export const CUCUMBER_ENTRY = COMPILED
  ? [join(__dirname, "cucumber-main.js")]
  : ["--require", join(SIGNOFF_ROOT, "src", "register.js"), join(__dirname, "cucumber-main.ts")];

/** Signoff's Allure formatter (allure-formatter.ts), by the CommonJS entry Cucumber can import in a checkout too. */
const ALLURE_FORMATTER = join(__dirname, "allure-formatter-entry.js");
/** The terminal's formatter: Cucumber's progress, its failures without the hooks that passed (progress-formatter.ts). */
const PROGRESS_FORMATTER = join(__dirname, "progress-formatter-entry.js");

/** Cucumber options for the support code: loaders, then Signoff's files, then the project's. */
export function supportArgs(support: SupportCode): string[] {
  return [
    ...support.requireModules.flatMap((m) => ["--require-module", m]),
    ...support.requirePaths.flatMap((f) => ["--require", f]),
    ...support.importPaths.flatMap((f) => ["--import", f]),
  ];
}

export interface CucumberRun {
  /** Feature paths (or "file:line" for a shard's slice). */
  paths: string[];
  support: SupportCode;
  world: WorldParameters;
  tags: string;
  messagesFile: string;
  allureResultsDir: string;
  parallel?: number;
  retry?: number;
  stepTimeoutMs: number;
  /** The formatters on stdout; by default the progress formatter for the terminal. */
  formats?: string[];
  dryRun?: boolean;
  cwd?: string;
}

export function cucumberArgs(run: CucumberRun): string[] {
  return [...CUCUMBER_ENTRY, ...cucumberOptions(run)];
}

/** Cucumber's options for a target's run (what follows the process entry). */
export function cucumberOptions(run: CucumberRun): string[] {
  const args = [
    ...supportArgs(run.support),
    ...run.paths,
    "--world-parameters",
    JSON.stringify(run.world),
    "--tags",
    run.tags,
    "--format",
    `message:${run.messagesFile}`,
    // The Allure formatter writes into resultsDir; it gets its own (unused) stream because Cucumber
    // keeps only the LAST formatter without a path on stdout, which silently dropped this one.
    "--format",
    `"${ALLURE_FORMATTER}":"${devNull}"`,
    "--format-options",
    // printAttachments: the terminal's failure block names the error once; screenshots, page source and the
    // trace are in the report, and Allure's own bookkeeping attachments are nobody's business there.
    JSON.stringify({ resultsDir: run.allureResultsDir, printAttachments: false }),
  ];
  for (const f of run.formats ?? [`"${PROGRESS_FORMATTER}"`]) args.push("--format", f);
  if (run.parallel && run.parallel > 1) args.push("--parallel", String(run.parallel));
  if (run.retry && run.retry > 0) args.push("--retry", String(run.retry));
  if (run.dryRun) args.push("--dry-run");
  return args;
}

/** Per Cucumber process: where its workers record the process groups they start (process-groups.ts). */
const groupRegistries = new WeakMap<ChildProcess, string>();
/**
 * Each target process's own temp dir (TMPDIR), removed with its group: a browser profile or driver dir its process
 * had no time to remove (killed after the grace period, as an interrupted run's early browser may be) goes too.
 */
const groupTemps = new WeakMap<ChildProcess, string>();
const TARGET_TEMP = "signoff-target-";
/** Per Cucumber process: the folder of the file where it lists the modules it loaded (src/core/loaded-modules.ts). */
const modulesDirs = new WeakMap<ChildProcess, string>();
const LOADED_MODULES_FILE = "modules.json";

/**
 * The files a target's Cucumber process loaded (absolute paths), as it listed them once its support code loaded and
 * again when its run ended; undefined when it listed none. Read after it exited, before killGroup removes the list.
 */
export function loadedModulesOf(child: ChildProcess): string[] | undefined {
  const dir = modulesDirs.get(child);
  return dir === undefined ? undefined : readLoadedModules(join(dir, LOADED_MODULES_FILE));
}

/** How a target's process is started. */
export interface SpawnOptions {
  stdio?: "inherit" | "pipe";
  /** Start this browser as soon as the process starts (a serial, local target). */
  prelaunch?: PrelaunchSpec;
}

export function spawnCucumber(run: CucumberRun, opts: SpawnOptions = {}): ChildProcess {
  return spawnTargetProcess(cucumberArgs(run), { ...opts, stepTimeoutMs: run.stepTimeoutMs, cwd: run.cwd });
}

/**
 * V8 compiles every RegExp straight to machine code, not first to bytecode: Cucumber runs step texts against the
 * generic steps' element-phrase patterns (≈ 3 KB each), whose bytecode costs ≈ 10× more (bench/RESULTS.md). On the
 * command line, not set at run time: V8 calls changing flags in a running isolate undefined behaviour, and a
 * target process that switched it after start-up died once of SIGSEGV mid-run in CI.
 */
const TARGET_NODE_FLAGS = ["--no-regexp-tier-up"];

function spawnTargetProcess(
  args: string[],
  opts: SpawnOptions & { stepTimeoutMs: number; cwd?: string; staged?: boolean },
): ChildProcess {
  const registry = mkdtempSync(join(tmpdir(), "signoff-groups-"));
  const temp = mkdtempSync(join(socketSafeTempBase(TARGET_TEMP.length + 7), TARGET_TEMP));
  const modules = mkdtempSync(join(tmpdir(), "signoff-modules-"));
  const stdio = opts.stdio ?? "inherit";
  const child = spawn(process.execPath, [...TARGET_NODE_FLAGS, ...args], {
    cwd: opts.cwd,
    // Its own process group: the runner forwards signals itself and can end the whole tree
    // (workers, browsers, chromedriver) with one kill if the graceful stop takes too long.
    detached: true,
    stdio: opts.staged ? ["ignore", stdio, stdio, "ipc"] : ["ignore", stdio, stdio],
    env: {
      ...withoutSigningKeys(process.env),
      SIGNOFF_STEP_TIMEOUT_MS: String(opts.stepTimeoutMs),
      FORCE_COLOR: process.stdout.isTTY ? "1" : "0",
      [PROCESS_GROUPS_ENV]: registry,
      TMPDIR: temp,
      [LOADED_MODULES_ENV]: join(modules, LOADED_MODULES_FILE),
      ...(opts.prelaunch ? { [PRELAUNCH_ENV]: JSON.stringify(opts.prelaunch) } : {}),
      ...(opts.staged ? { [STAGED_ENV]: "1" } : {}),
    },
  });
  groupRegistries.set(child, registry);
  groupTemps.set(child, temp);
  modulesDirs.set(child, modules);
  return child;
}

/** How long a staged process that was not started may take to close its browser and exit. */
const STOP_GRACE_MS = 5_000;

/** How the dry run of a staged process ended. */
export type StagedOutcome = StagedMessage | { kind: "exited"; code: number | null };

/**
 * The first target's Cucumber process, started before staging is ready: it loads the support code,
 * runs the preflight's dry run (so there is no separate preflight process), launches the browser, and
 * waits for `start` with the target's real options, or for `stop` when the run ends before it.
 */
export class StagedCucumber {
  readonly child: ChildProcess;
  readonly outcome: Promise<StagedOutcome>;
  private started = false;
  private stopped: Promise<void> | undefined;

  constructor(
    dryRunOptions: string[],
    private readonly opts: SpawnOptions & { stepTimeoutMs: number },
  ) {
    this.child = spawnTargetProcess([...CUCUMBER_ENTRY, ...dryRunOptions], { ...opts, staged: true });
    // A channel that closes under a send is seen by `start` and by the exit; it must not throw here.
    this.child.on("error", () => undefined);
    this.outcome = new Promise((resolve) => {
      this.child.once("message", (m) => resolve(m as StagedMessage));
      this.child.once("exit", (code) => resolve({ kind: "exited", code }));
    });
  }

  /**
   * The real run: the process drops its IPC channel and runs like any target's process. One that died while
   * it waited (killed, out of memory) is replaced by a fresh process for the same run.
   */
  start(run: CucumberRun): ChildProcess {
    this.started = true;
    if (!this.child.connected || this.child.exitCode !== null || this.child.signalCode !== null) {
      killGroup(this.child, "SIGKILL"); // what the dead process left: its early browser, its temp dir
      return spawnCucumber(run, { stdio: this.opts.stdio, prelaunch: this.opts.prelaunch });
    }
    const request: StagedRequest = { argv: cucumberOptions(run) };
    this.child.send(request, () => undefined);
    return this.child;
  }

  /**
   * Ends the process unless it was started: it closes the browser it started early when its channel closes
   * (a SIGKILL would leave that browser's temp profile behind), and is killed with its group if it has not
   * gone within a grace period. Resolves once it has gone (an interrupted CLI exits at once after).
   */
  stopUnlessStarted(): Promise<void> {
    if (this.started) return Promise.resolve();
    if (!this.stopped) {
      if (this.child.connected) this.child.disconnect();
      else killGroup(this.child, "SIGKILL");
      const kill = setTimeout(() => killGroup(this.child, "SIGKILL"), STOP_GRACE_MS);
      this.stopped = waitForExit(this.child).then(() => {
        clearTimeout(kill);
        killGroup(this.child, "SIGKILL"); // what it left in its group, and the groups it recorded
      });
    }
    return this.stopped;
  }

  /**
   * The user will not wait (a second signal): the process and its groups are killed now, not after the grace period.
   * Its temp dir goes once it has exited (stopUnlessStarted): removed now, it races the dying browser's last writes.
   */
  killUnlessStarted(): void {
    if (this.started || this.child.exitCode !== null || this.child.signalCode !== null) return;
    killGroup(this.child, "SIGKILL", { keepTemp: true });
  }
}

export function waitForExit(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null)
      return resolve({ code: child.exitCode, signal: child.signalCode });
    child.once("exit", (code, signal) => resolve({ code, signal }));
  });
}

/**
 * Signals the Cucumber process's group. SIGKILL also ends the groups its workers started and recorded
 * (chromedriver and Playwright's Chromium lead their own groups; a killed worker cannot stop them).
 */
export function killGroup(child: ChildProcess, signal: NodeJS.Signals, opts: { keepTemp?: boolean } = {}): void {
  if (child.pid !== undefined) {
    try {
      process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
  }
  const registry = groupRegistries.get(child);
  if (signal === "SIGKILL" && registry) {
    killRecordedGroups(registry);
    removeQuietly(registry);
  }
  const temp = groupTemps.get(child);
  if (signal === "SIGKILL" && temp && !opts.keepTemp) removeQuietly(temp);
  const modules = modulesDirs.get(child);
  if (signal === "SIGKILL" && modules) removeQuietly(modules);
}

/**
 * Best effort, and never throws: it runs from timers and signal handlers, and the target's temp dir holds
 * whatever its steps wrote (root-owned files from a container, a read-only tree). One line says what stayed.
 */
function removeQuietly(dir: string): void {
  try {
    rmSync(dir, { recursive: true, force: true, maxRetries: 2 });
  } catch (err) {
    console.error(
      `signoff: could not remove ${dir} (${(err as NodeJS.ErrnoException).code ?? String(err)}); remove it by hand`,
    );
  }
}
