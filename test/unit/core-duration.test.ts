// src/core/duration.ts: the one duration grammar (maxAge, @time-budget, table cells) and its two display forms.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  DURATION_PATTERN,
  formatDuration,
  formatElapsed,
  parseDuration,
  parseDurationMs,
} from "../../src/core/duration";

test("one grammar: compact and spelled-out units, several parts, decimals", () => {
  assert.equal(parseDurationMs("500ms"), 500);
  assert.equal(parseDurationMs("1.5 s"), 1500);
  assert.equal(parseDurationMs("2 min"), 120_000);
  assert.equal(parseDurationMs("1d12h"), 36 * 3_600_000);
  assert.equal(parseDurationMs("1w"), 7 * 86_400_000);
  assert.equal(parseDurationMs("1m30s"), 90_000, "m then s is minutes and seconds, never ms");
});

test("not a duration: no unit, zero, words, an unsafe size", () => {
  for (const bad of ["10", "0s", "soon", "", "s", "1x", "-5s", `${"9".repeat(20)}w`])
    assert.equal(parseDurationMs(bad), undefined, bad);
});

test("seconds for maxAge: whole seconds, below one second is none", () => {
  assert.equal(parseDuration("24h"), 86_400);
  assert.equal(parseDuration("90m"), 5400);
  assert.equal(parseDuration("500ms"), undefined);
});

test("the schema pattern accepts exactly what the parser reads", () => {
  const re = new RegExp(DURATION_PATTERN, "i");
  for (const ok of ["24h", "1d12h", "1.5 s", "500ms"]) assert.ok(re.test(ok), ok);
  for (const bad of ["10", "soon", "h"]) assert.ok(!re.test(bad), bad);
});

test("display forms", () => {
  assert.equal(formatDuration(93_600), "26h");
  assert.equal(formatDuration(172_800), "2d");
  assert.equal(formatDuration(90), "1m");
  assert.equal(formatDuration(90, { exact: true }), "1m30s", "exact: no unit dropped");
  assert.equal(formatDuration(68, { exact: true }), "1m8s");
  assert.equal(formatDuration(60.4, { exact: true }), "1m0.4s");
  assert.equal(formatDuration(93_600, { exact: true }), "1d2h");
  assert.equal(formatDuration(86_400, { exact: true }), "1d");
  assert.equal(formatDuration(0.25, { exact: true }), "0.25s");
  assert.equal(formatDuration(0, { exact: true }), "0s");
  for (const seconds of [90, 68, 60.4, 93_600, 3725.5])
    assert.equal(parseDurationMs(formatDuration(seconds, { exact: true })), seconds * 1000, "reads back as itself");
  assert.equal(formatElapsed(500), "500 ms");
  assert.equal(formatElapsed(1500), "1.5 s");
  assert.equal(formatElapsed(150_000), "2.5 min");
});
