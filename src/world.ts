// The Cucumber World: one BrowserSession per scenario on the current target, one driver per worker.
import {
  After,
  AfterAll,
  AfterStep,
  Before,
  setDefaultTimeout,
  setWorldConstructor,
  Status,
  World,
  type IWorldOptions,
} from "@cucumber/cucumber";
import type { TestStepResult } from "@cucumber/messages";
import "allure-cucumberjs"; // installs the Allure runtime; without this import allure-js-commons calls do nothing
import * as allure from "allure-js-commons";
import type { WorldParameters } from "./config/types";
import { installInterruptHandlers, interruptedBy, interruptible, onInterrupt } from "./interruption";
import { launchDriver } from "./browser/launch";
import {
  BrowserCrashedError,
  PageStatusError,
  RedirectLoopError,
  StagingError,
  StagingServerError,
  type BrowserDriver,
  type BrowserSession,
} from "./browser/session";
import { BrowserStartError, EnvironmentError, TestDefinitionError } from "./core/errors";
import { stagingAccessFor, type StagingAccess } from "./core/staging-access";
import { browserStartFailedAgain, recordBrowserStartFailure } from "./core/browser-start";
import { ATTEMPT_LABEL, scenarioMetadata } from "./report/allure-labels";
import {
  collectEvidence,
  discardTrace,
  errorPageNote,
  serverErrorsNote,
  inFlightNote,
  startTrace,
  tracingWanted,
} from "./report/evidence";
import { withLineAfterMessage } from "./core/message-line";
import { failedOnWhatThePageShows, typeOnAnsweredPage } from "./core/failure-category";
import { connectionRefused } from "./core/connection-refused";
import { PropertyAssertionError } from "./properties/errors";
import { completeWorldParameters, ensureBaseUrl, stopBundledApp } from "./world-defaults";
import { collectEvery, fullGc, GC_EVERY_SCENARIOS } from "./world-gc";

/** The page-health settings steps read (steps import the World and the port, never config). */
export type { PageHealth } from "./config/types";

// Read at load time: Cucumber needs the step timeout before any world exists.
setDefaultTimeout(Number(process.env.SIGNOFF_STEP_TIMEOUT_MS ?? 30_000));

let driver: Promise<BrowserDriver> | undefined;

installInterruptHandlers();
// Closing the browser makes the running step fail at once instead of waiting out its timeout.
onInterrupt(async () => (await driver?.catch(() => undefined))?.close());

/** The worker's driver, started on first use and restarted if the browser died. */
async function currentDriver(params: WorldParameters): Promise<BrowserDriver> {
  if (driver) {
    const d = await driver.catch(() => undefined);
    if (d && !d.isDead()) return d;
    await d?.close().catch(() => undefined);
  }
  const access = stagingAccessOf(params);
  driver = launchDriver(params.target, {
    chromiumPath: params.browserPath,
    chromedriverPath: params.chromedriverPath,
    timeouts: { actionTimeoutMs: params.timeouts.actionMs, navigationTimeoutMs: params.timeouts.navigationMs },
    ...(access ? { stagingAccess: access } : {}),
  });
  return driver;
}

/** The config's stagingAccess bound to the base URL, read from this process's environment once per base URL. */
let access: { baseUrl: string; value: StagingAccess | undefined } | undefined;
function stagingAccessOf(params: WorldParameters): StagingAccess | undefined {
  if (!params.stagingAccess) return undefined;
  if (access?.baseUrl !== params.baseUrl)
    access = {
      baseUrl: params.baseUrl,
      value: stagingAccessFor(params.stagingAccess, params.configSource ?? "signoff.config.yaml", params.baseUrl),
    };
  return access.value;
}

export class SignoffWorld extends World<WorldParameters> {
  private current?: BrowserSession;
  /** Numbers remembered by "I remember the number in ..." steps, by name. */
  readonly remembered = new Map<string, number>();
  /** Columns a step of this scenario found: page URL, column and table phrase (steps/support/columns.ts seenKey). */
  readonly columnsSeen = new Set<string>();
  /** A step of this scenario listed the page's failed requests in its failure: no note names them again. */
  failedRequestsListed = false;

  constructor(options: IWorldOptions<WorldParameters>) {
    // Plain `cucumber-js` gives no (or partial) world parameters: the config's defaults fill them in.
    super({ ...options, parameters: completeWorldParameters(options.parameters) });
  }

  get session(): BrowserSession {
    if (!this.current) throw new Error("no browser session: the scenario's Before hook did not open one");
    return this.current;
  }

