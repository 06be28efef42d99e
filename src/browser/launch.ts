// Starts the right driver for a target: Playwright or Selenium, local or remote.
import type { TargetSpec } from "../config/types";
import type { BrowserDriver, SessionTimeouts } from "./session";

export interface LaunchOptions {
  chromiumPath?: string;
  chromedriverPath?: string;
  timeouts: SessionTimeouts;
}

export async function launchDriver(target: TargetSpec, opts: LaunchOptions): Promise<BrowserDriver> {
  if (target.driver === "playwright") {
    // require(), not import(): ts-node (CommonJS) must load the .ts module.
    const { launchPlaywrightDriver } = require("./playwright") as typeof import("./playwright");
    return launchPlaywrightDriver(target, { chromiumPath: opts.chromiumPath, timeouts: opts.timeouts });
  }
  // Loaded lazily so Playwright-only runs never load selenium-webdriver.
  const { launchSeleniumDriver } = require("./selenium") as typeof import("./selenium");
  return launchSeleniumDriver(target, {
    chromiumPath: opts.chromiumPath ?? "",
    chromedriverPath: opts.chromedriverPath ?? "",
    timeouts: opts.timeouts,
  });
}
