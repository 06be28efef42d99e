// Built-in targets and defaults: what Signoff does with no config file at all.
import { DEFAULT_REQUIREMENT_TAG_PREFIX } from "../core/tags";
import type { SignoffConfig, TargetSpec } from "./types";

export const BUILTIN_TARGETS: Record<string, TargetSpec> = {
  "pw-desktop": { name: "pw-desktop", driver: "playwright", browser: "chromium", device: "Desktop Chrome" },
  "pw-pixel7": { name: "pw-pixel7", driver: "playwright", browser: "chromium", device: "Pixel 7" },
  "pw-iphone": { name: "pw-iphone", driver: "playwright", browser: "chromium", device: "iPhone 13" },
  "se-desktop": { name: "se-desktop", driver: "selenium", browser: "chromium", device: "Desktop Chrome" },
  "se-pixel7": { name: "se-pixel7", driver: "selenium", browser: "chromium", device: "Pixel 7" },
  "se-iphone": { name: "se-iphone", driver: "selenium", browser: "chromium", device: "iPhone 13" },
};

export function defaultConfig(): SignoffConfig {
  return {
    source: "(defaults)",
    buildEndpoint: "/__build",
    features: ["features/**/*.feature"],
    steps: ["steps/**/*.{ts,js,cjs,mjs}"],
    reportsDir: "reports",
    targets: { ...BUILTIN_TARGETS },
    defaultTargets: ["pw-desktop", "pw-pixel7", "se-desktop", "se-pixel7"],
    timeouts: { stepMs: 30_000, actionMs: 5_000, navigationMs: 15_000 },
    requirementTagPrefix: DEFAULT_REQUIREMENT_TAG_PREFIX,
    links: {},
    properties: { runs: 25 },
    pageHealth: {},
  };
}
