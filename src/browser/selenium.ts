// Selenium WebDriver adapter for the BrowserSession port (selenium-webdriver + chromedriver).
//
// One WebDriver session per driver (= per worker), reused across scenarios. newSession() resets the
// browser instead of starting a new WebDriver session (see SeleniumDriver.reset): the same tab, back
// on about:blank with no cookies, storage, cache, window.name or history left from the last scenario.
//
// Locators are resolved inside the page (in-page/, installed by selenium-locators.ts) with Playwright's semantics;
// the waiting rules are the port's (session.ts): actions poll until the first visible match is
// enabled, up to actionTimeoutMs, then throw LocatorTimeoutError naming the locator.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { error as seleniumErrors, Key, logging, Origin, WebElement, type WebDriver } from "selenium-webdriver";
import { BrowserStartError } from "../core/errors";
import { Command, Name } from "selenium-webdriver/lib/command";
import { UserPromptHandler } from "selenium-webdriver/lib/capabilities";
import * as chrome from "selenium-webdriver/chrome";
import * as seleniumHttp from "selenium-webdriver/http";
import { FileDetector } from "selenium-webdriver/remote";
import type { TargetSpec } from "../config/types";
import { disableFeaturesArg, HEADLESS_CHROMIUM_ARGS, SIGNOFF_DISABLED_FEATURES } from "./chromium-flags";
import { firstRequestSentAgent, startChromedriver, type LocalChromedriver } from "./chromedriver";
import { DevToolsGoneError, DevToolsTab } from "./devtools-tab";
import { freePage, PageNotAnsweringError, unlessBusy, type PageLine } from "./busy-page";
import { noDevToolsForAccess, tabSendsAccessHeaders } from "./selenium-staging-access";
import type { StagingAccess } from "../core/staging-access";
import { readCookies, setCookieParams, writeCookie, type DevToolsSend } from "./cookies";
import { DevToolsDownloads, DownloadsDirectory } from "./downloads";
import { storageExpression, storageFrom } from "./web-storage";
import {
  auditTooLong,
  axeCore,
  axePresentExpression,
  RUN_AUDIT_SCRIPT,
  STOP_AUDIT_EXPRESSION,
} from "./accessibility-audit";
import { RENDERED_TEXT_SCRIPT } from "./rendered-text";
import type { AccessibilityAuditOptions, AccessibilityViolation } from "../core/accessibility";
import { emulationFor } from "./devices";
import { chromeEmulationFor } from "./mobile-emulation";
import { callInPage, explainInPage, locateInPage, type InPageResult } from "./selenium-locators";
import { CssReadability, readsSelectors } from "./css-readability";
import {
  clip,
  DropdownGoneError,
  nativeOptionFailure,
  nativeOptionKept,
  readAriaOptions,
  selectAriaOption,
  type DropdownHands,
  type FoundDropdown,
} from "./aria-dropdown";
import type { AriaDropdownLook } from "./in-page/dropdown";
import type { RequestSnapshot } from "./in-page/requests";
import type { InPageShownText } from "./in-page/locate";
import type { AcrossOrigins, ScreenLanding } from "./in-page/pointer";
import type { NativeChoiceRefused } from "./in-page/elements";
import type { PointerInput } from "./in-page/across-frames";
import { pointerInputOf } from "./in-page-bundle";
import { FrameChain } from "./selenium-frames";
import { clickNotTaken, radioUncheckRefused, untilToggled, type Toggle } from "./toggle-through-label";
import { chordAsTyped } from "./key-chord";
import { chordActions, performKeys, typingActions, webdriverKeys } from "./selenium-keys";
import { lookWithin, openRequestsOf, settlePage, SNAPSHOT_EXPRESSION, SNAPSHOT_SCRIPT, TRACKER_SCRIPT } from "./settle";
import {
  AmbiguousLocatorError,
  BrowserCrashedError,
  checkPageStatus,
  type ExpectedAnswer,
  unexpectedProblems,
  type DocumentAnswer,
  DOCUMENT_ANSWER_EXPRESSION,
  withExpected,
  ElementLeftPageError,
  FrameGoneError,
  isBrowserOwnRequest,
  LocatorTimeoutError,
  NOT_EXPLAINED,
  notUsableInTime,
  type Explanation,
  NotCheckableError,
  toggleWait,
  HOVER_WAIT,
  NavigationTimeoutError,
  NoNewTabError,
  titleIncludes,
  loadFailure,
  type BrowserDriver,
  type BrowserSession,
  type DialogSeen,
  type ElementStateName,
  type FieldValidity,
  type Locator,
  type PageProblem,
  type Rect,
  type SelectOptions,
  type SessionTimeouts,
  type SettleOptions,
  type SettleOutcome,
  type ShownText,
  type StorageArea,
  type Cookie,
  type CookieToSet,
  type WebStorage,
  CookiesUnavailableError,
  DownloadsUnavailableError,
  type Download,
  type DownloadContent,
  type ViewportMetrics,
  FieldValueRefusedError,
  type ValueFieldState,
} from "./session";

export interface SeleniumDriverOptions {
  /** Chromium executable for a local session ("" lets chromedriver find one). Not sent to a remote Grid. */
  chromiumPath: string;
  /** chromedriver executable for a local session; Selenium Manager is never used. */
  chromedriverPath: string;
  /** A local chromedriver already starting (launch.ts starts it before this module loads); else it is started here. */
  chromedriver?: Promise<LocalChromedriver>;
  /** Called once a local session's request is sent to chromedriver. */
  onSessionRequested?: () => void;
  timeouts: SessionTimeouts;
  /** Staging's access headers: the tab sends them to staging's origin only (selenium-staging-access.ts). */
  stagingAccess?: StagingAccess;
}

/** How often actions re-check a locator while waiting. */
const POLL_MS = 50;

/** How long the reset lets a page take to leave for about:blank before the WebDriver reset takes over. */
const LEAVE_TIMEOUT_MS = 2000;
/** How long requestsInFlight lets a busy page take to show its tracker (the caller bounds the whole read too). */
const PENDING_LOOK_MS = 1000;
const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

/**
 * Text of errors that mean the browser or the session is gone, for the two sources that give no type: chromedriver
 * reports a dead Chromium or tab as the W3C "unknown error", and selenium-webdriver's HTTP client rethrows a failed
 * connection to chromedriver as a plain Error with the system error code in its message only.
 */
const GONE_TEXT =
  /invalid session id|session deleted|chrome not reachable|disconnected: |unable to receive message from renderer|target crashed|tab crashed|does not have a valid session ID|ECONNREFUSED|ECONNRESET|EPIPE|socket hang up/i;

/** Errors that mean the browser or the WebDriver session is gone for good. */
export function isCrashError(err: unknown): boolean {
  if (err instanceof seleniumErrors.NoSuchSessionError || err instanceof seleniumErrors.SessionNotCreatedError)
    return true;
  const code = (err as { code?: unknown } | undefined)?.code;
  if (code === "ECONNREFUSED" || code === "ECONNRESET" || code === "EPIPE") return true;
  // A typed WebDriver error (a script's JavascriptError, a missing element…) is not a crash, whatever its text says.
  const untyped = !(err instanceof seleniumErrors.WebDriverError) || err.constructor === seleniumErrors.WebDriverError;
  return err instanceof Error && untyped && GONE_TEXT.test(err.message);
}

function firstLine(err: unknown): string {
  return String((err as Error)?.message ?? err).split("\n")[0];
}

/**
 * The Chrome options every Signoff Selenium session starts with (the bench's raw loop uses them too);
 * a local session gets a private profile directory, which the caller removes when it is done.
 */
export function chromeOptionsFor(
  target: TargetSpec,
  chromiumPath: string,
): { options: chrome.Options; userDataDir?: string } {
  const chromeEmulation = chromeEmulationFor(emulationFor(target));
  const options = new chrome.Options();
  // Playwright's headless launch hides scrollbars; do the same so layout (clientWidth) and screenshots agree.
  // Incognito: storage lives in memory, as in a Playwright context, so the per-scenario reset clears it far
  // faster than on a disk profile (bench/RESULTS.md), and both drivers run the same kind of profile.
  const args = [
    ...HEADLESS_CHROMIUM_ARGS,
    disableFeaturesArg(SIGNOFF_DISABLED_FEATURES), // chromedriver merges its own into this one switch
    "--incognito",
    "--hide-scrollbars",
    "--mute-audio",
    ...chromeEmulation.args,
  ];
  let userDataDir: string | undefined;
  if (!target.remote) {
    userDataDir = mkdtempSync(join(tmpdir(), "signoff-selenium-"));
    args.push(`--user-data-dir=${userDataDir}`);
    if (chromiumPath) options.setChromeBinaryPath(chromiumPath);
  }
  options.addArguments(...args);
  // The typings only know {deviceName} / flat metrics; chromedriver takes {deviceMetrics, userAgent}.
  options.setMobileEmulation(chromeEmulation.mobileEmulation as unknown as { deviceName: string });
  options.setPageLoadStrategy("normal");
  // Native dialogs stay open until the session handles them (accept/dismiss as the scenario says, see
  // SeleniumSession.settleDialog), as Playwright's dialog event lets it; chromedriver's default dismisses them.
  options.setAlertBehavior(UserPromptHandler.IGNORE);
  // Page errors, console errors and failed loads, read back by SeleniumSession.pageProblems().
  const logs = new logging.Preferences();
  logs.setLevel(logging.Type.BROWSER, logging.Level.SEVERE);
  options.setLoggingPrefs(logs);
  return { options, userDataDir };
}

