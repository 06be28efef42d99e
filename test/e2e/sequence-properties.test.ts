// End to end: a sequence property written only with generic steps finds a bug that no single action shows,
// shrinks it to the shortest sequence, prints it as Gherkin, stores it and replays it — on both drivers; the fixed app passes.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { join } from "node:path";
import { startApp, type RunningApp } from "../../src/runner/staging";
import { ROOT, runSignoff, tempDir, type CliResult } from "../helpers/cli";
import { listenLocal } from "../helpers/listen";

const FEATURE = "test/fixtures/sequences/todo-list.feature";
const APP = join(ROOT, "examples", "todo-list", "server.js");
const work = tempDir("signoff-seq-e2e-");
const store = join(work, "counterexamples.json");
const env = { SIGNOFF_COUNTEREXAMPLES: store };

/** A hang guard only (a property with its shrinking can take minutes on a machine shared with other jobs). */
const RUN_TIMEOUT_MS = 400_000;

const show = (r: CliResult) => `exit ${r.code}\n${r.stdout}\n${r.stderr}`;

function lineOf(name: string): number {
  const i = readFileSync(join(ROOT, FEATURE), "utf8")
    .split("\n")
    .findIndex((l) => l.trim() === `Scenario: ${name}`);
  assert.ok(i >= 0, `no scenario "${name}" in ${FEATURE}`);
  return i + 1;
}
const COUNT = `${FEATURE}:${lineOf("The items-left number follows the list")}`;
const MODEL = `${FEATURE}:${lineOf("The list holds exactly what was added and not deleted")}`;

/** Every counterexample block Cucumber printed (one per failing target). */
function counterexamples(stdout: string): string[] {
  return [...stdout.matchAll(/ {9}Counterexample \(.*\):\n([\s\S]*?)\n\s+Failure:/g)].map((m) =>
    m[1].replace(/^\s+/gm, "").trim(),
  );
}

const MINIMAL = [
  /^When I type "\p{L}" into the field labelled "New to-do"$/u,
  /^And I press "Enter" in the field labelled "New to-do"$/,
  /^And I check the checkbox in the first list item$/,
  /^And I click the "Delete" button in the first list item$/,
  /^Then the number in the element with test id "items-left" should equal the count of checkboxes in the list named "To-dos" that are not checked$/,
];

