// `signoff init`: command-line wiring for the scaffolder.
import { resolve } from "node:path";
import type { Command } from "commander";
import type { CommandContext } from "../core/command-context";

export function registerInitCommand(program: Command, ctx: CommandContext): void {
  program
    .command("init")
    .description(
      "scaffold a Signoff project here (features, steps, config, policy, tsconfig, CI workflow); never overwrites a file",
    )
    .argument("[dir]", "project directory", ".")
    .action(
      ctx.action(async (dir: string) => (require("./init") as typeof import("./init")).initCommand(resolve(dir))),
    );
}
