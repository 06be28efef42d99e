// Entry of a target's Cucumber process: Cucumber's own API with exactly the options `signoff run` passes.
// Not Cucumber's CLI: that also reads a cucumber.js/.yaml in the project and merges its default
// profile (paths, steps, formats) into the run; Signoff's run must be what its config says.
import { loadConfiguration, runCucumber } from "@cucumber/cucumber/api";

/** Exit code when Cucumber could not start (a step file that does not load, a bad option). */
export const CUCUMBER_SETUP_FAILED = 2;

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

/**
 * The CLI layer of a target's Cucumber process (the one place in that process that decides its exit code).
 * It sets process.exitCode rather than calling process.exit, so Cucumber's formatters finish writing the
 * messages and Allure files before the process ends.
 */
async function main(argv: string[]): Promise<void> {
  let success: boolean;
  try {
    const { runConfiguration } = await loadConfiguration({ file: false, provided: argv });
    ({ success } = await runCucumber(runConfiguration));
  } catch (err) {
    const e = err as Error;
    const where = whereFrom(e);
    console.error(`signoff: cucumber could not start: ${firstLine(String(e.message))}${where ? ` (at ${where})` : ""}`);
    process.exitCode = CUCUMBER_SETUP_FAILED;
    return;
  }
  process.exitCode = success ? 0 : 1;
  // Every file is written once runCucumber resolves: a handle a driver left open (a keep-alive socket to
  // a Grid) must not keep this process, and with it the run, waiting. Unref'd: it fires only if one does.
  setTimeout(() => process.exit(), LINGER_MS).unref();
}

/** How long the process may outlive its run before it exits anyway. */
const LINGER_MS = 5_000;

if (require.main === module) void main(process.argv.slice(2));
