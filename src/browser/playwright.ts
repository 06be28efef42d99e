// Playwright adapter for the BrowserSession port: one browser per worker, a fresh context per scenario.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, errors as pwErrors, type Browser, type BrowserContext, type Locator as PwLocator, type Page } from "playwright-core";
import type { TargetSpec } from "../config/types";
import { HEADLESS_CHROMIUM_ARGS } from "./chromium-flags";
import { emulationFor } from "./devices";
import {
  BrowserCrashedError,
  LocatorTimeoutError,
  NavigationTimeoutError,
  StagingError,
  type BrowserDriver,
  type BrowserSession,
  type Locator,
  type Rect,
  type SessionTimeouts,
  type SessionTracing,
  type ViewportMetrics,
} from "./session";

export interface PlaywrightDriverOptions {
  chromiumPath?: string;
  timeouts: SessionTimeouts;
}

export async function launchPlaywrightDriver(target: TargetSpec, opts: PlaywrightDriverOptions): Promise<BrowserDriver> {
  const emulation = emulationFor(target);
  let browser: Browser;
  if (target.remote) {
    // A Playwright browser server (browserType.launchServer) elsewhere: connect over its ws endpoint.
    browser = await chromium.connect(target.remote, { timeout: opts.timeouts.navigationTimeoutMs });
  } else {
    browser = await chromium.launch({
      executablePath: opts.chromiumPath,
      headless: true,
      // Signoff's worker decides what a signal means (fail the running scenario, skip the rest).
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
      args: HEADLESS_CHROMIUM_ARGS.filter((a) => a !== "--headless"),
    });
  }
  let dead = false;
  browser.on("disconnected", () => (dead = true));

  /** A fresh context and page, never used before. */
  const openContext = async (): Promise<{ context: BrowserContext; page: Page }> => {
    const context = await browser.newContext({
      viewport: emulation.viewport,
      deviceScaleFactor: emulation.deviceScaleFactor,
      userAgent: emulation.userAgent,
      isMobile: emulation.isMobile,
      hasTouch: emulation.hasTouch,
    });
    try {
      const page = await context.newPage();
      page.setDefaultTimeout(opts.timeouts.actionTimeoutMs);
      page.setDefaultNavigationTimeout(opts.timeouts.navigationTimeoutMs);
      return { context, page };
    } catch (err) {
      await context.close().catch(() => undefined);
      throw err;
    }
  };
  // Pre-warmed: the next scenario's context (a new context + page, mostly a renderer process starting, is
  // the largest per-scenario cost) is created while the current scenario runs. Every scenario still gets
  // its own context that nothing has touched; the spare is only ever handed out once. (bench/RESULTS.md)
  let spare: Promise<{ context: BrowserContext; page: Page }> | undefined;
  const prewarm = () => {
    spare = openContext();
    spare.catch(() => undefined); // a failed spare is replaced by a fresh attempt in newSession
  };

  return {
    async browserVersion() {
      return `chromium ${browser.version()}`;
    },
    async newSession() {
      if (dead) throw new BrowserCrashedError("the browser is gone");
      const warm = spare;
      spare = undefined;
      const { context, page } = (warm && (await warm.catch(() => undefined))) || (await openContext());
      if (!dead) prewarm();
      return new PlaywrightSession(context, page, opts.timeouts, () => dead);
    },
    isDead: () => dead,
    async close() {
      dead = true;
      await browser.close().catch(() => undefined);
    },
  };
}

class PlaywrightSession implements BrowserSession {
  constructor(
    private readonly context: BrowserContext,
    private readonly page: Page,
    private readonly timeouts: SessionTimeouts,
    private readonly isDead: () => boolean,
  ) {}

  /** Visible matches only, the same rule as the Selenium adapter. */
  private resolve(l: Locator): PwLocator {
    const p = this.page;
    const base = (() => {
      switch (l.by) {
        case "role":
          return p.getByRole(l.role as Parameters<Page["getByRole"]>[0], l.name === undefined ? {} : { name: l.name });
        case "label":
          return p.getByLabel(l.text);
        case "placeholder":
          return p.getByPlaceholder(l.text);
        case "text":
          return p.getByText(l.text);
        case "testId":
          return p.getByTestId(l.id);
        case "css":
          return p.locator(l.selector);
      }
    })();
    return base.filter({ visible: true });
  }