export async function launchSeleniumDriver(target: TargetSpec, opts: SeleniumDriverOptions): Promise<BrowserDriver> {
  // A Grid passes DevTools commands but not their events: a paused request could never be continued.
  if (target.remote && opts.stagingAccess)
    throw noDevToolsForAccess(target.name, `a remote Selenium end (${target.remote}) gives none`);
  const { options, userDataDir } = chromeOptionsFor(target, opts.chromiumPath);
  let driver: chrome.Driver;
  let local: LocalChromedriver | undefined;
  try {
    if (target.remote) {
      const executor = new seleniumHttp.Executor(new seleniumHttp.HttpClient(target.remote));
      driver = chrome.Driver.createSession(options, executor);
    } else {
      if (!opts.chromedriverPath) throw new Error("no chromedriver path given for the Selenium target");
      // Signoff starts chromedriver itself (never Selenium Manager), in its own process group: see chromedriver.ts.
      local = await (opts.chromedriver ?? startChromedriver(opts.chromedriverPath));
      const client = new seleniumHttp.HttpClient(local.url, firstRequestSentAgent(opts.onSessionRequested));
      driver = chrome.Driver.createSession(options, new seleniumHttp.Executor(client));
    }
    await driver.getSession();
    await Promise.all([
      driver.manage().setTimeouts({ implicit: 0, pageLoad: opts.timeouts.navigationTimeoutMs, script: 30_000 }),
      // Every document of the tab counts its requests from its first script on (settle()); the tab is kept across
      // scenarios, so this is sent once. Through a Grid too (DevTools commands pass, their events do not come back);
      // without it, settle() installs the tracker in the document it looks at.
      driver
        .sendDevToolsCommand("Page.addScriptToEvaluateOnNewDocument", { source: TRACKER_SCRIPT })
        .catch(() => undefined),
    ]);
  } catch (err) {
    await cleanupLocal(local, userDataDir);
    const where = target.remote ? ` at ${target.remote}` : "";
    // An environment problem (no browser, a full or lost Grid), filed as one by its type.
    throw new BrowserStartError(
      `could not start a Selenium session for target "${target.name}"${where}: ${firstLine(err)}`,
      {
        cause: err,
      },
    );
  }
  const access = opts.stagingAccess && { access: opts.stagingAccess, target: target.name };
  return new SeleniumDriver(
    driver,
    opts.timeouts,
    { chromedriver: local, userDataDir },
    local && connectTab(driver),
    access,
    emulationFor(target).isMobile === true,
  );
}

/**
 * A direct DevTools connection to the session's tab, for a local chromedriver only: a remote end's
 * debugger address names a port on its own machine. Undefined when it cannot be had (the reset then
 * goes through WebDriver, as on a Grid).
 */
async function connectTab(driver: chrome.Driver): Promise<DevToolsTab | undefined> {
  try {
    const [caps, handle] = await Promise.all([driver.getCapabilities(), driver.getWindowHandle()]);
    const address = (caps.get("goog:chromeOptions") as { debuggerAddress?: string } | undefined)?.debuggerAddress;
    return address ? await DevToolsTab.connect(address, handle) : undefined;
  } catch {
    return undefined;
  }
}

/** Stops the local chromedriver's process group (Chrome included) and removes the private profile. */
async function cleanupLocal(local: LocalChromedriver | undefined, userDataDir: string | undefined): Promise<void> {
  await local?.stop();
  if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
}

/**
 * A renderer garbage collection every this many scenarios: the tab's renderer grew by ≈ 90 MB (PSS) from 10 to
 * 100 scenarios without it (bench/RESULTS.md, "Memory from 10 to 500 scenarios").
 */
const RENDERER_GC_EVERY = 25;

/** A drop-down gone stale (a re-render replaced it) is DropdownGoneError, as a disconnected one is on Playwright. */
function staleAsGone<T>(work: Promise<T>): Promise<T> {
  return work.catch((err: unknown) => {
    throw err instanceof seleniumErrors.StaleElementReferenceError ? new DropdownGoneError() : err;
  });
}

class SeleniumDriver implements BrowserDriver {
  private dead = false;
  private closed = false;
  private current: SeleniumSession | undefined;
  /** The reset started when the last session was given back (see released()). */
  private resetting: Promise<void> | undefined;
  /** Origins pages were opened on; the storage fallback when the DevTools commands are unavailable. */
  readonly origins = new Set<string>();
  /** The session switched WebDriver's browsing context (into a frame) since the last reset. */
  switched = false;
  /** The frames steps act in (enterFrame), for a point carried up where a parent is of another origin. */
  readonly frames = new FrameChain();
  /** The direct DevTools connection to the tab, once it is up (see connectTab). */
  tab: DevToolsTab | undefined;
  /** Where the tab's downloads go, set up over its DevTools connection once (watchDownloads). */
  private downloadsDir: { tab: DevToolsTab; directory: DownloadsDirectory } | undefined;
  private resets = 0;
  /** Which CSS phrases this browser reads (css-readability.ts). */
  readonly css = new CssReadability((selectors) => this.driver.executeScript(readsSelectors, selectors));

  constructor(
    readonly driver: chrome.Driver,
    private readonly timeouts: SessionTimeouts,
    private readonly local: { chromedriver?: LocalChromedriver; userDataDir?: string },
    private readonly connecting?: Promise<DevToolsTab | undefined>,
    private readonly staging?: { access: StagingAccess; target: string },
    /** The target emulates a phone: a click on a page the screen shows part of goes by screenLanding (tap()). */
    readonly mobile = false,
  ) {}

  /**
   * The session's page held chromedriver past the busy-page watch (busy-page.ts): the driver counts as dead, so the
   * next scenario gets a new browser (world.ts) instead of a reset queued behind the stuck command.
   */
  giveUp(): void {
    this.dead = true;
  }

  /** The tab's main thread over its own DevTools connection (busy-page.ts); none on a remote end without it. */
  pageLine(): PageLine | undefined {
    return this.tab && !this.tab.isGone() ? this.tab.pageLine() : undefined;
  }

  /** Runs a WebDriver call; a dead browser/session marks the driver dead and becomes BrowserCrashedError. */
  async call<T>(fn: () => Promise<T>): Promise<T> {
    if (this.dead) throw new BrowserCrashedError("the browser or WebDriver session is gone");
    try {
      return await fn();
    } catch (err) {
      if (isCrashError(err)) {
        this.dead = true;
        throw new BrowserCrashedError(firstLine(err));
      }
      throw err;
    }
  }

  /**
   * Where the browser reads the files to upload from: a remote end (a Grid node) gets a copy of each first.
   * Not driver.setFileDetector: that would turn any typed text naming a project file into an upload.
   */
  async filesForBrowser(paths: string[]): Promise<string[]> {
    if (this.local.chromedriver) return paths;
    const detector = new FileDetector();
    const onNode: string[] = [];
    for (const p of paths) onNode.push(await detector.handleFile(this.driver, p));
    return onNode;
  }

  async browserVersion(): Promise<string> {
    const caps = await this.call(() => this.driver.getCapabilities());
    return `chromium ${caps.getBrowserVersion()}`;
  }

  async newSession(): Promise<BrowserSession> {
    if (this.closed) throw new Error("this Selenium driver is closed");
    this.current?.invalidate();
    await (this.resetting ?? this.call(() => this.reset()));
    this.resetting = undefined;
    if (this.staging) await this.sendAccessHeaders(this.staging.access, this.staging.target);
    this.current = new SeleniumSession(this, this.timeouts, await this.watchDownloads());
    return this.current;
  }

  /**
   * The session's downloads, recorded over the tab's own DevTools connection into a directory of the session's
   * (downloads.ts). A remote end's browser saves them on its own machine and sends no DevTools events back.
   */
  private async watchDownloads(): Promise<DevToolsDownloads | DownloadsUnavailableError> {
    const remoteEnd = "this Selenium remote end";
    if (!this.local.chromedriver)
      return new DownloadsUnavailableError(remoteEnd, "saves downloads on its own machine and reports none back");
    this.tab ??= await this.connecting;
    // A tab the WebDriver reset replaced (resetWithoutDevTools) gets a connection of its own.
    if (!this.tab || this.tab.isGone()) this.tab = await connectTab(this.driver);
    const tab = this.tab;
    if (!tab) return new DownloadsUnavailableError("chromedriver", "reported no DevTools address for the tab");
    if (this.downloadsDir?.tab !== tab) {
      this.downloadsDir?.directory.remove();
      this.downloadsDir = {
        tab,
        directory: new DownloadsDirectory({
          command: (method, params) => tab.browserCommand(method, params),
          tabCommand: (method, params) => tab.command(method, params),
          on: (method, handler) => tab.onBrowser(method, handler),
        }),
      };
    }
    try {
      return await this.downloadsDir.directory.start();
    } catch (err) {
      return new DownloadsUnavailableError("the browser", `refused to report downloads (${firstLine(err)})`);
    }
  }

  /** Before the scenario's first request: the tab's requests to staging carry the headers, or the session does not open. */
  private async sendAccessHeaders(access: StagingAccess, target: string): Promise<void> {
    this.tab ??= await this.connecting;
    // A tab the WebDriver reset replaced (resetWithoutDevTools) gets a connection of its own.
    if (this.tab?.isGone()) this.tab = await connectTab(this.driver);
    if (!this.tab) throw noDevToolsForAccess(target, "chromedriver reported no DevTools address for the tab");
    await tabSendsAccessHeaders(this.tab, access).catch((err: unknown) => {
      throw noDevToolsForAccess(target, `it refused the interception (${firstLine(err)})`);
    });
  }

  /**
   * Starts the reset as soon as a scenario gives its session back, so it overlaps the scenario's
   * tail (Cucumber's After hooks, formatters); the next newSession() waits for it and gets its error.
   */
  released(session: SeleniumSession): void {
    if (session !== this.current || this.closed || this.dead) return;
    this.current = undefined;
    const pending = this.call(() => this.reset());
    pending.catch(() => undefined); // seen by the next newSession()
    this.resetting = pending;
  }

