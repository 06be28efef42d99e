// World parameters when Cucumber runs without Signoff's runner (`npx cucumber-js -p signoff`): the config's, filled in.
import type { SignoffConfig, TargetSpec, WorldParameters } from "./config/types";
import { BUNDLED_APP, startApp, type RunningApp } from "./runner/staging";
import type { Discovery } from "./browser/discovery";

// Only without Signoff's runner: a target's process given complete parameters never loads the config
// validator (Ajv, yaml) or Playwright's browser registry for them (start-up, bench/RESULTS.md).
const configLoader = () => require("./config/load") as typeof import("./config/load");
const discovery = () => require("./browser/discovery") as typeof import("./browser/discovery");

/** What a Cucumber profile may give: any subset, the target by name. */
export type GivenWorldParameters = Partial<Omit<WorldParameters, "target">> & {
  target?: TargetSpec | string;
  config?: string;
};

function isComplete(p: GivenWorldParameters | undefined): p is WorldParameters {
  return Boolean(p && typeof p.target === "object" && p.timeouts && p.baseUrl);
}

/**
 * Completed parameters by what was given (JSON): Cucumber gives every World its own copy of the same parameters, and
 * reading the config and looking for browsers again cost a millisecond or more per scenario.
 */
const completed = new Map<string, WorldParameters>();

/**
 * The runner's parameters as they are; otherwise the config's (signoff.config.yaml in the cwd, if any) with the given
 * ones on top, worked out once per process and given to each World as its own copy (as Cucumber gives parameters).
 */
export function completeWorldParameters(given: GivenWorldParameters | undefined): WorldParameters {
  if (isComplete(given)) return given;
  const key = JSON.stringify(given ?? null);
  let params = completed.get(key);
  if (!params) completed.set(key, (params = fromConfig(given)));
  return structuredClone(params);
}

function fromConfig(given: GivenWorldParameters | undefined): WorldParameters {
  const config: SignoffConfig = configLoader().loadConfig(given?.config);
  const name = typeof given?.target === "string" ? given.target : config.defaultTargets[0];
  const target = typeof given?.target === "object" ? given.target : config.targets[name];
  if (!target) throw new Error(`world parameters: ${configLoader().unknownTargets([name], config.targets)}`);
  const found: Discovery = target.remote
    ? { unusable: [] }
    : discovery().discoverBrowsers({ chromiumPath: config.browserPath, chromedriverPath: config.chromedriverPath });
  // A set path that is not an executable is still the one used, never another binary: its launch then fails
  // with one line naming it (BrowserStartError), not this constructor with a stack.
  const setButUnusable = (what: "chromium" | "chromedriver") => found.unusable.find((u) => u.what === what)?.path;
  return {
    baseUrl: given?.baseUrl ?? config.baseUrl ?? "",
    target,
    timeouts: { ...config.timeouts, ...given?.timeouts },
    browserPath: given?.browserPath ?? setButUnusable("chromium") ?? found.chromium?.path,
    chromedriverPath: given?.chromedriverPath ?? setButUnusable("chromedriver") ?? found.chromedriver?.path,
    requirementTagPrefix: given?.requirementTagPrefix ?? config.requirementTagPrefix,
    links: given?.links ?? config.links,
    properties: { ...config.properties, ...given?.properties },
    pageHealth: given?.pageHealth ?? config.pageHealth,
    ...(config.stagingAccess ? { stagingAccess: config.stagingAccess, configSource: config.source } : {}),
  };
}

let bundled: Promise<RunningApp> | undefined;

/** No base URL anywhere: the bundled example app, started once per process on first use. */
export async function ensureBaseUrl(params: WorldParameters): Promise<void> {
  if (params.baseUrl) return;
  bundled ??= startApp(BUNDLED_APP, [], {});
  params.baseUrl = (await bundled).baseUrl;
  // A new port every run: property steps' replay lines and stored cases name the bundled app, not this URL.
  params.properties = { ...params.properties, bundledApp: true };
}

export async function stopBundledApp(): Promise<void> {
  const app = await bundled?.catch(() => undefined);
  bundled = undefined;
  await app?.stop();
}
