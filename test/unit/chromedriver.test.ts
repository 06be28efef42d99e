// A local chromedriver leads its own process group: stop() ends it (and whatever it started) without /proc.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { discoverBrowsers } from "../../src/browser/discovery";
import { startChromedriver } from "../../src/browser/chromedriver";

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
