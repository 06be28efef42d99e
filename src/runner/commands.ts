// `signoff run` and `signoff doctor`: command-line wiring for the runner.
import { Command, InvalidArgumentError, Option } from "commander";
import type { CommandContext, ParsedOptions } from "../core/command-context";
import { parseReplay } from "../properties/settings";

// Implementations load when their command runs: `signoff verify` should not pay for browsers.
const run = () => require("./run") as typeof import("./run");
const doctorModule = () => require("./doctor") as typeof import("./doctor");
const merge = () => require("./merge") as typeof import("./merge");
// Only for --shard: shard.ts brings the Gherkin parser.
const shard = () => require("./shard") as typeof import("./shard");
const targets = () => require("./targets") as typeof import("./targets");
import { parseBuildRef } from "./staging";
import { HTTP_URL_WANTED, isHttpUrl } from "../config/schema";

function positiveInt(name: string) {
  return (v: string) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`${name} must be a whole number`);
    return n;
  };
}

/** A staging address the browsers can open, by the config's `baseUrl` rule and in its words. */
function httpUrl(name: string) {
  return (v: string) => {
    if (!isHttpUrl(v)) throw new InvalidArgumentError(`${name} ${HTTP_URL_WANTED}`);
    return v;
  };
}

export function registerRunCommands(program: Command, ctx: CommandContext): void {
  program
    .command("run")
    .description(
      "run the acceptance features on every selected target against staging (default: the bundled example app)",
    )
    .argument("[paths...]", "feature files or directories (default: the config's features)")
    .addOption(
      new Option(
        "--base-url <url>",
        "staging to test (default: the config's baseUrl; with neither, the bundled example app is started)",
      ).argParser(httpUrl("--base-url")),
    )
    .option("--targets <names>", "comma-separated target names (default: the config's defaultTargets)")
    .addOption(
      new Option("--tags <expression>", "Cucumber tag expression selecting scenarios").argParser((v) => {
        try {
          return targets().checkTagExpression(v);
        } catch (err) {
          throw new InvalidArgumentError((err as Error).message);
        }
      }),
    )
    .addOption(new Option("--parallel <n>", "Cucumber workers per target").argParser(positiveInt("--parallel")))
    .addOption(
      new Option("--retry <n>", "retry failed scenarios up to n times (a pass on retry is flaky)").argParser(
        positiveInt("--retry"),
      ),
    )
    .addOption(
      new Option(
        "--shard <i/n>",
        "run only slice i of n of every target's scenarios (deterministic; one slice per machine)",
      ).argParser((v) => {
        try {
          return shard().parseShard(v);
        } catch (err) {
          throw new InvalidArgumentError((err as Error).message);
        }
      }),
    )
    .option("--config <file>", "signoff config file (default: signoff.config.yaml if present)")
    .option("--reports <dir>", "output directory (default: reports)")
    .addOption(
      new Option(
        "--build <ref>",
        "the build the deploy job put on staging, NAME[:VERSION]@sha256:HEX, for a staging that names none itself",
      ).argParser((v) => {
        const ref = parseBuildRef(v);
        if (typeof ref === "string") throw new InvalidArgumentError(ref);
        return ref;
      }),
    )
    // [properties] one option: rerun exactly the case a failed property step printed.
    .addOption(
      new Option(
        "--replay <seed:path>",
        "property steps rerun exactly this failing case (printed by the failure; pair it with the scenario's file:line)",
      ).argParser((v) => {
        try {
          parseReplay(v);
        } catch (err) {
          throw new InvalidArgumentError((err as Error).message);
        }
        return v;
      }),
    )
    .action(
      ctx.action(async (paths: string[], o: ParsedOptions) =>
        run().runSuite({
          paths,
          baseUrl: o.baseUrl,
          targets: o.targets,
          tags: o.tags,
          parallel: o.parallel,
          retry: o.retry,
          config: o.config,
          reportsDir: o.reports,
          replay: o.replay,
          shard: o.shard,
          build: o.build,
        }),
      ),
    );

  program
    .command("merge")
    .description(
      "combine the results dirs of several shards (machines) into one, for `signoff report` and `signoff gate`; exit 1 if a shard is missing, duplicated or incomplete",
    )
    .argument("<dirs...>", "results directories, one per shard run")
    .requiredOption("--into <dir>", "the combined results directory to write")
    .option(
      "--trust <file>",
      "trust file pinning the runner key: every shard's run attestation must verify, else the merged run is incomplete",
    )
    .action(
      ctx.action(async (dirs: string[], o: { into: string; trust?: string }) =>
        merge().mergeCommand(dirs, o.into, { trustFile: o.trust }),
      ),
    );

  program
    .command("doctor")
    .description("find the browsers Signoff would use; --install tries to get them")
    .option("--install", "try Playwright's installer, then the OS package manager")
    .option("--config <file>", "signoff config file")
    .action(ctx.action(async (o: { install?: boolean; config?: string }) => doctorModule().doctor(o)));
}
