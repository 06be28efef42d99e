// Fault tolerance end to end: broken staging, a dying browser, signals, full disks, retries — real processes.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { readMessagesFile } from "../../src/results/read-messages";
import { categorize } from "../../src/report/results";
import type { ScenarioResult } from "../../src/core/results-model";
import { runSignoff, startSignoff, tempDir } from "../helpers/cli";
import { startFaultyStaging, type FaultyStaging } from "../helpers/faulty-staging";
import { leftovers, MARK_VAR, markedProcesses, newMark } from "../helpers/processes";

const CONFIG = "test/fixtures/faults/signoff.config.yaml";
const POLICY = "test/fixtures/faults/gate.policy.yaml";
const ARTIFACT = `faulty@sha256:${"f".repeat(64)}`;

/** The gate's decision over a results dir: exit code and output, with a fresh key. */
async function gateOn(reports: string) {
  const keys = tempDir();
  const k = await runSignoff(["keygen", "--out", join(keys, "gate")]);
  assert.equal(k.code, 0, k.stderr);
  return runSignoff([
    "gate",
    "--artifact",
    ARTIFACT,
    "--key",
    join(keys, "gate.key"),
    "--policy",
    POLICY,
    "--features",
    "test/fixtures/faults",
    "--results",
    reports,
    "--out",
    join(keys, "verdict.intoto.jsonl"),
  ]);
}
const byName = (scenarios: ScenarioResult[]) => Object.fromEntries(scenarios.map((s) => [s.name, s]));

/** `signoff run` of one fault feature on one target against the faulty staging, its processes marked with `mark`. */
function runFault(feature: string, target: string, reports: string, mark: string, config = CONFIG) {
  const args = ["run", feature, "--config", config, "--targets", target, "--base-url", staging.baseUrl];
  return runSignoff([...args, "--reports", reports], { env: { [MARK_VAR]: mark } });
}

/** The file names attached to a scenario's attempt in a messages file. */
function attachmentsOf(messagesFile: string, scenario: ScenarioResult): string[] {
  const messages = readFileSync(messagesFile, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { attachment?: { fileName?: string; testCaseStartedId?: string } });
  return messages.flatMap((m) =>
    m.attachment?.fileName && m.attachment.testCaseStartedId === scenario.testCaseStartedId
      ? [m.attachment.fileName]
      : [],
  );
}

let staging: FaultyStaging;
before(async () => {
  staging = await startFaultyStaging();
});
after(() => staging.close());

describe("staging that fails mid-run", () => {
  for (const target of ["pw-desktop", "se-desktop"]) {
    test(`${target}: 5xx, dropped connections and hangs fail their scenarios as staging problems; the others pass`, async () => {
      const reports = tempDir();
      const mark = newMark();
      const r = await runFault("test/fixtures/faults/staging-faults.feature", target, reports, mark);
      assert.equal(r.code, 1, r.stdout + r.stderr);
      const results = await readMessagesFile(join(reports, "messages", `${target}.ndjson`));
      assert.ok(results.complete, "the run went on to the end");
      const s = byName(results.scenarios);
      assert.equal(s["A healthy page before the trouble"].status, "passed");
      assert.equal(s["A healthy page after the trouble"].status, "passed");
      assert.equal(s["A page that answers 500"].status, "failed");
      assert.match(
        s["A page that answers 500"].error!,
        /staging error: GET http:\/\/127\.0\.0\.1:\d+\/500 answered 500/,
      );
      assert.match(
        s["A page that drops the connection"].error!,
        /staging error: ERR_(EMPTY_RESPONSE|CONNECTION_RESET|CONNECTION_CLOSED)/,
      );
      assert.match(s["A page that never answers"].error!, /navigation timed out after 3000 ms/);
      // By type: the server answered 5xx, or staging could not be reached.
      assert.equal(s["A page that answers 500"].errorType, "StagingServerError");
      assert.equal(s["A page that drops the connection"].errorType, "StagingError");
      for (const name of ["A page that answers 500", "A page that drops the connection", "A page that never answers"]) {
        assert.equal(categorize(s[name]), "environment problem", name);
      }
      // The page that never answers keeps its evidence: the screenshot and source of what the browser shows.
      // (Playwright's page, left loading, had no document to read until the step's own timeout ended the hook.)
      const evidence = attachmentsOf(join(reports, "messages", `${target}.ndjson`), s["A page that never answers"]);
      for (const name of ["Screenshot at the failing step.png", "Page at the failing step.txt", "Page source.html"])
        assert.ok(evidence.includes(name), `${target}: ${name} missing from ${JSON.stringify(evidence)}`);
      assert.deepEqual(await leftovers(mark), []);
    });
  }
});

