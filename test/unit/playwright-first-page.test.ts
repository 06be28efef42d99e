// The first page opened early is handed to the first session only if it opened and is still open. And what a failed launch says.
import { test } from "node:test";
import assert from "node:assert/strict";
import type { TargetSpec } from "../../src/config/types";
import { discoverBrowsers } from "../../src/browser/discovery";
import {
  launchFailure,
  newEmulatedContext,
  openedEarly,
  startBrowser,
  takeEarly,
  type Isolation,
  type OpenedPage,
} from "../../src/browser/playwright";

const target: TargetSpec = { name: "pw-desktop", driver: "playwright", browser: "chromium", device: "Desktop Chrome" };
const timeouts = { actionTimeoutMs: 5_000, navigationTimeoutMs: 15_000 };

test("an early page that opened is the first session's; a failed or closed one is replaced by a normal open", async () => {
  const chromiumPath = discoverBrowsers().chromium?.path;
  assert.ok(chromiumPath, "no Chromium found");
  const browser = await startBrowser(target, { chromiumPath, timeouts });
  try {
    const released: OpenedPage[] = [];
    const open = async (): Promise<OpenedPage> => {
      const context = await newEmulatedContext(browser, target);
      const opened: OpenedPage = {
        context,
        page: await context.newPage(),
        release: async () => {
          released.push(opened);
          await context.close();
        },
      };
      return opened;
    };
    let opens = 0;
    const isolation: Isolation = { open: () => (opens++, open()) };

    const early = await open();
    assert.equal(await takeEarly(Promise.resolve(early), isolation), early, "opened and open: handed out");
    assert.equal(opens, 0);

    const failed = Promise.reject(new Error("the early open failed"));
    const replacement = await takeEarly(failed, isolation);
    assert.equal(opens, 1, "a failed early open: the session opens one as usual");
    assert.equal(replacement.page.isClosed(), false);

    const closed = await open();
    await closed.page.close();
    const fresh = await takeEarly(Promise.resolve(closed), isolation);
    assert.equal(opens, 2, "a page closed meanwhile: the session opens one as usual");
    assert.notEqual(fresh, closed);
    assert.deepEqual(released, [closed], "the closed page's context is given back");

    // A renderer that crashes while its page waits: the page is not closed, but is no page to hand out.
    const crashing = openedEarly(isolation);
    const crashed = await crashing;
    const crashSeen = new Promise((resolve) => crashed.page.once("crash", resolve));
    await crashed.page.goto("chrome://crash").catch(() => undefined);
    await crashSeen;
    assert.equal(crashed.page.isClosed(), false, "a crashed page is not closed");
    const afterCrash = await takeEarly(crashing, isolation);
    assert.notEqual(afterCrash, crashed, "a crashed early page: the session opens one as usual");
    assert.equal(opens, 4);
    assert.deepEqual(released, [closed, crashed], "the crashed page's context is given back");
    assert.equal(await afterCrash.page.evaluate(() => 1 + 1), 2, "the new page works");
  } finally {
    await browser.close();
  }
});

test("a launch that fails says how the browser exited and the last thing it printed, not Playwright's first line", () => {
  const message = [
    "browserType.launch: Target page, context or browser has been closed",
    "Browser logs:",
    "",
    "<launching> /opt/chrome --headless",
    "<launched> pid=7",
    "[pid=7][err] error while loading shared libraries: libfoo.so.1: cannot open",
    "Call log:",
    "  - [pid=7] <process did exit: exitCode=127, signal=null>",
  ].join("\n");
  assert.equal(
    launchFailure(message),
    "the browser exited as it started (exit code 127): error while loading shared libraries: libfoo.so.1: cannot open",
  );
  const aborted = [
    "browserType.launch: Target page, context or browser has been closed",
    "<launched> pid=9",
    "[pid=9][err] /usr/bin/chromium: 9: [: 25276157952: unexpected operator",
    "[pid=9][err] [9:9:1205/040246.127143:FATAL:chrome/browser/process_singleton_posix.cc:315] Socket path too long: /t/x.",
    "[pid=9][err] [1205/040246.146595:ERROR:crashpad/file_io_posix.cc:145] open /sys/cpufreq: No such file",
    "Call log:",
    "  - [pid=9] <process did exit: exitCode=null, signal=SIGABRT>",
  ].join("\n");
  assert.equal(
    launchFailure(aborted),
    "the browser exited as it started (signal SIGABRT): Socket path too long: /t/x.",
    "Chromium's FATAL line, not the crash reporter's noise after it",
  );
  assert.equal(
    launchFailure("browserType.launch: Executable doesn't exist at /x\nmore"),
    "browserType.launch: Executable doesn't exist at /x",
  );
});
