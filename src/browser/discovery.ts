// Browser discovery: explicit path, then env override, then Playwright's own browsers, then the system's.
import { accessSync, constants, existsSync, readdirSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { delimiter, isAbsolute, join } from "node:path";

export interface Found {
  path: string;
  /** How it was found: "config", "SIGNOFF_CHROMIUM", "playwright", "system" */
  source: string;
}

export interface Discovery {
  chromium?: Found;
  chromedriver?: Found;
  /**
   * Paths the config or the environment names that are not executable files. Discovery goes on past them,
   * but a run refuses them (src/runner/run.ts): a user who set a path means that binary, not another one.
   */
  unusable: Array<{ what: "chromium" | "chromedriver"; setting: string; path: string }>;
}

/** An executable regular file (X_OK alone accepts a directory). */
function executable(p: string): boolean {
  try {
    accessSync(p, constants.X_OK);
    return statSync(p).isFile();
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

/**
 * Why a run that needs these binaries must not start: a set path that is not an executable file (one line),
 * or undefined. One wording for `signoff run` and for Cucumber's own CLI with Signoff's profile.
 */
export function unusableSetting(
  found: Discovery,
  needs: { chromium: boolean; chromedriver: boolean },
): string | undefined {
  const u = found.unusable.find((x) => needs[x.what]);
  return (
    u &&
    `${u.setting} names ${u.path}, which is not an executable file (fix or unset it to use the ${u.what} Signoff finds)`
  );
}

export function discoverBrowsers(
  explicit: { chromiumPath?: string; chromedriverPath?: string } = {},
  env = process.env,
): Discovery {
  const found: Discovery = { unusable: [] };
  const pick = (candidates: Array<[string | undefined, string]>): Found | undefined => {
    for (const [p, source] of candidates) if (p && executable(p)) return { path: p, source };
    return undefined;
  };
  const setBy = {
    config: "the config's",
    SIGNOFF_CHROMIUM: "SIGNOFF_CHROMIUM",
    SIGNOFF_CHROMEDRIVER: "SIGNOFF_CHROMEDRIVER",
  };
  // Only the setting discovery takes (the config's before the environment's): an old variable the config
  // overrides is never used, so it is no reason to refuse the run.
  const check = (what: "chromium" | "chromedriver", settings: Array<[string | undefined, keyof typeof setBy]>) => {
    const [p, source] = settings.find(([path]) => path) ?? [];
    if (p && source && !executable(p))
      found.unusable.push({
        what,
        path: p,
        setting:
          source === "config"
            ? `${what === "chromium" ? "browserPath" : "chromedriverPath"} in the config`
            : setBy[source],
      });
  };
  check("chromium", [
    [explicit.chromiumPath, "config"],
    [env.SIGNOFF_CHROMIUM, "SIGNOFF_CHROMIUM"],
  ]);
  check("chromedriver", [
    [explicit.chromedriverPath, "config"],
    [env.SIGNOFF_CHROMEDRIVER, "SIGNOFF_CHROMEDRIVER"],
  ]);
  // Playwright's registry is asked only when nothing before it answers (loading playwright-core costs ≈ 0.6 s).
  found.chromium =
    pick([
      [explicit.chromiumPath, "config"],
      [env.SIGNOFF_CHROMIUM, "SIGNOFF_CHROMIUM"],
    ]) ??
    pick([
      [playwrightChromium(), "playwright"],
      [onPath(SYSTEM_CHROMIUM), "system"],
    ]);
  found.chromedriver = pick([
    [explicit.chromedriverPath, "config"],
    [env.SIGNOFF_CHROMEDRIVER, "SIGNOFF_CHROMEDRIVER"],
    [onPath(["chromedriver"]), "system"],
  ]);
  return found;
}

/**
 * Where Playwright keeps its browsers when no environment variable moves them (its registry's default,
 * test/unit/discovery.test.ts checks it against playwright-core); undefined when a variable may move them.
 */
export function defaultPlaywrightRegistry(env: NodeJS.ProcessEnv, platform = process.platform): string | undefined {
  if (Object.keys(env).some((k) => /playwright_browsers_path$/i.test(k))) return undefined;
  const cache =
    platform === "linux"
      ? env.XDG_CACHE_HOME || join(homedir(), ".cache")
      : platform === "darwin"
        ? join(homedir(), "Library", "Caches")
        : platform === "win32"
          ? env.LOCALAPPDATA || join(homedir(), "AppData", "Local")
          : undefined;
  // Playwright resolves a relative one against INIT_CWD: left to Playwright.
  return cache !== undefined && isAbsolute(cache) ? join(cache, "ms-playwright") : undefined;
}

/**
 * Playwright's own Chromium, if installed. Its registry puts Chromium in a `chromium…` directory of the
 * registry: where the default registry holds none, there is none, and playwright-core (≈ 0.6 s of CPU, the
 * longest part of a Selenium target's start-up) is not loaded to say so.
 */
function playwrightChromium(): string | undefined {
  const registry = defaultPlaywrightRegistry(process.env); // the environment Playwright itself reads
  if (registry !== undefined && !hasChromiumDirectory(registry)) return undefined;
  try {
    const path = (require("playwright-core") as typeof import("playwright-core")).chromium.executablePath();
    return path && existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

function hasChromiumDirectory(registry: string): boolean {
  try {
    return readdirSync(registry).some((name) => name.startsWith("chromium"));
  } catch (err) {
    // Only a registry that is not there is known to hold nothing; anything else is Playwright's to judge.
    return (err as NodeJS.ErrnoException).code !== "ENOENT" && (err as NodeJS.ErrnoException).code !== "ENOTDIR";
  }
}

/** The one line a user reads when there is no browser. */
export const NO_BROWSER_HELP =
  "no Chromium found: run `signoff doctor --install`, or install one (Debian/Ubuntu: apt-get install chromium chromium-driver), or set SIGNOFF_CHROMIUM=/path/to/chrome";
export const NO_CHROMEDRIVER_HELP =
  "no chromedriver found for the Selenium targets: run `signoff doctor --install` (Debian/Ubuntu: apt-get install chromium-driver), or set SIGNOFF_CHROMEDRIVER=/path/to/chromedriver";
