// Playwright adapter for the BrowserSession port: one browser and one page per worker, reset between scenarios.
import { BrowserStartError, SignoffAssertionError, TestDefinitionError } from "../core/errors";
import { markPhase } from "../core/phase-marks";
import {
  chromium,
  errors as pwErrors,
  selectors,
  type Browser,
  type BrowserContext,
  type CDPSession,
  type Dialog,
  type ElementHandle,
  type FrameLocator,
  type Locator as PwLocator,
  type Page,
} from "playwright-core";
import type { TargetSpec } from "../config/types";
import {
  disableFeaturesArg,
  HEADLESS_CHROMIUM_ARGS,
  PLAYWRIGHT_DISABLED_FEATURES,
  SIGNOFF_DISABLED_FEATURES,
} from "./chromium-flags";
import { emulationFor } from "./devices";
import { onChildSpawned } from "./spawn-watch";
import { recordGroup } from "./process-groups";
import { browserEnv } from "./browser-temp";
import { traceOf, type ContextTrace } from "./playwright-trace";
import { accessOn, sendAccessHeadersFrom, tabReady } from "./playwright-staging-access";
import type { StagingAccess } from "../core/staging-access";
import {
  ambiguityExpression,
  COLUMN_ENGINE_SOURCE,
  columnHeadersExpression,
  shownTextExpression,
  explainExpression,
  pointerInputOf,
  inPageExpression,
} from "./in-page-bundle";
import {
  ambiguousLevel,
  candidateCount,
  candidatesAreExact,
  exactNamePattern,
  wantedNameOf,
  type NameCounts,
} from "../core/name-match";
import { lookWithin, openRequestsOf, settlePage, SNAPSHOT_EXPRESSION, TRACKER_SCRIPT } from "./settle";
import { freePage, unlessBusy, type PageLine } from "./busy-page";
import { LATE, within } from "./within";
import { readCookies, setCookieParams, writeCookie, type DevToolsSend } from "./cookies";
import { PlaywrightDownloads } from "./playwright-downloads";
import { storageExpression, storageFrom } from "./web-storage";
import { ActionNavigation, historyHasTakenIn, PendingNavigations } from "./pending-navigation";
import { auditTooLong, axeCore, axePresentExpression, runAudit } from "./accessibility-audit";
import { BODY_TEXT_EXPRESSION, renderedText } from "./rendered-text";
import type { AccessibilityAuditOptions } from "../core/accessibility";
import type { RequestSnapshot } from "./in-page/requests";
import {
  clip,
  nativeOptionFailure,
  nativeOptionKept,
  readAriaOptions,
  selectAriaOption,
  type DropdownHands,
  type Held,
} from "./aria-dropdown";
import type { AriaDropdownLook } from "./in-page/dropdown";
import { callIn, callOn, callOnMatch, elementOn, withAnswerIn } from "./playwright-in-page";
import { carryUp, pointerLandingOf, type PointerLanding } from "./playwright-frames";
import { CssReadability, readsSelectors } from "./css-readability";
import {
  checkedState,
  computedStyle,
  dropdownKind,
  fieldValidity,
  html5DragAndDrop,
  isFocused,
  selectOptions,
  viewportMetrics,
} from "./in-page/elements";
import {
  AmbiguousLocatorError,
  BrowserCrashedError,
  checkPageStatus,
  type ExpectedAnswer,
  unexpectedProblems,
  DOCUMENT_ANSWER_EXPRESSION,
  withExpected,
  type DocumentAnswer,
  FieldValueRefusedError,
  FrameGoneError,
  isBrowserOwnRequest,
  scriptOfStack,
  LocatorTimeoutError,
  NOT_EXPLAINED,
  notUsableInTime,
  type Explanation,
  NotCheckableError,
  toggleWait,
  HOVER_WAIT,
  NavigationTimeoutError,
  InPageError,
  NoNewTabError,
  titleIncludes,
  loadFailure,
  type BrowserDriver,
  type BrowserSession,
  type DialogSeen,
  type ElementStateName,
  type Locator,
  type PageProblem,
  type Rect,
  type SessionTimeouts,
  type SessionTracing,
  type SettleOptions,
  type SettleOutcome,
  type ShownText,
  type StorageArea,
  type CookieToSet,
  type ValueFieldState,
  type ViewportMetrics,
} from "./session";
import type { InPageShownText } from "./in-page/locate";
import type { NativeChoiceRefused } from "./in-page/elements";
import type { PointerInput } from "./in-page/across-frames";
import { clickNotTaken, radioUncheckRefused, untilToggled, type Toggle } from "./toggle-through-label";
import { chordAsTyped } from "./key-chord";

/** How often a check step looks again for its checkbox, or for the state a click on its label left. */
const TOGGLE_POLL_MS = 50;

export interface PlaywrightDriverOptions {
  chromiumPath?: string;
  timeouts: SessionTimeouts;
  /**
   * Called once the launch no longer needs this thread to progress: Chromium's process exists (it starts, and
   * reads Playwright's first DevTools message from its pipe, whatever this thread does), or at once for a
   * connection. Before that, Playwright creates its temporary directories asynchronously, so a synchronous
   * task (loading Cucumber) would hold the spawn back (bench/RESULTS.md).
   */
  onUnderway?: () => void;
  /**
   * Open the first scenario's page as soon as the browser is up, not when the first session is asked for: for a
   * browser started before anyone asked for it (launch.ts), that is while Cucumber's dry run and the staging probe run.
   */
  firstPageEarly?: boolean;
  /** Staging's access headers: each page sends them to staging's origin only (playwright-staging-access.ts). */
  stagingAccess?: StagingAccess;
}

/** Launches (or connects to) the target's Chromium as every Signoff worker does; the bench's raw loop uses it too. */
export function startBrowser(target: TargetSpec, opts: PlaywrightDriverOptions): Promise<Browser> {
  // A Playwright browser server (browserType.launchServer) elsewhere: connect over its ws endpoint.
  if (target.remote) {
    opts.onUnderway?.();
    return chromium.connect(target.remote, { timeout: opts.timeouts.navigationTimeoutMs });
  }
  const stop = onChildSpawned(
    (args) => args.includes(PIPE_SWITCH),
    (child) => {
      // playwright-core starts Chromium detached, leading a group of its own: the target's group misses it.
      const unrecord = recordGroup(child.pid);
      child.once("exit", unrecord);
      opts.onUnderway?.();
    },
  );
  const launched = launchChromium(opts);
  // A launch that fails before spawning anything calls nothing; its caller learns it from the promise.
  launched.then(stop, stop);
  return launched;
}

/** How Playwright talks to the Chromium it launches (a DevTools pipe on fds 3 and 4): how its process is told apart. */
const PIPE_SWITCH = "--remote-debugging-pipe";

function launchChromium(opts: PlaywrightDriverOptions): Promise<Browser> {
  return chromium.launch({
    executablePath: opts.chromiumPath,
    headless: true,
    env: browserEnv(),
    // Signoff's worker decides what a signal means (fail the running scenario, skip the rest).
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
    // Chromium honours one --disable-features switch: Playwright's is replaced by the union (chromium-flags.ts).
    ignoreDefaultArgs: [disableFeaturesArg(PLAYWRIGHT_DISABLED_FEATURES)],
    args: [
      ...HEADLESS_CHROMIUM_ARGS.filter((a) => a !== "--headless"),
      disableFeaturesArg([...PLAYWRIGHT_DISABLED_FEATURES, ...SIGNOFF_DISABLED_FEATURES]),
    ],
  });
}

/** A browser context emulating the target's device (viewport, pixel ratio, user agent, touch). */
export function newEmulatedContext(browser: Browser, target: TargetSpec): Promise<BrowserContext> {
  const emulation = emulationFor(target);
  return browser.newContext({
    viewport: emulation.viewport,
    deviceScaleFactor: emulation.deviceScaleFactor,
    userAgent: emulation.userAgent,
    isMobile: emulation.isMobile,
    hasTouch: emulation.hasTouch,
  });
}

/**
 * What a failed launch says to a user. Playwright's first line for a browser that exits at once is "Target page,
 * context or browser has been closed"; its log below says how the process ended and what it printed (a missing
 * library). Read for display only: the failure is filed by its type (BrowserStartError), never by this text.
 */
/** Chromium's log line for the reason it aborted: `[pid:tid:time:FATAL:file.cc:315] Socket path too long: …`. */
const CHROMIUM_FATAL = /^\[[^\]]*:FATAL:[^\]]*\] (.+)$/;

export function launchFailure(message: string): string {
  const exited = /<process did exit: exitCode=(\w+), signal=(\w+)>/.exec(message);
  if (!exited) return message.split("\n")[0];
  const logs = message.split("\nCall log:")[0];
  const said = [...logs.matchAll(/^\[pid=\d+\]\[err\] (.+)$/gm)].map((m) => m[1].trim()).filter(Boolean);
  const how = exited[2] !== "null" ? `signal ${exited[2]}` : `exit code ${exited[1]}`;
  // Chromium's own reason for aborting is its FATAL line; crash reporting may log after it.
  const fatal = said.map((line) => CHROMIUM_FATAL.exec(line)?.[1]).find(Boolean);
  const why = fatal ?? said[said.length - 1];
  return `the browser exited as it started (${how})${why ? `: ${why}` : ""}`;
}

