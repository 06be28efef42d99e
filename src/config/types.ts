// Shapes of the signoff configuration after validation (see src/config/schema.ts).

import type { BuildIdentity, DriverName } from "../core/manifest";
import type { StagingAccessConfig } from "../core/staging-access";

export type { BuildIdentity, DriverName, StagingAccessConfig };

/** A target = driver × browser × device (+ optional remote endpoint), named. */
export interface TargetSpec {
  name: string;
  driver: DriverName;
  browser: "chromium";
  /** A Playwright device descriptor name, e.g. "Desktop Chrome", "Pixel 7". */
  device: string;
  /** Selenium: a remote WebDriver / Grid URL. Playwright: a browser-server ws endpoint. */
  remote?: string;
  /**
   * How scenarios are kept apart (both start from a clean slate: no cookies, storage, cache or history).
   * "reset" (default): one context and page per worker, reset before each scenario (Selenium: a new tab).
   * "context" (Playwright only): a new browser context per scenario; stricter, and slower per scenario.
   */
  isolation?: "reset" | "context";
  /** Desktop viewport override (only for non-mobile devices). */
  viewport?: { width: number; height: number };
}

export interface Timeouts {
  /** Cucumber step timeout. */
  stepMs: number;
  /** Waiting for an element before acting on it. */
  actionMs: number;
  /** Page loads. */
  navigationMs: number;
}

export interface SignoffConfig {
  /** Where the file came from ("(defaults)" when none). */
  source: string;
  baseUrl?: string;
  /** Path on staging that answers the build identity: JSON {name, version, digest} or one line NAME[:VERSION]@sha256:HEX. */
  buildEndpoint: string;
  /** A path on staging the run GETs before any scenario instead of the base URL itself (which may serve nothing). */
  stagingProbe?: string;
  /** A response header of the base URL carrying NAME[:VERSION]@sha256:HEX; when set, used instead of buildEndpoint. */
  buildHeader?: string;
  /** Headers and basic auth sent to staging's origin only; their values come from environment variables (core/staging-access.ts). */
  stagingAccess?: StagingAccessConfig;
  features: string[];
  /** The project's own step and support files (globs relative to the project; .ts, .js, .cjs, .mjs). */
  steps: string[];
  /**
   * Modules loaded before the project's steps, e.g. a TypeScript loader. Undefined = ts-node
   * (transpile-only) when any step file is TypeScript; [] = none.
   */
  requireModule?: string[];
  reportsDir: string;
  targets: Record<string, TargetSpec>;
  defaultTargets: string[];
  timeouts: Timeouts;
  /** Explicit browser executable / chromedriver (else discovery). */
  browserPath?: string;
  chromedriverPath?: string;
  /** Tag prefix that marks requirements, e.g. "REQ-" for @REQ-COUNTER-1. */
  requirementTagPrefix: string;
  /** URL patterns for Allure links; "{id}" is replaced, e.g. https://tracker.example/{id} */
  links: { requirement?: string; issue?: string };
  /** timeBudgetMs absent: each property step gets a budget per run (src/properties/settings.ts). */
  properties: { runs: number; timeBudgetMs?: number; seed?: number };
  /** Fail every scenario whose page had these problems (off by default; the page health steps check on demand). */
  pageHealth: PageHealth;
}

/** Which page problems fail a scenario wherever they happen. */
export interface PageHealth {
  /** Uncaught exceptions in the page's scripts. */
  pageErrors?: boolean;
  /** console.error messages. */
  consoleErrors?: boolean;
  /**
   * Documents, scripts, styles, XHR/fetch that answered 4xx/5xx or did not load; `server-errors`: only those answered
   * 5xx (an app that answers a wrong password 401 or a form's bad input 400 on purpose).
   */
  failedRequests?: boolean | "server-errors";
}

/** What a cucumber worker is told through world parameters. */
export interface WorldParameters {
  baseUrl: string;
  target: TargetSpec;
  timeouts: Timeouts;
  browserPath?: string;
  chromedriverPath?: string;
  requirementTagPrefix: string;
  links: { requirement?: string; issue?: string };
  /** replay: `signoff run --replay <seed:path>` (property steps rerun exactly that case). */
  properties: { runs: number; timeBudgetMs?: number; seed?: number; replay?: string; bundledApp?: boolean };
  /** Optional so a World given partial parameters (plain cucumber-js) still works: absent = off. */
  pageHealth?: PageHealth;
  /**
   * The config's stagingAccess: variable names only. Each process reads the values from its own environment, so
   * no secret is ever on a command line (Cucumber's world parameters are one) or in a file.
   */
  stagingAccess?: StagingAccessConfig;
  /** The config file, for the one line that names a stagingAccess field. */
  configSource?: string;
}
