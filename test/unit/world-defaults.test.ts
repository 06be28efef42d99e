// World parameters under plain cucumber-js: the config's base URL and first default target, any given field on top.
import { test } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { completeWorldParameters, ensureBaseUrl, stopBundledApp } from "../../src/world-defaults";
import type { WorldParameters } from "../../src/config/types";
import { BUILTIN_TARGETS } from "../../src/config/defaults";
import { tempDir } from "../helpers/cli";

function config(text: string): string {
  const f = join(tempDir(), "signoff.config.yaml");
  writeFileSync(f, text);
  return f;
}

test("no world parameters: the config's base URL, first default target and timeouts", () => {
  const file = config(
    "baseUrl: https://staging.example.com/\ndefaultTargets: [se-desktop, pw-desktop]\ntimeouts: { actionMs: 1234 }\n",
  );
  const p = completeWorldParameters({ config: file });
  assert.equal(p.baseUrl, "https://staging.example.com/");
  assert.deepEqual(p.target, BUILTIN_TARGETS["se-desktop"]);
  assert.equal(p.timeouts.actionMs, 1234);
  assert.equal(p.requirementTagPrefix, "REQ-");
});

test("a target by name and a base URL given as world parameters win over the config", () => {
  const file = config("baseUrl: https://staging.example.com/\n");
  const p = completeWorldParameters({ config: file, target: "pw-pixel7", baseUrl: "http://127.0.0.1:9/" });
  assert.equal(p.target.device, "Pixel 7");
  assert.equal(p.baseUrl, "http://127.0.0.1:9/");
});

test("no base URL anywhere is left empty (the bundled app is started on first use); an unknown target names the known ones", () => {
  const file = config("defaultTargets: [pw-desktop]\n");
  assert.equal(completeWorldParameters({ config: file }).baseUrl, "");
  assert.throws(
    () => completeWorldParameters({ config: file, target: "nokia-3310" }),
    /unknown target "nokia-3310"; known targets: pw-desktop, /,
  );
});

test("the runner's complete parameters pass through untouched", () => {
  const given = {
    baseUrl: "http://127.0.0.1:1/",
    target: BUILTIN_TARGETS["pw-desktop"],
    timeouts: { stepMs: 1000, actionMs: 100, navigationMs: 500 },
    requirementTagPrefix: "R-",
    links: {},
    properties: { runs: 3, timeBudgetMs: 1000 },
  };
  assert.equal(completeWorldParameters(given), given);
});

test("with no base URL anywhere, the bundled app is staging and property steps are told so (replay lines name no port)", async () => {
  const params = { properties: { runs: 5, timeBudgetMs: 1000 } } as unknown as WorldParameters;
  try {
    await ensureBaseUrl(params);
    assert.match(params.baseUrl!, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    assert.equal(params.properties.bundledApp, true);
    assert.equal(params.properties.runs, 5, "the other property settings are kept");
  } finally {
    await stopBundledApp();
  }
});

test("the config is read once per process for the same given parameters; each World gets its own copy", () => {
  const file = config("baseUrl: https://one.example.com/\n");
  const first = completeWorldParameters({ config: file });
  writeFileSync(file, "baseUrl: https://two.example.com/\n");
  const second = completeWorldParameters({ config: file });
  assert.equal(second.baseUrl, "https://one.example.com/", "worked out once, not per scenario");
  assert.notEqual(second, first);
  first.timeouts.actionMs = 1;
  assert.notEqual(second.timeouts.actionMs, 1, "a World changing its parameters changes no other World's");
  // Other given parameters are worked out on their own.
  assert.equal(
    completeWorldParameters({ config: file, baseUrl: "http://127.0.0.1:9/" }).baseUrl,
    "http://127.0.0.1:9/",
  );
});