describe("a page whose own script never returns", () => {
  for (const target of ["pw-desktop", "se-desktop"]) {
    test(`${target}: the typing or click it holds fails as the product's, with its evidence; the next scenarios run`, async () => {
      const reports = tempDir();
      const mark = newMark();
      const r = await runFault("test/fixtures/faults/page-freezes.feature", target, reports, mark);
      assert.equal(r.code, 1, r.stdout + r.stderr);
      const messages = join(reports, "messages", `${target}.ndjson`);
      const results = await readMessagesFile(messages);
      assert.ok(results.complete, "the run went on to the end");
      const s = byName(results.scenarios);
      for (const frozen of ["The page freezes while a key is typed", "The page freezes on a click"]) {
        assert.equal(s[frozen].status, "failed", frozen);
        // Before: Cucumber's step timeout on Playwright; on Selenium every later scenario waited out its session limit.
        assert.equal(s[frozen].errorType, "PageNotAnsweringError", `${frozen}: ${s[frozen].error}`);
        assert.match(s[frozen].error!, /the page stopped answering: a script of its own kept its main thread busy/);
        assert.match(s[frozen].error!, /Signoff ended that script$/m, "the call got its answer once the script ended");
        assert.equal(categorize(s[frozen]), "product defect");
        // Its script ended, the page shows what it had: the failure keeps its screenshot.
        const evidence = attachmentsOf(messages, s[frozen]);
        assert.ok(evidence.includes("Screenshot at the failing step.png"), `${frozen}: ${JSON.stringify(evidence)}`);
      }
      assert.equal(s["The next scenario gets a working page"].status, "passed");
      assert.equal(s["The scenario after it gets a working page too"].status, "passed");
      // A synchronous request that never answers holds the main thread outside any script: nothing to end. On Selenium
      // chromedriver stays held, so the worker gives its browser up and the next scenario opens a new one.
      const held = s["The page holds its main thread outside a script"];
      assert.equal(held.errorType, "PageNotAnsweringError", held.error);
      assert.match(held.error!, /and the browser still did not answer/);
      assert.equal(s["The scenario after the held page gets a working page"].status, "passed");
      assert.deepEqual(await leftovers(mark), []);
    });

    test(`${target}: a page load a click or Enter starts waits up to the navigation timeout, not the action's`, async () => {
      // 12 s: longer than the action timeout (3 s) and the busy-page watch (2 × 5 s: the browser holds DevTools
      // commands to the page until the new document commits, and that held ping is no busy page).
      const reports = tempDir();
      const config = "test/fixtures/faults/slow-load.config.yaml";
      const r = await runFault("test/fixtures/faults/slow-load.feature", target, reports, newMark(), config);
      const { scenarios } = await readMessagesFile(join(reports, "messages", `${target}.ndjson`));
      assert.equal(scenarios.length, 3);
      // Before, Playwright's click and key press waited for the document they asked for only up to the action
      // timeout, and failed as a locator timeout ("to be clickable"); chromedriver waits for the load. A key with no
      // element (the keyboard's own press) did not wait at all: the next step read the page being left.
      for (const s of scenarios) assert.equal(s.status, "passed", `${s.name}: ${s.errorType}: ${s.error}`);
      assert.equal(r.code, 0, r.stdout + r.stderr);
    });

    test(`${target}: a page load a click or Enter starts that never ends fails as the navigation's timeout`, async () => {
      const reports = tempDir();
      const config = "test/fixtures/faults/hang-load.config.yaml"; // actionMs 2 s, navigationMs 5 s
      const r = await runFault("test/fixtures/faults/hang-load.feature", target, reports, newMark(), config);
      assert.equal(r.code, 1, r.stdout + r.stderr);
      const { scenarios } = await readMessagesFile(join(reports, "messages", `${target}.ndjson`));
      const s = byName(scenarios);
      for (const [name, path] of [
        ["A link to a page the server never answers", "/hang"],
        ["A form sent by Enter to a page the server never answers", "/hang?w="],
        ["Enter pressed in the focused field sends a form to a page the server never answers", "/hang?w="],
        ["Enter in the focused field moves the page by script to a page the server never answers", "/hang?by=key"],
      ]) {
        assert.equal(s[name]?.errorType, "NavigationTimeoutError", `${name}: ${s[name]?.error}`);
        // Waited for up to the navigation timeout, not the action's, and named by the page it asked for.
        const said = `navigation timed out after 5000 ms: ${new URL(path, staging.baseUrl).href} did not finish loading`;
        assert.equal(s[name].error!.split("\n")[0], `NavigationTimeoutError: ${said} (staging hangs?)`, name);
        assert.equal(categorize(s[name]), "environment problem");
      }
    });
  }
});

