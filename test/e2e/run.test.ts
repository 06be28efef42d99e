// End to end: `signoff run` in real Chromium: a broken staging, odd feature paths and bad input.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { createServer as createHttpServer } from "node:http";
import { createServer, type AddressInfo } from "node:net";
import { join } from "node:path";
import { readMessagesFile } from "../../src/results/read-messages";
import { startApp, type RunningApp } from "../../src/runner/staging";
import { runSignoff, startSignoff, tempDir, ROOT } from "../helpers/cli";

// The happy path on the example app (exit 0, messages, run.json, results index, Allure) is checked on the
// default matrix's run in matrix.test.ts: one run of the example suite serves both.

describe("signoff run against a broken staging", () => {
  let app: RunningApp;
  before(async () => {
    app = await startApp(join(ROOT, "test", "fixtures", "broken-counter.js"));
  });
  after(() => app.stop());

  test("fails naming the failing step when the counter does not increment", async () => {
    const reports = tempDir();
    const r = await runSignoff([
      "run",
      "features/visitor-counter.feature",
      "--targets",
      "pw-desktop",
      "--base-url",
      app.baseUrl,
      "--reports",
      reports,
    ]);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /the number in the "Visitor count" status should have increased by 1/);
    assert.match(r.stdout, /to show 8 \(7 \+ 1\), it shows 7/);
    // The failure block says it once, with no attachment lines (those are in the report).
    assert.equal(r.stdout.match(/it shows 7/g)?.length, 1, r.stdout);
    assert.doesNotMatch(r.stdout, /Attachment \(/);
    assert.doesNotMatch(r.stdout, /bundled example app/, "staging was given");
    const results = await readMessagesFile(join(reports, "messages", "pw-desktop.ndjson"));
    const failed = results.scenarios.filter((s) => s.status === "failed");
    assert.deepEqual(
      failed.map((s) => s.requirements),
      [["REQ-COUNTER-2"]],
    );
    assert.equal(failed[0].failedStep, 'the number in the "Visitor count" status should have increased by 1');
  });

  test("with no base URL, failures against the bundled example app end with a note that staging was never given", async () => {
    const dir = tempDir();
    mkdirSync(join(dir, "features"));
    writeFileSync(
      join(dir, "features", "mine.feature"),
      'Feature: Mine\n  Scenario: my shop\n    Given I open "/"\n    Then I should see "My own shop"\n',
    );
    const r = await runSignoff(["run", "--targets", "pw-desktop"], { cwd: dir });
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(
      r.stdout,
      /\nNote: no base URL was given, so this ran against Signoff's bundled example app \(http:\/\/127\.0\.0\.1:\d+\/\), not your staging: pass --base-url or set baseUrl in the config\nResults: /,
    );
  });

  test("a run into a used reports dir removes what the last run's results made, and moves its verdict aside", async () => {
    const reports = tempDir();
    const verdict = '{"payloadType":"application/vnd.in-toto+json","payload":"e30=","signatures":[]}\n';
    const made = ["summary.md", "junit.xml", "overview.html", "allure-report"];
    const plant = () => {
      writeFileSync(join(reports, "summary.md"), "## Signoff\n✅ all scenarios passed\n");
      writeFileSync(join(reports, "junit.xml"), '<testsuites tests="56" failures="0"/>\n');
      writeFileSync(join(reports, "overview.html"), "<p>PASSED</p>\n");
      mkdirSync(join(reports, "allure-report"), { recursive: true });
      writeFileSync(join(reports, "allure-report", "index.html"), "<p>PASSED</p>\n");
      writeFileSync(join(reports, "verdict.intoto.jsonl"), verdict);
    };
    const run = () =>
      runSignoff([
        "run",
        "features/visitor-counter.feature",
        "--targets",
        "pw-desktop",
        "--base-url",
        app.baseUrl,
        "--reports",
        reports,
      ]);
    // Not a dir a run wrote (no run.json): a folder's own summary.md and verdict are none of the run's business.
    plant();
    assert.equal((await run()).code, 1);
    for (const kept of made) assert.ok(existsSync(join(reports, kept)), `${kept} is kept`);
    // Now it is one: the next run clears what was made of it; every earlier verdict is kept, none replaced.
    for (let round = 1; round <= 2; round++) {
      plant();
      const r = await run();
      assert.equal(r.code, 1, r.stdout + r.stderr);
      for (const gone of [...made, "verdict.intoto.jsonl"])
        assert.equal(existsSync(join(reports, gone)), false, `${gone} is gone`);
      const moved = readdirSync(reports).filter((f) =>
        /^verdict\.intoto\.jsonl\.\d{4}-\d\d-\d\dT[\d-]+Z(-\d+)?$/.test(f),
      );
      assert.equal(moved.length, round, readdirSync(reports).join(", "));
      for (const f of moved) assert.equal(readFileSync(join(reports, f), "utf8"), verdict);
      assert.match(r.stdout, /The earlier run's verdict is now .*verdict\.intoto\.jsonl\.\d{4}-/);
    }
  });
});

describe("signoff run given a directory whose name looks like a file", () => {
  test("features.v2/ (and tmp.Ab12-like names) are read as directories: every scenario runs", async () => {
    // mkdtemp names it "features.v2-XXXXXX": an "extension" Cucumber alone would take for a file (EISDIR).
    const dir = mkdtempSync(join(tempDir(), "features.v2-"));
    copyFileSync(join(ROOT, "features", "visitor-counter.feature"), join(dir, "visitor-counter.feature"));
    const reports = tempDir();
    const r = await runSignoff(["run", dir, "--targets", "pw-desktop", "--reports", reports]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /PASS\s+pw-desktop\s+2 passed, 0 failed/);
  });
});

describe("signoff run with a scenario that has no steps", () => {
  test("Cucumber passes it; the run shows its target FAIL, exits 1, and the gate does not count it", async () => {
    const dir = tempDir();
    mkdirSync(join(dir, "features"));
    writeFileSync(
      join(dir, "features", "pay.feature"),
      [
        "Feature: Payments",
        "  @REQ-PAY-1",
        "  Scenario: The home page shows the visitor count",
        '    Given I open "/"',
        '    Then I should see the "Visitor count" status',
        "",
        "  @REQ-PAY-2",
        "  Scenario: Card payments are charged exactly once",
        "",
      ].join("\n"),
    );
    const r = await runSignoff(["run", "features", "--targets", "pw-desktop", "--reports", "reports"], { cwd: dir });
    assert.match(r.stdout, /2 scenarios \(2 passed\)/, "Cucumber's own count: it passed both");
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /FAIL\s+pw-desktop\s+1 passed, 0 failed, 1 other/);
    assert.match(
      r.stdout,
      /✗ features\/pay\.feature:8 Card payments are charged exactly once \(undefined\) — the scenario has no steps: it checks nothing/,
    );
    const keys = await runSignoff(["keygen", "--out", "gate"], { cwd: dir });
    assert.equal(keys.code, 0, keys.stdout + keys.stderr);
    writeFileSync(
      join(dir, "gate.policy.yaml"),
      "version: 1\nrequiredTargets: [pw-desktop]\nrequirements: all\nmaxAge: 24h\n",
    );
    const digest = JSON.parse(readFileSync(join(dir, "reports", "run.json"), "utf8")).build.digest;
    const gate = await runSignoff(
      [
        "gate",
        "--artifact",
        `registry.example/visitor-counter@${digest}`,
        "--key",
        "gate.key",
        "--features",
        "features",
      ],
      { cwd: dir },
    );
    assert.equal(gate.code, 1, gate.stdout + gate.stderr);
    assert.match(gate.stdout, /REQ-PAY-1\s+✓/);
    assert.match(gate.stdout, /REQ-PAY-2\s+\?/, "the requirement is not covered by a scenario that checks nothing");
    assert.match(
      gate.stdout,
      /scenario-undefined: 1 scenario\(s\) on required targets have undefined steps \(or none at all\): features\/pay\.feature:8 Card payments are charged exactly once — on pw-desktop — the scenario has no steps/,
    );
  });
});

