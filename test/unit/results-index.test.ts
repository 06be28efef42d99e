// The results index beside each messages file: the gate reads it only when run.json vouches for it,
// gives exactly what the messages give, and falls back to the messages on any mismatch (fail closed).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { evaluate } from "../../src/gate/evaluate";
import { parsePolicy } from "../../src/gate/policy";
import { loadResults, type LoadedResults } from "../../src/gate/results-loader";
import { readMessagesFile } from "../../src/results/read-messages";
import { indexMessagesFile, readResultsIndex, resultsIndexPath, sha256File } from "../../src/results/results-index";
import type { RunManifest } from "../../src/runner/manifest";
import { ARTIFACT, exampleScenarios, tmp, writeResultsDir, type FakeScenario } from "./gate-helpers";

const POLICY = parsePolicy("version: 1\nrequiredTargets: [pw-desktop, pw-pixel7, se-desktop, se-pixel7]\nrequirements: all\nmaxAge: 24h\n", "p.yaml");
const REQS = ["REQ-COUNTER-1", "REQ-COUNTER-2"];

/** Indexes every messages file of a results dir the way `signoff run` does, and records it in run.json. */
async function indexDir(dir: string): Promise<void> {
  const path = join(dir, "run.json");
  const manifest = JSON.parse(readFileSync(path, "utf8")) as RunManifest;
  for (const t of manifest.targets) {
    const rel = t.messages[0];
    const file = join(dir, rel);
    t.files = { [rel]: indexMessagesFile(file, rel, await readMessagesFile(file, { target: t.name })) };
  }
  writeFileSync(path, JSON.stringify(manifest, null, 2));
}

/** undefined-valued keys dropped, so results from either source compare field by field. */
const plain = (l: LoadedResults) => JSON.parse(JSON.stringify(l.files.map((f) => f.results)));
const sources = (l: LoadedResults) => l.files.map((f) => f.source);

function withOneFailure(): FakeScenario[] {
  const s = exampleScenarios();
  s[0] = { ...s[0], attempts: ["FAILED"] };
  s[1] = { ...s[1], attempts: ["FAILED", "PASSED"] }; // flaky
  return s;
}

test("the loader reads the vouched-for index, and gets exactly what the messages give", async () => {
  const dir = writeResultsDir(tmp(), { scenarios: withOneFailure });
  const fromMessages = await loadResults([dir]);
  await indexDir(dir);
  const fromIndex = await loadResults([dir]);
  assert.deepEqual(sources(fromMessages), ["messages", "messages", "messages", "messages"]);
  assert.deepEqual(sources(fromIndex), ["index", "index", "index", "index"]);
  assert.deepEqual(plain(fromIndex), plain(fromMessages));
  const decide = (results: LoadedResults) => evaluate({ results, policy: POLICY, artifact: ARTIFACT, declaredRequirements: REQS });
  const [a, b] = [decide(fromIndex), decide(fromMessages)];
  assert.equal(a.result, "FAILED");
  assert.deepEqual(a, b);
});

test("requirements come from the reader's tag prefix, not the writer's", async () => {
  const dir = writeResultsDir(tmp(), { scenarios: () => [{ name: "tagged", tags: ["@SPEC-9", "@REQ-1"] }] });
  await indexDir(dir);
  const loaded = await loadResults([dir], { requirementTagPrefix: "SPEC-" });
  assert.equal(loaded.files[0].source, "index");
  assert.deepEqual(loaded.files[0].results!.scenarios[0].requirements, ["SPEC-9"]);
});

test("an index edited after the run (a failure turned into a pass) is ignored: the messages decide", async () => {
  const dir = writeResultsDir(tmp(), { scenarios: withOneFailure });
  await indexDir(dir);
  const index = resultsIndexPath(join(dir, "messages", "pw-desktop.ndjson"));
  writeFileSync(index, readFileSync(index, "utf8").replace('"status":"failed"', '"status":"passed"'));
  const loaded = await loadResults([dir]);
  assert.equal(loaded.files.find((f) => f.target === "pw-desktop")!.source, "messages");
  assert.equal(loaded.files.find((f) => f.target === "pw-desktop")!.results!.scenarios[0].status, "failed");
});

test("messages that changed after the index was written (cut short) are read themselves → incomplete", async () => {
  const dir = writeResultsDir(tmp());
  await indexDir(dir);
  const messages = join(dir, "messages", "se-pixel7.ndjson");
  const text = readFileSync(messages, "utf8");
  writeFileSync(messages, text.slice(0, text.lastIndexOf('{"testRunFinished"')));
  const loaded = await loadResults([dir]);
  const f = loaded.files.find((x) => x.target === "se-pixel7")!;
  assert.equal(f.source, "messages");
  assert.equal(f.results!.complete, false);
});

test("a truncated index is refused even when run.json's digest was made to match it", async () => {
  const dir = writeResultsDir(tmp());
  await indexDir(dir);
  const index = resultsIndexPath(join(dir, "messages", "pw-pixel7.ndjson"));
  const lines = readFileSync(index, "utf8").trimEnd().split("\n");
  writeFileSync(index, lines.slice(0, -2).join("\n") + "\n"); // one scenario and the end line gone
  const manifest = JSON.parse(readFileSync(join(dir, "run.json"), "utf8")) as RunManifest;
  manifest.targets.find((t) => t.name === "pw-pixel7")!.files!["messages/pw-pixel7.ndjson"].index!.sha256 = sha256File(index);
  writeFileSync(join(dir, "run.json"), JSON.stringify(manifest));
  assert.throws(() => readResultsIndex(index, "x"), /truncated results index/);
  const loaded = await loadResults([dir]);
  const f = loaded.files.find((x) => x.target === "pw-pixel7")!;
  assert.equal(f.source, "messages");
  assert.equal(f.results!.scenarios.length, 3);
});

test("no index recorded (an older run.json, or the index could not be written) → the messages", async () => {
  const dir = writeResultsDir(tmp());
  await indexDir(dir);
  const manifest = JSON.parse(readFileSync(join(dir, "run.json"), "utf8")) as RunManifest;
  delete manifest.targets[0].files;
  (manifest.targets[1] as any).files = { "messages/pw-pixel7.ndjson": { bytes: "many" } }; // malformed record
  writeFileSync(join(dir, "run.json"), JSON.stringify(manifest));
  const loaded = await loadResults([dir]);
  assert.deepEqual(sources(loaded), ["messages", "messages", "index", "index"]);
});
