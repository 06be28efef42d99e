// A local chromedriver leads its own process group: stop() ends it (and whatever it started) without /proc.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { discoverBrowsers } from "../../src/browser/discovery";
import { firstRequestSentAgent, startChromedriver } from "../../src/browser/chromedriver";
import { killRecordedGroups } from "../../src/browser/process-groups";
import { groupWorker } from "../helpers/group-worker";
import { createServer, request } from "node:http";

const chromedriver = discoverBrowsers().chromedriver?.path;

async function status(url: string): Promise<number | string> {
  try {
    return (await fetch(`${url}/status`)).status;
  } catch (err) {
    return String((err as { cause?: { code?: string } }).cause?.code ?? err);
  }
}

/** The process group ids of the processes `ps` lists (POSIX ps, as on macOS). */
function groupOf(pid: number): string | undefined {
  try {
    return execFileSync("ps", ["-o", "pgid=", "-p", String(pid)], { encoding: "utf8" }).trim() || undefined;
  } catch {
    return undefined;
  }
}

test("chromedriver listens on 127.0.0.1 in a process group of its own; stop() ends it", async () => {
  assert.ok(chromedriver, "no chromedriver found (set chromedriverPath or install one)");
  const local = await startChromedriver(chromedriver);
  assert.match(local.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  assert.equal(await status(local.url), 200);
  const port = Number(new URL(local.url).port);
  // This test process's own children (pgrep -P works on Linux and macOS): never another run's chromedriver.
  const children = execFileSync("pgrep", ["-P", String(process.pid)], { encoding: "utf8" })
    .split("\n")
    .map((p) => p.trim())
    .filter(Boolean);
  const pid = Number(children.find((p) => groupOf(Number(p)) === p));
  assert.ok(pid > 0, "chromedriver leads its own process group");
  assert.notEqual(groupOf(pid), groupOf(process.pid));
  await local.stop();
  await local.stop();
  assert.equal(groupOf(pid), undefined, "chromedriver is gone");
  assert.notEqual(await status(`http://127.0.0.1:${port}`), 200);
});

test("an executable that is not chromedriver fails in one line, leaving nothing behind", async () => {
  await assert.rejects(
    startChromedriver("/nonexistent/chromedriver"),
    /^Error: chromedriver could not be started: spawn \/nonexistent\/chromedriver ENOENT$/,
  );
  await assert.rejects(startChromedriver("/bin/true"), /chromedriver exited before it was ready \(exit code 0\)/);
});

/**
 * A chromedriver stand-in that exits as chromedriver does when the IPv6 side of its port is taken, the first
 * `failures` times it is started (counted in a file), and is the real chromedriver after that.
 */
function flakyChromedriver(real: string, failures: number) {
  const dir = mkdtempSync(join(tmpdir(), "signoff-flaky-cd-"));
  const count = join(dir, "starts");
  writeFileSync(count, "");
  const script = join(dir, "chromedriver");
  writeFileSync(
    script,
    `#!/bin/sh
echo x >> '${count}'
if [ "$(wc -l < '${count}')" -le ${failures} ]; then
  echo "Starting ChromeDriver on port 0"
  echo "[1.2][SEVERE]: bind() failed: Address already in use (98)" >&2
  echo "IPv6 port not available. Exiting..."
  exit 1
fi
exec '${real}' "$@"
`,
  );
  chmodSync(script, 0o755);
  return {
    script,
    starts: () => readFileSync(count, "utf8").split("\n").filter(Boolean).length,
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

test("a chromedriver that exits before it is ready is started again; the last try's reason is the error", async () => {
  assert.ok(chromedriver, "no chromedriver found (set chromedriverPath or install one)");
  const once = flakyChromedriver(chromedriver, 1);
  const always = flakyChromedriver(chromedriver, 99);
  try {
    const local = await startChromedriver(once.script);
    try {
      assert.equal(await status(local.url), 200);
      assert.equal(once.starts(), 2);
    } finally {
      await local.stop();
    }
    await assert.rejects(
      startChromedriver(always.script),
      /^Error: chromedriver exited before it was ready \(exit code 1\): IPv6 port not available\. Exiting\.\.\. \/ \[1\.2\]\[SEVERE\]: bind\(\) failed: Address already in use \(98\)$/,
    );
    assert.equal(always.starts(), 3, "tried three times, no more");
  } finally {
    once.remove();
    always.remove();
  }
});

test("a worker killed with SIGKILL leaves its chromedriver recorded: the runner's killGroup ends it", async () => {
  assert.ok(chromedriver, "no chromedriver found (set chromedriverPath or install one)");
  const { spawnCucumberLike, registryOf } = await workerWithChromedriver(chromedriver);
  const recorded = readdirSync(registryOf).map(Number);
  assert.equal(recorded.length, 1, "the worker recorded the chromedriver group it started");
  assert.equal(groupOf(recorded[0]), String(recorded[0]), "chromedriver runs, leading its group");
  spawnCucumberLike.kill("SIGKILL"); // a worker that cannot clean up after itself
  await new Promise((r) => spawnCucumberLike.once("exit", r));
  assert.equal(groupOf(recorded[0]), String(recorded[0]), "a killed worker leaves chromedriver running");
  killRecordedGroups(registryOf);
  for (let i = 0; i < 50 && groupOf(recorded[0]) !== undefined; i++) await new Promise((r) => setTimeout(r, 100));
  assert.equal(groupOf(recorded[0]), undefined, "killRecordedGroups ended it");
});

/** A node process that starts chromedriver with the runner's registry set, as a Cucumber worker does. */
async function workerWithChromedriver(executable: string) {
  const { worker, registry } = await groupWorker(
    "browser/chromedriver.ts",
    `m.startChromedriver(${JSON.stringify(executable)})`,
  );
  return { spawnCucumberLike: worker, registryOf: registry };
}

test("the local chromedriver's agent says when the first request is written, before any answer, once", async () => {
  let sent = 0;
  let told!: () => void;
  const toldNow = new Promise<void>((r) => (told = r));
  // The server answers once the agent said the request was sent (without the call, after 10 s: the test fails).
  const givenUp = new Promise<void>((r) => setTimeout(r, 10_000).unref());
  const server = createServer((req, res) => void Promise.race([toldNow, givenUp]).then(() => res.end(req.url)));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const agent = firstRequestSentAgent(() => (sent++, told()));
  const get = (path: string) =>
    new Promise<string>((resolve, reject) => {
      const { port } = server.address() as { port: number };
      request({ host: "127.0.0.1", port, path, agent }, (res) => {
        let body = "";
        res.on("data", (d) => (body += d)).on("end", () => resolve(body));
      })
        .on("error", reject)
        .end();
    });
  try {
    assert.equal(await get("/session"), "/session");
    assert.equal(sent, 1);
    assert.equal(await get("/url"), "/url");
    assert.equal(sent, 1);
  } finally {
    agent.destroy();
    server.close();
  }
});
