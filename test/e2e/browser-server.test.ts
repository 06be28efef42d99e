// End to end: a Playwright target whose browser is a separate Playwright browser server
// (chromium.launchServer in its own process, as on another machine), reached through its ws endpoint.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { join } from "node:path";
import { readMessagesFile } from "../../src/results/read-messages";
import { ROOT, runSignoff, tempDir } from "../helpers/cli";
import { killLeftovers, MARK_VAR, newMark, stopProcessGroup } from "../helpers/processes";

const CHROMIUM = process.env.SIGNOFF_CHROMIUM ?? "/usr/bin/chromium";

/** The server process: launches Chromium behind a ws endpoint, prints it, closes on SIGTERM. */
const SERVER_SCRIPT = `
const { chromium } = require("playwright-core");
const { HEADLESS_CHROMIUM_ARGS } = require("./src/browser/chromium-flags");
(async () => {
  const server = await chromium.launchServer({ executablePath: process.argv[1], args: HEADLESS_CHROMIUM_ARGS, host: "127.0.0.1", headless: true });
  process.stdout.write("WS " + server.wsEndpoint() + "\\n");
  const stop = () => server.close().finally(() => process.exit(0));
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
})().catch((err) => { console.error(err); process.exit(1); });
`;

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const port = (s.address() as AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

describe("signoff run through a Playwright browser server", () => {
  const dir = tempDir("signoff-bserver-");
  const mark = newMark();
  const reports = join(dir, "reports");
  const cfg = join(dir, "signoff.config.yaml");
  let server: ChildProcess;
  let ws = "";
  let run: Awaited<ReturnType<typeof runSignoff>>;

  before(async () => {
    server = spawn(process.execPath, ["--require", join(ROOT, "src", "register.js"), "-e", SERVER_SCRIPT, CHROMIUM], {
      cwd: ROOT,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, [MARK_VAR]: mark },
    });
    let out = "";
    ws = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ws endpoint within 60 s:\n${out}`)), 60_000);
      server.stdout!.on("data", (d) => {
        out += d;
        const m = /^WS (ws:\/\/\S+)$/m.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      });
      server.stderr!.on("data", (d) => (out += d));
      server.once("exit", (code) => reject(new Error(`the browser server exited (${code}):\n${out}`)));
    });
    writeFileSync(
      cfg,
      [
        "targets:",
        `  bs-desktop: { driver: playwright, device: Desktop Chrome, remote: "${ws}" }`,
        `  bs-pixel7: { driver: playwright, device: Pixel 7, remote: "${ws}" }`,
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
        "bs-desktop,bs-pixel7",
        "--reports",
        reports,
      ],
      {
        env: { [MARK_VAR]: mark },
      },
    );
  });

  after(async () => {
    if (server) await stopProcessGroup(server);
    assert.deepEqual(await killLeftovers(mark), []);
  });

  test("the server listens on 127.0.0.1", () => {
    assert.match(ws, /^ws:\/\/127\.0\.0\.1:\d+\//);
  });

  test("every scenario passes on both targets of the browser server", () => {
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /PASS\s+bs-desktop\s+2 passed, 0 failed/);
    assert.match(run.stdout, /PASS\s+bs-pixel7\s+3 passed, 0 failed/);
  });

  test("results name the target; run.json records the endpoint and the server's browser version", async () => {
    const phone = await readMessagesFile(join(reports, "messages", "bs-pixel7.ndjson"));
    assert.ok(phone.complete && phone.scenarios.every((s) => s.target === "bs-pixel7" && s.status === "passed"));
    const manifest = JSON.parse(readFileSync(join(reports, "run.json"), "utf8"));
    assert.equal(manifest.complete, true);
    for (const t of manifest.targets) {
      assert.equal(t.remote, ws);
      assert.match(t.browserVersion, /^chromium \d+\./);
    }
    assert.deepEqual(
      readdirSync(join(reports, "messages"))
        .filter((f) => f.endsWith(".ndjson"))
        .sort(),
      ["bs-desktop.ndjson", "bs-pixel7.ndjson"],
    );
  });
});

describe("an unreachable browser server", () => {
  test("is one line naming the endpoint, exit 3, before any scenario starts", async () => {
    const dir = tempDir("signoff-bserver-down-");
    const ws = `ws://127.0.0.1:${await freePort()}/0123456789abcdef`;
    const cfg = join(dir, "signoff.config.yaml");
    writeFileSync(cfg, `targets:\n  bs-desktop: { driver: playwright, device: Desktop Chrome, remote: "${ws}" }\n`);
    const r = await runSignoff([
      "run",
      "features/visitor-counter.feature",
      "--config",
      cfg,
      "--targets",
      "bs-desktop",
      "--reports",
      join(dir, "reports"),
    ]);
    assert.equal(r.code, 3, r.stdout + r.stderr);
    assert.equal(
      r.stderr,
      `signoff: Playwright browser server ${ws} (target bs-desktop) is unreachable: ECONNREFUSED\n`,
    );
    assert.doesNotMatch(r.stdout, /▶ bs-desktop/);
  });
});
