// What the runner and a target's Cucumber process say to each other when that process also does the preflight.
// Loaded by cucumber-main before Cucumber: types and names only.
import type { TargetSpec } from "../config/types";
import type { SessionTimeouts } from "../browser/session";
import type { StagingAccessConfig } from "../core/staging-access";

/** Set (to "1") when the process first runs the preflight's dry run, then waits for the real run's options over IPC. */
export const STAGED_ENV = "SIGNOFF_STAGED";
/** JSON PrelaunchSpec: start this browser as soon as the process starts. */
export const PRELAUNCH_ENV = "SIGNOFF_PRELAUNCH";

/** The browser a target's process starts at once: what its World would launch (browsers found as the runner finds them). */
export interface PrelaunchSpec {
  target: TargetSpec;
  /** The config's explicit paths; the process discovers the rest (src/browser/discovery.ts). */
  browsers: { chromiumPath?: string; chromedriverPath?: string };
  timeouts: SessionTimeouts;
  /** Config stagingAccess (variable names, never values) and the base URL its headers go to. */
  stagingAccess?: { config: StagingAccessConfig; source: string; baseUrl: string };
}

/** Cucumber process → runner. */
export type StagedMessage =
  /** The dry run finished; findings: what its formatter printed (preflight-formatter.ts), "" if nothing. */
  | { kind: "preflight-done"; findings: string }
  /** Cucumber could not start (a step file that does not load): the one line saying why. */
  | { kind: "setup-failed"; line: string };

/** Runner → Cucumber process: run for real, with these Cucumber options. */
export interface StagedRequest {
  argv: string[];
}
