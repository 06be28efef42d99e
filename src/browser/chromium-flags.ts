// Command-line flags for headless Chromium in CI: quiet on a closed network, no sandbox as root, no idle work.
export const HEADLESS_CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-dev-shm-usage",
];

/**
 * Chromium features Signoff turns off, on both drivers:
 * - the omnibox popup's WebUI: Chromium 15x preloads it even when headless, and that hidden page keeps 15–60 % of a
 *   core busy for as long as the browser runs: on a 2-core CI runner, work taken from every page load;
 * - RenderDocument (a new renderer frame for every cross-document navigation): the reset between scenarios leaves
 *   each page by navigating it to about:blank, so a scenario pays two navigations, and both are cheaper in the
 *   frame the page already has (a tenth to two fifths less CPU per scenario, measured on either driver; bench/RESULTS.md).
 */
export const SIGNOFF_DISABLED_FEATURES = [
  "WebUIOmniboxPopup",
  "WebUIOmniboxAimPopup",
  "WebUIOmniboxFullPopup",
  "RenderDocument",
];

/**
 * The `--disable-features` list playwright-core 1.65 passes. Chromium keeps only the last `--disable-features`
 * switch it is given (it does not merge them), and Playwright does not export its list, so the Playwright
 * adapter drops Playwright's switch and passes the union. test/e2e/chromium-flags.test.ts fails when a
 * Playwright upgrade changes the list (the browser then gets two switches).
 */
export const PLAYWRIGHT_DISABLED_FEATURES = [
  "AvoidUnnecessaryBeforeUnloadCheckSync",
  "DestroyProfileOnBrowserClose",
  "HttpsUpgrades",
  "HttpsFirstBalancedModeAutoEnable",
  "LensOverlay",
  "MediaRouter",
  "PaintHolding",
  "ThirdPartyStoragePartitioning",
  "AvoidCorsURLLoaderRestartOnRedirect",
  "TcpPortRandomizationWin",
  "OptimizationHints",
  "NetworkTimeServiceQuerying",
  "AimEnabled",
  "PreconnectToSearch",
  "msForceBrowserSignIn",
  "msEdgeUpdateLaunchServicesPreferredVersion",
];

export function disableFeaturesArg(features: readonly string[]): string {
  return `--disable-features=${features.join(",")}`;
}