export async function launchPlaywrightDriver(
  target: TargetSpec,
  opts: PlaywrightDriverOptions,
): Promise<BrowserDriver> {
  const browser = await startBrowser(target, opts).catch((err: unknown) => {
    // An environment problem (no browser, an unreachable browser server), filed as one by its type.
    const where = target.remote ? ` at ${target.remote}` : opts.chromiumPath ? ` (${opts.chromiumPath})` : "";
    throw new BrowserStartError(
      `could not start Chromium for target "${target.name}"${where}: ${launchFailure(String((err as Error)?.message ?? err))}`,
      { cause: err },
    );
  });
  let dead = false;
  browser.on("disconnected", () => (dead = true));

  const newContext = async () => {
    await registerColumnEngine();
    const context = await newEmulatedContext(browser, target);
    // Every document of the context counts its requests from its first script on (settle()); once per context.
    await context.addInitScript({ content: TRACKER_SCRIPT });
    if (opts.stagingAccess) sendAccessHeadersFrom(context, opts.stagingAccess);
    return context;
  };
  const isolation = target.isolation === "context" ? contextPerScenario(newContext) : resetPerScenario(newContext);
  let first = opts.firstPageEarly ? openedEarly(isolation) : undefined;
  const css = cssReadabilityIn(browser);

  return {
    async browserVersion() {
      return `chromium ${browser.version()}`;
    },
    async newSession() {
      if (dead) throw new BrowserCrashedError("the browser is gone");
      const early = first;
      first = undefined; // taken once
      const opened = early ? await takeEarly(early, isolation) : await isolation.open();
      // Before the scenario's first request: a page that could not intercept never opens staging without the headers.
      if (opts.stagingAccess)
        await accessOn(opened.context, opened.page, opts.stagingAccess).catch(async (err: unknown) => {
          await opened.release(Promise.resolve());
          throw new BrowserStartError(
            `target "${target.name}": cannot send the stagingAccess headers (no DevTools session on the page: ${String((err as Error)?.message ?? err).split("\n")[0]})`,
            { cause: err },
          );
        });
      opened.page.setDefaultTimeout(opts.timeouts.actionTimeoutMs);
      opened.page.setDefaultNavigationTimeout(opts.timeouts.navigationTimeoutMs);
      return new PlaywrightSession(opened, opts.timeouts, () => dead, css, emulationFor(target).isMobile);
    },
    isDead: () => dead,
    async close() {
      dead = true;
      await browser.close().catch(() => undefined);
    },
  };
}

/**
 * Early pages whose renderer crashed while they waited: a crashed page is not closed (`isClosed()` stays false), and
 * Playwright keeps no state of it to ask later, so the crash is seen as it happens.
 */
const crashedEarly = new WeakSet<Page>();

/** The first page, opening now; if that fails, the first session opens one as it would have without it. */
export function openedEarly(isolation: Isolation): Promise<OpenedPage> {
  const opening = isolation.open();
  opening.then(
    (opened) => {
      markPhase("cucumber", "first page open");
      opened.page.once("crash", () => crashedEarly.add(opened.page));
    },
    () => undefined,
  );
  return opening;
}

/**
 * The page opened early, unless it failed, was closed or its renderer crashed meanwhile: then a new one, opened
 * (and failing) as usual; a crashed page would fail the first scenario as a crash the browser itself survived.
 */
export async function takeEarly(early: Promise<OpenedPage>, isolation: Isolation): Promise<OpenedPage> {
  const opened = await early.catch(() => undefined);
  if (opened && !opened.page.isClosed() && !crashedEarly.has(opened.page)) return opened;
  await opened?.release(Promise.resolve());
  return isolation.open();
}

/** How a scenario gets a clean page, and how it gives it back. */
export interface Isolation {
  open(): Promise<OpenedPage>;
}

export interface OpenedPage {
  context: BrowserContext;
  page: Page;
  /**
   * A DevTools session attached to `page` since before the scenario, when the isolation keeps one: the busy-page
   * watch's line (one attached once the page is frozen may never be).
   */
  devtools?: CDPSession;
  /** When the scenario is over; `quiet` resolves once nothing the scenario started is still in flight. */
  release: (quiet: Promise<void>) => Promise<void>;
}

/**
 * Strict: a new browser context per scenario (a new renderer process and a first navigation in it,
 * each time). `isolation: context` on a target.
 */
function contextPerScenario(newContext: () => Promise<BrowserContext>): Isolation {
  return {
    async open() {
      const context = await newContext();
      try {
        const page = await context.newPage();
        return {
          context,
          page,
          devtools: await context.newCDPSession(page), // closed with the context
          release: (quiet) => quiet.then(() => context.close()).catch(() => undefined),
        };
      } catch (err) {
        await context.close().catch(() => undefined);
        throw err;
      }
    },
  };
}

/** `work`, or Playwright's own TimeoutError once `ms` have passed (what a locator call would throw). */
async function withinTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  work.catch(() => undefined); // answered after the timeout: nobody waits for it any more
  const answer = await within(work, ms);
  if (answer === LATE) throw new pwErrors.TimeoutError(`Timeout ${ms}ms exceeded ${what}`);
  return answer;
}

/** A look or a click that fell between two documents, or on an element the page replaced: the caller looks again. */
const LOOK_AGAIN = Symbol("look again");

/** How long a failed call waits for a dying browser to show it is gone (see PlaywrightSession.guard). */
const CRASH_GRACE_MS = 1000;

/** Scrolls an element into the middle of the screen, and the frames and pages around it (any origin) with it. */
const scrollToCentre = (el: Element) => el.scrollIntoView({ block: "center", inline: "center", behavior: "instant" });

/** Lets go of an element handle (the page keeps its element alive until then); one already gone needs nothing. */
const release = (h: ElementHandle) => void h.dispose().catch(() => undefined);

/** How long a failed selectOption may take to read the field's options for its message (the field was just there). */
const OPTIONS_READ_MS = 1000;

/** What pointer() does: a check is never sent twice, a hover needs no enabled element. */
type PointerKind = "click" | "hover" | "check";
/** What pointer() passes its action (Playwright's click, hover or check options). */
type PointerOptions = { timeout: number; force?: boolean; position?: { x: number; y: number } };

/** How often a click on a phone looks again whether the element gets the pointer (pointer()). */
const POINTER_POLL_MS = 100;

/** A renderer garbage collection every this many scenarios (see resetPerScenario). */
const GC_EVERY = 25;

/**
 * Default: one context and one page per worker, reset to a clean slate before each scenario — the
 * same slate a new context gives, checked channel by channel by the conformance suite's isolation
 * test: the last document unloaded (about:blank), popups closed, cookies, permissions, every origin's
 * storage (localStorage, sessionStorage, IndexedDB, Cache Storage, service workers) and the HTTP
 * cache cleared, window.name emptied, the mouse moved off the page (no :hover carried over), and
 * the history cut back to that about:blank. A new context per scenario costs a new renderer
 * process and a first navigation in it, several times this reset (bench/RESULTS.md has the numbers).
 */
function resetPerScenario(newContext: () => Promise<BrowserContext>): Isolation {
  let current: Promise<{ context: BrowserContext; page: Page; cdp: CDPSession }> | undefined;
  /** The reset started when the last scenario gave its page back (it overlaps that scenario's tail). */
  let resetting: Promise<boolean> | undefined;
  let resets = 0;
  const start = async () => {
    const context = await newContext();
    try {
      const page = await context.newPage();
      return { context, page, cdp: await context.newCDPSession(page) };
    } catch (err) {
      await context.close().catch(() => undefined);
      throw err;
    }
  };
  const opened = (context: BrowserContext, page: Page, devtools: CDPSession): OpenedPage => ({
    context,
    page,
    devtools,
    release: async (quiet) => {
      const reused = current && (await current.catch(() => undefined));
      // false: a page that cannot be reset (its renderer crashed with the last scenario); the next
      // open() starts over with a new context, and if the browser itself is gone that fails.
      resetting =
        reused && !reused.page.isClosed()
          ? quiet
              .then(() => reset(reused))
              .then(
                () => true,
                () => false,
              )
          : Promise.resolve(false);
    },
  });
  const fresh = async (): Promise<OpenedPage> => {
    current = start();
    const { context, page, cdp } = await current;
    return opened(context, page, cdp);
  };
  return {
    async open() {
      const wasReset = resetting ? await resetting : false;
      resetting = undefined;
      const reused = current && (await current.catch(() => undefined));
      if (!reused || !wasReset || reused.page.isClosed()) {
        await reused?.context.close().catch(() => undefined);
        return fresh(); // the first scenario, or the last one's page is closed or could not be reset
      }
      return opened(reused.context, reused.page, reused.cdp);
    },
  };

  async function reset({
    context,
    page,
    cdp,
  }: {
    context: BrowserContext;
    page: Page;
    cdp: CDPSession;
  }): Promise<void> {
    const closeOthers = async () => {
      for (const other of context.pages()) if (other !== page) await other.close().catch(() => undefined);
    };
    await closeOthers();
    await unload(page, cdp);
    // Again after the unload: the old page could still open a popup while it was leaving.
    await closeOthers();
    await Promise.all([
      page.mouse.move(-1, -1),
      context.clearPermissions(),
      // Every origin's cookies too: "all" includes them (the conformance suite's cookie cases).
      cdp.send("Storage.clearDataForOrigin", { origin: "*", storageTypes: "all" }),
      cdp.send("Network.clearBrowserCache"),
      // Leaves only about:blank, the one entry a new page has before its first navigation.
      cdp.send("Page.resetNavigationHistory"),
    ]);
    // Every document the page loaded stays in the renderer's heap until V8 feels memory pressure,
    // so memory would grow with the number of scenarios though nothing leaks; a collection every
    // GC_EVERY scenarios keeps it flat (bench/RESULTS.md, Scaling).
    if (++resets % GC_EVERY === 0) await cdp.send("HeapProfiler.collectGarbage");
  }
}

/** The busy-page line (busy-page.ts) over a DevTools session attached to the page. */
function pageLineOver(devtools: () => Promise<CDPSession>, navigating: () => boolean): PageLine {
  return {
    answers: async () => {
      const r = await (await devtools()).send("Runtime.evaluate", { expression: "1", returnByValue: true });
      return r.result.value === 1;
    },
    stopScript: async () => void (await (await devtools()).send("Runtime.terminateExecution")),
    navigating,
  };
}

/** How long close() waits for a DevTools session of the page to let go. */
const DETACH_WAIT_MS = 1000;

/** How long the page gets to leave for about:blank by itself before the browser navigates it away. */
const UNLOAD_GRACE_MS = 2000;

/**
 * The last document unloads (its scripts stop, its unload handlers run) before anything is cleared.
 * The page navigates itself to about:blank: a navigation the browser starts (page.goto) swaps the
 * renderer process to about:blank and back again on the next load (bench/RESULTS.md). A page that
 * will not leave (a beforeunload prompt, a busy main thread) is navigated away by the browser.
 */
