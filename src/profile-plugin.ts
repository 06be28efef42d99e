// The Cucumber plugin in Signoff's profiles: what `signoff run` refuses before a run (a @target: tag naming no target, a selection of nothing), said under `cucumber-js -p signoff` too.
import type { Plugin } from "@cucumber/cucumber/api";
import { unknownTargetTags } from "./core/unknown-target-tags";

/** Where the profile puts this plugin's options (Cucumber's `pluginOptions`, shared by every plugin of a run). */
export const PLUGIN_OPTIONS_KEY = "signoff";

export interface ProfilePluginOptions {
  /** The configured targets' names: a `@target:` tag naming none of them is refused. */
  targets?: string[];
}

/**
 * The line, before anything runs. Cucumber's CLI still exits 0: no public hook lets a plugin or formatter fail
 * the run (cucumber/cucumber-js#2296), only overriding its exit code behind its back (docs/api.md).
 */
export const NOTHING_SELECTED =
  "signoff: no scenario selected by these feature paths and tags (cucumber-js exits 0 regardless; signoff run exits 1)\n";

/** Ends the last line about unknown @target: tags: nothing ran, and why the exit code does not say so. */
export const NOTHING_RUN = " (no scenario was run; cucumber-js exits 0 regardless, signoff run exits 2)";

const plugin: Plugin<ProfilePluginOptions> = {
  type: "plugin",
  optionsKey: PLUGIN_OPTIONS_KEY,
  coordinator({ on, transform, environment, options, operation }) {
    if (operation !== "runCucumber") return;
    // Every document parsed, selected or not (as `signoff run`'s preflight reads them): a tag naming no target
    // narrows nothing, or keeps its scenario off the target it meant, and Cucumber's tag filter says nothing.
    const unknownTargets: string[] = [];
    const targets = options.targets;
    if (targets)
      on("message", (envelope) => {
        if (envelope.gherkinDocument) unknownTargets.push(...unknownTargetTags(envelope.gherkinDocument, targets));
      });
    // Paths that match no feature file: Cucumber then never filters pickles, so this is the only place to say so.
    on("paths:resolve", ({ sourcePaths }) => {
      if (sourcePaths.length === 0) environment.stderr.write(NOTHING_SELECTED);
    });
    // Registered after Cucumber's own filter and sharding: these are the pickles that will run. The documents'
    // messages all came before it (Cucumber parses every source, then filters).
    transform("pickles:filter", (pickles) => {
      if (unknownTargets.length > 0) {
        const lines = unknownTargets.map((l) => `signoff: ${l}`);
        environment.stderr.write(`${lines.join("\n")}${NOTHING_RUN}\n`);
        // Fail closed: none runs, as under `signoff run` (the exit code is Cucumber's: see NOTHING_SELECTED).
        return [];
      }
      if (pickles.length === 0) environment.stderr.write(NOTHING_SELECTED);
      return pickles;
    });
  },
};

export default plugin;