  /**
   * A clean slate in the tab the worker keeps (a new tab would cost a new renderer process per
   * scenario): popups closed, the last document unloaded (about:blank), window.name emptied, every
   * cookie, every origin's storage and the HTTP cache cleared, history cut back to that about:blank —
   * what a brand-new tab shows. The conformance suite's isolation test checks each of these.
   */
  private async reset(): Promise<void> {
    this.tab ??= await this.connecting;
    const tab = this.tab?.isGone() ? undefined : this.tab;
    if (tab) {
      // WebDriver back in the top-level document when the scenario ended inside a frame (the commands the
      // session sends switch only through enterFrame); popups are closed by their target id.
      if (this.switched) await this.driver.switchTo().window(tab.targetId);
      this.switched = false;
      this.frames.left();
      if (await this.resetOverDevTools(tab)) {
        this.origins.clear();
        // chromedriver reads the browser's events only while it runs a command, and none ran since the
        // scenario's last one: what the page logged after it is read now, and is not the next scenario's.
        await this.drainBrowserLog();
        return;
      }
    }
    await this.resetOverWebDriver(tab?.targetId);
  }

  /** The reset through WebDriver commands alone (a remote end), or when the page would not leave by itself. */
  private async resetOverWebDriver(keep?: string): Promise<void> {
    const d = this.driver;
    const popups = await this.closePopups(keep);
    // Back to the tab's top-level document when the scenario may have ended inside a popup or a frame.
    if (popups > 0 || this.switched) await d.switchTo().window(keep ?? (await d.getAllWindowHandles())[0]);
    this.switched = false;
    this.frames.left();
    try {
      await this.leavePage();
      // Every origin's cookies too: "all" includes them (the conformance suite's cookie cases).
      await d.sendDevToolsCommand("Storage.clearDataForOrigin", { origin: "*", storageTypes: "all" });
      await d.sendDevToolsCommand("Network.clearBrowserCache", {});
      await d.sendDevToolsCommand("Page.resetNavigationHistory", {});
      // The renderer keeps every document it loaded until V8 feels memory pressure (as on Playwright).
      if (++this.resets % RENDERER_GC_EVERY === 0)
        await d.sendDevToolsCommand("HeapProfiler.collectGarbage", {}).catch((err) => {
          if (isCrashError(err)) throw err; // memory is no reason to give up the DevTools reset
        });
    } catch (err) {
      if (isCrashError(err)) throw err;
      await this.resetWithoutDevTools();
    }
    this.origins.clear();
    await this.drainBrowserLog(); // the last scenario's problems are not this one's
  }

  /** Closes every window but `keep` (default: the first); answers how many it closed. */
  private async closePopups(keep?: string): Promise<number> {
    const d = this.driver;
    const handles = await d.getAllWindowHandles();
    const popups = handles.filter((h, i) => (keep ? h !== keep : i > 0));
    for (const h of popups) {
      await d.switchTo().window(h);
      await d.close();
    }
    return popups.length;
  }

  /**
   * The whole reset over the tab's own DevTools connection, without chromedriver: the page leaves for
   * about:blank by itself, one more script runs in the new document once a task has passed (the old
   * document's pagehide/unload handlers run after the commit; see unload()) and empties window.name,
   * then the three clears go out together. False when the page would not leave (a dialog, an unload
   * prompt, a busy page) or the connection failed: the WebDriver reset then does it all.
   */
  private async resetOverDevTools(tab: DevToolsTab): Promise<boolean> {
    if (tab.dialogOpen) return false;
    try {
      if (tab.otherPages.size > 0) await tab.closeOtherPages();
      const left = tab.nextEvent("Page.frameNavigated", (p) => {
        const frame = p.frame as { parentId?: string; url?: string };
        return !frame.parentId && frame.url === "about:blank";
      });
      const blocked = tab.nextEvent("Page.javascriptDialogOpening");
      // Not awaited: a page whose script never returns answers no script, and is freed below.
      const refused = tab.evaluate('location.replace("about:blank");').then(
        () => new Promise<never>(() => undefined),
        () => "refused" as const,
      );
      const leaving = () =>
        Promise.race([
          left.then(() => "left" as const),
          blocked.then(() => "dialog" as const),
          refused,
          delay(LEAVE_TIMEOUT_MS).then(() => "busy" as const),
        ]);
      let outcome = await leaving();
      // Its script ended, the page runs the queued request to leave (and chromedriver the command it was stuck on).
      if (outcome === "busy" && !(await freePage(tab.pageLine(), LEAVE_TIMEOUT_MS))) {
        // chromedriver may be held by the same page: its reset would wait with it. A new browser instead (world.ts).
        this.giveUp();
        throw new BrowserCrashedError("the page did not answer even with its script ended");
      }
      if (outcome === "busy") outcome = await leaving();
      if (outcome !== "left") return false;
      const href = await tab.evaluate<string>(
        'new Promise((r) => setTimeout(r, 0)).then(() => { window.name = ""; return location.href; })',
      );
      if (href !== "about:blank") return false;
      if (tab.otherPages.size > 0) await tab.closeOtherPages(); // opened by the page as it left
      await Promise.all([
        // Every origin's cookies too: "all" includes them (the conformance suite's cookie cases).
        tab.command("Storage.clearDataForOrigin", { origin: "*", storageTypes: "all" }),
        tab.command("Network.clearBrowserCache"),
        tab.command("Page.resetNavigationHistory"),
      ]);
      // The renderer keeps every document it loaded until V8 feels memory pressure (as on Playwright).
      if (++this.resets % RENDERER_GC_EVERY === 0)
        await tab.command("HeapProfiler.collectGarbage").catch(() => undefined); // memory is no reason to reset again
      return true;
    } catch (err) {
      if (err instanceof BrowserCrashedError) throw err;
      return false; // a crash shows in the WebDriver reset's first command
    } finally {
      tab.dropWaiters();
    }
  }

  /**
   * The last document unloads (its scripts stop, its unload handlers have run) before anything is
   * cleared. The page itself navigates to about:blank: a navigation the browser starts (WebDriver's
   * get, DevTools' Page.navigate) swaps the renderer process to about:blank and back on the next
   * load, and chromedriver waits on it — ≈ 0.1–0.8 s per scenario (bench/RESULTS.md).
   */
  private async unload(): Promise<void> {
    const d = this.driver;
    const blank = async () => {
      await d.executeScript('location.replace("about:blank");');
      return d.executeScript<string>("return location.href;"); // chromedriver lets it run once the navigation is done
    };
    const settled = await blank().catch(async (err) => {
      // A dialog left open by the last scenario (alerts are left to the session), or an unload prompt.
      if ((err as Error).name !== "UnexpectedAlertOpenError") throw err;
      await d
        .switchTo()
        .alert()
        .then((a) => a.dismiss())
        .catch(() => undefined);
      return blank();
    });
    if (settled !== "about:blank") {
      // The page would not leave (a beforeunload prompt, a busy page): the browser navigates it away.
      await d
        .switchTo()
        .alert()
        .then((a) => a.dismiss())
        .catch(() => undefined);
      await d.sendDevToolsCommand("Page.navigate", { url: "about:blank" });
    }
    // The old document's pagehide/unload handlers run in a task after the new document commits, so
    // one more call into the page first: otherwise a handler's window.name outlived the reset
    // (the conformance suite's unload-handler case).
    await d.executeScript('window.name = "";');
  }

  /**
   * The page leaves by itself; if that fails short of a crash (a script timeout on a busy page, an
   * unload prompt that comes back), the browser navigates it away, an unload prompt accepted. A failure
   * here means no DevTools: the caller falls back to a new tab.
   */
  private async leavePage(): Promise<void> {
    const d = this.driver;
    try {
      await this.unload();
    } catch (err) {
      if (isCrashError(err)) throw err;
      const acceptPrompt = () =>
        d
          .switchTo()
          .alert()
          .then((a) => a.accept())
          .catch(() => undefined);
      await acceptPrompt();
      await d.sendDevToolsCommand("Page.navigate", { url: "about:blank" });
      await acceptPrompt();
      await d.executeScript('window.name = "";');
    }
  }

  /** A remote end without the DevTools passthrough: a new tab, and each origin we used cleared by hand. */
  private async resetWithoutDevTools(): Promise<void> {
    const d = this.driver;
    const old = await d.getWindowHandle();
    await d.switchTo().newWindow("tab");
    const fresh = await d.getWindowHandle();
    await d.switchTo().window(old);
    await d.close();
    await d.switchTo().window(fresh);
    for (const origin of this.origins) {
      await d.get(origin + "/");
      await d.manage().deleteAllCookies();
      await d.executeScript("try { localStorage.clear(); sessionStorage.clear(); } catch (e) {}");
    }
    await d.get("about:blank");
  }

  isDead(): boolean {
    return this.dead;
  }

  /**
   * Moves chromedriver's browser log (severe entries) into `into` as page problems; the raw command
   * keeps each entry's `source` (javascript, console-api, network), which getLog() drops, so entries
   * are classified by where they came from. Remote ends without the log answer nothing.
   */
  async drainBrowserLog(into?: PageProblem[]): Promise<void> {
    let entries: Array<{ level?: string; message?: string; source?: string }>;
    try {
      entries = (await this.driver.execute(
        new Command(Name.GET_LOG).setParameter("type", logging.Type.BROWSER),
      )) as unknown as typeof entries;
    } catch (err) {
      if (isCrashError(err)) throw err;
      return;
    }
    for (const e of entries ?? []) {
      const problem = problemFromLog(e);
      if (problem && into) into.push(problem);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.current?.invalidate();
    // A reset started for a next scenario that never came: quit() must be the session's last command.
    await Promise.race([
      this.resetting?.catch(() => undefined),
      new Promise((resolve) => setTimeout(resolve, 10_000).unref()),
    ]);
    (this.tab ?? (await this.connecting?.catch(() => undefined)))?.close();
    // quit() ends the browser even when the session already died; a local chromedriver's group is killed after.
    await Promise.race([
      this.driver.quit().catch(() => undefined),
      new Promise((resolve) => setTimeout(resolve, 10_000).unref()),
    ]);
    this.dead = true;
    this.downloadsDir?.directory.remove();
    await cleanupLocal(this.local.chromedriver, this.local.userDataDir);
  }
}

class SeleniumSession implements BrowserSession {
  private valid = true;
  private dialogPolicy: { action: "accept" | "dismiss"; promptText?: string } = { action: "dismiss" };
  private readonly dialogsSeen: DialogSeen[] = [];
  private readonly problems: PageProblem[] = [];
  /** Loads answered with the status a step expected (unexpectedProblems). */
  private readonly expectedAnswers: ExpectedAnswer[] = [];
  /** Steps act in a tab the page opened (switchToNewTab): the DevTools connection is to the session's own tab. */
  private inOtherTab = false;

