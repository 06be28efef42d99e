// src/core/manifest.ts: run.json written whole, read as hostile input with the shape readers rely on.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readManifest, writeManifest, type RunManifest } from "../../src/core/manifest";
import { MAX_RUN_MESSAGES, MAX_RUN_SHARDS, MAX_RUN_TARGETS } from "../../src/core/manifest-schema";

const dir = mkdtempSync(join(tmpdir(), "signoff-core-manifest-"));
const manifest: RunManifest = {
  schema: "signoff/run@1",
  runId: "r1",
  startedAt: "2026-01-01T00:00:00Z",
  toolVersion: "0.1.0",
  baseUrl: "http://127.0.0.1:1",
  build: null,
  targets: [
    {
      name: "pw-desktop",
      driver: "playwright",
      device: "Desktop Chrome",
      messages: ["messages/pw-desktop.ndjson"],
      complete: true,
    },
  ],
  complete: true,
};

test("what is written is read back", () => {
  writeManifest(join(dir, "run.json"), manifest);
  assert.deepEqual(readManifest(join(dir, "run.json")), manifest);
});

/** The manifest written and read back is refused with a message matching `re`. */
function bad(m: unknown, re: RegExp): void {
  writeFileSync(join(dir, "bad.json"), JSON.stringify(m));
  assert.throws(
    () => readManifest(join(dir, "bad.json")),
    (e: Error) => re.test(e.message),
  );
}

test("a wrong schema or shape is an error naming the file and field", () => {
  bad({ ...manifest, schema: "other" }, /bad\.json: not a signoff run manifest/);
  bad({ ...manifest, complete: "yes" }, /complete: must be boolean/);
  bad({ ...manifest, targets: {} }, /targets: must be array/);
  bad(
    { ...manifest, targets: [{ name: "x", complete: true, messages: [1] }] },
    /targets\[0\]\.messages\[0\]: must be string/,
  );
});

test("run.json is strict JSON: a duplicate key (read one way here, another way elsewhere) or trailing data is refused", () => {
  const text = JSON.stringify(manifest);
  for (const [name, bytes, re] of [
    [
      "dup.json",
      text.replace('"complete":true}', '"complete":true,"complete":false}'),
      /dup\.json: not JSON: duplicate key/,
    ],
    ["trail.json", text + "{}", /trail\.json: not JSON: /],
  ] as const) {
    writeFileSync(join(dir, name), bytes);
    assert.throws(
      () => readManifest(join(dir, name)),
      (e: Error) => re.test(e.message),
    );
  }
});

test("every field a reader uses has its type checked: a hostile run.json is unreadable, never a crash in a reader", () => {
  bad({ ...manifest, error: 5 }, /bad\.json: error: must be string/);
  bad({ ...manifest, build: null, buildError: { a: 1 } }, /buildError: must be string/);
  bad({ ...manifest, build: { name: "x", version: 1, digest: "sha256:00" } }, /build/);
  bad({ ...manifest, features: "features/a.feature" }, /features: must be array/);
  bad({ ...manifest, interrupted: { signal: 2 } }, /interrupted/);
  bad(
    { ...manifest, targets: [{ ...manifest.targets[0], counts: { passed: -1, failed: 0, other: 0 } }] },
    /counts\.passed/,
  );
  bad({ ...manifest, targets: [{ ...manifest.targets[0], error: ["x"] }] }, /targets\[0\]\.error: must be string/);
  // A field a later version adds is no reason to refuse the manifest.
  writeFileSync(join(dir, "later.json"), JSON.stringify({ ...manifest, addedLater: { any: "thing" } }));
  assert.equal(readManifest(join(dir, "later.json")).runId, manifest.runId);
});

test("a write that cannot happen is an environment error naming the path", () => {
  assert.throws(
    () => writeManifest(join(dir, "no", "such", "run.json"), manifest),
    (e: Error) => e.name === "EnvironmentError" && /run\.json/.test(e.message),
  );
});

test("more targets, shards or merged runs than any run has are refused: a reader's per-target work is bounded", () => {
  const target = manifest.targets[0];
  const targets = (n: number) => Array.from({ length: n }, (_, i) => ({ ...target, name: `t${i}` }));
  writeManifest(join(dir, "wide.json"), { ...manifest, targets: targets(MAX_RUN_TARGETS) });
  assert.equal(readManifest(join(dir, "wide.json")).targets.length, MAX_RUN_TARGETS);
  bad({ ...manifest, targets: targets(MAX_RUN_TARGETS + 1) }, /targets: must NOT have more than 256 items/);
  const files = Array.from({ length: MAX_RUN_SHARDS + 1 }, (_, i) => `messages/x${i}.ndjson`);
  bad(
    { ...manifest, targets: [{ ...target, messages: files }] },
    /targets\[0\]\.messages: must NOT have more than 1024 items/,
  );
  bad({ ...manifest, mergedFrom: files.map((f) => ({ dir: f })) }, /mergedFrom: must NOT have more than 1024 items/);
  // Within each bound, not in all: 256 targets of 1024 files each would be a quarter of a million files to read.
  const wide = targets(MAX_RUN_TARGETS).map((t, i) => ({
    ...t,
    messages: Array.from({ length: MAX_RUN_SHARDS }, (_, j) => `messages/t${i}-${j}.ndjson`),
  }));
  bad(
    { ...manifest, targets: wide },
    new RegExp(
      `targets: ${MAX_RUN_TARGETS * MAX_RUN_SHARDS} messages files listed in all, more than ${MAX_RUN_MESSAGES}`,
    ),
  );
});
