// The public API for a project's own steps: `import { Given, When, Then, type SignoffWorld } from "signoff"` (docs/api.md).
// Importing it has no side effects: the World, hooks and generic steps are loaded by the runner, not by this module.

/** Cucumber's step and hook functions: the same instance Signoff's runner uses, so the steps register where they run. */
export {
  Given,
  When,
  Then,
  Before,
  After,
  BeforeAll,
  AfterAll,
  BeforeStep,
  AfterStep,
  DataTable,
  defineParameterType,
} from "@cucumber/cucumber";

/** `this` in a step: `this.session` (the BrowserSession port), `this.resolveUrl(path)`, `this.target`, `this.parameters`. */
export type { SignoffWorld } from "./world";
export type {
  BrowserSession,
  ComboboxOptions,
  Cookie,
  CookieToSet,
  Download,
  DownloadContent,
  StorageArea,
  WebStorage,
  FieldValidity,
  Locator,
  Rect,
  SelectOption,
  SelectOptions,
  ViewportMetrics,
} from "./browser/session";
export {
  describeLocator,
  AmbiguousLocatorError,
  BrowserCrashedError,
  CookieRefusedError,
  CookiesUnavailableError,
  DownloadsUnavailableError,
  ElementLeftPageError,
  ElementNotUsableError,
  FieldValueRefusedError,
  FrameGoneError,
  InPageError,
  LocatorTimeoutError,
  NavigationTimeoutError,
  NoPageForStorageError,
  NotADropdownError,
  NotCheckableError,
  StagingError,
  StagingServerError,
  UnreadableSelectorError,
} from "./browser/session";
/** A page whose own script kept its main thread busy while a step waited on it (docs/report.md, "A page that stops answering"). */
export { PageNotAnsweringError } from "./browser/busy-page";
export type { AccessibilityAuditOptions, AccessibilityViolation } from "./core/accessibility";
export type { TargetSpec, Timeouts, WorldParameters } from "./config/types";
/** Throw SignoffAssertionError from a step when the product is wrong (a product defect); TestDefinitionError when the test cannot run as written (docs/report.md, "Categories"). */
export { SignoffAssertionError, TestDefinitionError } from "./core/errors";
/** Polls a probe until a condition holds or the timeout passes: the waiting rule every generic assertion uses. */
export { eventually } from "../steps/support/eventually";
/** Staging's access headers for a request to `url` (`this.stagingAccess`): empty for any origin but staging's. */
export { stagingHeadersFor, type StagingAccess } from "./core/staging-access";
/** Parses an element phrase as the generic steps read it (`the "Send" button`) into a Locator. */
export { parseElementPhrase } from "./core/element-phrase";
/** The attachment's media type by which a property step of your own tells the gate how many cases it ran (docs/api.md). */
export { PROPERTY_RUNS_MEDIA_TYPE } from "./core/results-model";