  get target() {
    return this.parameters.target;
  }

  /**
   * Staging's access headers and origin (config stagingAccess), for a step that sends HTTP itself: send
   * `stagingHeadersFor(world.stagingAccess, url)` from "signoff", which is empty for any other origin.
   */
  get stagingAccess(): StagingAccess | undefined {
    return stagingAccessOf(this.parameters);
  }

  /** A path on staging ("/about") or an absolute URL, resolved against the base URL. */
  resolveUrl(pathOrUrl: string): string {
    return new URL(pathOrUrl, this.parameters.baseUrl).toString();
  }

  async openSession(): Promise<void> {
    const opening = (async () => {
      const d = await currentDriver(this.parameters);
      try {
        return interruptible(await d.newSession());
      } catch (err) {
        // The last scenario's page held the browser and the driver gave itself up (busy-page.ts): a new browser.
        if (!d.isDead() || !(err instanceof BrowserCrashedError)) throw err;
        return interruptible(await (await currentDriver(this.parameters)).newSession());
      }
    })();
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        opening.then((late) => late.close()).catch(() => undefined);
        reject(
          new EnvironmentError(
            `${this.target.name}: no browser session within ${SESSION_START_LIMIT_MS / 1000} s (is the machine overloaded, or does the browser hang at start?)`,
          ),
        );
      }, SESSION_START_LIMIT_MS);
    });
    try {
      this.current = await Promise.race([opening, limit]);
    } catch (err) {
      if (err instanceof BrowserStartError) recordBrowserStartFailure(err);
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }

  async closeSession(): Promise<void> {
    await this.current?.close();
    this.current = undefined;
  }

  /** The session if there is one and it still answers; evidence must never mask the real failure. */
  get liveSession(): BrowserSession | undefined {
    return this.current;
  }
}

setWorldConstructor(SignoffWorld);

/**
 * How long a scenario may wait for its browser session. The first one launches the browser, which on a loaded
 * machine can outlast the step timeout; Cucumber's timeout would then file a browser that did not start as a test
 * defect (a plain Error). This limit ends it first, as the environment problem it is.
 */
const SESSION_START_LIMIT_MS = 150_000;

Before(
  { name: "open a browser session", timeout: SESSION_START_LIMIT_MS + 30_000 },
  async function (this: SignoffWorld, { pickle, gherkinDocument, testCaseStartedId }) {
    // After an interrupt the remaining scenarios are skipped, so the run still ends and flushes.
    if (interruptedBy()) return "skipped";
    // Once the browser could not be started, every later scenario (a retry too) fails at once with the same
    // error rather than trying again: failed, never skipped, so no mode (--retry, --parallel) reads it as a pass.
    const notStarted = browserStartFailedAgain();
    if (notStarted) throw notStarted;
    await ensureBaseUrl(this.parameters);
    // Epic/story/severity/owner labels and requirement/issue links from the scenario's tags.
    const { labels, links } = scenarioMetadata(pickle, gherkinDocument, {
      requirementTagPrefix: this.parameters.requirementTagPrefix,
      links: this.parameters.links ?? {},
    });
    // One Allure message (a Cucumber attachment) per kind, not per label: each costs every formatter.
    // The attempt label ties this Allure result to its attempt in the messages, where `signoff report`
    // reads the error's type.
    await allure.labels({ name: ATTEMPT_LABEL, value: testCaseStartedId }, ...labels);
    // The same scenario on four targets reads as four results of one test in Allure.
    await allure.parameter("target", this.target.name);
    if (links.length) await allure.links(...links);
    await this.openSession();
    if (tracingWanted()) await startTrace(this.session, `${pickle.name} [${this.target.name}]`);
  },
);

// Evidence is attached here, while the failing step is still Allure's current step, so the report
// shows it AT that step (an After hook would put it under tear-down).
AfterStep(async function (this: SignoffWorld, { result, pickleStep }) {
  if (result.status !== Status.FAILED) return;
  const s = this.liveSession;
  if (!s) return;
  if (result.exception?.type === BrowserCrashedError.name) {
    this.attach(
      `The browser crashed during this step; no screenshot or page state is available.\n${result.message ?? ""}`,
      {
        mediaType: "text/plain",
        fileName: "Browser crashed.txt",
      },
    );
    return;
  }
  if (!(await noteStagingGone(this, result))) await notePageAnswers(this, s, result);
  const evidence = await collectEvidence(s, {
    target: this.target.name,
    driver: this.target.driver,
    step: pickleStep?.text,
    errorType: result.exception?.type,
    errorMessage: result.exception?.message ?? result.message,
  });
  for (const e of evidence) {
    if (typeof e.body === "string") this.attach(e.body, { mediaType: e.mediaType, fileName: e.name });
    else this.attach(e.body, { mediaType: e.mediaType, fileName: e.name });
  }
});

