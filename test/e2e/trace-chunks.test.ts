// A Playwright scenario's trace chunk, started and discarded without waiting on the browser, still holds exactly its own actions.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { discoverBrowsers } from "../../src/browser/discovery";
import { launchPlaywrightDriver } from "../../src/browser/playwright";
import type { BrowserDriver } from "../../src/browser/session";
import { startPageServer, type PageServer } from "../conformance/server";

let server: PageServer;
let driver: BrowserDriver;
const dir = mkdtempSync(join(tmpdir(), "signoff-trace-test-"));

before(async () => {
  server = await startPageServer();
  driver = await launchPlaywrightDriver(
    { name: "pw-desktop", driver: "playwright", browser: "chromium", device: "Desktop Chrome" },
    {
      chromiumPath: discoverBrowsers().chromium?.path ?? "/usr/bin/chromium",
      timeouts: { actionTimeoutMs: 5000, navigationTimeoutMs: 15_000 },
    },
  );
});
after(async () => {
  await driver?.close();
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The trace's events (trace.trace inside the archive), read with the system's unzip. */
function traceEvents(zip: Buffer, name: string): Array<Record<string, unknown>> {
  const file = join(dir, `${name}.zip`);
  writeFileSync(file, zip);
  const out = spawnSync("unzip", ["-p", file, "trace.trace"], { encoding: "utf8", maxBuffer: 64 << 20 });
  assert.equal(out.status, 0, `unzip: ${out.stderr}`);
  return out.stdout
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

const calls = (events: Array<Record<string, unknown>>) =>
  events.filter((e) => e.type === "before").map((e) => `${String(e.method)} ${JSON.stringify(e.params ?? {})}`);

test("each kept chunk holds its scenario's actions from the first, none of the last scenario's or the reset's", async () => {
  const first = await driver.newSession();
  await first.tracing!.start("first scenario");
  await first.goto(server.pageUrl);
  await first.tracing!.stop(false);
  await first.close();

  for (const round of ["second", "third"]) {
    const s = await driver.newSession();
    await s.tracing!.start(`${round} scenario`); // a later chunk: not waited for
    await s.goto(`${server.widgetsUrl}?${round}`);
    assert.match(await s.bodyText(), /./);
    const zip = await s.tracing!.stop(true);
    await s.close();
    assert.ok(zip, "a kept chunk gives an archive");
    const events = traceEvents(zip, round);
    const seen = calls(events);
    assert.ok(
      seen.some((c) => c.startsWith("goto") && c.includes(`widgets.html?${round}`)),
      `the scenario's first action is recorded: ${seen.join(" | ")}`,
    );
    assert.ok(!seen.some((c) => c.includes("page.html")), `nothing from the first scenario: ${seen.join(" | ")}`);
    assert.ok(!seen.some((c) => /mouseMove|about:blank/.test(c)), `nothing from the reset: ${seen.join(" | ")}`);
    assert.ok(
      events.some((e) => e.type === "context-options" && e.title === `${round} scenario`),
      "the chunk carries its scenario's title",
    );
    assert.ok(!events.some((e) => e.type === "frame-snapshot"), "no DOM snapshots unless asked for");
  }
});
