// Property settings: config defaults, per-scenario tags, replay tokens — and errors that name the culprit.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { PropertyInputError } from "../../src/properties/errors";
import { defaultConfig } from "../../src/config/defaults";
import { RUN_BUDGET_MS, formatReplay, parseReplay, resolveSettings, tagOverrides } from "../../src/properties/settings";
import { parseDurationMs as parseDuration } from "../../src/core/duration";

describe("property settings", () => {
  test("durations need a unit", () => {
    assert.equal(parseDuration("10s"), 10_000);
    assert.equal(parseDuration("1.5 s"), 1500);
    assert.equal(parseDuration("500ms"), 500);
    assert.equal(parseDuration("2m"), 120_000);
    assert.equal(parseDuration("10"), undefined);
    assert.equal(parseDuration("soon"), undefined);
  });

  test("tags override the config; the config overrides the built-in defaults", () => {
    const defaults = { runs: 25, timeBudgetMs: 20_000, seed: 7 };
    assert.deepEqual(resolveSettings(defaults, ["@REQ-1"]), {
      runs: 25,
      timeBudgetMs: 20_000,
      seed: 7,
      seedFrom: "config",
    });
    assert.deepEqual(resolveSettings(defaults, ["@runs:200", "@seed:42", "@time-budget:10s"]), {
      runs: 200,
      timeBudgetMs: 10_000,
      seed: 42,
      seedFrom: "@seed tag",
    });
    const random = resolveSettings({ runs: 5, timeBudgetMs: 1000 }, [], () => 99);
    assert.equal(random.seed, 99);
    assert.equal(random.seedFrom, "random");
  });

  test("without a configured budget each run has its own share, so more runs get more time", () => {
    // A fixed 60 s for 25 runs failed a correct app on a slow target (QA6 F5).
    assert.equal(resolveSettings({ runs: 25 }, []).timeBudgetMs, 25 * RUN_BUDGET_MS);
    assert.equal(resolveSettings({ runs: 25 }, ["@runs:200"]).timeBudgetMs, 200 * RUN_BUDGET_MS);
    assert.equal(resolveSettings({ runs: 25 }, ["@runs:200", "@time-budget:90s"]).timeBudgetMs, 90_000);
    assert.equal(resolveSettings({ runs: 25, timeBudgetMs: 60_000 }, ["@runs:200"]).timeBudgetMs, 60_000);
    assert.equal(resolveSettings(defaultConfig().properties, []).timeBudgetMs, 25 * RUN_BUDGET_MS);
  });

  test("a replay names its own seed and beats the tags", () => {
    const s = resolveSettings({ runs: 25, timeBudgetMs: 20_000, replay: "1234:5:0:1,BCB:F" }, ["@seed:42"]);
    assert.equal(s.seed, 1234);
    assert.equal(s.seedFrom, "--replay");
    assert.deepEqual(s.replay, { seed: 1234, path: "5:0:1", replayPath: "BCB:F" });
  });

  test("replay tokens round-trip and malformed ones say what is expected", () => {
    for (const t of ["42", "42:3", "-7:3:0:1", "900969944:0:2,BCB:F"]) assert.equal(formatReplay(parseReplay(t)), t);
    assert.throws(
      () => parseReplay("12:ab"),
      (e: Error) => e instanceof PropertyInputError && /expected <seed>:<path>/.test(e.message),
    );
    assert.throws(() => parseReplay(""), PropertyInputError);
  });

  test("a malformed tag fails naming the tag, with no stack trace", () => {
    for (const [tag, hint] of [
      ["@runs:lots", /@runs:lots: expected a whole number/],
      ["@runs:0", /@runs:0/],
      ["@seed:x", /@seed:x: expected an integer seed/],
      ["@time-budget:10", /@time-budget:10: expected a duration with a unit/],
    ] as const) {
      assert.throws(
        () => tagOverrides([tag]),
        (e: Error) => e instanceof PropertyInputError && hint.test(e.message) && !/\n\s+at /.test(String(e.stack)),
      );
    }
  });
});
