// A Cucumber plugin in Signoff's profiles: one line on stderr when the paths and tags select no scenario.
import type { Plugin } from "@cucumber/cucumber/api";

/**
 * The line, before anything runs. Cucumber's CLI still exits 0: no public hook lets a plugin or formatter fail
 * the run (cucumber/cucumber-js#2296), only overriding its exit code behind its back (docs/api.md).
 */
export const NOTHING_SELECTED =
  "signoff: no scenario selected by these feature paths and tags (cucumber-js exits 0 regardless; signoff run exits 1)\n";

const plugin: Plugin = {
  type: "plugin",
  coordinator({ on, transform, environment }) {
    // Paths that match no feature file: Cucumber then never filters pickles, so this is the only place to say so.
    on("paths:resolve", ({ sourcePaths }) => {
      if (sourcePaths.length === 0) environment.stderr.write(NOTHING_SELECTED);
    });
    // Registered after Cucumber's own filter and sharding: these are the pickles that will run.
    transform("pickles:filter", (pickles) => {
      if (pickles.length === 0) environment.stderr.write(NOTHING_SELECTED);
      return pickles;
    });
  },
};

export default plugin;