describe("a page that asks before it is left", () => {
  // Playwright only: on Selenium the page leaves whatever the session's prompt handling says, chromedriver lets it go
  // (docs/steps.md, "I accept the dialogs that open").
  test("pw-desktop: a key that sends its form, the prompt dismissed, leaves the step at once on the same page", async () => {
    const reports = tempDir();
    const config = "test/fixtures/faults/slow-load.config.yaml"; // navigationMs 25 s: a wait for it fails the step
    const r = await runFault("test/fixtures/faults/guarded-leave.feature", "pw-desktop", reports, newMark(), config);
    const { scenarios } = await readMessagesFile(join(reports, "messages", "pw-desktop.ndjson"));
    assert.equal(scenarios.length, 1);
    assert.equal(scenarios[0].status, "passed", `${scenarios[0].errorType}: ${scenarios[0].error}`);
    assert.equal(r.code, 0, r.stdout + r.stderr);
  });
});

describe("a browser killed mid-scenario", () => {
  for (const target of ["pw-desktop", "se-desktop"]) {
    test(`${target}: that scenario fails as "browser crashed", a new browser runs the next one`, async () => {
      const reports = tempDir();
      const mark = newMark();
      const run = startSignoff(
        [
          "run",
          "test/fixtures/faults/browser-dies.feature",
          "--config",
          CONFIG,
          "--targets",
          target,
          "--base-url",
          staging.baseUrl,
          "--reports",
          reports,
        ],
        { env: { [MARK_VAR]: mark } },
      );
      await staging.requested("/kill-browser-now", run.done);
      // The main browser process (not its renderer/GPU helpers, not chromedriver), by its executable: a Cucumber
      // process's arguments name the target's browser too.
      const browsers = markedProcesses(mark).filter(
        (p) => /chrom(e|ium)/.test(basename(p.cmd.split(" ")[0])) && !/chromedriver|--type=/.test(p.cmd),
      );
      assert.ok(browsers.length > 0, "found the browser process");
      for (const b of browsers) process.kill(b.pid, "SIGKILL");
      const r = await run.done;
      assert.equal(r.code, 1, r.stdout + r.stderr);
      const s = byName((await readMessagesFile(join(reports, "messages", `${target}.ndjson`))).scenarios);
      assert.equal(s["The browser is killed while a step waits"].status, "failed");
      assert.match(s["The browser is killed while a step waits"].error!, /browser crashed/);
      assert.equal(categorize(s["The browser is killed while a step waits"]), "environment problem");
      assert.equal(s["The next scenario gets a fresh browser"].status, "passed");
      assert.deepEqual(await leftovers(mark), []);
    });
  }
});