describe("sequence properties on a to-do app", () => {
  let good: RunningApp;
  let defective: RunningApp;
  let deletesLast: RunningApp;
  before(async () => {
    good = await startApp(APP);
    defective = await startApp(APP, ["--defect", "count-drift"]);
    deletesLast = await startApp(APP, ["--defect", "delete-last"]);
  });
  after(async () => {
    await good?.stop();
    await defective?.stop();
    await deletesLast?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  let first: CliResult;
  test("finds the drift only a sequence shows, on Playwright and Selenium, shrunk to add → complete → delete", async () => {
    first = await runSignoff(
      [
        "run",
        COUNT,
        "--targets",
        "pw-desktop,se-desktop",
        "--base-url",
        defective.baseUrl,
        "--reports",
        join(work, "bad"),
      ],
      { env, timeoutMs: RUN_TIMEOUT_MS },
    );
    assert.equal(first.code, 1, show(first));
    assert.match(first.stdout, /FAIL\s+pw-desktop\s+0 passed, 1 failed/);
    assert.match(first.stdout, /FAIL\s+se-desktop\s+0 passed, 1 failed/);
    const found = counterexamples(first.stdout);
    assert.equal(found.length, 2, show(first));
    for (const c of found) {
      const lines = c.split("\n");
      assert.equal(lines.length, MINIMAL.length, c);
      lines.forEach((l, i) => assert.match(l, MINIMAL[i], c));
    }
    assert.match(first.stdout, /it shows -1/);
  });

  test("the counterexample is stored, and the printed replay command reproduces it", async () => {
    const data = JSON.parse(readFileSync(store, "utf8"));
    const [key] = Object.keys(data.properties);
    assert.match(key, /todo-list\.feature › The items-left number follows the list › these checks should hold/);
    // Run as printed: the line names the staging the case was found on.
    const m = /npx signoff run (\S+) --targets pw-desktop --base-url (\S+) --replay '?([^'\s]+)'?/.exec(first.stdout);
    assert.ok(m, first.stdout);
    assert.equal(m[2], defective.baseUrl);
    const r = await runSignoff(
      ["run", m[1], "--targets", "pw-desktop", "--base-url", m[2], "--replay", m[3], "--reports", join(work, "replay")],
      {
        env: { SIGNOFF_COUNTEREXAMPLES: "off" },
        timeoutMs: RUN_TIMEOUT_MS,
      },
    );
    assert.equal(r.code, 1, show(r));
    assert.match(r.stdout, /Property failed \(replayed\)/);
    const [replayed] = counterexamples(r.stdout);
    assert.equal(replayed, counterexamples(first.stdout)[0]);
  });

  test("a model of the list's items finds a Delete that removes another item: add, add, delete the first", async () => {
    const r = await runSignoff(
      ["run", MODEL, "--targets", "pw-desktop", "--base-url", deletesLast.baseUrl, "--reports", join(work, "model")],
      {
        env: { SIGNOFF_COUNTEREXAMPLES: "off" },
        timeoutMs: RUN_TIMEOUT_MS,
      },
    );
    assert.equal(r.code, 1, show(r));
    const [c] = counterexamples(r.stdout);
    const lines = c.split("\n");
    assert.equal(lines.length, 6, c);
    const added = [0, 2].map(
      // The first action's step is the When; the second action's, like every later step, an And.
      (i) =>
        new RegExp(
          `^${i === 0 ? "When" : "And"} I type "(\\p{L}{6,8})" into the field labelled "New to-do"$`,
          "u",
        ).exec(lines[i])?.[1],
    );
    assert.ok(added[0] && added[1], c);
    assert.equal(lines[4], `And I click the "Delete" button in the list item containing "${added[0]}"`);
    assert.match(
      lines[5],
      new RegExp(
        `^# list items in the list named "To-dos": the model expects 1 item\\(s\\) \\["${added[1]}"\\], the page shows 1 \\["${added[0]}"\\]`,
      ),
    );
  });

  test("the fixed app passes both, the stored case first, on both drivers", async () => {
    const r = await runSignoff(
      [
        "run",
        FEATURE,
        "--targets",
        "pw-desktop,se-desktop",
        "--base-url",
        good.baseUrl,
        "--reports",
        join(work, "good"),
      ],
      { env, timeoutMs: RUN_TIMEOUT_MS },
    );
    assert.equal(r.code, 0, show(r));
    assert.match(r.stdout, /trying 1 stored counterexample\(s\) first/);
    assert.match(r.stdout, /PASS\s+se-desktop\s+2 passed, 0 failed/);
  });
});

describe("sequence properties find a lost update with visitors at once", () => {
  const RACE = "test/fixtures/sequences/counter-race.feature";
  let good: RunningApp;
  let defective: RunningApp;
  before(async () => {
    good = await startApp(join(ROOT, "examples", "visitor-counter", "server.js"));
    defective = await startApp(join(ROOT, "examples", "visitor-counter-defective", "server.js"));
  });
  after(async () => {
    await good?.stop();
    await defective?.stop();
  });

  test("the defective counter loses a visit: the shrunk sequence is the one action, ending at its failed assertion", async () => {
    const r = await runSignoff(
      ["run", RACE, "--targets", "pw-desktop", "--base-url", defective.baseUrl, "--reports", join(work, "race-bad")],
      {
        env: { SIGNOFF_COUNTEREXAMPLES: "off" },
        timeoutMs: RUN_TIMEOUT_MS,
      },
    );
    assert.equal(r.code, 1, show(r));
    const [c] = counterexamples(r.stdout);
    const lines = c.split("\n");
    assert.match(lines[0], /^When I remember the number in the "Visitor count" status$/);
    assert.match(lines[1], /^And ([2-5]) visitors open "\/" at once$/);
    const n = Number(/^And (\d)/.exec(lines[1])![1]);
    assert.deepEqual(lines.slice(2), [
      "And I refresh the page",
      `And the number in the "Visitor count" status should have increased by ${n + 1}`,
    ]);
    assert.match(
      r.stdout,
      /should have increased by \d+" failed: expected [^\n]*"Visitor count"[^\n]* to show \d+ \(\d+ \+ \d\), it shows \d+/,
    );
  });

  test("the good counter counts every visit", async () => {
    const r = await runSignoff(
      ["run", RACE, "--targets", "pw-desktop", "--base-url", good.baseUrl, "--reports", join(work, "race-good")],
      {
        env: { SIGNOFF_COUNTEREXAMPLES: "off" },
        timeoutMs: RUN_TIMEOUT_MS,
      },
    );
    assert.equal(r.code, 0, show(r));
  });
});