  constructor(
    private readonly owner: SeleniumDriver,
    private readonly timeouts: SessionTimeouts,
    /** This session's downloads, or why the target cannot report them. */
    private readonly downloadsSeen: DevToolsDownloads | DownloadsUnavailableError,
  ) {}

  invalidate(): void {
    this.valid = false;
    if (this.downloadsSeen instanceof DevToolsDownloads) this.downloadsSeen.dispose();
  }

  private get d(): WebDriver {
    return this.owner.driver;
  }

  /**
   * Runs a command of the session: WebDriver back in the frames the steps act in first (FrameChain.inFrames), unless
   * the command acts on the tab whatever document the steps are in (`anywhere`: a navigation, the URL, the dialogs…),
   * which must not fail for a frame the page removed.
   */
  private run<T>(
    fn: () => Promise<T>,
    where: "in frames" | "anywhere" = "in frames",
    watch: "watched" | "unwatched" = "watched",
  ): Promise<T> {
    if (!this.valid)
      return Promise.reject(
        new Error("this browser session is closed (a newer one replaced it, or close() was called)"),
      );
    const inFrames = () =>
      where === "in frames" ? this.owner.frames.inFrames(this.d, this.findFrame) : Promise.resolve();
    // A page that stops answering fails the step rather than holding chromedriver (busy-page.ts). Not watched: a
    // navigation and an audit (each has its own limit), a call inside a watched one, and another tab than the
    // session's own (the DevTools connection reaches only that one).
    const line = watch === "unwatched" || this.watching || this.inOtherTab ? undefined : this.owner.pageLine();
    if (!line) return this.runCommands(fn, inFrames);
    this.watching = true;
    return unlessBusy(this.runCommands(fn, inFrames), line)
      .catch((err: unknown) => {
        // Still held by the page: chromedriver answers no command of the session, so the next one is a new browser.
        if (err instanceof PageNotAnsweringError && !err.freed) this.owner.giveUp();
        throw err;
      })
      .finally(() => (this.watching = false));
  }
  /** A watched run() is under way (its busy-page watch covers the calls inside it). */
  private watching = false;

  private runCommands<T>(fn: () => Promise<T>, inFrames: () => Promise<void>): Promise<T> {
    return this.owner.call(async () => {
      try {
        await inFrames();
        return await fn();
      } catch (err) {
        // A dialog opened since the last command (a timer, a page load): handle it as the scenario says, then go on.
        if ((err as Error).name !== "UnexpectedAlertOpenError") throw err;
        await this.settleDialog();
        await inFrames();
        return fn();
      }
    });
  }

  /** A frame's element found again by the phrase a step switched into it with (FrameChain), waited for as then. */
  private readonly findFrame = (l: Locator) =>
    this.waitAndAct(
      l,
      "to be visible",
      () => true,
      async (el) => el,
    );

  /** Handles an open native dialog by the policy, remembering its text; false when none is open. */
  private async settleDialog(): Promise<boolean> {
    let alert;
    try {
      alert = await this.d.switchTo().alert();
    } catch (err) {
      if (err instanceof seleniumErrors.NoSuchAlertError) return false;
      throw err;
    }
    const { action, promptText } = this.dialogPolicy;
    const message = await alert.getText();
    if (action === "accept") {
      // Only a prompt takes text; WebDriver cannot tell prompts from confirms, so try.
      if (promptText !== undefined) await alert.sendKeys(promptText).catch(() => undefined);
      await alert.accept();
    } else {
      await alert.dismiss();
    }
    this.dialogsSeen.push({ message, action });
    return true;
  }

  /** Notes the page's origin for the reset's fallback (resetWithoutDevTools). */
  private remember(href: string): void {
    try {
      const u = new URL(href);
      if (u.protocol === "http:" || u.protocol === "https:") this.owner.origins.add(u.origin);
    } catch {
      // not a URL: nothing to clear later
    }
  }

  private async navigate(what: string, fn: () => Promise<void>, expectStatus?: number): Promise<void> {
    try {
      await fn();
      // WebDriver navigated the top-level document and acts there now (as a step that leaves the frames).
      this.owner.frames.left();
    } catch (err) {
      if (err instanceof seleniumErrors.TimeoutError && !isCrashError(err)) {
        throw new NavigationTimeoutError(what, this.timeouts.navigationTimeoutMs);
      }
      // chromedriver fails a navigation whose connection failed ("unknown error: net::ERR_CONNECTION_REFUSED")
      // rather than answering with Chrome's error page loaded; the tab shows that error page all the same. Its
      // state says what happened (as on Playwright: loadFailure), not the error's wording.
      if (!isCrashError(err)) {
        const failed = await this.pageStatus().then(
          (page) => this.connectionFailure(page, what),
          () => undefined, // the page cannot be read (a dialog, a browser going away): the driver's error stands
        );
        if (failed) throw failed;
      }
      throw err;
    }
    await this.failOnStagingError(what, expectStatus);
  }

  /**
   * WebDriver hides the HTTP status, so read it the way the page sees it: the navigation timing
   * entry's responseStatus, and Chrome's error page for a failed connection. Same errors as Playwright.
   */
  private async failOnStagingError(opened: string, expectStatus?: number): Promise<void> {
    const page = await this.pageStatus();
    this.remember(page.href);
    const failed = await this.connectionFailure(page, opened);
    if (failed) throw failed;
    if (page.status <= 0) return;
    checkPageStatus("GET", page.href, page.status, expectStatus);
    if (expectStatus !== undefined) this.expectedAnswers.push({ url: page.href, status: expectStatus });
  }

  /** The tab shows Chrome's error page (the load got no page): why (loadFailure), naming its net error and URL. */
  private async connectionFailure(page: PageStatus, opened: string): Promise<Error | undefined> {
    if (!page.href.startsWith("chrome-error://")) return undefined;
    // A loop names the URL the step opened, as Playwright does: the navigation entry has the chain's last.
    if (page.netError === "ERR_TOO_MANY_REDIRECTS" && /^https?:/.test(opened))
      return loadFailure(page.netError, opened);
    return loadFailure(page.netError || "the connection failed", await this.lastRequestedUrl());
  }

  /**
   * Read over the tab's DevTools connection when there is one (a WebDriver script costs a chromedriver
   * round trip, ≈ 10 ms): a navigation command leaves WebDriver in the top-level document, which is the
   * one DevTools evaluates in. A dialog open or opening sends it through WebDriver, which reports it.
   */
  private pageStatus(): Promise<PageStatus> {
    return this.inTopDocument<PageStatus>(`(() => {${PAGE_STATUS}})()`);
  }

  /**
   * An expression's value, read in the top-level document over the tab's DevTools connection when there is one (see
   * pageStatus); else by WebDriver, in the document it is in (a frame, when the steps are in one).
   */
  private async inTopDocument<T>(expression: string): Promise<T> {
    const tab = this.owner.tab;
    if (tab && !tab.isGone() && !tab.dialogOpen && !this.inOtherTab) {
      const value = await tab.evaluate<T>(expression).catch(() => undefined);
      if (value) return value;
    }
    return (await this.d.executeScript(`return ${expression};`)) as T;
  }

  /**
   * Ends an audit past its limit over the tab's DevTools connection, which answers while chromedriver waits for the
   * script: its running stretch is terminated, then its promise settled (STOP_AUDIT_EXPRESSION, in the top document),
   * so chromedriver takes commands again. In a frame or another tab (the session switched since its reset) that
   * connection cannot reach the audit's promise, and a terminated audit whose promise never settles would hold
   * chromedriver until its script timeout: there the audit runs to its end, as it would without this.
   */
  private async stopAudit(): Promise<void> {
    const tab = this.owner.tab;
    if (!tab || tab.isGone() || this.owner.switched) return;
    await tab.command("Runtime.terminateExecution").catch(() => undefined);
    await tab.evaluate(STOP_AUDIT_EXPRESSION).catch(() => undefined);
  }

  private async lastRequestedUrl(): Promise<string> {
    const entry = (await this.d.executeScript(
      `const n = performance.getEntriesByType("navigation")[0]; return n ? n.name : "";`,
    )) as string;
    return entry || "(unknown URL)";
  }

  goto(url: string, expectStatus?: number): Promise<void> {
    return this.run(() => this.navigate(url, () => this.d.get(url), expectStatus), "anywhere", "unwatched");
  }
  reload(): Promise<void> {
    return this.run(() => this.navigate("(reload)", () => this.d.navigate().refresh()), "anywhere", "unwatched");
  }
  back(): Promise<void> {
    return this.run(() => this.navigate("(back)", () => this.d.navigate().back()), "anywhere", "unwatched");
  }
  url(): Promise<string> {
    return this.run(() => this.d.getCurrentUrl(), "anywhere");
  }
  title(): Promise<string> {
    return this.run(() => this.d.getTitle(), "anywhere");
  }

  /** One look at the page: how many visible matches, and the first one's state. */
  private async probe(l: Locator): Promise<InPageResult> {
    await this.cssReadable(l);
    return locateInPage(this.d, l);
  }

  /** Throws UnreadableSelectorError for a CSS phrase the browser refuses, in the words Playwright targets use. */
  private cssReadable(l: Locator): Promise<void> {
    return this.owner.css.check(l, this.timeouts.actionTimeoutMs);
  }

