// The `yaml` library, loaded as the one file scripts/build.js bundles into the compiled package when it is there.
//
// Why: node loads `yaml`'s 70-odd modules one by one at ≈ 4× the CPU of the same code as one file, and every command
// loads it (the config, the policy, the trust file are YAML): a quarter of the CLI's own start-up (bench/RESULTS.md,
// session of 2026-12-05). The sources (ts-node, the tests) load the package itself.
import { existsSync } from "node:fs";
import { join } from "node:path";

/** Where scripts/build.js writes the bundle: dist/src/vendor/yaml.js, beside dist/src/core/. */
export const BUNDLED_YAML = join(__dirname, "..", "vendor", "yaml.js");

export const yaml: typeof import("yaml") = require(existsSync(BUNDLED_YAML) ? BUNDLED_YAML : "yaml");
