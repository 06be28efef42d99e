// Entry of a target's Cucumber process: Cucumber's own API with exactly the options `signoff run` passes.
// Not Cucumber's CLI: that also reads a cucumber.js/.yaml in the project and merges its default
// profile (paths, steps, formats) into the run; Signoff's run must be what its config says.
// First, as its own module: imports run in order whatever the transpiler hoists (swc moves every import above the
// statements), and the prologue must run before Cucumber and its step matching load.
import "./cucumber-prologue";
import { mayLoadEsModules, recordLoadedModules, watchModuleLoads } from "../core/loaded-modules";
import { markPhase } from "../core/phase-marks";
import { closeUnusedPrelaunch, prelaunchUnderway } from "../browser/launch";
import { browserStartFailure } from "../core/browser-start";
import { EXIT } from "../core/errors";
import { ignoreClosedOutput } from "../core/closed-output";
import { STAGED_ENV, type StagedMessage, type StagedRequest } from "./staged";
import { Writable } from "node:stream";
import type * as CucumberApi from "@cucumber/cucumber/api";

// From here on every module that loads is recorded (what loaded before is in the module cache), ES modules too when
// the run imports any: the project's own code among them is what judged the build (src/core/judged-by.ts).
watchModuleLoads(mayLoadEsModules());

/** Exit code when Cucumber could not start (a step file that does not load, a bad option). */
export const CUCUMBER_SETUP_FAILED = 2;

/** True while this process is staged and its runner still listens (src/runner/staged.ts). */
let talking = Boolean(process.env[STAGED_ENV]);

type SupportLibrary = Awaited<ReturnType<typeof CucumberApi.loadSupport>>;

let cucumberApi: typeof CucumberApi | undefined;

/**
 * Cucumber's API, loaded once the browser started early no longer needs this thread (its session request
 * sent: launch.ts, prelaunchUnderway); loading Cucumber and the support code then runs while the browser starts.
 */
async function cucumber(): Promise<typeof CucumberApi> {
  if (!cucumberApi) {
    await prelaunchUnderway();
    cucumberApi = require("@cucumber/cucumber/api") as typeof CucumberApi;
    markPhase("cucumber", "cucumber api loaded");
  }
  return cucumberApi;
}

/** The first frame of a stack outside node's internals and node_modules: usually the user's file:line. */
function whereFrom(err: Error): string | undefined {
  const frame = err.stack?.split("\n").find((l) => /^\s+at /.test(l) && !/node:internal|node_modules|\(node:/.test(l));
  return frame?.trim().replace(/^at\s+/, "");
}

/** The message's first line, and the next one too when the first only announces it ("Unable to compile TypeScript:"). */
function firstLine(message: string): string {
  const lines = message
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);
  return lines[0]?.endsWith(":") && lines[1] ? `${lines[0]} ${lines[1]}` : (lines[0] ?? "");
}

/** One line saying why Cucumber could not start, with the user's file:line when the stack names one. */
function setupFailure(err: unknown): string {
  const e = err as Error;
  const where = whereFrom(e);
  return `cucumber could not start: ${firstLine(String(e.message))}${where ? ` (at ${where})` : ""}`;
}

/** Loads the configuration from Cucumber options and the support code (once per process: the dry run and the run share it). */
async function configure(argv: string[], support?: SupportLibrary) {
  const { loadConfiguration, loadSupport } = await cucumber();
  const { runConfiguration } = await loadConfiguration({ file: false, provided: argv });
  if (!support) {
    support = await loadSupport(runConfiguration);
    // Listed as soon as it loaded: a run killed later still says what code it loaded (the end of the run adds more).
    recordLoadedModules();
  }
  markPhase("cucumber", "support loaded");
  return { runConfiguration, support };
}

/**
 * The CLI layer of a target's Cucumber process (the one place in that process that decides its exit code).
 * It sets process.exitCode rather than calling process.exit, so Cucumber's formatters finish writing the
 * messages and Allure files before the process ends.
 */
