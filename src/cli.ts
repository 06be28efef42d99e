// The `signoff` command line: one commander program, each area registers its own subcommands.
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Command, CommanderError } from "commander";
import { SignoffError, EXIT, exitCodeOf } from "./core/errors";
import { escapeControl, escapeLines } from "./core/safe-text";
import { registerGateCommands } from "./gate/commands";
import { registerRunCommands } from "./runner/commands";
import { registerInitCommand } from "./init/commands";
import { registerReportCommands } from "./report/commands";
import { toolVersion } from "./core/package";
import type { CommandContext } from "./core/command-context";
import { markPhase, markProcessStart } from "./core/phase-marks";
import { ignoreClosedOutput } from "./core/closed-output";

export function buildProgram(setExit: (code: number) => void): Command {
  const program = new Command("signoff")
    .description("Acceptance tests in real browsers, a release gate, and a signed verdict bound to the build")
    .version(toolVersion())
    .showHelpAfterError("(run with --help for usage)")
    // Commander's own refusals read like every other usage error: "signoff: …", hostile text escaped.
    .configureOutput({
      outputError: (text, write) => write(escapeLines(text.replace(/^error: /, "signoff: ").split("\n"))),
    })
    .exitOverride();
  const ctx: CommandContext = {
    action:
      (fn) =>
      async (...args) =>
        setExit(await fn(...args)),
  };
  registerInitCommand(program, ctx);
  registerRunCommands(program, ctx);
  registerReportCommands(program, ctx);
  registerGateCommands(program, ctx);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  markProcessStart("cli");
  // `signoff … | head -1`: a reader that went away ends what is printed, never the command (closed-output.ts).
  ignoreClosedOutput();
  markPhase("cli", "cli modules loaded");
  let code: number = EXIT.ok;
  const program = buildProgram((c) => (code = c));
  try {
    await program.parseAsync(argv);
    return code;
  } catch (err) {
    if (err instanceof CommanderError) {
      // help and --version exit 0; anything else commander rejects is a usage error
      return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (err instanceof SignoffError) {
      console.error(`signoff: ${escapeControl(err.message)}`); // messages may quote hostile input
      return exitCodeOf(err);
    }
    return reportCrash(err);
  }
}

/**
 * Ends the process with `code`: at once after an interrupt (work the interrupted command left pending, such
 * as a request to staging, must not hold the process open), otherwise when the event loop is done.
 * The one place Signoff calls process.exit (docs/architecture.md, Errors: only the CLI layer does).
 */
export function exitWith(code: number): void {
  process.exitCode = code;
  if (code === EXIT.interrupted) process.exit(code);
}

/** An exception nobody expected: one line, the full trace in a file for the bug report, its own exit code. */
export function reportCrash(err: unknown): number {
  const e = err instanceof Error ? err : new Error(String(err));
  const file = join(tmpdir(), `signoff-crash-${process.pid}-${Date.now()}.log`);
  let where = "";
  try {
    writeFileSync(
      file,
      `${new Date().toISOString()} signoff ${process.argv.slice(2).join(" ")}\n${e.stack ?? e.message}\n`,
    );
    where = `; the full trace is in ${file}`;
  } catch {
    // no trace file: the line alone still says what happened
  }
  console.error(`signoff: internal error: ${escapeControl(e.message.split("\n")[0])}${where} (please report it)`);
  return EXIT.crash;
}
