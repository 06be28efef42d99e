// A messages file in the results dir that run.json does not list: a FAIL named as a file, never counted as a target.
import { test } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { GATE_DETAIL_KEY, type GateDetail } from "../../src/gate/statements";
import { runGate } from "../../src/gate/gate";
import { gateSummary } from "../../src/gate/summary";
import { parsePolicy } from "../../src/gate/policy";
import { loadReportData } from "../../src/report/results";
import { buildOverview, overviewHtml, summaryMarkdown } from "../../src/report/overview";
import { ARTIFACT, NOW, TARGETS, makeKey, tmp, writeResultsDir } from "./gate-helpers";

const POLICY = parsePolicy(
  `version: 1\nrequiredTargets: [${TARGETS.join(", ")}]\nrequirements: all\nmaxAge: 24h\n`,
  "gate.policy.yaml",
);

/** A passing run's results dir with messages/extra.ndjson beside the listed files (a copy of a real one's bytes). */
function withExtra(): string {
  const dir = writeResultsDir(tmp());
  copyFileSync(join(dir, "messages", "pw-desktop.ndjson"), join(dir, "messages", "extra.ndjson"));
  return dir;
}

const payloadOf = (line: string) =>
  JSON.parse(Buffer.from(JSON.parse(line).payload as string, "base64").toString("utf8")) as {
    predicate: Record<string, unknown>;
  };

test("the gate FAILs an unlisted extra.ndjson as results-unlisted, and counts no target 'extra' anywhere", async () => {
  const dir = withExtra();
  const out = join(dir, "verdict.intoto.jsonl");
  const res = await runGate({
    artifact: ARTIFACT,
    policy: POLICY,
    key: makeKey(),
    resultsDirs: [dir],
    out,
    now: NOW,
  });
  const d = res.decision;
  assert.equal(d.verificationResult, "FAILED");
  const unlisted = d.reasons.filter((r) => r.startsWith("results-unlisted: "));
  assert.equal(unlisted.length, 1, d.reasons.join("\n"));
  assert.match(unlisted[0], /messages\/extra\.ndjson: not listed in run\.json/);
  // Not a target: not in the per-target counts, not a coverage column, no "target extra" in any reason.
  assert.deepEqual(Object.keys(d.perTarget).sort(), [...TARGETS].sort());
  assert.deepEqual(d.coverage.targets, TARGETS);
  for (const r of d.reasons) assert.doesNotMatch(r, /target extra\b|\bextra (has|ran|did)/, r);
  // The terminal: four targets, and the file named in its reason.
  const text = gateSummary(d, ARTIFACT, out, POLICY.source);
  assert.match(text, /scenarios: \d+ on 4 target\(s\)/);
  assert.match(text, /results-unlisted: .*messages\/extra\.ndjson: not listed in run\.json/);
  assert.doesNotMatch(text.split("\n").find((l) => l.includes("requirement  ")) ?? "", /extra/);
  // The signed decision says the same: its counts per target and its coverage know no "extra".
  const lines = readFileSync(out, "utf8").trim().split("\n");
  const detail = payloadOf(lines[1]).predicate[GATE_DETAIL_KEY] as GateDetail;
  assert.deepEqual(detail.coverage.targets, TARGETS);
  assert.ok(detail.reasons.some((r) => /^results-unlisted: .*extra\.ndjson/.test(r)));
  const evidence = payloadOf(lines[0]).predicate as Record<string, string[]>;
  for (const list of [evidence.passedTests, evidence.failedTests, evidence.warnedTests ?? []])
    assert.ok(!list.some((t) => t.startsWith("extra › ")), "no test of a target 'extra' in the evidence");
});

test("the report names an unlisted extra.ndjson as an unlisted file, not as a target row or matrix column", async () => {
  const dir = withExtra();
  const data = await loadReportData(dir, "REQ-");
  assert.deepEqual(
    data.targets.map((t) => t.name),
    TARGETS,
  );
  assert.equal(data.unlisted?.length, 1);
  assert.match(data.unlisted![0], /messages\/extra\.ndjson$/);
  const o = buildOverview(data, undefined);
  assert.deepEqual(o.matrix.targets, TARGETS);
  const md = summaryMarkdown(o, { links: {} });
  assert.doesNotMatch(md, /^\| extra \|/m, "no target row 'extra' in summary.md");
  assert.doesNotMatch(md, /\| extra \|$/m, "no matrix column 'extra' in summary.md");
  assert.match(
    md,
    /Not counted: \S*messages\/extra\.ndjson is a messages file in the results dir that run\.json does not list \(not a target; the gate fails it: results-unlisted\)/,
  );
  const html = overviewHtml(o, { links: {} });
  assert.doesNotMatch(html, /<b>extra<\/b>/, "no target row 'extra' in overview.html");
  assert.match(html, /Not counted: \S*messages\/extra\.ndjson is a messages file/);
});

test("an unlisted file whose name is not a messages file name (.ndjson) FAILs as unlisted too, even where warnings are allowed", async () => {
  const dir = writeResultsDir(tmp());
  copyFileSync(join(dir, "messages", "pw-desktop.ndjson"), join(dir, "messages", ".ndjson"));
  const lenient = parsePolicy(
    `version: 1\nrequiredTargets: [${TARGETS.join(", ")}]\nrequirements: all\nmaxAge: 24h\nallowWarned: true\n`,
    "gate.policy.yaml",
  );
  const res = await runGate({
    artifact: ARTIFACT,
    policy: lenient,
    key: makeKey(),
    resultsDirs: [dir],
    out: join(dir, "verdict.intoto.jsonl"),
    now: NOW,
  });
  const d = res.decision;
  assert.equal(d.verificationResult, "FAILED", d.reasons.join("\n"));
  assert.ok(
    d.reasons.some((r) => /^results-unlisted: .*messages\/\.ndjson: not listed in run\.json/.test(r)),
    d.reasons.join("\n"),
  );
  assert.deepEqual([...d.coverage.targets].sort(), [...TARGETS].sort(), "no target (unknown) or (unlisted)");
});
