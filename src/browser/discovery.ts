// Browser discovery: explicit path, then env override, then Playwright's own browsers, then the system's.
import { accessSync, constants, existsSync } from "node:fs";
import { delimiter, join } from "node:path";
import { chromium } from "playwright-core";

export interface Found {
  path: string;
  /** How it was found: "config", "SIGNOFF_CHROMIUM", "playwright", "system" */
  source: string;
}

export interface Discovery {
  chromium?: Found;
  chromedriver?: Found;
}

function executable(p: string): boolean {
  try {
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(names: string[]): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    for (const n of names) {
      const p = join(dir, n);
      if (dir && executable(p)) return p;
    }
  }
  return undefined;
}

const SYSTEM_CHROMIUM = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"];

export function discoverBrowsers(
  explicit: { chromiumPath?: string; chromedriverPath?: string } = {},
  env = process.env,
): Discovery {
  const found: Discovery = {};
  const pick = (candidates: Array<[string | undefined, string]>): Found | undefined => {
    for (const [p, source] of candidates) if (p && executable(p)) return { path: p, source };
    return undefined;
  };
  let playwrightOwn: string | undefined;
  try {
    playwrightOwn = chromium.executablePath();
    if (!existsSync(playwrightOwn)) playwrightOwn = undefined;
  } catch {
    playwrightOwn = undefined;
  }
  found.chromium = pick([
    [explicit.chromiumPath, "config"],
    [env.SIGNOFF_CHROMIUM, "SIGNOFF_CHROMIUM"],
    [playwrightOwn, "playwright"],
    [onPath(SYSTEM_CHROMIUM), "system"],
  ]);
  found.chromedriver = pick([
    [explicit.chromedriverPath, "config"],
    [env.SIGNOFF_CHROMEDRIVER, "SIGNOFF_CHROMEDRIVER"],
    [onPath(["chromedriver"]), "system"],
  ]);
  return found;
}

/** The one line a user reads when there is no browser. */
export const NO_BROWSER_HELP =
  "no Chromium found: run `signoff doctor --install`, or install one (Debian/Ubuntu: apt-get install chromium chromium-driver), or set SIGNOFF_CHROMIUM=/path/to/chrome";
export const NO_CHROMEDRIVER_HELP =
  "no chromedriver found for the Selenium targets: run `signoff doctor --install` (Debian/Ubuntu: apt-get install chromium-driver), or set SIGNOFF_CHROMEDRIVER=/path/to/chromedriver";
