// Loading results dirs from disk: shards from several machines combined; missing/broken pieces become reasons.
import { test } from "node:test";
import assert from "node:assert/strict";
import { appendFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createHash } from "node:crypto";
import { evaluate } from "../../src/gate/evaluate";
import { parsePolicy } from "../../src/gate/policy";
import { loadResults } from "../../src/results/loader";
import { loadBaseline } from "../../src/gate/baseline";
import { scanFeatures } from "../../src/gate/requirements";
import { ARTIFACT, tmp, writeResultsDir, exampleScenarios } from "./gate-helpers";

const POLICY = parsePolicy(
  "version: 1\nrequiredTargets: [pw-desktop, pw-pixel7, se-desktop, se-pixel7]\nrequirements: all\nmaxAge: 24h\n",
  "p.yaml",
);
const REQS = ["REQ-COUNTER-1", "REQ-COUNTER-2"];

async function decide(dirs: string[]) {
  return evaluate({ results: await loadResults(dirs), policy: POLICY, artifact: ARTIFACT, declaredRequirements: REQS });
}
const codes = (d: { findings: { code: string }[] }) => d.findings.map((f) => f.code);

test("one results dir as signoff run writes it → PASSED, property runs read from attachments", async () => {
  const dir = writeResultsDir(tmp());
  const loaded = await loadResults([dir]);
  assert.equal(loaded.files.length, 4);
  const prop = loaded.files[0].results!.scenarios.find((s) => s.tags.includes("@property"));
  assert.equal(prop?.propertyRuns, 50);
  const d = evaluate({ results: loaded, policy: POLICY, artifact: ARTIFACT, declaredRequirements: REQS });
  assert.equal(d.result, "PASSED", d.reasons.join("\n"));
});

test("shards from two machines are combined", async () => {
  const [a, b] = [tmp(), tmp()];
  const all = exampleScenarios();
  writeResultsDir(a, { shard: { index: 1, total: 2 }, scenarios: () => all.slice(0, 2) });
  writeResultsDir(b, { shard: { index: 2, total: 2 }, scenarios: () => all.slice(2) });
  const d = await decide([a, b]);
  assert.equal(d.result, "PASSED", d.reasons.join("\n"));
  assert.equal(d.counts.total, 12);
  assert.equal(d.run.runIds.length, 2);
});

test("a missing shard (machine 2's results never arrived) → shard-missing", async () => {
  const a = writeResultsDir(tmp(), { shard: { index: 1, total: 2 } });
  const d = await decide([a]);
  assert.ok(codes(d).includes("shard-missing"), d.reasons.join("\n"));
  assert.equal(d.result, "FAILED");
});

test("the same shard twice (copied to two dirs) → shard-duplicate", async () => {
  const a = writeResultsDir(tmp(), { shard: { index: 1, total: 2 } });
  const b = writeResultsDir(tmp(), { shard: { index: 1, total: 2 } });
  const c = writeResultsDir(tmp(), { shard: { index: 2, total: 2 } });
  const d = await decide([a, b, c]);
  assert.ok(codes(d).includes("shard-duplicate"), d.reasons.join("\n"));
});

test("a torn last line (interrupted writer) → results-incomplete", async () => {
  const dir = writeResultsDir(tmp(), { completeFiles: false });
  appendFileSync(join(dir, "messages", "se-pixel7.ndjson"), '{"testCaseStarted":{"id":"x"');
  const d = await decide([dir]);
  assert.ok(codes(d).includes("results-incomplete"));
});

test("unreadable results (a directory where a file should be) → results-unreadable, no crash", async () => {
  const dir = writeResultsDir(tmp());
  rmSync(join(dir, "messages", "se-pixel7.ndjson"));
  mkdirSync(join(dir, "messages", "se-pixel7.ndjson"));
  const d = await decide([dir]);
  assert.ok(codes(d).includes("results-unreadable"), d.reasons.join("\n"));
  assert.match(
    d.reasons.join("\n"),
    /se-pixel7\.ndjson: results unreadable \(messages file messages\/se-pixel7\.ndjson is not a regular file\)/,
  );
});

test("a messages file listed in run.json but missing on disk → results-unreadable", async () => {
  const dir = writeResultsDir(tmp());
  rmSync(join(dir, "messages", "pw-pixel7.ndjson"));
  const d = await decide([dir]);
  assert.match(
    d.reasons.join("\n"),
    /pw-pixel7\.ndjson: results unreadable \(messages file messages\/pw-pixel7\.ndjson is listed in run\.json but missing\)/,
  );
});

test("a missing or corrupt run.json → manifest-missing / manifest-unreadable", async () => {
  const missing = writeResultsDir(tmp(), { noManifest: true });
  assert.ok(codes(await decide([missing])).includes("manifest-missing"));
  const corrupt = writeResultsDir(tmp());
  writeFileSync(join(corrupt, "run.json"), "{ not json");
  assert.ok(codes(await decide([corrupt])).includes("manifest-unreadable"));
});