async function unload(page: Page, cdp: CDPSession): Promise<void> {
  await leave(page, cdp);
  // The old document's pagehide/unload handlers run in a task after the new document commits: one
  // call into the page, a task later, before anything is cleared (the conformance suite's unload-handler
  // case). The same call empties window.name, after the handlers, so none of them can set it for the
  // next scenario.
  const emptied = await within(
    cdp.send("Runtime.evaluate", {
      expression: 'new Promise((r) => setTimeout(r, 0)).then(() => { window.name = ""; })',
      awaitPromise: true,
    }),
    UNLOAD_GRACE_MS,
  );
  // A page that does not answer in its new document is not reused: the next scenario gets a new context.
  if (emptied === LATE || emptied.exceptionDetails) throw new Error("the page did not answer after it left");
}

/** The page on a new about:blank document, by its own navigation if it takes one. */
async function leave(page: Page, cdp: CDPSession): Promise<void> {
  // Already there (the scenario never navigated): waitForURL would not wait for the replacement.
  if (page.url() === "about:blank") return void (await page.goto("about:blank"));
  const left = page.waitForURL("about:blank", { waitUntil: "commit", timeout: UNLOAD_GRACE_MS }).then(
    () => true,
    () => false,
  );
  const asked = await Promise.race([
    cdp.send("Runtime.evaluate", { expression: 'location.replace("about:blank")' }).then(
      () => true,
      () => false,
    ),
    left,
  ]);
  // A page whose script never returns answers neither: its script is ended first (busy-page.ts), else the browser's
  // navigation waits on it too.
  if (!asked)
    await freePage(
      pageLineOver(
        async () => cdp,
        () => false,
      ),
      UNLOAD_GRACE_MS,
    );
  if (!(asked && (await left) && page.url() === "about:blank")) await page.goto("about:blank");
}

/**
 * Asks whether the browser reads CSS selectors in a blank page of its own, opened on the first question: the page
 * under test may be busy, between two documents, or have replaced what the question uses, and with no answer
 * Playwright would read its own syntax as CSS. A page that failed is opened anew for the next question.
 */
function cssReadabilityIn(browser: Browser): CssReadability {
  let blank: Promise<Page> | undefined;
  /** The blank page, opened anew when the last one failed to open or to answer. */
  const page = (): Promise<Page> => {
    const opening = (blank ??= browser.newPage());
    opening.catch(() => {
      if (blank === opening) blank = undefined;
    });
    return opening;
  };
  const ask = async (selectors: string[]) => {
    const asked = page();
    try {
      return await (await asked).evaluate(readsSelectors, selectors);
    } catch (err) {
      if (blank === asked) blank = undefined;
      void asked.then((p) => p.context().close()).catch(() => undefined);
      throw err;
    }
  };
  return new CssReadability(ask, page);
}

/** The selector engine that finds a column's cells (in-page-bundle.ts), registered once per process. */
const COLUMN_ENGINE = "signoff-column";
/** Where the registration is kept: per process, so a second copy of this module (src/ and dist/) does not register again. */
const COLUMN_ENGINE_REGISTERED = Symbol.for("signoff.playwright.columnEngine");

/**
 * Registers the column engine before the first context: a document's Playwright script is built with the engines
 * registered by then, so a later registration would miss the documents already open.
 */
function registerColumnEngine(): Promise<void> {
  const registry = globalThis as { [COLUMN_ENGINE_REGISTERED]?: Promise<void> };
  registry[COLUMN_ENGINE_REGISTERED] ??= selectors.register(COLUMN_ENGINE, { content: COLUMN_ENGINE_SOURCE });
  return registry[COLUMN_ENGINE_REGISTERED];
}

/** A column's data cells whose header fits the name whole (`exact`) or in part. */
function columnSelector(column: string, exact: boolean): string {
  // Encoded: Playwright's selector syntax gives quotes and `>>` meanings of their own.
  return `${COLUMN_ENGINE}=${encodeURIComponent(JSON.stringify({ column, exact }))}`;
}

/** One level of a locator (the element or a container) as the page has it, before its position. */
interface PwLevel {
  l: Locator;
  /** Its candidates: the matches named exactly if any, else every match containing the name. */
  found: PwLocator;
  /** How many fit its name whole and in part; undefined for a level without a name. */
  counts: NameCounts | undefined;
}

/** The match at a locator's position among `found`, or all of them without one. */
/** How long shownText waits for an element it has just counted to answer before it asks the bundle why not. */
const ONE_LOOK_MS = 500;

function positioned(found: PwLocator, nth: Locator["nth"]): PwLocator {
  return nth === "last" ? found.last() : nth === undefined ? found : found.nth(nth);
}

/** The phrase or one of its containers names its element (by role name, label, placeholder or text). */
/** Whether any level of the phrase has words that may fit several matches: a name, or a text to contain. */
const hasWords = (l: Locator | undefined): boolean =>
  !!l && (wantedNameOf(l) !== undefined || l.hasText !== undefined || hasWords(l.within));

/** What an ambiguous level fits, should the in-page bundle not say it with the names (the page changed meanwhile). */
function fallbackDetail(level: Locator, counts: NameCounts | undefined): string {
  const name = wantedNameOf(level);
  if (name === undefined) return `${counts?.containing ?? "several"} matches contain the text "${level.hasText ?? ""}"`;
  return `${counts?.containing ?? "several"} matches contain "${name}" and none is named exactly so`;
}

class PlaywrightSession implements BrowserSession {
  private readonly context: BrowserContext;
  /** The page steps act in: the session's own, or a tab it opened (switchToNewTab). */
  private page: Page;
  /** Every page this session listens to (its own and the tabs it switched to), for close() to let go of. */
  private readonly listened = new Set<Page>();
  private readonly navigations = new PendingNavigations();
  private readonly trace: ContextTrace;
  /** DevTools sessions this session opened on its pages (browserCaughtUp); close() detaches them. */
  private readonly devtools = new Map<Page, Promise<CDPSession>>();
  /** The downloads of the context's pages during this session; close() deletes their files. */
  private readonly downloadsSeen: PlaywrightDownloads;

  /** The iframe steps act in (enterFrame), or undefined for the top-level page. */
  private frame: FrameLocator | undefined;
  /** The phrase the steps switched into `frame` with (the innermost one), for FrameGoneError. */
  private framePhrase: Locator | undefined;
  private dialogPolicy: { action: "accept" | "dismiss"; promptText?: string } = { action: "dismiss" };
  private readonly dialogsSeen: DialogSeen[] = [];
  private readonly onDialog = (d: Dialog) => {
    const { action, promptText } = this.dialogPolicy;
    this.dialogsSeen.push({ message: d.message(), action });
    // A leave-page prompt dismissed keeps the page: a key's wait for the document it asked for ends.
    if (d.type() === "beforeunload" && action === "dismiss") for (const watch of this.watches) watch.kept();
    void (action === "accept" ? d.accept(d.type() === "prompt" ? promptText : undefined) : d.dismiss()).catch(
      () => undefined,
    );
  };

