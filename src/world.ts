// The Cucumber World: one BrowserSession per scenario on the current target, one driver per worker.
import { After, AfterAll, AfterStep, Before, setDefaultTimeout, setWorldConstructor, Status, World, type IWorldOptions } from "@cucumber/cucumber";
import "allure-cucumberjs"; // installs the Allure runtime; without this import allure-js-commons calls do nothing
import * as allure from "allure-js-commons";
import type { WorldParameters } from "./config/types";
import { launchDriver } from "./browser/launch";
import { BrowserCrashedError, type BrowserDriver, type BrowserSession } from "./browser/session";

// Read at load time: Cucumber needs the step timeout before any world exists.
setDefaultTimeout(Number(process.env.SIGNOFF_STEP_TIMEOUT_MS ?? 30_000));

let driver: Promise<BrowserDriver> | undefined;

/** The worker's driver, started on first use and restarted if the browser died. */
async function currentDriver(params: WorldParameters): Promise<BrowserDriver> {
  if (driver) {
    const d = await driver.catch(() => undefined);
    if (d && !d.isDead()) return d;
    await d?.close().catch(() => undefined);
  }
  driver = launchDriver(params.target, {
    chromiumPath: params.browserPath,
    chromedriverPath: params.chromedriverPath,
    timeouts: { actionTimeoutMs: params.timeouts.actionMs, navigationTimeoutMs: params.timeouts.navigationMs },
  });
  return driver;
}

export class SignoffWorld extends World<WorldParameters> {
  private current?: BrowserSession;
  /** Numbers remembered by "I remember the number in ..." steps, by name. */
  readonly remembered = new Map<string, number>();

  constructor(options: IWorldOptions<WorldParameters>) {
    super(options);
  }

  get session(): BrowserSession {
    if (!this.current) throw new Error("no browser session: the scenario's Before hook did not open one");
    return this.current;
  }

  get target() {
    return this.parameters.target;
  }

  /** A path on staging ("/about") or an absolute URL, resolved against the base URL. */
  resolveUrl(pathOrUrl: string): string {
    return new URL(pathOrUrl, this.parameters.baseUrl).toString();
  }

  async openSession(): Promise<void> {
    this.current = await (await currentDriver(this.parameters)).newSession();
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

Before({ name: "open a browser session" }, async function (this: SignoffWorld) {
  // The same scenario on four targets reads as four results of one test in Allure.
  await allure.parameter("target", this.target.name);
  await this.openSession();
});

AfterStep({ name: "evidence of a failed step" }, async function (this: SignoffWorld, { result }) {
  if (result.status !== Status.FAILED) return;
  const s = this.liveSession;
  if (!s || result.exception?.type === BrowserCrashedError.name) return;
  try {
    this.attach(await s.screenshot(), "image/png");
    this.attach(`URL: ${await s.url()}\nTitle: ${await s.title()}`, "text/plain");
  } catch {
    // The page may be gone (crash, navigation): the step's own error is what matters.
  }
});

After({ name: "close the browser session" }, async function (this: SignoffWorld) {
  await this.closeSession().catch(() => undefined);
});

AfterAll(async function () {
  const d = await driver?.catch(() => undefined);
  await d?.close();
});