  /**
   * Polls until the first visible match satisfies `ready` and `act` succeeds on it, up to the action
   * timeout. `act` returning false, a stale element, or an intercepted click means "try again". A phrase that
   * names no one element (AmbiguousLocatorError) fails at once.
   */
  private async waitAndAct<T>(
    l: Locator,
    what: string,
    ready: (r: InPageResult) => boolean,
    act: (el: WebElement) => Promise<T | typeof RETRY>,
  ): Promise<T> {
    const deadline = Date.now() + this.timeouts.actionTimeoutMs;
    for (;;) {
      const r = await this.probe(l);
      // Decided at the first look that finds the phrase's elements, as on Playwright: a guess would act on the wrong one.
      if (r.ambiguity) throw new AmbiguousLocatorError(l, r.ambiguity);
      if (r.first instanceof WebElement && ready(r)) {
        try {
          const out = await act(r.first);
          await this.settleDialog();
          if (out !== RETRY) return out as T;
        } catch (err) {
          if (isCrashError(err)) throw err;
          if (err instanceof NavigationTimeoutError) throw err;
          if (!isRetryable(err)) throw (await leftThePage(this.d, err, r.first)) ? new ElementLeftPageError(l) : err;
        }
      }
      if (Date.now() >= deadline)
        throw notUsableInTime(l, this.timeouts.actionTimeoutMs, what, await this.explainWhy(l, what));
      await new Promise((resolve) => setTimeout(resolve, Math.min(POLL_MS, Math.max(0, deadline - Date.now()))));
    }
  }

  /**
   * A click on `el`: WebDriver's own element click, which checks what gets it, except on a phone whose screen shows
   * part of the page (in-page/pointer.ts). There chromedriver takes the element's point in the layout viewport's
   * coordinates and taps it in the screen's: once the screen has moved within the page (a hover or a scroll brought a
   * part below into view), the tap lands off the element, on nothing, and the click passes without happening. So there
   * the element must itself get the pointer at the centre of its part on the screen (screenLanding), and the tap goes
   * to that point (in a frame too, through the frames up to the page, of any origin); RETRY while it does not.
   */
  private async tap(el: WebElement): Promise<void | typeof RETRY> {
    if (this.owner.mobile) {
      const landing = await this.screenLanding(el);
      if (landing.partial) {
        if (!landing.at) {
          await this.scrollToCenter(el);
          return RETRY;
        }
        const { x, y } = landing.at;
        const tapAt = this.d
          .actions()
          .move({ origin: Origin.VIEWPORT, x: Math.floor(x), y: Math.floor(y) })
          .click();
        return this.followingNavigation(() => tapAt.perform());
      }
    }
    try {
      await this.followingNavigation(() => el.click());
    } catch (err) {
      // Covered where WebDriver scrolled it (in view already: not at all), as under a sticky header: the next
      // try is from the middle of the viewport, as Playwright's own click tries other scroll positions.
      if (err instanceof seleniumErrors.ElementClickInterceptedError) await this.scrollToCenter(el);
      throw err;
    }
  }

  /**
   * `act` (a click, a key), then the document it asked for, if any, waited for up to the navigation timeout; one that
   * has not come by then fails as a page load that never ends, its load stopped. chromedriver waits for such a
   * document only when it has seen it start before the action's answer: a form sent by Enter often starts just
   * after, and the next step then read the old page, or waited for the load only up to its own command's page-load
   * timeout. Over the session's own tab's DevTools connection; without one (a Grid, another tab) chromedriver's wait
   * is all. chromedriver's own timeout on the action (its only one on such a command: the load it started outlasted
   * the page-load timeout, and is stopped by then) is said the same way.
   */
  private async followingNavigation(act: () => Promise<void>): Promise<void> {
    const tab = this.owner.tab && !this.owner.tab.isGone() && !this.inOtherTab ? this.owner.tab : undefined;
    const mark = tab?.navigationMark() ?? 0;
    try {
      await act();
    } catch (err) {
      throw err instanceof seleniumErrors.TimeoutError && !isCrashError(err) ? this.loadTimedOut(tab, mark) : err;
    }
    if (!tab || (await tab.navigationArrived(this.timeouts.navigationTimeoutMs, mark))) return;
    await tab.command("Page.stopLoading").catch(() => undefined); // the tab is gone: the next call finds that
    throw this.loadTimedOut(tab, mark);
  }

  /** The page load a step's action started did not end in time: named by its URL where DevTools saw it start. */
  private loadTimedOut(tab: DevToolsTab | undefined, mark: number): NavigationTimeoutError {
    const url = tab?.navigationSince(mark) ?? "the page the step's action asked for";
    return new NavigationTimeoutError(url, this.timeouts.navigationTimeoutMs);
  }

  /**
   * Why the locator has no usable match (in-page explain). A click in a frame inside a page of another origin: what of
   * that page covers the frame, which the in-page code cannot see (FrameChain.carryUp).
   */
  private async explainWhy(l: Locator, what: string): Promise<Explanation> {
    const input = pointerInputOf(what);
    if (input) {
      const covered = await callInPage<{ x: number; y: number } | null>(this.d, "landingBeyondOrigin", l)
        .then(async (at) => (at ? ((await this.carryUp(at, input))?.blocker ?? "") : ""))
        // Only the words are lost otherwise; a frame gone is the step's failure.
        .catch((err) => {
          if (err instanceof FrameGoneError) throw err;
          return "";
        });
      if (covered) return { why: covered, matched: true };
    }
    return explainInPage(this.d, l, what);
  }

  /**
   * In-page screenLanding, and where a parent of the frame is of another origin, the same carried up by WebDriver
   * frame by frame (FrameChain): `partial: false` (WebDriver's own click) when the frames entered are not known.
   */
  private async screenLanding(el: WebElement): Promise<Exclude<ScreenLanding, AcrossOrigins>> {
    const landing = await callInPage<ScreenLanding>(this.d, "screenLanding", el);
    if (!("acrossOrigins" in landing)) return landing;
    const own = await callInPage<{ at: { x: number; y: number } } | null>(this.d, "landingInFrame", el);
    const up = await this.carryUp(own?.at ?? null);
    if (!up?.partial) return { partial: false };
    return { partial: true, at: own && !up.blocker ? up.screen : null };
  }

  /** A point of the frame steps act in carried up to the page (FrameChain.carryUp). */
  private carryUp(at: { x: number; y: number } | null, input?: PointerInput) {
    return this.owner.frames.carryUp(this.d, at, this.findFrame, input);
  }

  /**
   * The element's centre on the screen (in-page centreOf), carried up by WebDriver where a parent of its frame is of
   * another origin; "covered" when something else would get a pointer there; null when the frames are not known.
   */
  private async centreOf(el: WebElement): Promise<{ x: number; y: number } | "covered" | null> {
    type Centre = { x: number; y: number } | "covered" | (AcrossOrigins & { at: { x: number; y: number } });
    const centre = await callInPage<Centre>(this.d, "centreOf", el);
    if (centre === "covered" || !("acrossOrigins" in centre)) return centre;
    const up = await this.carryUp(centre.at);
    if (!up) return null;
    return up.blocker ? "covered" : up.screen;
  }

  private async scrollToCenter(el: WebElement): Promise<void> {
    await this.d.executeScript(
      "arguments[0].scrollIntoView({block: 'center', inline: 'center', behavior: 'instant'});",
      el,
    );
  }

  click(l: Locator): Promise<void> {
    return this.run(() =>
      this.waitAndAct(
        l,
        "to be clickable",
        (r) => r.enabled,
        (el) => this.tap(el),
      ),
    );
  }

  fill(l: Locator, value: string): Promise<void> {
    return this.run(async () => {
      const field = await this.waitAndAct(
        l,
        "to be editable",
        (r) => r.editable,
        async (el) => {
          await this.scrollToCenter(el);
          // A date, time, month, week, datetime-local, color or range field takes its value whole, as Playwright
          // sets it: typed keys would go to the browser's own date or colour widget, which reads them its own way.
          const set = await callInPage<ValueFieldState | null>(this.d, "valueField", el, [value, "set"]);
          if (set) return set;
          // Else like Playwright's fill: focus, select all, type over the selection. (WebDriver's clear()
          // would blur the field and fire "change" halfway through, which Playwright never does.)
          const hadText = await callInPage<boolean | "not editable">(this.d, "selectAll", el);
          if (hadText === "not editable") return RETRY;
          // Where the focus is, as a user's keys go: on the field (selectAll made sure), which may be the label's.
          if (value !== "") await performKeys(this.d, typingActions(value));
          else if (hadText) await performKeys(this.d, chordActions([Key.DELETE]));
          return null;
        },
      );
      if (field && !field.took) throw new FieldValueRefusedError(l, value, field);
    });
  }

  private async keyPress(key: string): Promise<void> {
    const actions = chordActions(webdriverKeys(key));
    await this.followingNavigation(() => performKeys(this.d, actions));
  }

  press(pressed: string, l?: Locator): Promise<void> {
    const key = chordAsTyped(pressed);
    webdriverKeys(key); // unknown key names fail before anything waits
    if (!l) return this.run(() => this.keyPress(key));
    return this.run(() =>
      this.waitAndAct(
        l,
        "to be visible",
        () => true,
        async (el) => {
          await this.d.executeScript("arguments[0].focus();", el);
          await this.keyPress(key);
        },
      ),
    );
  }

