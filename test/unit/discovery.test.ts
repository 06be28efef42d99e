// Browser discovery finds Playwright's own Chromium where Playwright does, loads Playwright only when one may be there, and reports a set path that is not an executable.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, sep } from "node:path";
import { defaultPlaywrightRegistry, discoverBrowsers } from "../../src/browser/discovery";

const root = join(__dirname, "..", "..");

/** The environment without any variable that moves Playwright's registry, its cache in `cache`. */
function envWithCache(cache: string): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/playwright_browsers_path$/i.test(k)));
  return { ...env, XDG_CACHE_HOME: cache, SIGNOFF_CHROMIUM: "" };
}

/** Runs `script` (CommonJS, the checkout's sources loadable) in a fresh node; its stdout as JSON. */
function inChild(script: string, env: NodeJS.ProcessEnv): unknown {
  const out = spawnSync(process.execPath, ["-r", "./src/register.js", "-e", script], {
    cwd: root,
    env,
    encoding: "utf8",
  });
  assert.equal(out.status, 0, out.stderr);
  return JSON.parse(out.stdout);
}

const discoverInChild = `
  const found = require("./src/browser/discovery.ts").discoverBrowsers();
  const loaded = Object.keys(require.cache).some((f) => /playwright-core[\\\\/]lib/.test(f));
  process.stdout.write(JSON.stringify({ chromium: found.chromium ?? null, loaded }));`;

function withCache<T>(fn: (cache: string) => T): T {
  const cache = mkdtempSync(join(tmpdir(), "signoff-discovery-"));
  try {
    return fn(cache);
  } finally {
    rmSync(cache, { recursive: true, force: true });
  }
}

/** Where playwright-core itself says its Chromium is, with this environment. */
const playwrightSays = (env: NodeJS.ProcessEnv) =>
  inChild(`process.stdout.write(JSON.stringify(require("playwright-core").chromium.executablePath()))`, env) as string;

test("the default registry is where playwright-core looks for its Chromium", () =>
  withCache((cache) => {
    const env = envWithCache(cache);
    const registry = defaultPlaywrightRegistry(env);
    assert.ok(registry);
    assert.ok(playwrightSays(env).startsWith(`${registry}${sep}chromium`), playwrightSays(env));
  }));

test("a variable that may move the registry, or a relative cache, leaves the answer to Playwright", () => {
  for (const moved of [
    "PLAYWRIGHT_BROWSERS_PATH",
    "npm_config_playwright_browsers_path",
    "npm_package_config_playwright_browsers_path",
  ])
    assert.equal(defaultPlaywrightRegistry({ [moved]: "/somewhere", XDG_CACHE_HOME: "/cache" }, "linux"), undefined);
  assert.equal(defaultPlaywrightRegistry({ XDG_CACHE_HOME: "relative/cache" }, "linux"), undefined);
  assert.equal(defaultPlaywrightRegistry({ XDG_CACHE_HOME: "/cache" }, "linux"), join("/cache", "ms-playwright"));
});

test("with no Chromium in Playwright's registry, discovery finds the system's without loading Playwright", () =>
  withCache((cache) => {
    mkdirSync(join(cache, "ms-playwright", "ffmpeg-1013"), { recursive: true });
    const got = inChild(discoverInChild, envWithCache(cache)) as {
      chromium: { source: string } | null;
      loaded: boolean;
    };
    assert.equal(got.loaded, false);
    assert.equal(got.chromium?.source, "system");
  }));

test("a Chromium in Playwright's registry is found, as Playwright names it", () =>
  withCache((cache) => {
    const env = envWithCache(cache);
    const executable = playwrightSays(env);
    mkdirSync(dirname(executable), { recursive: true });
    writeFileSync(executable, "#!/bin/sh\n");
    chmodSync(executable, 0o755);
    const got = inChild(discoverInChild, env) as { chromium: { path: string; source: string } | null; loaded: boolean };
    assert.deepEqual(got.chromium, { path: executable, source: "playwright" });
  }));

test("a path the config or the environment sets that is not an executable is reported, never silently replaced", () => {
  const dir = mkdtempSync(join(tmpdir(), "signoff-discovery-"));
  try {
    const notExecutable = join(dir, "chromedriver");
    writeFileSync(notExecutable, "");
    const found = discoverBrowsers(
      { chromedriverPath: notExecutable },
      { PATH: process.env.PATH, SIGNOFF_CHROMIUM: join(dir, "nope") },
    );
    assert.deepEqual(found.unusable, [
      { what: "chromium", setting: "SIGNOFF_CHROMIUM", path: join(dir, "nope") },
      { what: "chromedriver", setting: "chromedriverPath in the config", path: notExecutable },
    ]);
    // A directory is no executable either; an environment variable the config overrides is never used.
    assert.deepEqual(discoverBrowsers({ chromiumPath: dir }, { PATH: process.env.PATH }).unusable, [
      { what: "chromium", setting: "browserPath in the config", path: dir },
    ]);
    chmodSync(notExecutable, 0o755);
    assert.deepEqual(
      discoverBrowsers({ chromedriverPath: notExecutable }, { PATH: "", SIGNOFF_CHROMEDRIVER: "/old/chromedriver" })
        .unusable,
      [],
    );
    const fixed = discoverBrowsers({ chromedriverPath: notExecutable }, { PATH: process.env.PATH });
    assert.deepEqual(fixed.unusable, []);
    assert.deepEqual(fixed.chromedriver, { path: notExecutable, source: "config" });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
