// The preflight's dry run hands its Worlds complete parameters, so Cucumber's World-per-scenario never reads the config again.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { completeWorldParameters } from "../../src/world-defaults";
import { defaultConfig } from "../../src/config/defaults";
import { dryRunWorldParameters } from "../../src/runner/run";
import { tempDir } from "../helpers/cli";

test("without a base URL anywhere (the bundled app, not started yet) the dry run's parameters are complete as they are", () => {
  const config = defaultConfig();
  const params = dryRunWorldParameters(config, config.targets["pw-desktop"], {});
  assert.equal(completeWorldParameters(params), params);
  assert.deepEqual(params.target, config.targets["pw-desktop"]);
});

test("the dry run's World ignores a config it was not given: an unreadable signoff.config.yaml in the cwd is never read", () => {
  const dir = tempDir();
  mkdirSync(join(dir, "signoff.config.yaml")); // a folder: reading it as the config would throw
  const cwd = process.cwd();
  process.chdir(dir);
  try {
    const config = { ...defaultConfig(), baseUrl: "https://staging.example.com/" };
    const params = dryRunWorldParameters(config, config.targets["se-desktop"], { replay: "1:0" });
    assert.equal(completeWorldParameters(params).baseUrl, "https://staging.example.com/");
    assert.equal(params.properties.replay, "1:0");
  } finally {
    process.chdir(cwd);
  }
});