  setChecked(l: Locator, checked: boolean): Promise<void> {
    const what = toggleWait(checked);
    return this.run(async () => {
      const deadline = Date.now() + this.timeouts.actionTimeoutMs;
      for (;;) {
        // What a user clicks: the element itself, or the label of a checkbox or radio the page does not draw itself.
        const t = await this.toggleIn(l, true);
        if (t.found === "ambiguous") throw new AmbiguousLocatorError(l, t.detail);
        // A disabled link or button is refused as an enabled one is (not waited on as disabled), as on Playwright.
        if (t.found === "control" && t.checked === null) throw new NotCheckableError(l);
        if ((t.found === "control" || t.found === "label") && t.enabled) {
          try {
            if (t.found === "control") {
              const el = t.control;
              const state = () => callInPage<boolean | null>(this.d, "checkedState", el);
              const before = await state();
              if (before === null) throw new NotCheckableError(l);
              if (before === checked) return;
              if (t.radio && !checked) throw radioUncheckRefused(l);
              if ((await this.tap(el)) !== RETRY) {
                await this.settleDialog();
                // The element clicked, read itself (a switch named by its state is not found by the phrase after).
                await untilToggled(
                  l,
                  checked,
                  this.toggleTimes(deadline),
                  clickNotTaken(null, checked),
                  this.byPhrase(l),
                  state,
                );
                return;
              }
            } else if (t.checked === checked) return;
            else if (t.radio && !checked) throw radioUncheckRefused(l);
            else if ((await this.tap(t.label)) !== RETRY) {
              await this.settleDialog();
              await untilToggled(
                l,
                checked,
                this.toggleTimes(deadline),
                clickNotTaken(t.labelText, checked),
                this.byPhrase(l),
              );
              return;
            }
          } catch (err) {
            if (isCrashError(err) || !isRetryable(err)) throw err;
          }
        }
        if (Date.now() >= deadline)
          throw notUsableInTime(l, this.timeouts.actionTimeoutMs, what, await this.explainToggle(l));
        await new Promise((resolve) => setTimeout(resolve, Math.min(POLL_MS, Math.max(0, deadline - Date.now()))));
      }
    });
  }

  /** In-page toggleTarget: what a check step acts on, the control itself or through its label (in-page/toggle.ts). */
  private async toggleIn(l: Locator, act: boolean): Promise<Toggle<WebElement>> {
    await this.cssReadable(l);
    return callInPage<Toggle<WebElement>>(this.d, "toggleTarget", l, act);
  }

  /** When a click on a control or its label must have taken (untilToggled). */
  private toggleTimes(deadline: number) {
    return { deadline, waitedMs: this.timeouts.actionTimeoutMs, pollMs: POLL_MS };
  }

  /** The phrase's control read again, as it is now (untilToggled). */
  private byPhrase(l: Locator) {
    return () => this.toggleIn(l, false);
  }

  /** Why a check step found nothing to act on (in-page explainToggle); NOT_EXPLAINED when it cannot tell. */
  private async explainToggle(l: Locator): Promise<Explanation> {
    try {
      return await callInPage<Explanation>(this.d, "explainToggle", l);
    } catch {
      return NOT_EXPLAINED;
    }
  }

  selectOption(l: Locator, label: string): Promise<void> {
    const what = `to offer the option "${clip(label)}"`;
    return this.run(async () => {
      const deadline = Date.now() + this.timeouts.actionTimeoutMs;
      let other: WebElement | undefined;
      let refused: NativeChoiceRefused = "missing";
      try {
        other = await this.waitAndAct(
          l,
          what,
          // Not `enabled`: a disabled ARIA drop-down goes to the procedure, which waits and says "it is disabled" as
          // on Playwright; a disabled <select> is waited for below (selectByLabel answers "missing").
          () => true,
          async (el) => {
            const outcome = await callInPage<"ok" | "not-select" | NativeChoiceRefused>(
              this.d,
              "selectByLabel",
              el,
              label,
            );
            if (outcome === "not-select") return el;
            if (outcome === "ok") return undefined;
            refused = outcome;
            return RETRY;
          },
        );
      } catch (err) {
        // The field is there (nothing else to explain) but has no such option: say which options it has.
        if (!(err instanceof LocatorTimeoutError) || err.detail !== "") throw err;
        const { first } = await this.probe(l);
        const labels =
          first instanceof WebElement ? await callInPage<string[] | null>(this.d, "optionLabels", first) : null;
        if (labels)
          throw notUsableInTime(l, this.timeouts.actionTimeoutMs, what, {
            why: nativeOptionFailure(label, labels, refused),
            matched: nativeOptionKept(label, labels, refused),
          });
        throw err;
      }
      if (!other) return;
      const widget = other;
      // An ARIA drop-down: the element found is kept, as a user keeps hold of it (an open popup may hide it from
      // locators: MUI and Radix mark the rest of the page aria-hidden meanwhile).
      const hold = async () => ({ hands: this.dropdownHands(widget) });
      const kindOf = () => this.dropdownKindOf(widget);
      await selectAriaOption(l, label, kindOf, hold, deadline, this.timeouts.actionTimeoutMs);
    });
  }

  /** What kind of drop-down an element is (in-page dropdownKind); one gone stale is DropdownGoneError. */
  private dropdownKindOf(el: WebElement): Promise<FoundDropdown> {
    return staleAsGone(callInPage<FoundDropdown>(this.d, "dropdownKind", el));
  }

  /**
   * What aria-dropdown.ts's procedure acts with: WebDriver's clicks and keys on the drop-down found once, and what
   * the in-page bundle says of it.
   */
  private dropdownHands(widget: WebElement): DropdownHands<WebElement> {
    const field = () => staleAsGone(callInPage<WebElement>(this.d, "ariaFieldOf", widget));
    const clicked = async (el: WebElement) => {
      try {
        return (await this.tap(el)) !== RETRY;
      } catch (err) {
        if (isCrashError(err) || !isRetryable(err)) throw err;
        return false; // covered, moving or gone: the procedure looks again
      }
    };
    return {
      look: (label) => staleAsGone(callInPage<AriaDropdownLook>(this.d, "ariaDropdown", widget, label)),
      option: (label) => staleAsGone(callInPage<WebElement | null>(this.d, "ariaOptionNamed", widget, label)),
      clickOption: (option) => clicked(option),
      clickToOpen: async () => clicked(await field()),
      arrowDown: async () => {
        await this.d.executeScript("arguments[0].focus();", await field());
        await this.keyPress("ArrowDown");
      },
      typeOver: async (text) => {
        const into = await field();
        await this.scrollToCenter(into);
        await callInPage(this.d, "selectAll", into);
        await into.sendKeys(text);
      },
      escape: () => this.keyPress("Escape"),
      settle: async (ms) => void (await this.settle(ms)),
    };
  }

  typeText(l: Locator, value: string): Promise<void> {
    return this.run(() =>
      this.waitAndAct(
        l,
        "to be editable",
        (r) => r.editable,
        async (el) => {
          await this.scrollToCenter(el);
          // As fill: the keys go where the focus is, once it is on the field.
          if (!(await callInPage<boolean>(this.d, "caretToEnd", el))) return RETRY;
          await performKeys(this.d, typingActions(value));
        },
      ),
    );
  }

  /** Pointer actions on an element: scrolled to the middle of the viewport first (W3C actions do not scroll). */
  private pointer(
    l: Locator,
    what: string,
    ready: (r: InPageResult) => boolean,
    perform: (el: WebElement) => Promise<void | typeof RETRY>,
  ): Promise<void> {
    return this.run(() =>
      this.waitAndAct(l, what, ready, async (el) => {
        await this.scrollToCenter(el);
        return perform(el);
      }),
    );
  }
  doubleClick(l: Locator): Promise<void> {
    return this.pointer(
      l,
      "to be clickable",
      (r) => r.enabled,
      async (el) => {
        // At the element's centre on the screen (centreOf), not at the element as WebDriver finds it: on a phone
        // showing part of a page wider than it, chromedriver's point for an element lands off it (QA5 #6).
        // In a frame, the frame's place in the page is added (centreOf): the viewport origin is the top-level
        // page's, carried up by WebDriver through a parent of another origin. Null (no frames on record) goes by the
        // element.
        const at = await this.centreOf(el);
        if (at === "covered") return RETRY;
        await this.d
          .actions()
          .move(at ? { origin: Origin.VIEWPORT, x: Math.floor(at.x), y: Math.floor(at.y) } : { origin: el })
          .doubleClick()
          .perform();
      },
    );
  }
  rightClick(l: Locator): Promise<void> {
    return this.run(() =>
      this.waitAndAct(
        l,
        "to be clickable",
        (r) => r.enabled,
        (el) =>
          this.mouse(el, ["mouseMoved", "mousePressed", "mouseReleased"], "right", () =>
            this.d.actions().contextClick(el).perform(),
          ),
      ),
    );
  }
  hover(l: Locator): Promise<void> {
    return this.run(() =>
      this.waitAndAct(
        l,
        HOVER_WAIT,
        () => true,
        (el) => this.mouse(el, ["mouseMoved"], "none", () => this.d.actions().move({ origin: el }).perform()),
      ),
    );
  }

