// What a target's Cucumber process does before Cucumber loads: start the browser, and make step matching cheap.
import { markProcessStart } from "../core/phase-marks";
markProcessStart("cucumber");
import { prelaunchDriver } from "../browser/launch";
import { discoverBrowsers } from "../browser/discovery";
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
  });
}

/**
 * Whether Cucumber's step matching uses the engine's own match indices (the polyfill it would pick costs
 * ≈ 0.5 s of CPU by the first scenario). Cucumber's `--parallel` workers are processes Cucumber forks
 * itself: they keep the polyfill.
 */
export const nativeMatchIndices = useNativeMatchIndices();