/**
 * Failures the note has nothing to add to: their own words say how the page was answered, or the fault is in the
 * step's wording, whatever the page.
 */
const NOT_NOTED = new Set([
  PageStatusError.name,
  RedirectLoopError.name,
  StagingServerError.name,
  StagingError.name,
  TestDefinitionError.name,
]);

/**
 * Failures whose own words name the requests that failed: a property's counterexample (its generated requests'
 * answers), and whatever a step that listed them threw (`failedRequestsListed`).
 */
const REQUESTS_NOT_NOTED = new Set([PropertyAssertionError.name]);

/**
 * Puts errorPageNote's line into the failed step's message when the page it failed on is an error page, and
 * serverErrorsNote's when staging answered requests of the scenario with a 5xx, and inFlightNote's when a request of
 * the page was still unanswered as a check or a lookup failed. Cucumber hands every AfterStep hook
 * the step's own result object, the one it then reports to every formatter (Allure's and the messages `signoff` reads;
 * test_case_runner's runStep): the notes reach them all, and pageHealth's own failure (another hook's) gets none. A test
 * fails if a Cucumber upgrade changes that.
 */
async function notePageAnswers(world: SignoffWorld, session: BrowserSession, result: TestStepResult): Promise<void> {
  const type = result.exception?.type;
  if (type !== undefined && NOT_NOTED.has(type)) return;
  const page = await errorPageNote(session, PAGE_READ_LIMIT_MS);
  const listed = world.failedRequestsListed || (type !== undefined && REQUESTS_NOT_NOTED.has(type));
  const requests = listed ? undefined : await serverErrorsNote(session, PAGE_READ_LIMIT_MS, page?.url);
  const waiting = failedOnWhatThePageShows(type) ? await inFlightNote(session, PAGE_READ_LIMIT_MS) : undefined;
  for (const line of [page?.line, requests, waiting]) {
    if (line === undefined) continue;
    if (result.message !== undefined) result.message = withLineAfterMessage(result.message, line);
    if (result.exception) result.exception.message = withLineAfterMessage(result.exception.message ?? "", line);
  }
  // Nothing found on staging's 502 page is staging's failure, not the phrase's: the category says so too.
  if (page && result.exception) result.exception.type = typeOnAnsweredPage(type, page.status) ?? result.exception.type;
}

/**
 * A failed step after which staging no longer takes connections (refused, its host unreachable) is reported as
 * StagingError, its message saying so: staging that died mid-scenario is the environment's failure, not the
 * product's, and the run then ends as staging that went away (exit 3) when nothing else failed. Asked only for a
 * failed step, by a TCP connect (no request: the product sees nothing); a staging that takes the connection, or only
 * hangs, is taken as there.
 */
async function noteStagingGone(world: SignoffWorld, result: TestStepResult): Promise<boolean> {
  if (!result.exception || !failedOnWhatThePageShows(result.exception.type)) return false;
  const baseUrl = world.parameters.baseUrl;
  const code = await connectionRefused(baseUrl, STAGING_GONE_PROBE_MS);
  if (!code) return false;
  const line = `staging ${baseUrl} no longer takes connections (${code}): it went away during the scenario (stopped, or crashed by a request: see its logs), so this is taken as the environment's failure`;
  if (result.message !== undefined) result.message = withLineAfterMessage(result.message, line);
  result.exception.message = withLineAfterMessage(result.exception.message ?? "", line);
  result.exception.type = StagingError.name;
  return true;
}

/** How long staging may take to accept a connection after a failed step before it is taken as there. */
const STAGING_GONE_PROBE_MS = 2000;

/** How long a failed step's page may take to say how it and its requests were answered: a page busy past it is left unnoted. */
const PAGE_READ_LIMIT_MS = 1000;

const scenarioEnded = collectEvery(GC_EVERY_SCENARIOS, fullGc());

After({ name: "close the browser session" }, async function (this: SignoffWorld) {
  await discardTrace(this.liveSession).catch(() => undefined);
  await this.closeSession().catch(() => undefined);
  // While the browser resets the page for the next scenario (closing the session started that).
  scenarioEnded();
});

AfterAll(async function () {
  const d = await driver?.catch(() => undefined);
  await d?.close();
  await stopBundledApp();
});
