// A browser started as a target's process starts is the one its World gets, only for the same target and options.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TargetSpec } from "../../src/config/types";
import { discoverBrowsers } from "../../src/browser/discovery";
import {
  closeUnusedPrelaunch,
  launchDriver,
  prelaunchDriver,
  prelaunchUnderway,
  type LaunchOptions,
} from "../../src/browser/launch";
import { prelaunchFor } from "../../src/runner/run";

const target: TargetSpec = { name: "pw-desktop", driver: "playwright", browser: "chromium", device: "Desktop Chrome" };
const timeouts = { stepMs: 30_000, actionMs: 5_000, navigationMs: 15_000 };
const found = discoverBrowsers();
const options: LaunchOptions = {
  chromiumPath: found.chromium?.path,
  chromedriverPath: found.chromedriver?.path,
  timeouts: { actionTimeoutMs: 5_000, navigationTimeoutMs: 15_000 },
};

/** How many browser launches this process started while `work` ran (its phase marks). */
async function launchesDuring(work: () => Promise<void>): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), "signoff-prelaunch-"));
  process.env.SIGNOFF_PHASES = join(dir, "phases.ndjson");
  try {
    await work();
    return readFileSync(process.env.SIGNOFF_PHASES, "utf8")
      .split("\n")
      .filter((l) => l.includes('"browser launch started"')).length;
  } finally {
    delete process.env.SIGNOFF_PHASES;
    rmSync(dir, { recursive: true, force: true });
  }
}

/** This process's children that are a Chromium Playwright drives (its DevTools pipe switch), from /proc. */
function playwrightChromiumChildren(): number[] {
  const children: number[] = [];
  for (const entry of readdirSync("/proc").filter((e) => /^\d+$/.test(e))) {
    try {
      // "pid (comm) state ppid …": comm may hold spaces and parentheses, so read after its last ")".
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      const args = readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0");
      if (ppid === process.pid && args.includes("--remote-debugging-pipe")) children.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return children;
}

/** Runs `work` with phase marks recorded; returns the marks' phases in order. */
async function phasesDuring(work: () => Promise<void>): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), "signoff-prelaunch-"));
  const file = join(dir, "phases.ndjson");
  process.env.SIGNOFF_PHASES = file;
  try {
    await work();
    return marksSoFar();
  } finally {
    delete process.env.SIGNOFF_PHASES;
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The phases recorded so far (inside phasesDuring). */
function marksSoFar(): string[] {
  return readFileSync(process.env.SIGNOFF_PHASES!, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => (JSON.parse(l) as { phase: string }).phase);
}

/** Resolves once the phases file has `phase` (the event it marks happened); rejects after `ms` without it. */
async function phaseReached(phase: string, ms: number): Promise<void> {
  const file = process.env.SIGNOFF_PHASES!;
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 50)))
    if (readFileSync(file, "utf8").includes(`"phase":"${phase}"`)) return;
  throw new Error(`no "${phase}" within ${ms} ms`);
}

test("a Playwright prelaunch is underway once Chromium's process exists, before the browser is connected", async () => {
  assert.ok(found.chromium, "no Chromium found");
  let atUnderway: string[] = [];
  await phasesDuring(async () => {
    prelaunchDriver(target, options);
    try {
      await prelaunchUnderway();
      // Cucumber's synchronous loading may start now: Chromium starts whatever this thread does.
      assert.equal(playwrightChromiumChildren().length, 1, "Chromium's process exists");
      atUnderway = marksSoFar();
    } finally {
      await closeUnusedPrelaunch();
    }
  });
  assert.deepEqual(atUnderway, ["browser launch started", "browser session requested"], "before it is connected");
  assert.deepEqual(playwrightChromiumChildren(), [], "closed unused, nothing is left");
});

test("a prelaunched Playwright browser opens the first page before the first session is asked for", async () => {
  assert.ok(found.chromium, "no Chromium found");
  const pixel: TargetSpec = { ...target, name: "pw-pixel7", device: "Pixel 7" };
  const phases = await phasesDuring(async () => {
    prelaunchDriver(pixel, options);
    const driver = await launchDriver(pixel, options);
    try {
      // Nobody asked for a session yet: the page opens by itself (a bound, not a timing claim: never otherwise).
      await phaseReached("first page open", 60_000);
      const session = await driver.newSession();
      // The page handed out is the emulated device's (the context was made for the target).
      const viewport = await session.viewport();
      assert.equal(viewport.devicePixelRatio, 2.625, "Pixel 7's pixel ratio");
      await session.close();
      await (await driver.newSession()).close(); // later sessions open as before
    } finally {
      await driver.close();
    }
  });
  assert.equal(phases.filter((p) => p === "first page open").length, 1);
});

test("a browser launched when asked for opens no page before its first session", async () => {
  assert.ok(found.chromium, "no Chromium found");
  const phases = await phasesDuring(async () => {
    const driver = await launchDriver(target, options);
    await (await driver.newSession()).close();
    await driver.close();
  });
  assert.equal(phases.indexOf("first page open"), -1);
});

test("a serial local target prelaunches what its World asks for; remote targets and workers do not", () => {
  const config = { timeouts, browserPath: "/opt/chrome", chromedriverPath: undefined };
  const spec = {
    target,
    browsers: { chromiumPath: "/opt/chrome", chromedriverPath: undefined },
    timeouts: options.timeouts,
  };
  assert.deepEqual(prelaunchFor(target, config, undefined), spec);
  assert.deepEqual(prelaunchFor(target, config, 1), spec);
  assert.equal(prelaunchFor(target, config, 2), undefined);
  assert.equal(prelaunchFor({ ...target, remote: "ws://127.0.0.1:9/" }, config, undefined), undefined);
});

test("the first launch for the same target and options takes the prelaunched browser over", async () => {
  assert.ok(found.chromium, "no Chromium found");
  const launches = await launchesDuring(async () => {
    prelaunchDriver(target, options);
    const driver = await launchDriver(target, structuredClone(options));
    try {
      assert.equal(driver.isDead(), false);
    } finally {
      await driver.close();
    }
  });
  assert.equal(launches, 1);
});

test("other options launch a new browser; the prelaunched one is not handed out", async () => {
  assert.ok(found.chromium, "no Chromium found");
  const launches = await launchesDuring(async () => {
    prelaunchDriver(target, options);
    const driver = await launchDriver(target, { ...options, timeouts: { ...options.timeouts, actionTimeoutMs: 1 } });
    await driver.close();
    await closeUnusedPrelaunch(); // nothing left to close: the mismatch closed it
  });
  assert.equal(launches, 2);
});

test("a prelaunch that fails fails the first launch with the same error, and closing it unused is quiet", async () => {
  const broken = { ...options, chromiumPath: "/nonexistent/chromium" };
  const direct = await launchDriver(target, broken).catch((e: Error) => e);
  assert.ok(direct instanceof Error);
  prelaunchDriver(target, broken);
  const taken = await launchDriver(target, broken).catch((e: Error) => e);
  assert.ok(taken instanceof Error);
  assert.equal(taken.constructor, direct.constructor);
  assert.equal(taken.message, direct.message);
  prelaunchDriver(target, broken);
  await closeUnusedPrelaunch();
});
