// What a target's Cucumber process does before Cucumber loads: start the browser, and make step matching cheap.
import { markProcessStart } from "../core/phase-marks";
markProcessStart("cucumber");
import { prelaunchDriver } from "../browser/launch";
import { discoverBrowsers } from "../browser/discovery";
import { stagingAccessFor } from "../core/staging-access";
import { PRELAUNCH_ENV, type PrelaunchSpec } from "./staged";
import { useNativeMatchIndices } from "./native-match-indices";

// The browser starts while Cucumber and the support code load.
const prelaunch = process.env[PRELAUNCH_ENV];
if (prelaunch) {
  const spec = JSON.parse(prelaunch) as PrelaunchSpec;
  const found = discoverBrowsers(spec.browsers);
  prelaunchDriver(spec.target, {
    chromiumPath: found.chromium?.path,
    chromedriverPath: found.chromedriver?.path,
    timeouts: spec.timeouts,
    ...(spec.stagingAccess ? { stagingAccess: earlyAccess(spec.stagingAccess) } : {}),
  });
}

/**
 * The access the World will ask for. Unreadable here (the runner read it, so only a changed environment): none, so
 * the World's own launch, which reads it again, fails with the one line that says why.
 */
function earlyAccess(a: NonNullable<PrelaunchSpec["stagingAccess"]>) {
  try {
    return stagingAccessFor(a.config, a.source, a.baseUrl);
  } catch {
    return undefined;
  }
}

/**
 * Whether Cucumber's step matching uses the engine's own match indices (the polyfill it would pick costs
 * ≈ 0.5 s of CPU by the first scenario). Cucumber's `--parallel` workers are processes Cucumber forks
 * itself: they keep the polyfill.
 */
export const nativeMatchIndices = useNativeMatchIndices();