  private readonly problems: PageProblem[] = [];
  /** Loads answered with the status a step expected (unexpectedProblems). */
  private readonly expectedAnswers: ExpectedAnswer[] = [];
  private readonly onPageError = (err: Error) => {
    const script = scriptOfStack(err.stack);
    this.problems.push({ kind: "page error", message: err.message, ...(script ? { script } : {}) });
  };
  private readonly onConsole = (m: import("playwright-core").ConsoleMessage) => {
    // Chromium also logs every failed load to the console; those are counted once, as failed requests.
    if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) {
      const script = /^https?:\/\//.test(m.location().url) ? m.location().url : undefined;
      this.problems.push({ kind: "console error", message: m.text(), ...(script ? { script } : {}) });
    }
  };
  private readonly onResponse = (r: import("playwright-core").Response) => {
    if (r.status() >= 400 && !isBrowserOwnRequest(r.url()))
      this.problems.push({
        kind: "failed request",
        message: `${r.status()} ${r.url()}`,
        url: r.url(),
        status: r.status(),
      });
  };
  private readonly onRequestFailed = (r: import("playwright-core").Request) => {
    const why = r.failure()?.errorText ?? "failed";
    if (why !== "net::ERR_ABORTED")
      this.problems.push({ kind: "failed request", message: `${why} ${r.url()}`, url: r.url() });
  };
  private pageCrashed = false;
  private readonly onCrash = () => (this.pageCrashed = true);
  /** Set once close() begins: an action still under way belongs to a scenario that has ended. */
  private closing = false;
  private readonly watches = new Set<ActionNavigation>();

  constructor(
    private readonly opened: OpenedPage,
    private readonly timeouts: SessionTimeouts,
    private readonly isDead: () => boolean,
    private readonly css: CssReadability,
    /** The target emulates a phone (isMobile): clicks on a page the screen shows part of go by pointer()'s own check. */
    private readonly mobile = false,
  ) {
    this.context = opened.context;
    this.page = opened.page;
    this.trace = traceOf(opened.context);
    this.downloadsSeen = new PlaywrightDownloads(opened.context);
    this.listen(this.page);
  }

  /** The page outlives the session (isolation: reset), so close() removes these listeners again. */
  private listen(page: Page): void {
    if (this.listened.has(page)) return;
    this.listened.add(page);
    page.on("dialog", this.onDialog);
    page.on("crash", this.onCrash);
    page.on("pageerror", this.onPageError);
    page.on("console", this.onConsole);
    page.on("response", this.onResponse);
    page.on("requestfailed", this.onRequestFailed);
    this.navigations.watch(page);
  }

  private get scope(): Page | FrameLocator {
    return this.frame ?? this.page;
  }

  /** One level's visible matches (the element's or a container's), narrowed by text, in `scope`; `exact`: named so whole. */
  private narrowed(scope: Page | PwLocator | FrameLocator, l: Locator, exact: boolean): PwLocator {
    const wanted = wantedNameOf(l);
    const name = wanted === undefined ? undefined : exact ? exactNamePattern(wanted) : wanted;
    const base = (() => {
      switch (l.by) {
        case "role":
          return scope.getByRole(l.role as Parameters<Page["getByRole"]>[0], name === undefined ? {} : { name });
        case "label":
          return scope.getByLabel(name ?? l.text);
        case "placeholder":
          return scope.getByPlaceholder(name ?? l.text);
        case "text":
          return scope.getByText(name ?? l.text);
        case "testId":
          return scope.getByTestId(l.id);
        case "css":
          return scope.locator(l.selector);
        case "column":
          return scope.locator(columnSelector(l.column, exact));
      }
    })();
    const found = base.filter({ visible: true });
    return l.hasText === undefined ? found : found.filter({ hasText: l.hasText });
  }

  /**
   * The levels of a locator, the element first, then its containers outward: visible matches narrowed by text and
   * container, then the name rule (src/core/name-match.ts), as the page is now. The same rule as the Selenium adapter.
   */
  private async levels(l: Locator): Promise<PwLevel[]> {
    await this.cssReadable(l);
    const outer = l.within ? await this.levels(l.within) : [];
    const scope = l.within ? positioned(outer[0].found, l.within.nth) : this.scope;
    const containing = this.narrowed(scope, l, false);
    if (wantedNameOf(l) === undefined) {
      // A text to contain has no whole to prefer: several matches containing it pick none (ambiguousLevel).
      const counts = l.hasText === undefined ? undefined : { exact: 0, containing: await containing.count() };
      return [{ l, found: containing, counts }, ...outer];
    }
    const exact = this.narrowed(scope, l, true);
    const exactCount = await exact.count();
    // With an exact match the level is no ambiguity whatever contains the name, so that count is not needed.
    const counts = { exact: exactCount, containing: exactCount > 0 ? exactCount : await containing.count() };
    return [{ l, found: candidatesAreExact(counts) ? exact : containing, counts }, ...outer];
  }

  /** Throws UnreadableSelectorError for a CSS phrase the browser refuses (Playwright would read its own syntax). */
  private cssReadable(l: Locator): Promise<void> {
    return this.css.check(l, this.timeouts.actionTimeoutMs);
  }

  /** Visible matches, then the name rule, then the position (what count and isVisible count). */
  private async resolve(l: Locator): Promise<PwLocator> {
    return positioned((await this.levels(l))[0].found, l.nth);
  }

  /**
   * The one element an action acts on, and how long the action may still wait for it: waits (within the action
   * timeout) until anything the phrase may mean shows, then decides by the name rule on the page as it is then;
   * a phrase that names no one element throws AmbiguousLocatorError.
   */
  private async one(l: Locator): Promise<{ el: PwLocator; timeout: number }> {
    await this.cssReadable(l);
    const deadline = Date.now() + this.timeouts.actionTimeoutMs;
    const anyMatch = (at: Locator): PwLocator => {
      const scope = at.within ? positioned(anyMatch(at.within), at.within.nth) : this.scope;
      return this.narrowed(scope, at, false);
    };
    // No words anywhere in the phrase (a test id, a role alone, CSS): nothing to decide, and no round trip to pay.
    if (!hasWords(l))
      return { el: positioned(anyMatch(l), l.nth).first(), timeout: Math.max(1, deadline - Date.now()) };
    await anyMatch(l).first().waitFor({ state: "attached", timeout: this.timeouts.actionTimeoutMs });
    const levels = await this.levels(l);
    const at = ambiguousLevel(
      levels.map(({ l, counts }) => ({ l, counts })),
      levels[0].counts === undefined ? await levels[0].found.count() : candidateCount(levels[0].counts),
    );
    if (at >= 0) {
      const { l: level, counts } = levels[at];
      throw new AmbiguousLocatorError(
        l,
        (await this.evaluateInPage(ambiguityExpression(l))) || fallbackDetail(level, counts),
      );
    }
    return { el: positioned(levels[0].found, l.nth).first(), timeout: Math.max(1, deadline - Date.now()) };
  }

  /**
   * `fn`, failing as PageNotAnsweringError should the page's own script hold its main thread meanwhile (busy-page.ts:
   * Playwright's typing waits on such a page for ever), its errors mapped by classified().
   */
  private guard<T>(fn: () => Promise<T>, l?: Locator, what?: string): Promise<T> {
    // One watch per call: a guarded call inside another (a drag, a check's read) is watched by the outer one.
    if (this.watching) return this.classified(fn, l, what);
    const page = this.page;
    const line = pageLineOver(
      () => this.lineTo(page),
      () => this.navigations.isPending(page),
    );
    this.watching = true;
    // Around the mapping too: explaining a timeout asks the page, which a busy one never answers.
    const watched = unlessBusy(this.classified(fn, l, what), line);
    return watched.finally(() => (this.watching = false));
  }
  /** A guard() call is under way (its busy-page watch covers the calls inside it). */
  private watching = false;

  /** Maps Playwright's errors onto the port's: timeouts name the locator, a dead browser is a crash. */
  private async classified<T>(fn: () => Promise<T>, l?: Locator, what?: string): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      // Classified by the browser's state, not the error's wording: a browser killed mid-call fails the
      // calls in flight with whatever the connection was doing (even "Object with guid response@… was
      // not bound in the connection") before Playwright reports the disconnect, so give it a moment.
      const expected =
        err instanceof pwErrors.TimeoutError ||
        err instanceof LocatorTimeoutError ||
        // A test defect found by Signoff's own checks (an ambiguous phrase, a radio a step would uncheck), or the
        // product's failure (a click that did not check, a choice the page put back).
        err instanceof TestDefinitionError ||
        err instanceof SignoffAssertionError;
      if (await this.goneWithin(expected ? 0 : CRASH_GRACE_MS)) {
        throw new BrowserCrashedError(
          this.pageCrashed ? "the page's renderer crashed" : "the browser or its connection is gone",
        );
      }
      // Out of time in a frame the page removed (a frame locator finds it again if the page draws it anew).
      if (err instanceof pwErrors.TimeoutError && this.frame && (await this.frame.owner().count()) === 0)
        throw new FrameGoneError(this.framePhrase);
      if (l && err instanceof pwErrors.TimeoutError)
        throw notUsableInTime(
          l,
          this.timeouts.actionTimeoutMs,
          what ?? "to be visible",
          await this.explainWhy(l, what ?? "to be visible"),
        );
      throw err;
    }
  }

  /**
   * `fn`'s error as it is, or BrowserCrashedError when the browser or page is gone by now: for calls that are
   * tried again when they fail (a look between two documents), which guard() would hold up a second for.
   */
  private async unlessGone<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (await this.goneWithin(0)) throw new BrowserCrashedError("the browser, its connection or the page is gone");
      throw err;
    }
  }

  /** True once the browser is disconnected, the page crashed or closed; waits up to `ms` for that to show. */
  private async goneWithin(ms: number): Promise<boolean> {
    const deadline = Date.now() + ms;
    for (;;) {
      if (this.isDead() || this.pageCrashed || this.page.isClosed()) return true;
      if (Date.now() >= deadline) return false;
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /**
   * Why the locator has no usable match, by the same in-page code as on Selenium; NOT_EXPLAINED when it cannot tell. A
   * click in a frame inside a page of another origin: what of that page covers the frame, which the in-page code cannot
   * see.
   */
  private async explainWhy(l: Locator, what: string): Promise<Explanation> {
    const input = pointerInputOf(what);
    if (input && this.frame) {
      const covered = await this.frameCoveredFor(l, input).catch(() => "");
      if (covered) return { why: covered, matched: true };
    }
    try {
      return (await this.evaluateInFrame(explainExpression(l, what))) as Explanation;
    } catch {
      return NOT_EXPLAINED;
    }
  }

  /** What of the pages around the frame steps act in would get a pointer on the locator's element (carryUp); "" if none. */
  private async frameCoveredFor(l: Locator, input: PointerInput): Promise<string> {
    const frame = await this.currentFrame();
    const at = (await frame.evaluate(inPageExpression("landingBeyondOrigin", l))) as { x: number; y: number } | null;
    return at ? ((await carryUp(frame, at, input))?.blocker ?? "") : "";
  }

  /** A sentence the in-page bundle writes about the page steps act in (the frame, if one was entered); "" when it cannot. */
  private async evaluateInPage(expression: string): Promise<string> {
    try {
      return String(await this.evaluateInFrame(expression));
    } catch {
      return "";
    }
  }

  /** What an in-page bundle expression answers in the document steps act in (the frame, if one was entered). */
  private async evaluateInFrame(expression: string): Promise<unknown> {
    return (await this.currentFrame()).evaluate(expression);
  }

  /** The document steps act in: the frame, if one was entered, else the page's. */
  private async currentFrame(): Promise<import("playwright-core").Frame> {
    const frame = this.frame
      ? await (await this.frame.owner().elementHandle({ timeout: 1000 }))?.contentFrame()
      : this.page.mainFrame();
    if (!frame) throw new FrameGoneError(this.framePhrase);
    return frame;
  }

  /**
   * Page loads fail on a 5xx or a dropped connection (staging's fault) and name a timeout as such (a load has a
   * timeout of its own: no busy-page watch).
   */
  private async navigate(
    url: string,
    load: () => Promise<import("playwright-core").Response | null>,
    expectStatus?: number,
  ): Promise<void> {
    const response = await this.classified(async () => {
      try {
        const loaded = await load();
        // Steps act in the new document, not in a frame of the one it replaced: a frame locator would find a
        // same-named frame of the new page and act there (Selenium: WebDriver navigates the top-level document).
        this.atTopLevel();
        return loaded;
      } catch (err) {
        if (err instanceof pwErrors.TimeoutError) {
          await this.stopLoading();
          throw new NavigationTimeoutError(url, this.timeouts.navigationTimeoutMs);
        }
        const net = /net::(ERR_[A-Z_]+)/.exec(String((err as Error).message));
        if (net) throw loadFailure(net[1], url);
        throw err;
      }
    });
    if (!response) return;
    checkPageStatus(response.request().method(), response.url(), response.status(), expectStatus);
    if (expectStatus !== undefined) this.expectedAnswers.push({ url: response.url(), status: expectStatus });
  }

  goto(url: string, expectStatus?: number) {
    return this.navigate(url, () => this.page.goto(url, { waitUntil: "load" }), expectStatus);
  }
  reload() {
    return this.navigate(this.page.url(), async () => {
      await this.browserCaughtUp();
      return this.page.reload({ waitUntil: "load" });
    });
  }
  back() {
    return this.navigate("(back)", async () => {
      await this.browserCaughtUp();
      return this.page.goBack({ waitUntil: "load" });
    });
  }

  /**
   * Waits until the page has taken in the document its last navigation asked for, and the browser process
   * has too. A click waits for a document the page asks for during the click, not for one it asks for later
   * (a link that leaves from a timer; a busy page can then take seconds to commit: pending-navigation.ts);
   * a back or reload sent before the commit would act on the page the link was on. Once the page commits,
   * the browser process learns it a moment later: Playwright reports the commit as the page sends it, and
   * the browser's history, which a reload or a history step acts on, still has the page the link was on as
   * its current entry (a back then went back from that page, a reload reloaded it). So the history is read
   * until its current entry is the document the page has (historyHasTakenIn). While a new renderer takes
   * over, the browser refuses the command ("Not attached to an active page"), and it is read again too. A
   * browser that never catches up fails like a page load that never ends.
   */
  private async browserCaughtUp(): Promise<void> {
    const devtools = await this.devtoolsOf(this.page);
    const deadline = Date.now() + this.timeouts.navigationTimeoutMs;
    while (this.navigations.isPending(this.page)) {
      if (await this.goneWithin(0)) return; // the history step fails as the page's gone
      if (Date.now() >= deadline) throw new pwErrors.TimeoutError(`the page did not take in its next document`);
      await new Promise((r) => setTimeout(r, 20));
    }
    for (;;) {
      try {
        // The page's URL before and after the read: a page that changes its URL (replaceState) while the read
        // is under way may have either.
        const before = this.page.url();
        const history = await devtools.send("Page.getNavigationHistory");
        if (historyHasTakenIn(history, [before, this.page.url()])) return;
      } catch (err) {
        // By the browser's state, not the refusal's wording: a gone page will not catch up.
        if (await this.goneWithin(0)) throw err;
      }
      if (Date.now() >= deadline)
        throw new pwErrors.TimeoutError(`the browser did not take in the page's last navigation`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /**
   * Stops a page load that ran out of time, as the browser's stop button does (chromedriver does the same after
   * its page-load timeout). Left loading, the page has no document Playwright can read until the load ends: the
   * failure's screenshot and page source then waited out their own timeouts (20 s on a hanging staging).
   */
  private async stopLoading(): Promise<void> {
    try {
      await (await this.lineTo(this.page)).send("Page.stopLoading");
    } catch {
      // The page or browser is gone: guard() reports that.
    }
  }

  /**
   * Ends the script the page is running (an audit past its limit), so the failure's screenshot and the next
   * scenario's reset are not kept waiting until it ends by itself.
   */
  private async stopScript(): Promise<void> {
    try {
      await (await this.lineTo(this.page)).send("Runtime.terminateExecution");
    } catch {
      // The page or browser is gone: guard() reports that.
    }
  }

  /** A DevTools session attached to `page`: the isolation's, kept since before the scenario, or one of this session's. */
  private lineTo(page: Page): Promise<CDPSession> {
    return page === this.opened.page && this.opened.devtools
      ? Promise.resolve(this.opened.devtools)
      : this.devtoolsOf(page);
  }

  /**
   * `act` (a click, a key press); when it runs out of time waiting for a document it asked for (a link followed, a
   * form sent: ActionNavigation), that document is waited for on, up to the navigation timeout from the action's
   * start. One that does not come by then fails as a page load that never ends, its load stopped (as on Selenium).
   */
  private async followingNavigation(act: () => Promise<void>): Promise<void> {
    const deadline = Date.now() + this.timeouts.navigationTimeoutMs;
    const watch = await this.watchAction(false);
    if (!watch) return act();
    try {
      await act();
    } catch (err) {
      const url = err instanceof pwErrors.TimeoutError ? watch.followed() : undefined;
      if (url === undefined || this.closing) throw err;
      await this.arrivalOf(watch, url, deadline);
    } finally {
      this.unwatch(watch);
    }
  }

  /**
   * A key pressed with no element named: Playwright's keyboard waits for no document the key asks for, so the next
   * step would read the page a form sent by Enter is leaving (Selenium's key press waits for it). After one round
   * trip to the page the key's navigation has been asked for, and it is waited for as a click's is.
   */
  private async followingKeys(press: () => Promise<void>): Promise<void> {
    const deadline = Date.now() + this.timeouts.navigationTimeoutMs;
    const watch = await this.watchAction(true);
    if (!watch) return press();
    try {
      await press();
      await watch.caughtUp(this.timeouts.actionTimeoutMs);
      const url = watch.followed();
      if (url !== undefined) await this.arrivalOf(watch, url, deadline);
    } finally {
      this.unwatch(watch);
    }
  }

  /**
   * The watch of an action's navigation (ActionNavigation), known to the session: one whose action outlived its
   * step (a page holding its main thread, busy-page.ts) is let go of when the session closes, so it neither counts
   * the reset's own navigation nor stops the next scenario's load.
   */
  private async watchAction(any: boolean): Promise<ActionNavigation | undefined> {
    const watch = await ActionNavigation.start(await this.lineTo(this.page), this.timeouts.actionTimeoutMs, any);
    // Closed while the watch started: the action goes unwatched rather than leave a watch nobody lets go of.
    if (watch && this.closing) return void watch.dispose();
    if (watch) this.watches.add(watch);
    return watch;
  }
  private unwatch(watch: ActionNavigation): void {
    watch.dispose();
    this.watches.delete(watch);
  }

  /** The document at `url` the action asked for, waited for until `deadline`; one that does not come fails, its load stopped. */
  private async arrivalOf(watch: ActionNavigation, url: string, deadline: number): Promise<void> {
    const arrived = await watch.ended(deadline - Date.now());
    // The scenario ended meanwhile (close() let go of the watch): no success for it, and its page, the next
    // scenario's now, is not stopped.
    if (this.closing) throw new NavigationTimeoutError(url, this.timeouts.navigationTimeoutMs);
    if (arrived) return;
    await this.stopLoading();
    throw new NavigationTimeoutError(url, this.timeouts.navigationTimeoutMs);
  }

  /** The page's own DevTools session (browserCaughtUp, stopping a load or a script), opened when first needed. */
  private devtoolsOf(page: Page): Promise<CDPSession> {
    let session = this.devtools.get(page);
    if (!session) {
      session = this.context.newCDPSession(page);
      this.devtools.set(page, session);
    }
    return session;
  }
  url() {
    return this.guard(async () => this.page.url());
  }
  title() {
    return this.guard(() => this.page.title());
  }

  /** An action or a read on the one element the phrase names (see one()), its errors mapped by guard(). */
  private act<T>(l: Locator, what: string, fn: (el: PwLocator, timeout: number) => Promise<T>): Promise<T> {
    return this.guard(
      async () => {
        const { el, timeout } = await this.one(l);
        return fn(el, timeout);
      },
      l,
      what,
    );
  }

  click(l: Locator) {
    // Playwright's own wait for a document the click asks for ends with the action's timeout: followingNavigation's.
    return this.act(l, "to be clickable", (el, timeout) =>
      this.pointer(el, timeout, (o) => this.followingNavigation(() => el.click(o))),
    );
  }

  /**
   * A pointer action on `el` (a click, a hover, a check, a click on a label or a drop-down's option): by Playwright's
   * own checks, except where the screen shows part of the page. On a phone, a page wider than the screen makes the
   * layout viewport as wide as the page while the screen shows part of it (in-page/pointer.ts); Playwright then
   * computes the point to click in the screen's coordinates but checks what is there in the layout viewport's, finds
   * another element ("<div> intercepts pointer events") and waits out the step, though a tap there reaches the element
   * (QA5 #6). So on a phone target the element is scrolled into view (Playwright waits for it to be visible and to
   * hold still) and must be enabled (a hover need not be); then, if the screen shows only part of the page, it must
   * itself get a pointer at the centre of its part on the screen, by the in-page test the failure's explanation uses
   * too (in a frame, through the frames up to the page, of any origin: each must show the frame there, uncovered), and
   * Playwright acts at that point with its own check skipped. Otherwise Playwright's own click acts, as on a desktop:
   * its check also covers what happens between a look and the click, and scrolls a covered element to other alignments.
   * Whether the screen shows part of the page is looked at on each pass, not once: a page grows wider while a click
   * waits (a table drawn after the load).
   */
  private async pointer(
    el: PwLocator | ElementHandle,
    timeout: number,
    act: (o: PointerOptions) => Promise<void>,
    kind: PointerKind = "click",
  ): Promise<void> {
    if (!this.mobile) return act({ timeout });
    // A handle the caller holds (a label, a drop-down's option) cannot be looked up again: its errors are the caller's.
    const held = "asElement" in el;
    const deadline = Date.now() + timeout;
    const left = () => Math.max(1, deadline - Date.now());
    for (;;) {
      let landing: PointerLanding | undefined;
      try {
        // In a frame, scrolled by the page first: Playwright's scrollIntoViewIfNeeded waits for the element to hold
        // still before it scrolls, over animation frames, which Chromium does not draw in a frame of another origin
        // off the screen: it waited out every click in a payment frame below the fold on pw-pixel7.
        if (this.frame)
          await ("asElement" in el
            ? el.evaluate(scrollToCentre)
            : el.evaluate(scrollToCentre, undefined, { timeout: left() }));
        await el.scrollIntoViewIfNeeded({ timeout: left() });
        // A hover needs no enabled element (a disabled button's tooltip); a click and a check do.
        if ("asElement" in el) {
          if (kind === "hover" || (await el.isEnabled())) landing = await pointerLandingOf(el);
        } else if (kind === "hover" || (await el.isEnabled({ timeout: left() }))) {
          const h = await el.elementHandle({ timeout: left() });
          landing = await pointerLandingOf(h).finally(() => release(h));
        }
      } catch (err) {
        // A look between two documents ("Execution context was destroyed"), or at an element the page just replaced,
        // is tried again, as Playwright's own click does; a gone browser or page is not, and out of time is not.
        if (held || err instanceof InPageError || err instanceof pwErrors.TimeoutError) throw err;
        if (await this.goneWithin(POINTER_POLL_MS)) throw err;
        if (Date.now() >= deadline) throw new pwErrors.TimeoutError(`the element did not get the pointer in time`);
        continue;
      }
      if (landing && !landing.partial) return act({ timeout: left() });
      if (landing?.position) {
        try {
          return await act({ timeout: left(), force: true, position: landing.position });
        } catch (err) {
          // A forced click or hover refuses an element the page replaced or hid since the look ("Element is not
          // visible", "…not attached") before any input is sent (only waits follow the input): it is looked at again.
          // A check is not: Playwright's reads its state after the click, and fails after it too ("did not change
          // its state"); a second click would toggle it back. Out of time, a page load that never ends, or a gone
          // browser or page, is never.
          if (held || kind === "check" || err instanceof pwErrors.TimeoutError || err instanceof NavigationTimeoutError)
            throw err;
          if (await this.goneWithin(POINTER_POLL_MS)) throw err;
        }
      }
      if (Date.now() >= deadline) throw new pwErrors.TimeoutError(`the element did not get the pointer in time`);
      await new Promise((r) => setTimeout(r, Math.min(POINTER_POLL_MS, left())));
    }
  }
  fill(l: Locator, value: string) {
    return this.act(l, "to be editable", async (el, timeout) => {
      // A date, time, month, week, datetime-local, color or range field: its value set whole in the page and read
      // back at once, as on Selenium (Playwright's fill sets it too, but reports no value the browser refused: the
      // field then holds "" or a default). One disabled, read-only or aria-readonly (Playwright's own fill ignored
      // that) for now is waited for, as on Selenium; any other field is typed over.
      const deadline = Date.now() + timeout;
      const field = await this.pollUntil(
        deadline,
        (ms) => callOnMatch<ValueFieldState | "not editable" | null>(el, ms, "valueField", [value, "set-if-editable"]),
        (f): f is ValueFieldState | null => f !== "not editable",
        "the field did not become editable in time",
      );
      if (field === null) return this.typeOver(el, value, deadline);
      if (!field.took) throw new FieldValueRefusedError(l, value, field);
    });
  }
  press(key: string, l?: Locator) {
    const typed = chordAsTyped(key);
    if (!l) return this.guard(() => this.followingKeys(() => this.page.keyboard.press(typed)));
    return this.act(l, "to be visible", (el, timeout) => this.followingNavigation(() => el.press(typed, { timeout })));
  }
  setChecked(l: Locator, checked: boolean) {
    const what = toggleWait(checked);
    return this.guard(
      async () => {
        const deadline = Date.now() + this.timeouts.actionTimeoutMs;
        for (;;) {
          const t = await this.toggleIn(l, true);
          if (t.found === "ambiguous") throw new AmbiguousLocatorError(l, t.detail);
          // Drawn itself: clicked as any element, then its state read until it holds (Playwright's setChecked
          // failed at once, in its own words, on a switch that takes its new state a moment after the click).
          if (t.found === "control") {
            if (t.checked === null) throw new NotCheckableError(l);
            if (t.checked === checked) return;
            if (t.radio && !checked) throw radioUncheckRefused(l);
            const clicked = t.enabled ? await this.clickControl(l, what) : LOOK_AGAIN;
            if (clicked !== LOOK_AGAIN)
              try {
                // The element clicked, read itself: a switch named by its state ("Off" → "On") is no longer found by
                // the phrase once it took the click. The phrase once the page drew it anew: Playwright still reads
                // a node the page removed, in the state it left it.
                const own = async () =>
                  (await clicked.evaluate((el) => el.isConnected)) ? clicked.evaluate(checkedState) : null;
                return await untilToggled(
                  l,
                  checked,
                  this.toggleTimes(deadline),
                  clickNotTaken(null, checked),
                  this.byPhrase(l),
                  own,
                );
              } finally {
                release(clicked);
              }
          }
          if (t.found === "label") {
            try {
              if (t.enabled && (await this.checkThroughLabel(l, t, checked, deadline)) === "done") return;
            } finally {
              void t.label.dispose().catch(() => undefined);
            }
          }
          if (Date.now() >= deadline)
            throw notUsableInTime(l, this.timeouts.actionTimeoutMs, what, await this.explainToggle(l));
          await new Promise((r) => setTimeout(r, TOGGLE_POLL_MS));
        }
      },
      l,
      what,
    );
  }

  /**
   * A click on the checkbox, radio or switch the phrase names, kept as a handle to read its state after; LOOK_AGAIN
   * when the page replaced it before the click went out (a switch drawn anew as the page hydrates): Playwright sends
   * no input to a removed element, as checkThroughLabel says.
   */
  private async clickControl(l: Locator, what: string): Promise<ElementHandle | typeof LOOK_AGAIN> {
    return this.act(l, what, async (el, timeout) => {
      const h = await el.elementHandle({ timeout });
      try {
        await this.pointer(h, timeout, (o) => h.click(o), "check");
        return h;
      } catch (err) {
        const removed =
          !(err instanceof pwErrors.TimeoutError) && !(await h.evaluate((e) => e.isConnected).catch(() => false));
        release(h);
        if (removed && !(await this.goneWithin(0))) return LOOK_AGAIN;
        throw err;
      }
    });
  }

  /**
   * Checks or unchecks a checkbox or radio through its label, as a user does one the page does not draw itself:
   * a click on the label, then its state read again (afresh: the page may draw it anew) until it is `checked`.
   * "look again": the page replaced the label before the click went out.
   */
  private async checkThroughLabel(
    l: Locator,
    t: Extract<Toggle<ElementHandle, null>, { found: "label" }>,
    checked: boolean,
    deadline: number,
  ): Promise<"done" | "look again"> {
    if (t.checked === checked) return "done";
    if (t.radio && !checked) throw radioUncheckRefused(l);
    const ms = this.timeouts.actionTimeoutMs;
    try {
      await this.pointer(t.label, Math.max(1, deadline - Date.now()), (o) => t.label.click(o));
    } catch (err) {
      if (err instanceof pwErrors.TimeoutError)
        throw notUsableInTime(l, ms, toggleWait(checked), await this.explainToggle(l));
      // Playwright sends no input to an element the page removed: it checks attachment before the input, and a click
      // the page took to another element it cancels (its hit-target interception) and tries again, which then fails
      // as "not attached". A click it completed fails only on a timeout or a closed page. So a label gone now got no
      // click (Playwright 1.65's click; the test "checkboxes and radios a page draws" holds it to that).
      if (!(await t.label.evaluate((el) => el.isConnected).catch(() => false))) return "look again";
      throw err;
    }
    await untilToggled(l, checked, this.toggleTimes(deadline), clickNotTaken(t.labelText, checked), this.byPhrase(l));
    return "done";
  }

  /**
   * In-page toggleTarget in the document steps act in (the bundle installed once, as callOn does): what a check step
   * acts on, the label as a handle. A look the page does not answer (between two documents) finds nothing yet.
   */
  private async toggleIn(l: Locator, act: true): Promise<Toggle<ElementHandle, null>>;
  private async toggleIn(l: Locator, act: false): Promise<Toggle<null, null>>;
  private async toggleIn(l: Locator, act: boolean): Promise<Toggle<ElementHandle | null, null>> {
    await this.cssReadable(l);
    try {
      const frame = await this.currentFrame();
      return await withAnswerIn(frame, "toggleTarget", [l, act], async (data, answer) => {
        const t = data as Toggle<null>;
        // The label as a handle only to click it (act): a read would leave one remote handle per poll.
        if (t.found === "label")
          return { ...t, control: null, label: act ? (await answer.getProperty("label")).asElement()! : null };
        return t;
      });
    } catch (err) {
      if (err instanceof InPageError || (await this.goneWithin(0))) throw err;
      return { found: "none" };
    }
  }

  /** When a click on a control or its label must have taken (untilToggled). */
  private toggleTimes(deadline: number) {
    return { deadline, waitedMs: this.timeouts.actionTimeoutMs, pollMs: TOGGLE_POLL_MS };
  }

  /** The phrase's control read again, as it is now (untilToggled). */
  private byPhrase(l: Locator) {
    return () => this.toggleIn(l, false);
  }

  /** Why a check step found nothing to act on (in-page explainToggle); NOT_EXPLAINED when it cannot tell. */
  private async explainToggle(l: Locator): Promise<Explanation> {
    try {
      return await callIn<Explanation>(await this.currentFrame(), "explainToggle", l);
    } catch {
      return NOT_EXPLAINED;
    }
  }
  selectOption(l: Locator, label: string) {
    const what = `to offer the option "${clip(label)}"`;
    return this.act(l, what, async (el, timeout) => {
      const deadline = Date.now() + timeout;
      const left = () => Math.max(1, deadline - Date.now());
      const found = await el.evaluate(dropdownKind, undefined, { timeout });
      if (found.kind !== "select")
        return selectAriaOption(
          l,
          label,
          async () => found,
          (ms) => this.holdDropdown(el, ms),
          deadline,
          this.timeouts.actionTimeoutMs,
        );
      // Chosen in the page as on Selenium (in-page selectByLabel): Playwright's selectOption chose a hidden option no
      // user can choose (a "Choose…" placeholder).
      let refused: NativeChoiceRefused = "missing";
      for (;;) {
        // The element was found (act): a look at it is not cut short by the step's last milliseconds.
        const outcome = await this.lookAgainIfMoved(() =>
          this.onElement(el, Math.max(left(), OPTIONS_READ_MS), (h) =>
            callOn<"ok" | "not-select" | NativeChoiceRefused>(h, "selectByLabel", label),
          ),
        );
        if (outcome === "ok") return;
        if (outcome === "missing" || outcome === "hidden") refused = outcome;
        if (Date.now() >= deadline) break;
        await new Promise((r) => setTimeout(r, Math.min(TOGGLE_POLL_MS, left())));
      }
      // A field the page keeps from use (disabled) says so, as on Selenium; else it has no such option: say which
      // options it has (the same words as Selenium).
      const kept = await this.explainWhy(l, what);
      if (kept.why) throw notUsableInTime(l, this.timeouts.actionTimeoutMs, what, kept);
      const labels = await this.onElement(el, OPTIONS_READ_MS, (h) => callOn<string[] | null>(h, "optionLabels")).catch(
        () => null, // gone or between two documents: the timeout is said without them
      );
      throw notUsableInTime(
        l,
        this.timeouts.actionTimeoutMs,
        what,
        labels
          ? { why: nativeOptionFailure(label, labels, refused), matched: nativeOptionKept(label, labels, refused) }
          : NOT_EXPLAINED,
      );
    });
  }

  /** `fn` of the locator's element (resolved now, as the page may have drawn it anew), within `timeout`. */
  private async onElement<T>(el: PwLocator, timeout: number, fn: (h: ElementHandle) => Promise<T>): Promise<T> {
    const h = await el.elementHandle({ timeout });
    try {
      return await fn(h);
    } finally {
      void h.dispose().catch(() => undefined);
    }
  }

  /**
   * Types `value` over what the field holds, key by key, as a user does and as Selenium sends it: Playwright's fill
   * inserts the text in one go, past the page's key handlers, so a field that takes no typing (its keys swallowed)
   * passed, and an input mask that drops letters as they are typed failed on Playwright only. Waits until the field
   * is editable, as fill does; the keys go to it through the keyboard once selectAll has focused it (one look at the
   * element, not one per call: bench/RESULTS.md, "I fill typed key by key").
   */
  private async typeOver(el: PwLocator, value: string, deadline: number): Promise<void> {
    const selected = await this.pollUntil(
      deadline,
      (ms) => callOnMatch<boolean | "not editable">(el, ms, "selectAll"),
      (s): s is boolean => s !== "not editable",
      "the field did not become editable in time",
    );
    if (value !== "") await this.page.keyboard.type(value);
    else if (selected) await this.page.keyboard.press("Delete");
  }

  /**
   * `look` (given the time left) until its answer is `ready`, every POINTER_POLL_MS; a look between two documents or
   * at an element the page replaced is taken again (lookAgainIfMoved). At the deadline, a TimeoutError saying `late`.
   */
  private async pollUntil<T, R extends T>(
    deadline: number,
    look: (timeoutMs: number) => Promise<T>,
    ready: (answer: T) => answer is R,
    late: string,
  ): Promise<R> {
    const left = () => Math.max(1, deadline - Date.now());
    for (;;) {
      const answer = await this.lookAgainIfMoved(() => look(left()));
      if (answer !== LOOK_AGAIN && ready(answer)) return answer;
      if (Date.now() >= deadline) throw new pwErrors.TimeoutError(late);
      await new Promise((r) => setTimeout(r, Math.min(POINTER_POLL_MS, left())));
    }
  }

  /**
   * `look`'s answer, or LOOK_AGAIN when it failed otherwise than out of time, in the page's script or with the browser
   * or page gone: a look between two documents ("Execution context was destroyed") or at an element the page just
   * replaced, tried again as Playwright's own actions do (a lasting failure then ends as the action's timeout).
   */
  private async lookAgainIfMoved<T>(look: () => Promise<T>): Promise<T | typeof LOOK_AGAIN> {
    try {
      return await look();
    } catch (err) {
      if (err instanceof InPageError || err instanceof pwErrors.TimeoutError || (await this.goneWithin(0))) throw err;
      return LOOK_AGAIN;
    }
  }

  typeText(l: Locator, value: string) {
    return this.act(l, "to be editable", async (el, timeout) => {
      // As typeOver, the caret put after the text instead of the text selected.
      await this.pollUntil(
        Date.now() + timeout,
        (ms) => callOnMatch<boolean>(el, ms, "caretToEnd"),
        (focused): focused is true => focused,
        "the field did not take the focus in time",
      );
      await this.page.keyboard.type(value);
    });
  }
  doubleClick(l: Locator) {
    return this.act(l, "to be clickable", (el, timeout) => this.pointer(el, timeout, (o) => el.dblclick(o)));
  }
  rightClick(l: Locator) {
    return this.act(l, "to be clickable", (el, timeout) =>
      this.pointer(el, timeout, (o) => el.click({ ...o, button: "right" })),
    );
  }
  hover(l: Locator) {
    return this.act(l, HOVER_WAIT, (el, timeout) => this.pointer(el, timeout, (o) => el.hover(o), "hover"));
  }
  focus(l: Locator) {
    return this.act(l, "to be visible", (el, timeout) => el.focus({ timeout }));
  }
  blur(l: Locator) {
    return this.act(l, "to be visible", (el, timeout) => el.blur({ timeout }));
  }
  scrollIntoView(l: Locator) {
    return this.act(l, "to be visible", (el, timeout) => el.scrollIntoViewIfNeeded({ timeout }));
  }
  dragTo(source: Locator, target: Locator) {
    return this.guard(
      async () => {
        const to = await this.guard(async () => {
          const { el, timeout } = await this.one(target);
          await el.waitFor({ state: "visible", timeout });
          return el;
        }, target);
        const { el: from, timeout } = await this.one(source);
        const dropped = await from.evaluate(html5DragAndDrop, await to.elementHandle({ timeout }), { timeout });
        if (!dropped) await from.dragTo(to, { timeout });
      },
      source,
      "to be draggable",
    );
  }
  uploadFiles(l: Locator, paths: string[]) {
    return this.act(l, "to accept files", (el, timeout) => el.setInputFiles(paths, { timeout }));
  }
  async handleDialogs(action: "accept" | "dismiss", promptText?: string) {
    this.dialogPolicy = { action, promptText };
  }
  async dialogs() {
    return [...this.dialogsSeen];
  }
  enterFrame(l: Locator) {
    return this.act(l, "to be visible", async (el, timeout) => {
      await el.waitFor({ state: "visible", timeout });
      this.frame = el.contentFrame();
      this.framePhrase = l;
    });
  }
  async leaveFrame() {
    this.atTopLevel();
  }
  /** Steps act in the tab's top-level document (no frame entered). */
  private atTopLevel(): void {
    this.frame = undefined;
    this.framePhrase = undefined;
  }
  switchToNewTab(title?: string) {
    return this.guard(async () => {
      const deadline = Date.now() + this.timeouts.actionTimeoutMs;
      for (;;) {
        const others = this.context.pages().filter((p) => p !== this.page && !p.isClosed());
        const titles = await Promise.all(others.map((p) => p.title().catch(() => "")));
        const fits = others.filter((_, i) => title === undefined || titleIncludes(titles[i], title));
        const tab = fits[fits.length - 1]; // the newest: pages() lists them in the order they opened
        if (tab) {
          await tabReady(tab); // with stagingAccess: its first document again, with the headers
          await tab.waitForLoadState("load", { timeout: this.timeouts.navigationTimeoutMs });
          this.listen(tab);
          this.page = tab;
          this.atTopLevel();
          await tab.bringToFront();
          return;
        }
        if (Date.now() >= deadline)
          throw new NoNewTabError(this.timeouts.actionTimeoutMs, title, titles, this.page.url());
        await new Promise((r) => setTimeout(r, 50));
      }
    });
  }

  async explain(l: Locator) {
    return (await this.explainWhy(l, "to be visible")).why;
  }
  async pageProblems() {
    return unexpectedProblems(this.problems, this.expectedAnswers);
  }
  requestsInFlight() {
    return this.guard(async () =>
      openRequestsOf((await this.page.evaluate(SNAPSHOT_EXPRESSION)) as RequestSnapshot | null),
    );
  }
  documentAnswer() {
    // The page's top document, whatever frame the steps are in.
    return this.guard(async () =>
      withExpected((await this.page.evaluate(DOCUMENT_ANSWER_EXPRESSION)) as DocumentAnswer, this.expectedAnswers),
    );
  }
  settle(timeoutMs: number, options?: SettleOptions): Promise<SettleOutcome> {
    // The page steps act in (a tab it switched to included); its top document, whatever frame steps are in.
    return settlePage(
      {
        look: (ms) =>
          this.unlessGone(() =>
            lookWithin(this.page.evaluate(SNAPSHOT_EXPRESSION) as Promise<RequestSnapshot | null>, ms),
          ),
        install: () => this.unlessGone(async () => void (await this.page.evaluate(TRACKER_SCRIPT))),
      },
      timeoutMs,
      options,
    );
  }
  stateOf(l: Locator, state: ElementStateName) {
    if (state === "checked")
      return this.guard(async () => {
        // A checkbox or radio the page draws through its label is read as a user sees it: its label shows. Polled
        // as Selenium's checkedOf does: one not drawn yet (or a look between two documents) is looked for again, as
        // act()'s wait for a visible element would never see one the page draws only through its label.
        const deadline = Date.now() + this.timeouts.actionTimeoutMs;
        for (;;) {
          const t = await this.toggleIn(l, false);
          if (t.found === "ambiguous") throw new AmbiguousLocatorError(l, t.detail);
          if (t.found === "label") return t.checked;
          if (t.found === "control") {
            if (t.checked === null) throw new NotCheckableError(l);
            return this.act(l, "to be visible", (el, timeout) => el.isChecked({ timeout }));
          }
          if (Date.now() >= deadline)
            throw notUsableInTime(
              l,
              this.timeouts.actionTimeoutMs,
              "to be visible",
              await this.explainWhy(l, "to be visible"),
            );
          await new Promise((r) => setTimeout(r, TOGGLE_POLL_MS));
        }
      }, l);
    return this.act(l, "to be visible", (el, timeout) => {
      switch (state) {
        case "enabled":
          return el.isEnabled({ timeout });
        case "editable":
          return el.isEditable({ timeout });
        case "focused":
          return el.evaluate(isFocused, undefined, { timeout });
      }
    });
  }
  attributeOf(l: Locator, name: string) {
    return this.act(l, "to be visible", (el, timeout) => el.getAttribute(name, { timeout }));
  }
  descriptionOf(l: Locator) {
    return this.act(l, "to be visible", (el, timeout) => callOnMatch<string>(el, timeout, "accessibleDescription"));
  }
  styleOf(l: Locator, property: string) {
    return this.act(l, "to be visible", (el, timeout) => el.evaluate(computedStyle, property, { timeout }));
  }

  count(l: Locator) {
    return this.guard(async () => (await this.resolve(l)).count());
  }
  isVisible(l: Locator) {
    return this.guard(async () => (await (await this.resolve(l)).count()) > 0);
  }
  textOf(l: Locator) {
    return this.act(l, "to be visible", (el, timeout) => el.evaluate(renderedText, undefined, { timeout }));
  }
  shownText(l: Locator) {
    return this.guard(async (): Promise<ShownText> => {
      // Which element a phrase means is Playwright's answer here, as for every other read: the bundle is asked only
      // about a phrase that shows nothing.
      const found = await this.resolve(l);
      if ((await found.count()) > 0) {
        // A position names one element: read at one look, as the bundle reads, for a list the page may redraw shorter
        // between the count and the read (textOf would wait the action timeout for an element gone: QA13 #2).
        if (l.nth === undefined) return { shows: await this.textOf(l) };
        const text = await found.evaluate(renderedText, undefined, { timeout: ONE_LOOK_MS }).catch((err: unknown) => {
          if (err instanceof pwErrors.TimeoutError) return undefined; // gone meanwhile: the bundle says why
          throw err;
        });
        if (text !== undefined) return { shows: text };
      }
      const shown = (await this.evaluateInFrame(shownTextExpression(l))) as InPageShownText;
      if ("ambiguous" in shown) throw new AmbiguousLocatorError(l, shown.ambiguous);
      return shown;
    });
  }
  valueOf(l: Locator) {
    return this.act(l, "to be visible", (el, timeout) => el.inputValue({ timeout }));
  }
  optionsOf(l: Locator, { show = false }: { show?: boolean } = {}) {
    return this.act(l, "to be visible", async (el, timeout) => {
      const deadline = Date.now() + timeout;
      const native = await el.evaluate(selectOptions, undefined, { timeout });
      if (!("notASelect" in native)) return native;
      const kindOf = () => el.evaluate(dropdownKind, undefined, { timeout: Math.max(1, deadline - Date.now()) });
      const hold = (ms: number) => this.holdDropdown(el, ms);
      return readAriaOptions(l, native, kindOf, hold, show, deadline, this.timeouts.actionTimeoutMs);
    });
  }

  /**
   * An ARIA drop-down resolved once, as a user keeps hold of it (an open popup may hide it from locators: MUI and
   * Radix mark the rest of the page aria-hidden meanwhile), with the hands aria-dropdown.ts acts with.
   */
  private async holdDropdown(el: PwLocator, ms: number): Promise<Held<ElementHandle>> {
    const deadline = Date.now() + ms;
    await el.waitFor({ state: "visible", timeout: ms });
    const widget = await el.elementHandle({ timeout: Math.max(1, deadline - Date.now()) });
    return { hands: this.dropdownHands(widget), release: () => release(widget) };
  }

  /**
   * What aria-dropdown.ts's procedure acts with: real clicks and keys (Playwright's actionability checks included)
   * on the drop-down resolved once, and what the in-page bundle says of it.
   */
  private dropdownHands(widget: ElementHandle): DropdownHands<ElementHandle> {
    /** Acts on the element a user opens and types into (its text field, or itself), let go of afterwards. */
    const onField = async <T>(act: (field: ElementHandle) => Promise<T>): Promise<T> => {
      const field = (await elementOn(widget, "ariaFieldOf")) ?? widget;
      return act(field).finally(() => field !== widget && release(field));
    };
    const clicked = (el: ElementHandle, timeout: number) =>
      this.pointer(el, timeout, (o) => el.click(o)).then(
        () => true,
        (err) => {
          if (err instanceof InPageError) throw err;
          return false; // covered, moving or gone: the procedure looks again (a dead browser fails its next look)
        },
      );
    return {
      look: (label) => callOn<AriaDropdownLook>(widget, "ariaDropdown", label),
      option: (label) => elementOn(widget, "ariaOptionNamed", label),
      clickOption: (option, timeout) => clicked(option, timeout).finally(() => release(option)),
      clickToOpen: (timeout) => onField((field) => clicked(field, timeout)),
      arrowDown: () => onField((field) => field.press("ArrowDown")),
      typeOver: (text) =>
        onField(async (field) => {
          await field.selectText();
          await this.page.keyboard.type(text); // key by key, as a user types (selectText focused it)
        }),
      escape: () => this.page.keyboard.press("Escape"),
      settle: async (ms) => void (await this.settle(ms)),
    };
  }
  validityOf(l: Locator) {
    return this.act(l, "to be visible", (el, timeout) => el.evaluate(fieldValidity, undefined, { timeout }));
  }
  columnHeaders(within?: Locator) {
    return this.guard(async () => {
      if (within) await this.cssReadable(within);
      return (await withinTimeout(
        this.evaluateInFrame(columnHeadersExpression(within ?? null)),
        this.timeouts.actionTimeoutMs,
        "reading the column headers",
      )) as string[];
    });
  }
  accessibilityViolations(options: AccessibilityAuditOptions, within?: Locator) {
    const limitMs = this.timeouts.navigationTimeoutMs;
    const audit = async (root: import("playwright-core").JSHandle) => {
      // Selenium stops waiting at the same limit (selenium.ts): a page too large to audit fails the same on both.
      const deadline = Date.now() + limitMs;
      // `auditing`: the call is the audit itself, which is ended in the page at the limit; a page whose own script
      // held up the injection keeps its script.
      const bound = async <T>(p: Promise<T>, auditing = false) => {
        try {
          return await withinTimeout(p, Math.max(deadline - Date.now(), 0), "auditing the page");
        } catch (err) {
          if (!(err instanceof pwErrors.TimeoutError)) throw err;
          if (auditing) await this.stopScript();
          throw auditTooLong(limitMs);
        }
      };
      // Attached before the audit: a session attached while the page runs a script waits for the script to end.
      await this.devtoolsOf(this.page);
      try {
        const { source, version } = axeCore();
        if (!(await bound(this.evaluateInFrame(axePresentExpression(version)))))
          await bound(this.evaluateInFrame(source));
        return await bound(root.evaluate(runAudit, options), true);
      } finally {
        void root.dispose().catch(() => undefined);
      }
    };
    return this.guard(async () => {
      if (!within) return audit(await (await this.currentFrame()).evaluateHandle(() => document));
      // The element is waited for as every element step waits; the audit's own time is not a wait for it.
      const el = await this.act(within, "to be visible", async (found, timeout) => {
        await found.waitFor({ state: "visible", timeout });
        return found.elementHandle({ timeout });
      });
      return audit(el);
    });
  }
  boundingBox(l: Locator) {
    return this.act(l, "to be visible", async (el, timeout) => {
      await el.waitFor({ state: "visible", timeout });
      const box = await el.boundingBox({ timeout });
      if (!box)
        throw notUsableInTime(
          l,
          this.timeouts.actionTimeoutMs,
          "to be visible",
          await this.explainWhy(l, "to be visible"),
        );
      return box as Rect;
    });
  }
  bodyText() {
    const byLocator = () => this.scope.locator("body").evaluate(renderedText);
    if (this.frame) return this.guard(byLocator);
    // The top-level page is read by one evaluate: a locator compiles Playwright's injected script into
    // every new document first (≈ 50 ms of CPU per page load, bench/RESULTS.md), and a text check is
    // often all a scenario does on a page. Main world, as the Selenium adapter reads it. Within the
    // action timeout, as the locator was (an evaluate alone waits for a busy page forever); a document
    // without a body yet is left to the locator, which waits for one.
    return this.guard(async () => {
      const text = await withinTimeout(
        this.page.evaluate(BODY_TEXT_EXPRESSION) as Promise<string | null>,
        this.timeouts.actionTimeoutMs,
        "reading the page's text",
      );
      return text ?? byLocator();
    });
  }
  viewport() {
    return this.guard((): Promise<ViewportMetrics> => this.page.evaluate(viewportMetrics));
  }

  cookies(url: string) {
    return this.guard(async () => readCookies(await this.cookieStore(), url));
  }
  async setCookie(cookie: CookieToSet) {
    const params = setCookieParams(cookie); // a cookie no browser takes fails here, as the test defect it is
    return this.guard(async () => writeCookie(await this.cookieStore(), params));
  }
  /**
   * The context's cookie store, asked over the page's DevTools session as the Selenium adapter asks it (cookies.ts):
   * context.cookies() would match cookies to the URL by Playwright's own rules.
   */
  private async cookieStore(): Promise<DevToolsSend> {
    const devtools = await this.devtoolsOf(this.page);
    return (method, params) => devtools.send(method as "Network.getCookies", params);
  }
  storage(area: StorageArea) {
    return this.storageCall(area);
  }
  async setStorageItem(area: StorageArea, key: string, value: string) {
    await this.storageCall(area, { key, value });
  }
  /** Reads (after writing an item) a storage area in the document steps act in, within the action timeout. */
  private async storageCall(area: StorageArea, write?: { key: string; value: string }) {
    const answer = await this.guard(() =>
      withinTimeout(
        this.evaluateInFrame(storageExpression(area, write)),
        this.timeouts.actionTimeoutMs,
        "reading the page's storage",
      ),
    );
    return storageFrom(area, answer);
  }

  async downloads() {
    return this.downloadsSeen.list();
  }
  downloadContent(index: number, maxBytes: number) {
    return this.guard(() => this.downloadsSeen.content(index, maxBytes));
  }

  screenshot() {
    return this.guard(() => this.page.screenshot());
  }
  pageSource() {
    return this.guard(() => this.page.content());
  }

  async close() {
    this.closing = true;
    for (const watch of this.watches) this.unwatch(watch);
    for (const page of this.listened) {
      page.off("dialog", this.onDialog);
      page.off("crash", this.onCrash);
      page.off("pageerror", this.onPageError);
      page.off("console", this.onConsole);
      page.off("response", this.onResponse);
      page.off("requestfailed", this.onRequestFailed);
    }
    this.navigations.unwatchAll();
    await this.downloadsSeen.close();
    // The page outlives the session (isolation: reset): its DevTools sessions must not pile up.
    // Bounded: a session asked for while the page was frozen may never be attached (busy-page.ts).
    for (const session of this.devtools.values())
      await withinTimeout(
        session.then((s) => s.detach()),
        DETACH_WAIT_MS,
        "detaching",
      ).catch(() => undefined);
    this.devtools.clear();
    // The scenario's trace chunk is stopped before the page is reset (the reset is not recorded).
    await this.opened.release(this.trace.settled());
  }

  readonly tracing: SessionTracing = {
    start: (title, options) => this.trace.begin(title, { snapshots: options?.snapshots === true }),
    stop: async (keep) => (keep ? this.trace.keep() : this.trace.discard()),
  };
}