describe("signals", () => {
  test("SIGINT (Ctrl+C): the running scenario is interrupted by it, results so far are kept, children stop, exit 130", async () => {
    const reports = tempDir();
    const mark = newMark();
    const run = startSignoff(
      [
        "run",
        "test/fixtures/faults/interrupt.feature",
        "--config",
        CONFIG,
        "--targets",
        "pw-desktop,pw-pixel7",
        "--base-url",
        staging.baseUrl,
        "--reports",
        reports,
      ],
      { env: { [MARK_VAR]: mark } },
    );
    await staging.requested("/hang", run.done);
    // Ctrl+C: the interrupted scenario names SIGINT, the signal the user sent, with no stack under it.
    run.child.kill("SIGINT");
    const r = await run.done;
    assert.equal(r.code, 130, r.stdout + r.stderr);
    assert.match(r.stderr, /SIGINT received/);

    const manifest = JSON.parse(readFileSync(join(reports, "run.json"), "utf8"));
    assert.equal(manifest.complete, false);
    assert.equal(manifest.interrupted.signal, "SIGINT");
    assert.deepEqual(
      manifest.targets.map((t: any) => [t.name, t.complete]),
      [
        ["pw-desktop", false],
        ["pw-pixel7", false],
      ],
    );
    const s = byName((await readMessagesFile(join(reports, "messages", "pw-desktop.ndjson"))).scenarios);
    assert.equal(s["Done before the signal"].status, "passed");
    assert.equal(s["Running when the signal comes"].status, "failed");
    assert.match(s["Running when the signal comes"].error!, /run interrupted by SIGINT/);
    assert.doesNotMatch(s["Running when the signal comes"].error!, /^\s+at /m);
    assert.equal(s["Never reached"].status, "skipped");
    assert.equal(existsSync(join(reports, "messages", "pw-pixel7.ndjson")), false, "no target starts after the signal");
    assert.deepEqual(await leftovers(mark), []);

    const gate = await gateOn(reports);
    assert.equal(gate.code, 1, gate.stdout + gate.stderr);
    assert.match(gate.stdout, /FAILED/);
    assert.match(gate.stdout, /the run was interrupted \(SIGINT/);
  });

  test("a second signal exits at once, still leaving an incomplete manifest and no processes", async () => {
    const reports = tempDir();
    const mark = newMark();
    const run = startSignoff(
      [
        "run",
        "test/fixtures/faults/interrupt.feature",
        "--config",
        CONFIG,
        "--targets",
        "pw-desktop",
        "--base-url",
        staging.baseUrl,
        "--reports",
        reports,
      ],
      { env: { [MARK_VAR]: mark } },
    );
    await staging.requested("/hang", run.done);
    run.child.kill("SIGINT");
    await new Promise((r) => setTimeout(r, 50));
    run.child.kill("SIGINT");
    const r = await run.done;
    assert.equal(r.code, 130);
    const manifest = JSON.parse(readFileSync(join(reports, "run.json"), "utf8"));
    assert.equal(manifest.complete, false);
    assert.equal(manifest.interrupted.signal, "SIGINT");
    assert.deepEqual(await leftovers(mark), []);
  });
});

describe("staging unreachable at start", () => {
  test("exit 3, a run.json that says why, and the gate reads it as FAIL", async () => {
    const reports = tempDir();
    const closed = await staging.close().then(() => staging.baseUrl);
    try {
      const r = await runSignoff([
        "run",
        "test/fixtures/faults/interrupt.feature",
        "--targets",
        "pw-desktop",
        "--base-url",
        closed,
        "--reports",
        reports,
      ]);
      assert.equal(r.code, 3);
      assert.match(r.stderr, /^signoff: staging unreachable: GET http:\/\/127\.0\.0\.1:\d+\/ failed: ECONNREFUSED\n$/);
      const gate = await gateOn(reports);
      assert.equal(gate.code, 1, gate.stdout + gate.stderr);
      assert.match(gate.stdout, /the run reported an error: staging unreachable/);
    } finally {
      staging = await startFaultyStaging();
    }
  });
});

describe("reports that cannot be written", () => {
  test("a reports path that is not a directory: one line naming it, exit 3", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "file"), "");
    const reports = join(dir, "file", "reports");
    const r = await runSignoff(["run", "--targets", "pw-desktop", "--base-url", staging.baseUrl, "--reports", reports]);
    assert.equal(r.code, 3);
    assert.equal(r.stderr, `signoff: reports directory ${reports} is not writable: ENOTDIR\n`);
  });

  const root = process.getuid?.() === 0;
  test(
    "a full disk: a clear error naming the path, non-zero exit, never a pass",
    { skip: !root && "mounting a tiny tmpfs needs root" },
    async () => {
      const mnt = tempDir();
      execFileSync("mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", mnt]);
      try {
        // Leave a few hundred bytes: enough to start, not enough for the results.
        const filler = Buffer.alloc(1024, 1);
        mkdirSync(join(mnt, "reports"));
        try {
          for (let i = 0; i < 1000; i++) writeFileSync(join(mnt, `fill-${i}`), filler);
        } catch {
          // full
        }
        const r = await runSignoff([
          "run",
          "test/fixtures/faults/healthy.feature",
          "--targets",
          "pw-desktop",
          "--base-url",
          staging.baseUrl,
          "--reports",
          join(mnt, "reports"),
        ]);
        assert.notEqual(r.code, 0);
        assert.match(r.stderr, new RegExp(`${join(mnt, "reports").replace(/[/.]/g, "\\$&")}.*ENOSPC`));
      } finally {
        execFileSync("umount", [mnt]);
      }
    },
  );
});

describe("retries", () => {
  test("--retry: a scenario that passes on its second attempt is recorded as flaky", async () => {
    const reports = tempDir();
    const r = await runSignoff([
      "run",
      "test/fixtures/faults/flaky.feature",
      "--config",
      CONFIG,
      "--targets",
      "pw-desktop",
      "--base-url",
      staging.baseUrl,
      "--reports",
      reports,
      "--retry",
      "1",
    ]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    // The run's own summary says so: the gate fails a flaky scenario unless the policy allows it.
    assert.match(r.stdout, /PASS\s+pw-desktop\s+1 passed \(1 flaky: passed only on a retry\), 0 failed/);
    const [scenario] = (await readMessagesFile(join(reports, "messages", "pw-desktop.ndjson"))).scenarios;
    assert.equal(scenario.status, "passed");
    assert.equal(scenario.flaky, true);
    assert.equal(scenario.attempts, 2);
    assert.equal(categorize(scenario), "flaky");
  });
});
