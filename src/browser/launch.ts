// Starts the right driver for a target: Playwright or Selenium, local or remote; or hands over the one started early.
import type { TargetSpec } from "../config/types";
import type { BrowserDriver, SessionTimeouts } from "./session";
import { markPhase } from "../core/phase-marks";
import { startChromedriver } from "./chromedriver";
import type { StagingAccess } from "../core/staging-access";

export interface LaunchOptions {
  chromiumPath?: string;
  chromedriverPath?: string;
  timeouts: SessionTimeouts;
  /** Staging's headers, sent by the browser to staging's origin only (config stagingAccess). */
  stagingAccess?: StagingAccess;
}

/** A driver started before Cucumber asked for one, what it was started for, and when it no longer needs this thread. */
let early: { key: string; driver: Promise<BrowserDriver>; underway: Promise<void> } | undefined;

const nothing = (): void => undefined;

/** The longest prelaunchUnderway waits. */
const UNDERWAY_MAX_MS = 5_000;

const launchKey = (target: TargetSpec, opts: LaunchOptions) => JSON.stringify([target, opts]);

/**
 * Starts the browser now, while the process still loads Cucumber and the support code (start-up,
 * bench/RESULTS.md); the first launchDriver for the same target and options takes it over.
 */
export function prelaunchDriver(target: TargetSpec, opts: LaunchOptions): void {
  let requested: () => void = nothing;
  const sessionRequested = new Promise<void>((resolve) => {
    requested = () => {
      markPhase("cucumber", "browser session requested");
      resolve();
    };
  });
  const driver = startDriver(target, opts, requested);
  driver.catch(() => undefined); // a failed launch surfaces where the driver is first used, as without prelaunch
  // Bounded: a chromedriver that never answers must not hold the preflight's report back until its own timeout.
  const bound = new Promise<void>((resolve) => setTimeout(resolve, UNDERWAY_MAX_MS).unref());
  early = {
    key: launchKey(target, opts),
    driver,
    underway: Promise.race([sessionRequested, driver.then(nothing, nothing), bound]),
  };
}

/**
 * Resolves once the prelaunched driver's start no longer waits on this thread: a local Selenium session's
 * request has reached chromedriver (which then starts Chrome), a local Playwright launch has spawned Chromium
 * (Playwright prepares its directories asynchronously first). Until then the process should not load Cucumber:
 * module loading is synchronous, and would hold the request or the spawn back until it is done (bench/RESULTS.md).
 */
export function prelaunchUnderway(): Promise<void> {
  return early?.underway ?? Promise.resolve();
}

/** Closes a prelaunched driver nobody took over (no scenario ran); its launch error, if any, is nobody's business. */
export async function closeUnusedPrelaunch(): Promise<void> {
  const unused = early;
  early = undefined;
  await (await unused?.driver.catch(() => undefined))?.close();
}

export async function launchDriver(target: TargetSpec, opts: LaunchOptions): Promise<BrowserDriver> {
  const taken = early;
  early = undefined;
  if (taken?.key === launchKey(target, opts)) return taken.driver;
  await (await taken?.driver.catch(() => undefined))?.close();
  return startDriver(target, opts);
}

/** `requested` is given for a driver started early: called once its start no longer needs this thread. */
async function startDriver(target: TargetSpec, opts: LaunchOptions, requested?: () => void): Promise<BrowserDriver> {
  markPhase("cucumber", "browser launch started");
  const driver = await driverFor(target, opts, requested);
  markPhase("cucumber", "browser launched");
  return driver;
}

function driverFor(target: TargetSpec, opts: LaunchOptions, requested?: () => void): Promise<BrowserDriver> {
  if (target.driver === "playwright") {
    // require(), not import(): ts-node (CommonJS) must load the .ts module.
    const { launchPlaywrightDriver } = require("./playwright") as typeof import("./playwright");
    return launchPlaywrightDriver(target, {
      chromiumPath: opts.chromiumPath,
      timeouts: opts.timeouts,
      onUnderway: requested,
      // Started early, the browser is up before the first scenario: its page can open meanwhile.
      firstPageEarly: requested !== undefined,
      stagingAccess: opts.stagingAccess,
    });
  }
  return launchSelenium(target, opts, requested ?? nothing);
}

async function launchSelenium(target: TargetSpec, opts: LaunchOptions, requested: () => void): Promise<BrowserDriver> {
  // A local chromedriver starts first: it gets ready while selenium-webdriver loads (≈ 0.25 s of CPU).
  const chromedriver = !target.remote && opts.chromedriverPath ? startChromedriver(opts.chromedriverPath) : undefined;
  chromedriver?.catch(() => undefined); // its error is the launch's, reported below
  try {
    // Loaded lazily so Playwright-only runs never load selenium-webdriver.
    const { launchSeleniumDriver } = require("./selenium") as typeof import("./selenium");
    return await launchSeleniumDriver(target, {
      chromiumPath: opts.chromiumPath ?? "",
      chromedriverPath: opts.chromedriverPath ?? "",
      chromedriver,
      onSessionRequested: requested,
      timeouts: opts.timeouts,
      stagingAccess: opts.stagingAccess,
    });
  } catch (err) {
    await (await chromedriver?.catch(() => undefined))?.stop(); // stopping twice is safe
    throw err;
  }
}
