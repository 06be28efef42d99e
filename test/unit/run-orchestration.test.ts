// signoff run's orchestration pieces: what each target's Cucumber runs (tags, shard slice) and the exit code.
import { test } from "node:test";
import assert from "node:assert/strict";
import { BUILTIN_TARGETS } from "../../src/config/defaults";
import { EXIT } from "../../src/core/errors";
import { dryRunWorldParameters, recordTargetResults, runExitCode, targetSelection } from "../../src/runner/run";
import { defaultConfig } from "../../src/config/defaults";
import { listPickles, selectPickles } from "../../src/runner/shard";
import type { TargetRun } from "../../src/core/manifest";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "../helpers/cli";

const FEATURES = ["features/visitor-counter.feature"];
const names = Object.keys(BUILTIN_TARGETS);
const desktop = BUILTIN_TARGETS["pw-desktop"];
const phone = BUILTIN_TARGETS["pw-pixel7"];

test("without --shard a target runs every feature path under its own tag narrowing, and --tags narrows further", () => {
  const plain = targetSelection(desktop, names, {}, FEATURES, undefined);
  assert.deepEqual(plain.paths, FEATURES);
  assert.equal(plain.shardNote, "");
  assert.match(plain.tags, /not @mobile-only/);
  const tagged = targetSelection(desktop, names, { tags: "@smoke" }, FEATURES, undefined);
  assert.equal(tagged.tags, `(@smoke) and (${plain.tags})`);
});

test("with --shard each target runs its slice as file:line paths; the slices of n shards together are the target's scenarios", () => {
  const pickles = listPickles(FEATURES);
  for (const target of [desktop, phone]) {
    const own = selectPickles(pickles, targetSelection(target, names, {}, FEATURES, undefined).tags, FEATURES);
    const paths: string[] = [];
    for (let i = 1; i <= 2; i++) {
      const s = targetSelection(target, names, { shard: { index: i, total: 2 } }, FEATURES, pickles);
      assert.match(s.shardNote, new RegExp(`^, shard ${i}/2: \\d+ of ${own.length} scenario\\(s\\)$`));
      for (const p of s.paths) assert.match(p, /^features\/visitor-counter\.feature(:\d+)+$/);
      paths.push(...s.paths.flatMap((p) => p.split(":").slice(1)));
    }
    assert.deepEqual(
      paths.map(Number).sort((a, b) => a - b),
      own.map((p) => p.line).sort((a, b) => a - b),
      target.name,
    );
  }
});

test("with --shard a feature file the target runs nothing of is given whole to every shard: parsed, so the gate sees it read", () => {
  const mobileOnly = { uri: "features/phone.feature", line: 3, name: "Swipe", tags: ["@mobile-only"] };
  const pickles = [...listPickles(FEATURES), mobileOnly];
  const files = [...FEATURES, "features/phone.feature", "features/background-only.feature"];
  for (let i = 1; i <= 2; i++) {
    const s = targetSelection(desktop, names, { shard: { index: i, total: 2 } }, FEATURES, pickles, files);
    assert.match(s.paths[0], /^features\/visitor-counter\.feature(:\d+)+$/);
    assert.deepEqual(s.paths.slice(1), ["features/phone.feature", "features/background-only.feature"]);
  }
  // On a phone the file's scenario is in a slice: the file is given by its lines, not whole.
  const onPhone = [1, 2].flatMap(
    (i) => targetSelection(phone, names, { shard: { index: i, total: 2 } }, FEATURES, pickles, files).paths,
  );
  assert.ok(
    onPhone.some((p) => /^features\/phone\.feature:3$/.test(p)),
    onPhone.join(" "),
  );
  assert.ok(!onPhone.includes("features/phone.feature"), onPhone.join(" "));
});

test("a shard with no scenario still runs Cucumber, on a tag that matches nothing (a complete, empty messages file)", () => {
  const pickles = listPickles(FEATURES);
  const s = targetSelection(desktop, names, { shard: { index: 3, total: 3 } }, FEATURES, pickles);
  assert.match(s.shardNote, /: 0 of 2 scenario/);
  assert.deepEqual(s.paths, FEATURES);
  assert.match(s.tags, /\) and @signoff:empty-shard$/);
});

test("the run's exit code: 130 when interrupted, 3 when a browser could not start, 0 only when every target completed with Cucumber exit 0, else 1", () => {
  const t = (complete: boolean, exitCode: number | null): TargetRun =>
    ({ name: "x", driver: "playwright", device: "Desktop Chrome", messages: [], complete, exitCode }) as TargetRun;
  assert.equal(runExitCode({ targets: [t(true, 0), t(true, 0)] }, undefined), EXIT.ok);
  assert.equal(runExitCode({ targets: [t(true, 0), t(true, 1)] }, undefined), EXIT.no);
  assert.equal(runExitCode({ targets: [t(true, 0), t(false, 0)] }, undefined), EXIT.no);
  assert.equal(runExitCode({ targets: [t(true, 0)] }, "SIGINT"), EXIT.interrupted);
  // A target whose browser could not be started (its process exits 3): an environment problem, whatever else failed.
  assert.equal(runExitCode({ targets: [t(true, 1), t(false, EXIT.environment)] }, undefined), EXIT.environment);
  assert.equal(runExitCode({ targets: [t(false, EXIT.environment)] }, "SIGINT"), EXIT.interrupted);
  assert.equal(EXIT.interrupted, 130);
});

test("a target interrupted before its Cucumber wrote a message is 'not started (interrupted)', not unreadable; still incomplete and counted as a failure", async () => {
  const dir = tempDir();
  const record = (): TargetRun => ({
    name: "pw-desktop",
    driver: "playwright",
    device: "Desktop Chrome",
    messages: ["messages/pw-desktop.ndjson"],
    complete: false,
  });
  const missing = join(dir, "pw-desktop.ndjson");
  const interrupted = record();
  const failures = { environment: 0, other: 0 };
  await recordTargetResults(
    interrupted,
    missing,
    { code: null, signal: "SIGINT", interrupted: true },
    "REQ-",
    failures,
  );
  assert.equal(interrupted.error, "not started (interrupted before it wrote any results)");
  assert.equal(interrupted.complete, false, "the gate still reads it as incomplete (FAIL)");
  assert.equal(interrupted.files, undefined);
  assert.deepEqual(failures, { environment: 0, other: 1 });

  // Not interrupted, the same missing file is still named unreadable; and an interrupted target's broken file too.
  const lost = record();
  await recordTargetResults(lost, missing, { code: 1, signal: null, interrupted: false }, "REQ-", failures);
  assert.match(lost.error ?? "", /^messages unreadable: ENOENT/);
  const broken = join(dir, "se-desktop.ndjson");
  writeFileSync(broken, "not json\n{}\n");
  const garbled = record();
  await recordTargetResults(garbled, broken, { code: null, signal: "SIGINT", interrupted: true }, "REQ-", failures);
  assert.match(garbled.error ?? "", /^messages unreadable: /);
});

test("property steps learn whether staging is the bundled app (its port is this run's only: no --base-url in a replay line)", () => {
  const config = defaultConfig();
  assert.equal(dryRunWorldParameters(config, desktop, {}).properties.bundledApp, true);
  const given = "http://127.0.0.1:18432/";
  assert.equal(dryRunWorldParameters(config, desktop, { baseUrl: given }).properties.bundledApp, undefined);
  assert.equal(dryRunWorldParameters({ ...config, baseUrl: given }, desktop, {}).properties.bundledApp, undefined);
});