describe("sequence properties on a page that loads its list after it loads", () => {
  const LATE = "test/fixtures/sequences/late-list.feature";
  const lateLine = (name: string) =>
    `${LATE}:${
      readFileSync(join(ROOT, LATE), "utf8")
        .split("\n")
        .findIndex((l) => l.trim() === `Scenario: ${name}`) + 1
    }`;
  /**
   * Shows "Loading…", then (600 ms later, from its API; 5 s on /?slow) the list; Refresh loads it again. /wobbly
   * and /wobbly-field answer 500 from their fourth visit (after the scenario's Given and two runs' starts),
   * /wobbly-first from its second.
   */
  const PAGE = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Things</title></head>
<body><h1>Things</h1><p id="state">Loading…</p><ul aria-label="Things"></ul><button>Refresh</button>
<label>Note <input name="note"></label>
<script>
const load = () => fetch("/api/things" + location.search).then((r) => r.json()).then((things) => {
  document.querySelector("ul").innerHTML = things.map((t) => "<li>" + t + "</li>").join("");
  document.getElementById("state").textContent = "Loaded";
});
window.addEventListener("load", load);
document.querySelector("button").onclick = load;
</script></body></html>`;
  let server: Server;
  let baseUrl = "";
  const visits: Record<string, number> = { "/wobbly": 0, "/wobbly-field": 0, "/wobbly-first": 0 };
  const lateStore = join(work, "late-counterexamples.json");
  before(async () => {
    server = createServer((req, res) => {
      if (req.url?.startsWith("/api/things")) {
        const timer = setTimeout(
          () => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(["Apple", "Pear"])),
          req.url.endsWith("?slow") ? 5000 : 600,
        );
        return void res.on("close", () => clearTimeout(timer));
      }
      if (req.url && req.url in visits && ++visits[req.url] > (req.url === "/wobbly-first" ? 1 : 3))
        return void res.writeHead(500).end("down");
      res.writeHead(200, { "content-type": "text/html", "cache-control": "no-store" }).end(PAGE);
    });
    baseUrl = `${await listenLocal(server)}/`;
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });
  const stored = () =>
    Object.keys((existsSync(lateStore) ? JSON.parse(readFileSync(lateStore, "utf8")) : {}).properties ?? {});

  test("the start model is read once the list has arrived: the property passes on both drivers, nothing stored", async () => {
    const r = await runSignoff(
      [
        "run",
        lateLine("The model of a list that arrives after the page loaded"),
        "--targets",
        "pw-desktop,se-desktop",
        "--base-url",
        baseUrl,
        "--reports",
        join(work, "late"),
      ],
      { env: { SIGNOFF_COUNTEREXAMPLES: lateStore }, timeoutMs: RUN_TIMEOUT_MS },
    );
    assert.equal(r.code, 0, show(r));
    assert.match(r.stdout, /PASS\s+pw-desktop\s+1 passed, 0 failed/);
    assert.match(r.stdout, /PASS\s+se-desktop\s+1 passed, 0 failed/);
    assert.deepEqual(stored(), [], "nothing stored");
  });

  test("a check wait shorter than the list takes to arrive names the wait and how to raise it, and is no counterexample", async () => {
    const r = await runSignoff(
      [
        "run",
        lateLine("A check wait shorter than the list takes to arrive"),
        "--targets",
        "pw-desktop",
        "--base-url",
        baseUrl,
        "--reports",
        join(work, "late-short"),
      ],
      { env: { SIGNOFF_COUNTEREXAMPLES: lateStore }, timeoutMs: RUN_TIMEOUT_MS },
    );
    assert.notEqual(r.code, 0, show(r));
    assert.match(
      r.stdout,
      /could not read the start page's list items in the list named "Things": the page was not quiet after \d+ ms; still in flight: GET http:\/\/127\.0\.0\.1:\d+\/api\/things\?slow; if the page is slow rather than stuck, raise the table's check wait \(200 ms\): \| check wait \| 3 s \|/,
      show(r),
    );
    assert.doesNotMatch(r.stdout, /Counterexample/, show(r));
    assert.deepEqual(stored(), [], "nothing stored");
  });

  test("a start page that fails at a run's start stops the property, no counterexample: as a Given at the first run, the product's after passing runs", async () => {
    const r = await runSignoff(
      [
        "run",
        lateLine("A start page that fails after two runs"),
        lateLine("A field's start page that fails after two runs"),
        lateLine("A start page that fails at the first run"),
        "--targets",
        "pw-desktop",
        "--base-url",
        baseUrl,
        "--reports",
        join(work, "wobbly"),
      ],
      { env: { SIGNOFF_COUNTEREXAMPLES: lateStore }, timeoutMs: RUN_TIMEOUT_MS },
    );
    assert.notEqual(r.code, 0, show(r));
    const url = (page: string) => `http://127\\.0\\.0\\.1:\\d+/${page}`;
    for (const page of ["wobbly", "wobbly-field"])
      assert.match(
        r.stdout,
        new RegExp(
          `PropertyAssertionError: staging error: GET ${url(page)} answered 500 \\(StagingServerError\\) — the property ` +
            `stopped after 2 passing run\\(s\\): a run's start failed before it used its generated value, where every ` +
            `earlier run's start passed: an earlier run's value may have left staging so \\(no counterexample; nothing ` +
            `shrunk or stored\\)`,
        ),
        show(r),
      );
    assert.match(
      r.stdout,
      new RegExp(
        `StagingServerError: staging error: GET ${url("wobbly-first")} answered 500 — the property stopped at its first ` +
          `run's start, before the run used its value \\(no counterexample; nothing shrunk or stored\\)`,
      ),
      show(r),
    );
    assert.doesNotMatch(r.stdout, /Counterexample/, show(r));
    assert.deepEqual(
      visits,
      { "/wobbly": 4, "/wobbly-field": 4, "/wobbly-first": 2 },
      "no visit after the failed start: nothing shrunk",
    );
    assert.deepEqual(stored(), [], "nothing stored");
  });

  test("a field or counter named wrong stops the property at its first run's start with the locator's error (a test defect), a counter showing no number with an assertion's (a product defect), as ordinary steps would: no counterexample", async () => {
    const r = await runSignoff(
      [
        "run",
        lateLine("A field named wrong"),
        lateLine("A counter named wrong"),
        lateLine("A counter that shows no number"),
        "--targets",
        "pw-desktop",
        "--base-url",
        baseUrl,
        "--reports",
        join(work, "named-wrong"),
      ],
      { env: { SIGNOFF_COUNTEREXAMPLES: lateStore }, timeoutMs: RUN_TIMEOUT_MS },
    );
    assert.equal(r.code, 1, show(r));
    for (const what of ['the field labelled "Not a field"', 'the status named "Visits"'])
      assert.match(
        r.stdout,
        new RegExp(
          `LocatorTimeoutError: [^\\n]*${what.replace(/"/g, '"')}[^\\n]* — the property stopped at its first run's start, ` +
            `before the run used its value \\(no counterexample; nothing shrunk or stored\\)`,
        ),
        show(r),
      );
    // An element that is there but shows no number is the product's answer, as for the number steps.
    assert.match(
      r.stdout,
      / AssertionError: expected a number in the list named "Things" \(waited \d+ ms\) — the property stopped at its first run's start/,
      show(r),
    );
    assert.doesNotMatch(r.stdout, /Counterexample/, show(r));
    assert.deepEqual(stored(), [], "nothing stored");
    const results = readFileSync(join(work, "named-wrong", "messages", "pw-desktop.ndjson"), "utf8");
    assert.equal(
      (results.match(/"type":"LocatorTimeoutError"/g) ?? []).length,
      2,
      "both keep the locator's error type",
    );
    assert.equal((results.match(/"type":"SignoffAssertionError"/g) ?? []).length, 1, "the number steps' own type");
  });
});