/** A port nothing listens on: bound, then released. */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const port = (s.address() as AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

describe("signoff run with bad input", () => {
  test("an unknown target lists the known ones, exit 2", async () => {
    const r = await runSignoff(["run", "--targets", "pw-desktop,nokia-3310"]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /unknown target "nokia-3310"; known targets: pw-desktop, pw-pixel7/);
    const typo = await runSignoff(["run", "--targets", "pw-destkop"]);
    assert.equal(typo.code, 2);
    assert.match(
      typo.stderr,
      /^signoff: unknown target "pw-destkop" \(did you mean "pw-desktop"\?\); known targets: /m,
    );
  });

  test("a base URL without a scheme is a usage error naming the option, as a signoff: line, exit 2", async () => {
    const r = await runSignoff(["run", "--targets", "pw-desktop", "--base-url", "127.0.0.1:8080\u001b[2J"]);
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.match(
      r.stderr.split("\n")[0],
      /^signoff: option '--base-url <url>' argument '127\.0\.0\.1:8080\\x1b\[2J' is invalid\. --base-url must be an http:\/\/ or https:\/\/ URL/,
    );
    assert.doesNotMatch(r.stderr, /\u001b/, "the argument is shown, not obeyed by the terminal");
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  });

  test("a config's mistakes are named in one run, one line each at its file:line:col, exit 2, no stack trace", async () => {
    const dir = tempDir();
    const config = join(dir, "two-mistakes.yaml");
    writeFileSync(config, "timeouts:\n  actionMs: fast\ndefaultTargets: [se-dekstop]\n");
    const r = await runSignoff(["run", "--config", config]);
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.deepEqual(r.stderr.trim().split("\n"), [
      `signoff: ${config}:2:3: timeouts.actionMs: must be integer`,
      `signoff: ${config}:3:18: defaultTargets: unknown target "se-dekstop" (did you mean "se-desktop"?); known targets: pw-desktop, pw-pixel7, pw-iphone, se-desktop, se-pixel7, se-iphone`,
    ]);
  });

  test("a feature syntax error names file:line, exit 2, before any browser starts", async () => {
    const r = await runSignoff(["run", "test/fixtures/features/syntax-error.feature", "--targets", "pw-desktop"]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^signoff: test\/fixtures\/features\/syntax-error\.feature:5:\d+: /m);
    assert.match(
      r.stderr,
      /got 'This line is not Gherkin' \(a step line starts with Given, When, Then, And, But or \*;/,
    );
    assert.equal(r.stderr.trim().split("\n").length, 1, "one clear line");
  });

  test("a scenario whose keyword lacks its colon is refused naming its line, not run as if it were not there", async () => {
    const dir = tempDir();
    const feature = join(dir, "colon.feature");
    writeFileSync(feature, 'Feature: x\n  Scenario y\n    Given I open "/"\n\n  Scenario: z\n    Given I open "/"\n');
    const r = await runSignoff(["run", feature, "--targets", "pw-desktop", "--reports", join(dir, "reports")]);
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.equal(
      r.stderr.trim(),
      `signoff: ${feature}:2: "Scenario y" is read as description text, so its steps never run: a keyword takes a colon ("Scenario: y")`,
    );
  });

  test("an unknown step prints its snippet once, exit 2, no scenario run, no browser profile left behind", async () => {
    const profiles = () =>
      new Set(readdirSync(tmpdir()).filter((n) => n.startsWith("playwright_chromiumdev_profile-")));
    const before = profiles();
    const reports = tempDir();
    const r = await runSignoff([
      "run",
      "test/fixtures/features/undefined-step.feature",
      "--targets",
      "pw-desktop,pw-pixel7",
      "--reports",
      reports,
    ]);
    assert.equal(r.code, 2);
    const snippets = r.stdout.match(/Then\("the moon should be made of cheese"/g) ?? [];
    assert.equal(snippets.length, 1, r.stdout);
    // A typo of a step that exists gets no snippet to define it as written: its line names the step meant.
    assert.doesNotMatch(r.stdout, /shoud see/, r.stdout);
    // TypeScript a project's step file takes as it is: the import from signoff, `this` the World.
    assert.match(
      r.stdout,
      /^import \{ Then, type SignoffWorld \} from "signoff";\n\nThen\("the moon should be made of cheese", async function \(this: SignoffWorld\) \{$/m,
    );
    // The first target's process had started its browser early: it closes it (and its temp profile) when the
    // runner ends the run. It does so after the runner exits, so wait for it.
    const leftover = () => [...profiles()].filter((p) => !before.has(p));
    for (let i = 0; i < 100 && leftover().length > 0; i++) await new Promise((r) => setTimeout(r, 200));
    assert.deepEqual(leftover(), []);
    assert.match(
      r.stderr,
      /^signoff: test\/fixtures\/features\/undefined-step\.feature:5: the step "the moon should be made of cheese" is undefined$/m,
    );
    // A step a letter off one that exists names it.
    assert.match(
      r.stderr,
      /^signoff: test\/fixtures\/features\/undefined-step\.feature:6: the step "I shoud see "About"" is undefined \(did you mean "I should see \{string\}"\?\); no scenario was run/m,
    );
    assert.doesNotMatch(
      r.stdout,
      /1 scenario \(1 undefined\)/,
      "no dry-run summary contradicting 'no scenario was run'",
    );
    assert.equal(existsSync(join(reports, "run.json")), false);
  });

  test("a feature path that is neither a file nor a directory is one line, exit 2, before any browser starts", async () => {
    const reports = tempDir();
    const r = await runSignoff(["run", "features.v9", "--targets", "pw-desktop", "--reports", reports]);
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.equal(r.stderr, "signoff: features.v9: no such feature file or directory\n");
    assert.equal(existsSync(join(reports, "run.json")), false);
  });

  test("a lock file that is a FIFO or a link to /dev/zero is one line, exit 2, before any browser starts (the run hung at its end)", async () => {
    for (const [make, kind] of [
      [(lock: string) => execFileSync("mkfifo", [lock]), "a FIFO"],
      [(lock: string) => symlinkSync("/dev/zero", lock), "a device"],
    ] as const) {
      // The project's folder (the working directory) holds the lock file judgedBy binds the run to.
      const project = tempDir("signoff-lock-file-");
      make(join(project, "package-lock.json"));
      const reports = join(project, "reports");
      const feature = join(ROOT, "features", "visitor-counter.feature");
      const r = await runSignoff(["run", feature, "--targets", "pw-desktop", "--reports", reports], {
        cwd: project,
        timeoutMs: 60_000,
      });
      assert.equal(r.code, 2, r.stdout + r.stderr);
      assert.equal(r.stderr, `signoff: package-lock.json: the lock file is not a regular file (${kind})\n`);
      assert.equal(existsSync(reports), false, "the run did not start");
    }
  });

  test("no browser anywhere: doctor says so and a run stops before any scenario, exit 3", async () => {
    const noBrowsers = { PATH: tempDir("signoff-empty-path-"), SIGNOFF_CHROMIUM: "", SIGNOFF_CHROMEDRIVER: "" };
    const doctor = await runSignoff(["doctor"], { env: noBrowsers });
    assert.equal(doctor.code, 3);
    assert.match(doctor.stdout, /chromium\s+not found/);
    const reports = tempDir();
    const r = await runSignoff(
      ["run", "features/visitor-counter.feature", "--targets", "pw-desktop", "--reports", reports],
      { env: noBrowsers },
    );
    assert.equal(r.code, 3);
    assert.equal(
      r.stderr,
      "signoff: no Chromium found: run `signoff doctor --install`, or install one (Debian/Ubuntu: apt-get install chromium chromium-driver), or set SIGNOFF_CHROMIUM=/path/to/chrome\n",
    );
    assert.equal(existsSync(join(reports, "messages")), false, "nothing ran");
  });

  test("an unreachable --base-url is one line, exit 3, and a run.json saying why", async () => {
    const reports = tempDir();
    const url = `http://127.0.0.1:${await closedPort()}/`;
    const r = await runSignoff(["run", "--targets", "pw-desktop", "--base-url", url, "--reports", reports]);
    assert.equal(r.code, 3, r.stdout + r.stderr);
    assert.equal(r.stderr, `signoff: staging unreachable: GET ${url} failed: ECONNREFUSED\n`);
    const manifest = JSON.parse(readFileSync(join(reports, "run.json"), "utf8"));
    assert.equal(manifest.complete, false);
    assert.match(manifest.error, /ECONNREFUSED/);
  });

  test("an unreachable --base-url leaves an earlier run's results, report and verdict as they were: nothing ran", async () => {
    const reports = tempDir();
    const earlier: Record<string, string> = {
      "run.json": '{"schema":"signoff/run@1","runId":"earlier"}\n',
      "messages/pw-desktop.ndjson": '{"testRunFinished":{}}\n',
      "allure-results/a-result.json": "{}\n",
      "summary.md": "# all passed\n",
      "verdict.intoto.jsonl": "{}\n",
    };
    for (const [name, text] of Object.entries(earlier)) {
      mkdirSync(join(reports, name, ".."), { recursive: true });
      writeFileSync(join(reports, name), text);
    }
    const url = `http://127.0.0.1:${await closedPort()}/`;
    const r = await runSignoff(["run", "--targets", "pw-desktop", "--base-url", url, "--reports", reports]);
    assert.equal(r.code, 3, r.stdout + r.stderr);
    assert.equal(r.stderr, `signoff: staging unreachable: GET ${url} failed: ECONNREFUSED\n`);
    assert.match(r.stdout, /^Nothing ran: .* keeps the earlier run's results$/m);
    for (const [name, text] of Object.entries(earlier))
      assert.equal(readFileSync(join(reports, name), "utf8"), text, name);
    assert.deepEqual(readdirSync(reports).sort(), [
      "allure-results",
      "messages",
      "run.json",
      "summary.md",
      "verdict.intoto.jsonl",
    ]);
  });

  test("config stagingProbe: a base URL that serves nothing itself runs when the probed page answers", async () => {
    // The app lives under /app/ and serves only its pages: /app/ itself is a 404.
    const staging = createHttpServer((req, res) =>
      req.url === "/app/login"
        ? res.writeHead(200, { "content-type": "text/html" }).end("<!doctype html><title>Shop</title><h1>Sign in</h1>")
        : res.writeHead(404, { "content-type": "text/html" }).end("nope"),
    );
    await new Promise<void>((resolve) => staging.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(staging.address() as AddressInfo).port}/app/`;
    try {
      const dir = tempDir();
      writeFileSync(join(dir, "probe.yaml"), "stagingProbe: /app/login\n");
      writeFileSync(
        join(dir, "login.feature"),
        'Feature: Sign in\n  Scenario: The sign-in page\n    Given I open "/app/login"\n    Then I should see "Sign in"\n',
      );
      const args = ["run", join(dir, "login.feature"), "--targets", "pw-desktop", "--base-url", url];
      const r = await runSignoff([...args, "--config", join(dir, "probe.yaml"), "--reports", join(dir, "r1")]);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.match(r.stdout, /PASS +pw-desktop +1 passed, 0 failed/);
      // Without it, the same run stops before any scenario, saying what to set.
      const without = await runSignoff([...args, "--reports", join(dir, "r2")]);
      assert.equal(without.code, 3, without.stdout + without.stderr);
      assert.match(without.stderr, /answers 404 Not Found — .*set stagingProbe in the config/);
    } finally {
      staging.closeAllConnections();
      await new Promise((resolve) => staging.close(resolve));
    }
  });

  test("a --base-url that answers 404 is one line naming the URL and the status, exit 3, before any scenario", async () => {
    // A staging that is up, but not at this path: the app lives elsewhere (a wrong --base-url).
    const staging = createHttpServer((_req, res) => res.writeHead(404, { "content-type": "text/html" }).end("nope"));
    await new Promise<void>((resolve) => staging.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(staging.address() as AddressInfo).port}/app/`;
    try {
      const reports = tempDir();
      const r = await runSignoff(["run", "--targets", "pw-desktop", "--base-url", url, "--reports", reports]);
      assert.equal(r.code, 3, r.stdout + r.stderr);
      assert.equal(
        r.stderr,
        `signoff: staging ${url} answers 404 Not Found — is --base-url (or baseUrl in the config) right? (or set stagingProbe in the config to a page the app serves)\n`,
      );
      const manifest = JSON.parse(readFileSync(join(reports, "run.json"), "utf8"));
      assert.equal(manifest.complete, false);
      assert.match(manifest.error, /answers 404 Not Found/);
      const messages = join(reports, "messages");
      assert.deepEqual(existsSync(messages) ? readdirSync(messages) : [], [], "no scenario ran");
    } finally {
      staging.closeAllConnections();
      await new Promise((resolve) => staging.close(resolve));
    }
  });
});

describe("signoff run whose output's reader goes away (| head -1)", () => {
  test("a closed stdout is no failure: the scenarios pass, run.json is complete, exit 0", async () => {
    const reports = tempDir();
    // The bundled example app (no --base-url); stdout closed by the reader after the first line, as `head -1` does.
    const { child, done } = startSignoff([
      "run",
      "features/visitor-counter.feature",
      "--targets",
      "pw-desktop",
      "--reports",
      reports,
    ]);
    let first = "";
    const onData = (d: Buffer) => {
      first += d;
      if (!first.includes("\n")) return;
      child.stdout!.off("data", onData);
      child.stdout!.destroy();
    };
    child.stdout!.on("data", onData);
    const r = await done;
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.doesNotMatch(r.stderr, /EPIPE|internal error/);
    const results = await readMessagesFile(join(reports, "messages", "pw-desktop.ndjson"));
    assert.equal(results.complete, true);
    assert.deepEqual(results.scenarios.map((s) => [s.name, s.status]).sort(), [
      ["Refreshing the page increments the visitor count", "passed"],
      ["The counter displays in a browser", "passed"],
    ]);
    const manifest = JSON.parse(readFileSync(join(reports, "run.json"), "utf8"));
    assert.equal(manifest.complete, true, JSON.stringify(manifest.targets));
    assert.deepEqual(
      manifest.targets.map((t: { name: string; complete: boolean; exitCode: number; counts: object }) => [
        t.name,
        t.complete,
        t.exitCode,
        t.counts,
      ]),
      [["pw-desktop", true, 0, { passed: 2, failed: 0, other: 0 }]],
    );
  });
});
