// Staging that goes away mid-run: exit 3 and one line when only the environment failed, 1 when a real failure is among them; the gate FAILs either way.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { runSignoff, tempDir } from "../helpers/cli";

/** A staging that serves a page, and shuts down for good once a page asks it to (after answering it). */
async function mortalStaging(): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    if (path === "/__build") {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "content-type": "text/html", connection: "close" });
    if (path === "/shut-down")
      res.end("<p>going away</p>", () => {
        server.close();
        server.closeAllConnections();
      });
    else res.end("<p>hello</p>");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, server };
}

const POLICY = ["version: 1", "requiredTargets: [pw-desktop]", "requirements: [REQ-G-1]", "maxAge: 1h", ""].join("\n");

/** Runs `scenarios` (Gherkin, after the feature line) on a target against a staging that shuts down, then gates. */
async function runAndGate(scenarios: string[], target = "pw-desktop") {
  const dir = tempDir("signoff-staging-gone-");
  mkdirSync(join(dir, "features"));
  writeFileSync(join(dir, "features", "g.feature"), ["Feature: G", ...scenarios, ""].join("\n"));
  writeFileSync(join(dir, "gate.policy.yaml"), POLICY);
  const staging = await mortalStaging();
  try {
    const reports = join(dir, "reports");
    const run = await runSignoff(["run", "--targets", target, "--base-url", staging.url, "--reports", reports], {
      cwd: dir,
    });
    const keys = tempDir();
    const k = await runSignoff(["keygen", "--out", join(keys, "gate")], { cwd: dir });
    assert.equal(k.code, 0, k.stderr);
    const gate = await runSignoff(
      [
        "gate",
        "--artifact",
        `gone@sha256:${"e".repeat(64)}`,
        "--key",
        join(keys, "gate.key"),
        "--policy",
        "gate.policy.yaml",
        "--results",
        reports,
        "--out",
        join(keys, "verdict.intoto.jsonl"),
      ],
      { cwd: dir },
    );
    const manifest = JSON.parse(readFileSync(join(reports, "run.json"), "utf8"));
    return { run, gate, manifest, url: staging.url };
  } finally {
    staging.server.close();
    staging.server.closeAllConnections();
  }
}

const BEFORE = ["  @REQ-G-1", "  Scenario: before", '    Given I open "/"', '    Then I should see "hello"'];
const SHUT_DOWN = ["  @REQ-G-1", "  Scenario: shut down", '    Given I open "/shut-down"'];
const AFTER = ["  @REQ-G-1", "  Scenario: after", '    Given I open "/"', '    Then I should see "hello"'];

test("staging goes away mid-run and only the scenarios after it fail: exit 3, one line naming it, run.json and the gate FAIL", async () => {
  const { run, gate, manifest, url } = await runAndGate([...BEFORE, ...SHUT_DOWN, ...AFTER]);
  assert.equal(run.code, 3, run.stdout + run.stderr);
  const line = `staging went away during the run: ${url} no longer answers (ECONNREFUSED); 1 scenario(s) failed for it`;
  assert.equal(run.stderr, `signoff: ${line}\n`);
  assert.match(run.stdout, /FAIL\s+pw-desktop\s+2 passed, 1 failed/);
  assert.equal(manifest.error, line);
  assert.equal(manifest.complete, false);
  assert.equal(gate.code, 1, gate.stdout + gate.stderr);
  assert.match(gate.stdout, /FAILED/);
  assert.match(gate.stdout, /the run reported an error: staging went away during the run/);
});

test("staging goes away mid-run after a real failure: exit 1 (the tests say no), no staging line", async () => {
  const failing = ["  @REQ-G-1", "  Scenario: wrong text", '    Given I open "/"', '    Then I should see "goodbye"'];
  const { run, gate, manifest } = await runAndGate([...failing, ...SHUT_DOWN, ...AFTER]);
  assert.equal(run.code, 1, run.stdout + run.stderr);
  assert.doesNotMatch(run.stderr, /went away/);
  assert.equal(manifest.error, undefined);
  assert.equal(gate.code, 1, gate.stdout + gate.stderr);
  assert.match(gate.stdout, /FAILED/);
});

test("staging goes away under a scenario's check: that failure is the environment's too, its message saying why (exit 3)", async () => {
  // The page shuts staging down as it is served: the check after it fails as the product's, unless staging is asked.
  const underCheck = [
    "  @REQ-G-1",
    "  Scenario: check as it goes",
    '    Given I open "/shut-down"',
    '    Then I should see "hello"',
  ];
  for (const target of ["pw-desktop", "se-desktop"]) {
    const { run, manifest, url } = await runAndGate([...BEFORE, ...underCheck, ...AFTER], target);
    assert.equal(run.code, 3, run.stdout + run.stderr);
    const line = `staging went away during the run: ${url} no longer answers (ECONNREFUSED); 2 scenario(s) failed for it`;
    assert.equal(run.stderr, `signoff: ${line}\n`);
    assert.equal(manifest.error, line);
    assert.match(
      run.stdout,
      new RegExp(
        `expected the page to show "hello".*\\n\\s+staging ${url.replace(/[.]/g, "\\.")} no longer takes connections \\(ECONNREFUSED\\): it went away during the scenario \\(stopped, or crashed by a request: see its logs\\), so this is taken as the environment's failure`,
      ),
    );
    assert.match(
      run.stdout,
      /✗ features\/g\.feature:\d+ check as it goes — at features\/g\.feature:\d+ .*\[environment problem\]/,
    );
  }
});

test("on Selenium too: the page load staging refuses is an environment failure (exit 3, the same line), not a test defect", async () => {
  const { run, manifest, url } = await runAndGate([...BEFORE, ...SHUT_DOWN, ...AFTER], "se-desktop");
  assert.equal(run.code, 3, run.stdout + run.stderr);
  const line = `staging went away during the run: ${url} no longer answers (ECONNREFUSED); 1 scenario(s) failed for it`;
  assert.equal(run.stderr, `signoff: ${line}\n`);
  assert.match(run.stdout, /FAIL\s+se-desktop\s+2 passed, 1 failed/);
  assert.match(run.stdout, /StagingError: staging error: ERR_CONNECTION_REFUSED loading /);
  assert.doesNotMatch(run.stdout, /WebDriverError/);
  assert.equal(manifest.error, line);
});

test("staging gone during the first target: the targets after it are not run, each saying why, and the run ends with the one line", async () => {
  const { run, manifest, url } = await runAndGate([...BEFORE, ...SHUT_DOWN, ...AFTER], "pw-desktop,se-desktop");
  assert.equal(run.code, 3, run.stdout + run.stderr);
  const line = `staging went away during the run: ${url} no longer answers (ECONNREFUSED); 1 scenario(s) failed for it`;
  assert.equal(run.stderr, `signoff: ${line}\n`);
  const se = manifest.targets.find((t: { name: string }) => t.name === "se-desktop");
  assert.deepEqual(
    { error: se.error, messages: se.messages, complete: se.complete },
    { error: `not run: staging ${url} no longer answers (ECONNREFUSED)`, messages: [], complete: false },
  );
  assert.doesNotMatch(run.stdout, /▶ se-desktop/, "no scenario ran on se-desktop");
  assert.match(run.stdout, /INCOMPLETE se-desktop +no results — not run: staging .* no longer answers/);
  assert.equal(manifest.complete, false);
});
