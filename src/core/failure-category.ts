// Which part a failure is in — the product, the test, or the environment — from the failing step's error type, never its message.
import type { ScenarioResult } from "./results-model";

export type FailureCategory = "product defect" | "test defect" | "environment problem";
export type Category = FailureCategory | "flaky";

/**
 * Error types (Cucumber's exception.type: the thrown value's class name) that say the environment, not the
 * product or the test, failed: staging unreachable or erroring, a page load that never finished, the browser or
 * its driver session gone, the run interrupted.
 */
export const ENVIRONMENT_ERROR_TYPES: ReadonlySet<string> = new Set([
  "StagingError",
  "StagingServerError",
  "NavigationTimeoutError",
  "BrowserCrashedError",
  "RunInterruptedError",
  "EnvironmentError",
  // A remote end that passes no DevTools command through cannot read cookies by URL (src/browser/session.ts).
  "CookiesUnavailableError",
  // A remote end whose browser keeps its downloads on its own machine and reports none (src/browser/session.ts).
  "DownloadsUnavailableError",
  // The drivers' own types for a browser or session that is gone, should one reach a step untranslated.
  "TargetClosedError",
  "NoSuchSessionError",
  "SessionNotCreatedError",
]);

/**
 * Error types of a server that answered, but with a 5xx. In an ordinary scenario that is staging failing (an
 * environment problem, above); inside a property, where the input is generated, it is the product failing on that
 * input: a counterexample (src/properties/errors.ts, isProductFailure).
 */
export const SERVER_ERROR_TYPES: ReadonlySet<string> = new Set(["StagingServerError"]);

/**
 * Error types that say the product does not do what the scenario says (besides every "…AssertionError"); a page
 * whose own script never gives its main thread back (src/browser/busy-page.ts) is the product failing too, and so is
 * an element the phrase names that the page keeps from use (hidden, disabled, covered: ElementNotUsableError).
 */
export const PRODUCT_ERROR_TYPES: ReadonlySet<string> = new Set([
  "SignoffAssertionError",
  "PageStatusError",
  "RedirectLoopError",
  "PageNotAnsweringError",
  "ElementNotUsableError",
]);

/**
 * The category of a failed step from its error type. An assertion — Signoff's SignoffAssertionError, or any
 * type named "…AssertionError" (node:assert's and chai's AssertionError, Jest's JestAssertionError, a property's
 * counterexample) — is a product defect; the environment's types above are an environment problem; every other
 * type is a test defect: an element not on the page (LocatorTimeoutError), a step Signoff cannot read
 * (TestDefinitionError), a bug in step code (TypeError …), and a plain Error, including Cucumber's own
 * step timeout ("function timed out"): Signoff's waits all end sooner with a typed error, so a step that
 * outlives the step timeout is step code that does not finish in time.
 */
export function categoryOfErrorType(type: string | undefined): FailureCategory {
  if (type !== undefined && ENVIRONMENT_ERROR_TYPES.has(type)) return "environment problem";
  if (type !== undefined && (PRODUCT_ERROR_TYPES.has(type) || type.endsWith("AssertionError"))) return "product defect";
  return "test defect";
}

/**
 * The error type a failed step is reported with when the page it failed on answered `status` (a form's POST, a link):
 * nothing on the page matching the phrase (LocatorTimeoutError, a test defect) on a page staging answered with a 5xx
 * is staging failing, as the same answer to `I open` is (StagingServerError); any other failure keeps its type, those
 * in the step's wording (an unreadable selector) included.
 */
export function typeOnAnsweredPage(type: string | undefined, status: number): string | undefined {
  return status >= 500 && type === "LocatorTimeoutError" ? "StagingServerError" : type;
}

/**
 * Whether a failed step of this type failed on what the page showed: a check (the product's types) or an element not
 * found (LocatorTimeoutError), whose cause the page's state may explain: staging that went away mid-scenario (a page
 * cut off leaves a counter stuck at 0, an element missing), a request never answered. Not a property's counterexample
 * (it names its own requests, and its shrinking asks staging itself before it blames the product), nor any test
 * defect of the step's own: a step Signoff cannot read (UnreadableSelectorError and the other TestDefinitionErrors)
 * or a bug in step code is wrong whatever the page does.
 */
export function failedOnWhatThePageShows(type: string | undefined): boolean {
  if (type === "PropertyAssertionError") return false;
  return type === "LocatorTimeoutError" || categoryOfErrorType(type) === "product defect";
}

/** A scenario's category: flaky, or, for one that did not pass, why it did not; undefined for a pass or a skip. */
export function categorize(s: Pick<ScenarioResult, "status" | "errorType" | "flaky">): Category | undefined {
  if (s.flaky) return "flaky";
  switch (s.status) {
    case "passed":
    case "skipped":
      return undefined;
    // Started but never finished, or never ran: the run was cut short under it.
    case "unknown":
      return "environment problem";
    // No step code to blame the product with: a step with no definition, two definitions, or marked pending.
    case "undefined":
    case "ambiguous":
    case "pending":
      return "test defect";
    case "failed":
      return categoryOfErrorType(s.errorType);
  }
}
