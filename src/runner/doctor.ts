// `signoff doctor`: says which browser and chromedriver a run would use, and can install them.
import { spawnSync } from "node:child_process";
import { discoverBrowsers, type Discovery } from "../browser/discovery";
import { loadConfig } from "../config/load";
import { EXIT } from "../core/errors";

function show(found: Discovery): boolean {
  const line = (what: string, f?: { path: string; source: string }) =>
    console.log(`  ${what.padEnd(13)} ${f ? `${f.path} (${f.source})` : "not found"}`);
  console.log("Browsers:");
  line("chromium", found.chromium);
  line("chromedriver", found.chromedriver);
  for (const u of found.unusable)
    console.log(`  ✗ ${u.setting} names ${u.path}, which is not an executable file: a run refuses it`);
  return Boolean(found.chromium && found.chromedriver) && found.unusable.length === 0;
}

function tryInstall(): void {
  console.log("Trying Playwright's installer: npx playwright-core install chromium");
  const pw = spawnSync(process.execPath, [require.resolve("playwright-core/cli"), "install", "chromium"], {
    stdio: "inherit",
    timeout: 300_000,
  });
  if (pw.status === 0 && discoverBrowsers().chromedriver) return;
  const isRoot = process.getuid?.() === 0;
  const hasApt = spawnSync("sh", ["-c", "command -v apt-get"]).status === 0;
  if (hasApt && isRoot) {
    console.log("Trying the OS package manager: apt-get install chromium chromium-driver");
    spawnSync("apt-get", ["update"], { stdio: "inherit" });
    spawnSync("apt-get", ["install", "-y", "chromium", "chromium-driver"], { stdio: "inherit" });
  } else {
    console.log(
      hasApt
        ? "Run as root: apt-get install -y chromium chromium-driver"
        : "Install Chromium/Chrome and a matching chromedriver with your package manager, or set SIGNOFF_CHROMIUM and SIGNOFF_CHROMEDRIVER",
    );
  }
}

export async function doctor(opts: { install?: boolean; config?: string }): Promise<number> {
  const config = loadConfig(opts.config);
  const explicit = { chromiumPath: config.browserPath, chromedriverPath: config.chromedriverPath };
  let ok = show(discoverBrowsers(explicit));
  if (!ok && opts.install) {
    tryInstall();
    ok = show(discoverBrowsers(explicit));
  }
  if (!ok)
    console.log("Missing pieces: run `signoff doctor --install`, or set SIGNOFF_CHROMIUM / SIGNOFF_CHROMEDRIVER.");
  return ok ? EXIT.ok : EXIT.environment;
}