  /** Maps Playwright's errors onto the port's: timeouts name the locator, a dead browser is a crash. */
  private async guard<T>(fn: () => Promise<T>, l?: Locator, what?: string): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (this.isDead() || /Target page, context or browser has been closed|Browser has been closed|Target crashed/i.test(String(err))) {
        throw new BrowserCrashedError(String((err as Error).message ?? err).split("\n")[0]);
      }
      if (l && err instanceof pwErrors.TimeoutError) throw new LocatorTimeoutError(l, this.timeouts.actionTimeoutMs, what);
      throw err;
    }
  }

  /** Page loads fail on a 5xx or a dropped connection (staging's fault) and name a timeout as such. */
  private async navigate(url: string, load: () => Promise<import("playwright-core").Response | null>): Promise<void> {
    const response = await this.guard(async () => {
      try {
        return await load();
      } catch (err) {
        if (err instanceof pwErrors.TimeoutError) throw new NavigationTimeoutError(url, this.timeouts.navigationTimeoutMs);
        const net = /net::(ERR_[A-Z_]+)/.exec(String((err as Error).message));
        if (net) throw new StagingError(`${net[1]} loading ${url}`);
        throw err;
      }
    });
    if (response && response.status() >= 500) {
      throw new StagingError(`${response.request().method()} ${response.url()} answered ${response.status()} ${response.statusText()}`.trim());
    }
  }

  goto(url: string) {
    return this.navigate(url, () => this.page.goto(url, { waitUntil: "load" }));
  }
  reload() {
    return this.navigate(this.page.url(), () => this.page.reload({ waitUntil: "load" }));
  }
  back() {
    return this.navigate("(back)", () => this.page.goBack({ waitUntil: "load" }));
  }
  url() {
    return this.guard(async () => this.page.url());
  }
  title() {
    return this.guard(() => this.page.title());
  }

  click(l: Locator) {
    return this.guard(() => this.resolve(l).first().click(), l, "to be clickable");
  }
  fill(l: Locator, value: string) {
    return this.guard(() => this.resolve(l).first().fill(value), l, "to be editable");
  }
  press(key: string, l?: Locator) {
    return this.guard(() => (l ? this.resolve(l).first().press(key) : this.page.keyboard.press(key)), l, "to be visible");
  }
  setChecked(l: Locator, checked: boolean) {
    return this.guard(() => this.resolve(l).first().setChecked(checked), l, "to be checkable");
  }
  selectOption(l: Locator, label: string) {
    return this.guard(async () => void (await this.resolve(l).first().selectOption({ label })), l, "to offer the option");
  }

  count(l: Locator) {
    return this.guard(() => this.resolve(l).count());
  }
  isVisible(l: Locator) {
    return this.guard(async () => (await this.resolve(l).count()) > 0);
  }
  textOf(l: Locator) {
    return this.guard(() => this.resolve(l).first().innerText(), l);
  }
  valueOf(l: Locator) {
    return this.guard(() => this.resolve(l).first().inputValue(), l);
  }
  boundingBox(l: Locator) {
    return this.guard(async () => {
      const first = this.resolve(l).first();
      await first.waitFor({ state: "visible" });
      const box = await first.boundingBox();
      if (!box) throw new LocatorTimeoutError(l, this.timeouts.actionTimeoutMs);
      return box as Rect;
    }, l);
  }
  bodyText() {
    return this.guard(() => this.page.locator("body").innerText());
  }
  viewport() {
    return this.guard(() =>
      this.page.evaluate(
        (): ViewportMetrics => ({
          viewportWidth: document.documentElement.clientWidth,
          viewportHeight: window.innerHeight,
          scrollWidth: document.documentElement.scrollWidth,
          devicePixelRatio: window.devicePixelRatio,
          userAgent: navigator.userAgent,
          touch: navigator.maxTouchPoints > 0,
        }),
      ),
    );
  }

  screenshot() {
    return this.guard(() => this.page.screenshot());
  }
  pageSource() {
    return this.guard(() => this.page.content());
  }

  async close() {
    await this.context.close().catch(() => undefined);
  }

  readonly tracing: SessionTracing = {
    // DOM snapshots without the screencast: a failing step gets its own screenshot, and the
    // screencast is most of what tracing costs a passing scenario (bench/RESULTS.md).
    start: async (title) => {
      await this.context.tracing.start({ screenshots: false, snapshots: true, sources: false, title });
    },
    stop: async (keep) => {
      if (!keep) {
        await this.context.tracing.stop();
        return undefined;
      }
      const dir = mkdtempSync(join(tmpdir(), "signoff-trace-"));
      try {
        const file = join(dir, "trace.zip");
        await this.context.tracing.stop({ path: file });
        return readFileSync(file);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