test("a run.json of the wrong shape → manifest-unreadable naming the field, not a crash", async () => {
  for (const [patch, field] of [
    [{ targets: 5 }, /targets: must be array/],
    [{ targets: [null] }, /targets\[0\]: must be object/],
    [
      { targets: [{ name: "pw-desktop", complete: true, messages: "messages/pw-desktop.ndjson" }] },
      /targets\[0\]\.messages: must be array/,
    ],
  ] as const) {
    const dir = writeResultsDir(tmp());
    const manifest = JSON.parse(readFileSync(join(dir, "run.json"), "utf8"));
    writeFileSync(join(dir, "run.json"), JSON.stringify({ ...manifest, ...patch }));
    const d = await decide([dir]);
    assert.equal(d.result, "FAILED");
    assert.ok(codes(d).includes("manifest-unreadable"), codes(d).join());
    assert.match(d.reasons.join("\n"), field);
  }
});

test("a results dir that does not exist → FAILED with reasons, not a crash", async () => {
  const d = await decide([join(tmp(), "nope")]);
  assert.equal(d.result, "FAILED");
  assert.deepEqual(codes(d).slice(0, 2), ["manifest-missing", "target-missing"]);
  assert.ok(codes(d).includes("zero-scenarios"));
});

test("scenarios planned but never started (run cut short) are unknown → FAILED", async () => {
  const dir = writeResultsDir(tmp(), {
    scenarios: (t) =>
      t === "pw-pixel7"
        ? [...exampleScenarios(), { name: "late", tags: ["@REQ-COUNTER-1"], notStarted: true }]
        : exampleScenarios(),
  });
  const d = await decide([dir]);
  assert.ok(codes(d).includes("scenario-unknown"), d.reasons.join("\n"));
});

test("a results dir works as a regression baseline", async () => {
  const base = writeResultsDir(tmp());
  const baseline = await loadBaseline(base, "REQ-");
  assert.equal(baseline.tests.size, 12);
  assert.equal(
    baseline.sha256,
    createHash("sha256")
      .update(readFileSync(join(base, "run.json")))
      .digest("hex"),
  );
  const now = writeResultsDir(tmp(), {
    scenarios: (t) =>
      t === "se-desktop"
        ? exampleScenarios().map((s, i) => (i === 0 ? { ...s, attempts: ["FAILED" as const] } : s))
        : exampleScenarios().slice(0, 3),
  });
  const d = evaluate({
    results: await loadResults([now]),
    policy: POLICY,
    artifact: ARTIFACT,
    declaredRequirements: REQS,
    baseline,
  });
  assert.deepEqual(
    d.regressions.map((r) => r.test),
    ["se-desktop › features/visitor-counter.feature › The counter displays in a browser"],
  );
});

test("a results dir without run.json is no baseline: nothing vouches for its messages", async () => {
  const base = writeResultsDir(tmp());
  rmSync(join(base, "run.json"));
  await assert.rejects(
    loadBaseline(base, "REQ-"),
    (err: Error) => err.name === "UsageError" && /: baseline results have no readable run\.json$/.test(err.message),
  );
});

test("requirement tags are read from tag lines only", () => {
  const text = "@REQ-A @slow # @REQ-COMMENT\nFeature: x\n  # @REQ-NOT\n  @REQ-B\n  Scenario: mentions @REQ-C in text\n";
  const file = join(tmp(), "x.feature");
  writeFileSync(file, text);
  assert.deepEqual(scanFeatures(file, "REQ-")!.requirements, ["REQ-A", "REQ-B"]);
});

test("the bundled features/ declare the example app's requirements", () => {
  const set = scanFeatures(join(__dirname, "..", "..", "features"), "REQ-");
  assert.ok(set && set.requirements.includes("REQ-COUNTER-1"));
  assert.match(set!.digest, /^[0-9a-f]{64}$/);
});

test("gate code never imports browser code (src/browser, src/world, steps/), even transitively", () => {
  const { readFileSync, existsSync } = require("node:fs") as typeof import("node:fs");
  const { dirname, resolve } = require("node:path") as typeof import("node:path");
  const src = resolve(__dirname, "..", "..", "src");
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    // `import type` is erased at run time (CommandContext comes from cli.ts that way), so it does not count.
    for (const m of readFileSync(file, "utf8").matchAll(/^import (?!type\b)[^;]*?from "(\.[^"]+)"/gm)) {
      const target = [".ts", "/index.ts"].map((ext) => resolve(dirname(file), m[1]) + ext).find(existsSync);
      if (target) visit(target);
    }
  };
  const { readdirSync } = require("node:fs") as typeof import("node:fs");
  for (const f of readdirSync(join(src, "gate"))) visit(join(src, "gate", f));
  const bad = [...seen].filter(
    (f) => f.startsWith(join(src, "browser")) || f === join(src, "world.ts") || f.includes("/steps/"),
  );
  assert.deepEqual(bad, []);
  assert.ok(seen.size > 15);
});
