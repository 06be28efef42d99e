// The direct DevTools connection to chromedriver's tab (src/browser/devtools-tab.ts), against a real chromedriver session.
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { after, before, test } from "node:test";
import * as chrome from "selenium-webdriver/chrome";
import * as seleniumHttp from "selenium-webdriver/http";
import { startChromedriver, type LocalChromedriver } from "../../src/browser/chromedriver";
import { DevToolsTab, DialogOpenError } from "../../src/browser/devtools-tab";
import { discoverBrowsers } from "../../src/browser/discovery";
import { chromeOptionsFor } from "../../src/browser/selenium";

const found = discoverBrowsers();
let local: LocalChromedriver;
let driver: chrome.Driver;
let userDataDir: string | undefined;
let address: string;
let handle: string;

before(async () => {
  const target = {
    name: "devtools-tab",
    driver: "selenium" as const,
    browser: "chromium" as const,
    device: "Desktop Chrome",
  };
  const made = chromeOptionsFor(target, found.chromium?.path ?? "/usr/bin/chromium");
  userDataDir = made.userDataDir;
  local = await startChromedriver(found.chromedriver?.path ?? "/usr/bin/chromedriver");
  driver = chrome.Driver.createSession(made.options, new seleniumHttp.Executor(new seleniumHttp.HttpClient(local.url)));
  const caps = await driver.getCapabilities();
  address = (caps.get("goog:chromeOptions") as { debuggerAddress: string }).debuggerAddress;
  handle = await driver.getWindowHandle();
});

after(async () => {
  await driver?.quit().catch(() => undefined);
  await local?.stop();
  if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
});

test("connects only to the tab it is given: an unknown target id is refused", async () => {
  await assert.rejects(DevToolsTab.connect(address, "0".repeat(32)));
  const tab = await DevToolsTab.connect(address, handle);
  try {
    assert.equal(await tab.evaluate("6 * 7"), 42);
  } finally {
    tab.close();
  }
  await assert.rejects(tab.evaluate("1"), /gone/);
});

test("a dialog that opens fails a script in flight and every script after it, until it is handled", async () => {
  const tab = await DevToolsTab.connect(address, handle);
  try {
    await assert.rejects(
      tab.evaluate('new Promise((r) => setTimeout(() => { alert("hello"); r(1); }, 50))'),
      DialogOpenError,
    );
    assert.equal(tab.dialogOpen, true);
    await assert.rejects(tab.evaluate("1"), DialogOpenError);
    // WebDriver still sees the dialog and handles it, as the session does.
    const alert = await driver.switchTo().alert();
    assert.equal(await alert.getText(), "hello");
    await alert.dismiss();
    await waitFor(() => !tab.dialogOpen);
    assert.equal(await tab.evaluate("1 + 1"), 2);
  } finally {
    tab.close();
  }
});

test("popups are seen as other pages and closed through the browser", async () => {
  const tab = await DevToolsTab.connect(address, handle);
  try {
    assert.equal(tab.otherPages.size, 0);
    await tab.evaluate('window.open("about:blank", "_blank"); 1');
    await waitFor(() => tab.otherPages.size === 1);
    assert.equal((await driver.getAllWindowHandles()).length, 2);
    assert.equal(await tab.closeOtherPages(), 1);
    await waitFor(() => tab.otherPages.size === 0);
    assert.deepEqual(await driver.getAllWindowHandles(), [handle]);
  } finally {
    tab.close();
  }
});

async function waitFor(ok: () => boolean): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error("condition not met within 5 s");
    await new Promise((r) => setTimeout(r, 20));
  }
}