  /**
   * Mouse events at the element's centre through DevTools, as Playwright sends them: WebDriver actions
   * turn into touches under mobile emulation, where a phone target would then never hover or open a
   * context menu. A remote end without the DevTools passthrough gets the WebDriver actions instead.
   */
  private async mouse(
    el: WebElement,
    types: string[],
    button: "none" | "right",
    fallback: () => Promise<void>,
  ): Promise<void | typeof RETRY> {
    // The top-level page's coordinates, as DevTools takes them; null (no frames on record) goes by WebDriver.
    // Covered there: the events would reach what covers it (Playwright's hit check refuses it too), so look again.
    const at = await this.centreOf(el);
    if (at === "covered") return RETRY;
    if (!at) return fallback();
    const { x, y } = at;
    try {
      for (const type of types) {
        await this.owner.driver.sendDevToolsCommand("Input.dispatchMouseEvent", {
          type,
          x,
          y,
          button: type === "mouseMoved" ? "none" : button,
          clickCount: type === "mouseMoved" ? 0 : 1,
        });
      }
    } catch (err) {
      if (isCrashError(err)) throw err;
      await fallback();
    }
  }
  focus(l: Locator): Promise<void> {
    return this.pointer(
      l,
      "to be visible",
      () => true,
      async (el) => void (await this.d.executeScript("arguments[0].focus();", el)),
    );
  }
  blur(l: Locator): Promise<void> {
    return this.run(() =>
      this.waitAndAct(
        l,
        "to be visible",
        () => true,
        async (el) => void (await this.d.executeScript("arguments[0].blur();", el)),
      ),
    );
  }
  scrollIntoView(l: Locator): Promise<void> {
    return this.pointer(
      l,
      "to be visible",
      () => true,
      async () => undefined,
    );
  }
  dragTo(source: Locator, target: Locator): Promise<void> {
    return this.run(() =>
      this.waitAndAct(
        target,
        "to be visible",
        () => true,
        (to) =>
          this.waitAndAct(
            source,
            "to be draggable",
            () => true,
            async (from) => {
              if (await callInPage<boolean>(this.d, "html5DragAndDrop", from, to)) return;
              await this.scrollToCenter(from);
              await this.d.actions().dragAndDrop(from, to).perform();
            },
          ),
      ),
    );
  }
  uploadFiles(l: Locator, paths: string[]): Promise<void> {
    return this.run(() =>
      this.waitAndAct(
        l,
        "to accept files",
        (r) => r.enabled,
        async (el) => el.sendKeys((await this.owner.filesForBrowser(paths)).join("\n")),
      ),
    );
  }
  async handleDialogs(action: "accept" | "dismiss", promptText?: string): Promise<void> {
    this.dialogPolicy = { action, promptText };
  }
  dialogs(): Promise<DialogSeen[]> {
    return this.run(async () => {
      await this.settleDialog();
      return [...this.dialogsSeen];
    }, "anywhere");
  }
  enterFrame(l: Locator): Promise<void> {
    this.owner.switched = true;
    return this.run(() =>
      this.waitAndAct(
        l,
        "to be visible",
        () => true,
        async (el) => {
          await this.d.switchTo().frame(el);
          this.owner.frames.entered(l, el);
        },
      ),
    );
  }
  leaveFrame(): Promise<void> {
    return this.run(async () => {
      await this.d.switchTo().defaultContent();
      this.owner.frames.left();
    }, "anywhere");
  }
  switchToNewTab(title?: string): Promise<void> {
    return this.run(async () => {
      const d = this.d;
      const current = await d.getWindowHandle();
      const deadline = Date.now() + this.timeouts.actionTimeoutMs;
      for (;;) {
        const others = (await d.getAllWindowHandles()).filter((h) => h !== current);
        if (others.length > 0) {
          this.owner.switched = true; // the reset goes back to the session's own tab and closes the others
          this.owner.frames.left(); // a window switch leaves WebDriver in that window's top-level document
        }
        const titles: string[] = [];
        let chosen: string | undefined;
        for (const h of others) {
          await d.switchTo().window(h);
          const t = await d.getTitle();
          titles.push(t);
          if (title === undefined || titleIncludes(t, title)) chosen = h; // of several, the last one listed
        }
        if (chosen !== undefined) {
          await d.switchTo().window(chosen);
          this.inOtherTab = true;
          await this.loaded();
          return;
        }
        if (others.length > 0) await d.switchTo().window(current);
        if (Date.now() >= deadline)
          throw new NoNewTabError(
            this.timeouts.actionTimeoutMs,
            title,
            titles,
            await d.getCurrentUrl().catch(() => "a page whose URL could not be read"), // a dialog open on it
          );
        await delay(POLL_MS);
      }
    }, "anywhere");
  }

  /** Waits for the current document's load event, as a navigation does. */
  private async loaded(): Promise<void> {
    const deadline = Date.now() + this.timeouts.navigationTimeoutMs;
    while ((await this.d.executeScript<string>("return document.readyState;")) !== "complete") {
      if (Date.now() >= deadline) throw new NavigationTimeoutError("(the new tab)", this.timeouts.navigationTimeoutMs);
      await delay(POLL_MS);
    }
  }

  pageProblems(): Promise<PageProblem[]> {
    return this.run(async () => {
      await this.owner.drainBrowserLog(this.problems);
      return unexpectedProblems(this.problems, this.expectedAnswers);
    }, "anywhere");
  }
  requestsInFlight(): Promise<{ what: string; age: number }[]> {
    return this.run(async () => openRequestsOf(await this.lookAtRequests(PENDING_LOOK_MS)), "anywhere");
  }
  documentAnswer(): Promise<DocumentAnswer> {
    return this.run(
      async () =>
        withExpected(await this.inTopDocument<DocumentAnswer>(DOCUMENT_ANSWER_EXPRESSION), this.expectedAnswers),
      "anywhere",
    );
  }
  explain(l: Locator): Promise<string> {
    return this.run(async () => (await explainInPage(this.d, l, "to be visible")).why);
  }
  settle(timeoutMs: number, options?: SettleOptions): Promise<SettleOutcome> {
    return settlePage(
      {
        look: (ms) => this.lookAtRequests(ms),
        install: () => this.run(async () => void (await this.d.executeScript(TRACKER_SCRIPT))),
      },
      timeoutMs,
      options,
    );
  }

  /**
   * The top document's request tracker, over the tab's DevTools connection when there is one (a WebDriver script
   * costs a chromedriver round trip); through WebDriver in another tab, with a dialog open, or when that fails.
   */
  private async lookAtRequests(ms: number): Promise<RequestSnapshot | null> {
    const tab = this.owner.tab;
    if (tab && !tab.isGone() && !tab.dialogOpen && !this.inOtherTab) {
      const looked = await lookWithin(
        tab.evaluate<RequestSnapshot | null>(SNAPSHOT_EXPRESSION).then(
          (snapshot) => ({ snapshot }),
          () => undefined,
        ),
        ms,
      );
      if (looked) return looked.snapshot;
    }
    return lookWithin(
      this.run(() => this.d.executeScript<RequestSnapshot | null>(SNAPSHOT_SCRIPT)),
      ms,
    );
  }

  stateOf(l: Locator, state: ElementStateName): Promise<boolean> {
    if (state === "checked") return this.run(() => this.checkedOf(l));
    return this.run(() =>
      this.waitAndAct(
        l,
        "to be visible",
        () => true,
        async (el) => {
          switch (state) {
            case "focused":
              return callInPage<boolean>(this.d, "isFocused", el);
            case "enabled":
              return (await this.probe(l)).enabled;
            case "editable":
              return (await this.probe(l)).editable;
          }
        },
      ),
    );
  }
  /**
   * Whether the phrase's checkbox (radio, switch…) is checked, waited for as any read: the element itself, or a
   * checkbox or radio the page draws through its label, read as a user sees it (in-page/toggle.ts).
   */
  private async checkedOf(l: Locator): Promise<boolean> {
    const deadline = Date.now() + this.timeouts.actionTimeoutMs;
    for (;;) {
      const t = await this.toggleIn(l, false);
      if (t.found === "ambiguous") throw new AmbiguousLocatorError(l, t.detail);
      if (t.found === "label") return t.checked;
      if (t.found === "control") {
        if (t.checked === null) throw new NotCheckableError(l);
        return t.checked;
      }
      if (Date.now() >= deadline)
        throw notUsableInTime(
          l,
          this.timeouts.actionTimeoutMs,
          "to be visible",
          await explainInPage(this.d, l, "to be visible"),
        );
      await new Promise((resolve) => setTimeout(resolve, Math.min(POLL_MS, Math.max(0, deadline - Date.now()))));
    }
  }
  attributeOf(l: Locator, name: string): Promise<string | null> {
    return this.run(() =>
      this.waitAndAct(
        l,
        "to be visible",
        () => true,
        (el) => this.d.executeScript<string | null>("return arguments[0].getAttribute(arguments[1]);", el, name),
      ),
    );
  }
  descriptionOf(l: Locator): Promise<string> {
    return this.run(() =>
      this.waitAndAct(
        l,
        "to be visible",
        () => true,
        (el) => callInPage<string>(this.d, "accessibleDescription", el),
      ),
    );
  }
  styleOf(l: Locator, property: string): Promise<string> {
    return this.run(() =>
      this.waitAndAct(
        l,
        "to be visible",
        () => true,
        (el) => callInPage<string>(this.d, "computedStyle", el, property),
      ),
    );
  }