async function main(argv: string[]): Promise<void> {
  let success: boolean;
  try {
    let { runConfiguration, support } = await configure(argv);
    if (talking) ({ runConfiguration, support } = await staged(runConfiguration, support));
    markPhase("cucumber", "run started");
    ({ success } = await (await cucumber()).runCucumber({ ...runConfiguration, support }));
    // Again: modules a scenario required lazily (in this process; --parallel workers load their own) count too.
    recordLoadedModules();
  } catch (err) {
    // Before its run, a staged process tells the runner, which reports it once (as the preflight did).
    if (!talking) console.error(`signoff: ${setupFailure(err)}`);
    else send({ kind: "setup-failed", line: setupFailure(err) }, () => process.connected && process.disconnect());
    process.exitCode = CUCUMBER_SETUP_FAILED;
    return;
  } finally {
    await closeUnusedPrelaunch().catch(() => undefined);
  }
  const notStarted = browserStartFailure();
  if (notStarted) console.error(`signoff: ${notStarted.message}; the target's other scenarios were not tried`);
  process.exitCode = notStarted ? EXIT.environment : success ? 0 : 1;
  // Every file is written once runCucumber resolves: a handle a driver left open (a keep-alive socket to
  // a Grid) must not keep this process, and with it the run, waiting. Unref'd: it fires only if one does.
  setTimeout(() => process.exit(), LINGER_MS).unref();
}

/** Collects what the dry run prints. */
function captured(): { stream: Writable; text: () => string } {
  let text = "";
  const stream = new Writable({
    write(chunk, _enc, done) {
      text += String(chunk);
      done();
    },
  });
  return { stream, text: () => text };
}

/** Where what the dry run logs on stderr goes: the runner does not show it (the findings say what went wrong). */
function discarded(): Writable {
  return new Writable({ write: (_chunk, _enc, done) => done() });
}

/**
 * The first target's process doubles as the preflight (src/runner/staged.ts): argv is the dry run; its
 * outcome goes to the runner, which answers with the real run's options once staging is ready, or ends
 * this process. The support code loads once for both.
 */
async function staged(dryRun: Awaited<ReturnType<typeof configure>>["runConfiguration"], support: SupportLibrary) {
  const request = new Promise<StagedRequest>((resolve) => process.once("message", resolve));
  // stdout is the preflight formatter's findings; what Cucumber logs on stderr the runner does not show.
  const out = captured();
  await (await cucumber()).runCucumber({ ...dryRun, support }, { stdout: out.stream, stderr: discarded() });
  markPhase("cucumber", "dry run done");
  send({ kind: "preflight-done", findings: out.text() });
  const { argv } = await request;
  process.off("disconnect", orphaned);
  if (process.connected) process.disconnect();
  talking = false;
  return configure(argv, support);
}

/** To the runner; a runner already gone is what `orphaned` handles, not an error to throw here. */
function send(message: StagedMessage, then?: () => void): void {
  if (!process.connected) return;
  process.send?.(message, undefined, undefined, () => then?.());
}

/**
 * The runner gone (killed, crashed, or ending the run before this target started) before it said what to run:
 * the browser started early goes too, then this process. Listened for from the start: Ctrl+C during the
 * runner's checks can end it while the support code is still loading here.
 */
function orphaned(): void {
  setTimeout(() => process.exit(CUCUMBER_SETUP_FAILED), ORPHAN_GRACE_MS).unref();
  void closeUnusedPrelaunch()
    .catch(() => undefined)
    .finally(() => process.exit(CUCUMBER_SETUP_FAILED));
}

/** How long an orphaned process may take to close its early browser before it exits anyway. */
const ORPHAN_GRACE_MS = 5_000;

/** How long the process may outlive its run before it exits anyway. */
const LINGER_MS = 5_000;

if (require.main === module) {
  // The runner's stdout, inherited: a reader that went away (`signoff run | head -1`) must not fail the hook or step
  // that was running when the progress formatter wrote next (src/core/closed-output.ts).
  ignoreClosedOutput();
  if (talking) {
    process.once("disconnect", orphaned);
    if (!process.connected) orphaned();
  }
  void main(process.argv.slice(2));
}