  count(l: Locator): Promise<number> {
    return this.run(async () => (await this.probe(l)).count);
  }
  isVisible(l: Locator): Promise<boolean> {
    return this.run(async () => (await this.probe(l)).count > 0);
  }
  shownText(l: Locator): Promise<ShownText> {
    return this.run(async () => {
      await this.cssReadable(l);
      const shown = await callInPage<InPageShownText>(this.d, "shownText", l);
      if ("ambiguous" in shown) throw new AmbiguousLocatorError(l, shown.ambiguous);
      return shown;
    });
  }
  textOf(l: Locator): Promise<string> {
    return this.run(() =>
      this.waitAndAct(
        l,
        "to be visible",
        () => true,
        (el) => this.d.executeScript<string>(RENDERED_TEXT_SCRIPT, el),
      ),
    );
  }
  valueOf(l: Locator): Promise<string> {
    return this.run(() =>
      this.waitAndAct(
        l,
        "to be visible",
        () => true,
        async (el) => {
          const v = await this.d.executeScript<string | null>(INPUT_VALUE, el);
          if (v === null) throw new Error("Not an input element");
          return v;
        },
      ),
    );
  }
  optionsOf(l: Locator, { show = false }: { show?: boolean } = {}): Promise<SelectOptions> {
    return this.run(async () => {
      const deadline = Date.now() + this.timeouts.actionTimeoutMs;
      const { native, el } = await this.waitAndAct(
        l,
        "to be visible",
        () => true,
        async (el) => ({ native: await callInPage<SelectOptions>(this.d, "selectOptions", el), el }),
      );
      if (!("notASelect" in native)) return native;
      const kindOf = () => this.dropdownKindOf(el);
      const hold = async () => ({ hands: this.dropdownHands(el) });
      return readAriaOptions(l, native, kindOf, hold, show, deadline, this.timeouts.actionTimeoutMs);
    });
  }
  columnHeaders(within?: Locator): Promise<string[]> {
    return this.run(async () => {
      if (within) await this.cssReadable(within);
      return callInPage<string[]>(this.d, "columnHeadersAt", within ?? null);
    });
  }
  accessibilityViolations(options: AccessibilityAuditOptions, within?: Locator): Promise<AccessibilityViolation[]> {
    const limitMs = this.timeouts.navigationTimeoutMs;
    // Stops waiting at the limit, as the Playwright adapter does, so a page too large to audit fails the same on both
    // drivers. Timed here: axe blocks the page in long stretches, and chromedriver answers no command meanwhile (its
    // script timeout included); the commands after this one wait in chromedriver until the audit ends.
    const audit = async (root: WebElement | null) => {
      const { source, version } = axeCore();
      let auditing = false;
      const work = (async () => {
        if (!(await this.d.executeScript<boolean>(`return ${axePresentExpression(version)};`)))
          await this.d.executeScript(source);
        auditing = true;
        return this.d.executeScript<AccessibilityViolation[]>(RUN_AUDIT_SCRIPT, root, options);
      })();
      work.catch(() => undefined); // answered after the limit: nobody waits for it any more
      let timer: NodeJS.Timeout | undefined;
      let tooLong = false;
      const late = new Promise<never>((_, fail) => {
        timer = setTimeout(() => {
          tooLong = true;
          fail(auditTooLong(limitMs));
        }, limitMs);
      });
      try {
        return await Promise.race([work, late]);
      } finally {
        clearTimeout(timer);
        // Ends the audit in the page, or chromedriver would hold the failure's screenshot and the next scenario's
        // reset until it ended by itself (seconds more on a large page). Only the audit: a page whose own script held
        // up the injection keeps its script.
        if (tooLong && auditing) await this.stopAudit();
      }
    };
    return this.run(
      () => (within ? this.waitAndAct(within, "to be visible", () => true, audit) : audit(null)),
      "in frames",
      "unwatched",
    );
  }

  validityOf(l: Locator): Promise<FieldValidity> {
    return this.run(() =>
      this.waitAndAct(
        l,
        "to be visible",
        () => true,
        (el) => callInPage<FieldValidity>(this.d, "fieldValidity", el),
      ),
    );
  }
  boundingBox(l: Locator): Promise<Rect> {
    return this.run(() =>
      this.waitAndAct(
        l,
        "to be visible",
        () => true,
        (el) =>
          this.d.executeScript<Rect>(
            "const r = arguments[0].getBoundingClientRect(); return {x: r.x, y: r.y, width: r.width, height: r.height};",
            el,
          ),
      ),
    );
  }
  bodyText(): Promise<string> {
    return this.run(() => this.d.executeScript<string>(RENDERED_TEXT_SCRIPT));
  }
  viewport(): Promise<ViewportMetrics> {
    return this.run(() => callInPage<ViewportMetrics>(this.d, "viewportMetrics"));
  }

  cookies(url: string): Promise<Cookie[]> {
    return this.run(() => readCookies(this.cookieStore(), url));
  }
  async setCookie(cookie: CookieToSet): Promise<void> {
    const params = setCookieParams(cookie); // a cookie no browser takes fails here, as the test defect it is
    return this.run(async () => {
      await writeCookie(this.cookieStore(), params);
      this.remember(String(params.url)); // the reset's fallback clears the origins it knows (resetWithoutDevTools)
    });
  }

  /**
   * The browser's cookie store, over the tab's own DevTools connection (local chromedriver), else through the remote
   * end's DevTools passthrough. A remote end without one cannot read cookies by URL at all (WebDriver's getCookies
   * sees the open document's only, addCookie needs a page of the domain open): CookiesUnavailableError, never an
   * answer that differs from Playwright's.
   */
  private cookieStore(): DevToolsSend {
    const throughDriver: DevToolsSend = async (method, params) => {
      try {
        return await this.owner.driver.sendAndGetDevToolsCommand(method, params);
      } catch (err) {
        if (
          err instanceof seleniumErrors.UnknownCommandError ||
          err instanceof seleniumErrors.UnknownMethodError ||
          err instanceof seleniumErrors.UnsupportedOperationError
        )
          throw new CookiesUnavailableError("this Selenium remote end");
        throw err;
      }
    };
    const tab = this.owner.tab;
    if (!tab || tab.isGone()) return throughDriver;
    // Network commands are the browser's, never held up by a dialog in the page. A connection lost meanwhile leaves
    // the command to chromedriver, which reports a crashed browser as one (run() files it as BrowserCrashedError).
    return async (method, params) => {
      try {
        return await tab.command(method, params);
      } catch (err) {
        if (err instanceof DevToolsGoneError) return throughDriver(method, params);
        throw err;
      }
    };
  }

  async downloads(): Promise<Download[]> {
    return this.downloadsOrThrow().list();
  }
  async downloadContent(index: number, maxBytes: number): Promise<DownloadContent> {
    return this.downloadsOrThrow().content(index, maxBytes); // a file of this machine's: no WebDriver call
  }
  private downloadsOrThrow(): DevToolsDownloads {
    if (!this.valid) throw new Error("this browser session is closed (a newer one replaced it, or close() was called)");
    if (this.downloadsSeen instanceof DownloadsUnavailableError) throw this.downloadsSeen;
    return this.downloadsSeen;
  }

  storage(area: StorageArea): Promise<WebStorage> {
    return this.storageCall(area);
  }
  async setStorageItem(area: StorageArea, key: string, value: string): Promise<void> {
    await this.storageCall(area, { key, value });
  }
  /** Reads (after writing an item) a storage area in the document steps act in: WebDriver's current browsing context. */
  private async storageCall(area: StorageArea, write?: { key: string; value: string }): Promise<WebStorage> {
    const answer = await this.run(() => this.d.executeScript(`return ${storageExpression(area, write)};`));
    return storageFrom(area, answer);
  }

  screenshot(): Promise<Buffer> {
    return this.run(async () => Buffer.from(await this.d.takeScreenshot(), "base64"), "anywhere");
  }
  /** The DOM serialized like Playwright's page.content() (chromedriver's own getPageSource() is XML-ish). */
  pageSource(): Promise<string> {
    return this.run(() =>
      this.d.executeScript<string>(
        "let s = ''; if (document.doctype) s = new XMLSerializer().serializeToString(document.doctype); if (document.documentElement) s += document.documentElement.outerHTML; return s;",
      ),
    );
  }

  async close(): Promise<void> {
    if (!this.valid) return;
    this.valid = false;
    if (this.downloadsSeen instanceof DevToolsDownloads) await this.downloadsSeen.close();
    this.owner.released(this);
  }
}

/** The loaded page as it sees itself: its URL, the HTTP status of its navigation, Chrome's error code if it failed. */
const PAGE_STATUS = `
  const nav = performance.getEntriesByType("navigation")[0];
  const code = document.querySelector(".error-code");
  return { href: location.href, status: nav ? nav.responseStatus : 0, netError: code ? code.textContent.trim() : "" };`;
type PageStatus = { href: string; status: number; netError: string };

/**
 * chromedriver reports an element that left the page while it acted on it (a reload between two of its DevTools
 * calls; a frame the page removed or drew anew as a click in it ran: "target frame detached") as a W3C "unknown
 * error" with DevTools' own text, not as a stale element: judged by the element's state, never by that text. A frame
 * gone, chromedriver is in the top-level document, where the element is no such element. Not tried again: nothing
 * tells whether the input reached the page before it left (a click that navigated), and a second click could submit
 * twice.
 */
export async function leftThePage(d: WebDriver, err: unknown, el: WebElement): Promise<boolean> {
  if (!(err instanceof seleniumErrors.WebDriverError) || err.constructor !== seleniumErrors.WebDriverError)
    return false;
  try {
    return !(await d.executeScript<boolean>("return arguments[0].isConnected", el));
  } catch (check) {
    return (
      check instanceof seleniumErrors.StaleElementReferenceError || check instanceof seleniumErrors.NoSuchElementError
    );
  }
}

const RETRY = Symbol("retry");

/** WebDriver errors that mean "the page is still changing" (stale, covered, no input yet): look again. */
function isRetryable(err: unknown): boolean {
  return (
    err instanceof seleniumErrors.StaleElementReferenceError ||
    err instanceof seleniumErrors.ElementClickInterceptedError ||
    err instanceof seleniumErrors.ElementNotInteractableError
  );
}

const INPUT_VALUE = `const el = arguments[0];
  if (el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement) return el.value;
  return null;`;

/** A chromedriver browser-log entry as a page problem, by its source; the text keeps what Playwright's events give. */
export function problemFromLog(e: { level?: string; message?: string; source?: string }): PageProblem | undefined {
  if (e.level !== "SEVERE" || !e.message) return undefined;
  // "<url> <line>:<col> <text>" for scripts and the console; "<url> - Failed to load resource: … status of 404 (…)" for loads.
  const at = /^(\S+) \d+:\d+ /.exec(e.message);
  const text = at ? e.message.slice(at[0].length) : e.message;
  const script = at && /^https?:\/\//.test(at[1]) ? { script: at[1] } : {};
  switch (e.source) {
    case "javascript":
      return { kind: "page error", message: text.replace(/^Uncaught (?:\w*Error: )?/, ""), ...script };
    case "console-api":
      return { kind: "console error", message: text.replace(/^"(.*)"$/s, "$1"), ...script };
    case "network": {
      const m = /^(\S+) - Failed to load resource: (?:the server responded with a status of (\d+)|(net::\S+))/.exec(
        e.message,
      );
      if (!m) return { kind: "failed request", message: e.message };
      if (m[3] === "net::ERR_ABORTED" || isBrowserOwnRequest(m[1])) return undefined;
      return {
        kind: "failed request",
        message: `${m[2] ?? m[3]} ${m[1]}`,
        url: m[1],
        ...(m[2] === undefined ? {} : { status: Number(m[2]) }),
      };
    }
    default:
      return undefined;
  }
}
