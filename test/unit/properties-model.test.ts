// The page-load counting model without a browser: a fake session that loads pages over HTTP from a
// tiny local counter server — one that counts right, and one with a read-modify-write race.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import * as fc from "fast-check";
import type { BrowserSession, Locator } from "../../src/browser/session";
import {
  actionFromSpec,
  commandArbitraries,
  openingVisit,
  parseCounterPlan,
  replayPathOf,
  runActions,
  showActions,
  specsOf,
  type ActionSpec,
  type CommandList,
} from "../../src/properties/counter-model";
import { PropertyAssertionError } from "../../src/properties/errors";
import { numberIn } from "../../src/core/numbers";
import { runProperty, type PropertySpec } from "../../src/properties/runner";
import { resolveSettings } from "../../src/properties/settings";
import { readNumber } from "../../steps/support/read-number";

/** GET / shows the count; `racy` reads, waits, then writes (loses visits that overlap). */
function counterServer(racy: boolean): Promise<{ url: string; server: Server }> {
  let count = 0;
  const server = createServer(async (req, res) => {
    if (req.url === "/about") return res.end("<p>about</p>");
    if (req.url === "/forget") return res.end(String((count = 0)));
    let n: number;
    if (racy) {
      const read = count;
      await new Promise((r) => setTimeout(r, 15));
      count = read + 1;
      n = count;
    } else n = ++count;
    res.setHeader("cache-control", "no-store");
    res.end(`<output>Visitor count ${n}</output>`);
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () =>
      resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, server }),
    ),
  );
}

/**
 * Just enough of a browser: history, back (optionally from a back/forward cache), the page's text. With `placeholder`,
 * each loaded page shows "0" until it settles, as a page whose script fills the number in after a request.
 */
class FakeBrowser {
  history: Array<{ url: string; text: string }> = [];
  index = -1;
  /** The page shown has settled (its script has filled the number in). */
  private settled = false;
  constructor(
    readonly bfcache: boolean,
    readonly placeholder = false,
  ) {}
  private async load(url: string) {
    this.settled = false;
    return { url, text: await (await fetch(url)).text() };
  }
  session(): BrowserSession {
    const self = this;
    return {
      async goto(url: string) {
        const page = await self.load(url);
        if (self.history[self.index]?.url === url) self.history[self.index] = page;
        else {
          self.history = self.history.slice(0, self.index + 1);
          self.history.push(page);
          self.index++;
        }
      },
      async reload() {
        self.history[self.index] = await self.load(self.history[self.index].url);
      },
      async back() {
        if (self.index <= 0) return;
        self.index--;
        if (!self.bfcache) self.history[self.index] = await self.load(self.history[self.index].url);
      },
      async textOf(_l: Locator) {
        const m = /<output>([^<]*)<\/output>/.exec(self.history[self.index]?.text ?? "");
        if (!m) throw new Error("no such element");
        return self.placeholder && !self.settled ? "Visitor count 0" : m[1];
      },
      async settle() {
        self.settled = true;
        return { quiet: true, open: [], timers: 0 };
      },
    } as unknown as BrowserSession;
  }
}

const PLAN = parseCounterPlan([
  ["actions", "visit, refresh, go back, new visitor, other page, visitors at once"],
  ["max actions", "8"],
  ["other page", "/about"],
]);

const STATUS: Locator = { by: "role", role: "status" };

/** The number read at once, as a first look: what the step's reader did before it waited for the page to settle. */
const readAtOnce = async (session: BrowserSession) => numberIn(await session.textOf(STATUS))!;

/**
 * `beforeStart` runs before each run's opening visit (a counter that loses its count between runs); `placeholder` and
 * `read` as FakeBrowser and the step's reader.
 */
function spec(
  baseUrl: string,
  bfcache: boolean,
  beforeStart?: () => Promise<void>,
  { placeholder = false, read = readAtOnce } = {},
): PropertySpec<CommandList> {
  let browser = new FakeBrowser(bfcache, placeholder);
  const lastSeen: { value?: number } = {};
  const readNumber = () => read(browser.session());
  const visitors = {
    session: () => browser.session(),
    newVisitor: async () => void (browser = new FakeBrowser(bfcache, placeholder)),
    resolveUrl: (p: string) => new URL(p, baseUrl).toString(),
    requestTimeoutMs: 5000,
  };
  return {
    key: "counter",
    title: "counts every load",
    arbitrary: (replayPath) => fc.commands(commandArbitraries(PLAN), { maxCommands: PLAN.maxActions, replayPath }),
    start: async () => {
      await beforeStart?.();
      await openingVisit({
        visitors,
        page: "/",
        lastSeen,
        readNumber,
      });
    },
    check: (cmds) =>
      runActions(cmds, {
        visitors,
        element: STATUS,
        page: "/",
        otherPage: PLAN.otherPage,
        lastSeen,
        readNumber,
      }),
    encode: (cmds) => specsOf(cmds),
    decode: (json) => (json as ActionSpec[]).map((a) => actionFromSpec(a, PLAN)),
    show: (cmds) => showActions(specsOf(cmds)),
    replayPathOf,
  };
}

function env(defaults: { runs: number; timeBudgetMs: number; seed?: number; replay?: string }) {
  return {
    settings: resolveSettings(defaults, []),
    target: "fake",
    baseUrl: "",
    rerunCommand: "signoff run x.feature:1 --targets fake",
    log: () => undefined,
    attach: async () => undefined,
  };
}

describe("the page-load counting model", () => {
  let good: { url: string; server: Server };
  let racy: { url: string; server: Server };
  before(async () => {
    good = await counterServer(false);
    racy = await counterServer(true);
  });
  after(() => {
    good.server.close();
    racy.server.close();
  });

  test("holds for a correct counter, with or without a back/forward cache", async () => {
    await runProperty(spec(good.url, false), env({ runs: 40, timeBudgetMs: 20_000, seed: 1 }));
    await runProperty(spec(good.url, true), env({ runs: 40, timeBudgetMs: 20_000, seed: 2 }));
  });

  test("a correct counter the page fills in after it loads holds: every read waits for the page to settle (the step's reader)", async () => {
    // As the step reads: steps/generic/property.steps.ts gives the model readNumber with the page's settle.
    const settled = (session: BrowserSession) =>
      readNumber(session, STATUS, 2000, async (ms) => void (await session.settle(ms)));
    await runProperty(
      spec(good.url, false, undefined, { placeholder: true, read: settled }),
      env({ runs: 20, timeBudgetMs: 20_000, seed: 1 }),
    );
    // The same reads taken at once see the placeholder: the model must use the reader for every read, not only the first.
    const err = await runProperty(
      spec(good.url, false, undefined, { placeholder: true }),
      env({ runs: 20, timeBudgetMs: 20_000, seed: 1 }),
    ).then(
      () => assert.fail("a placeholder read as the count cannot hold"),
      (e: Error) => e,
    );
    assert.match(err.message, /shows 0|no number/);
  });

  test("a count lost between runs stops the property at the next run's start: no run's actions are blamed", async () => {
    const forgetful = await counterServer(false);
    try {
      let starts = 0;
      const forget = async () => {
        if (++starts === 4) await (await fetch(`${forgetful.url}forget`)).text();
      };
      const err = await runProperty(
        spec(forgetful.url, false, forget),
        env({ runs: 40, timeBudgetMs: 20_000, seed: 4 }),
      ).then(
        () => assert.fail("the lost count should be found"),
        (e: Error) => e,
      );
      assert.ok(err instanceof PropertyAssertionError, `${err.name}: ${err.message}`);
      assert.match(
        err.message,
        /^the opening visit of "\/" shows 1, but the last run's closing visit showed \d+: the number did not grow between runs \(CheckFailed\) — the property stopped after 3 passing run\(s\)/,
      );
      assert.doesNotMatch(err.message, /Counterexample/);
      assert.equal(starts, 4, "nothing ran after the failed start");
    } finally {
      forgetful.server.close();
    }
  });

  test("a counted element missing at the first run's start stops the property with its error: no counterexample", async () => {
    const blank = createServer((_req, res) => res.end("<p>no counter here</p>"));
    await new Promise<void>((r) => blank.listen(0, "127.0.0.1", r));
    try {
      const url = `http://127.0.0.1:${(blank.address() as AddressInfo).port}/`;
      const err = await runProperty(spec(url, false), env({ runs: 40, timeBudgetMs: 20_000, seed: 5 })).then(
        () => assert.fail("a page without the number cannot hold"),
        (e: Error) => e,
      );
      assert.match(err.message, /^no such element — the property stopped at its first run's start/);
      assert.doesNotMatch(err.message, /Counterexample/);
    } finally {
      blank.close();
    }
  });

  let report = "";
  test("finds the lost visits of a racy counter and shrinks to visitors at once", async () => {
    const err = await runProperty(spec(racy.url, false), env({ runs: 40, timeBudgetMs: 30_000, seed: 3 })).then(
      () => assert.fail("the race should be found"),
      (e: Error) => e,
    );
    report = err.message;
    assert.match(report, /Counterexample \(shrunk/);
    assert.match(report, /\d+ visitors at once/);
    assert.match(report, /page load\(s\) were not counted/);
    assert.match(
      report,
      /--replay 3:[\d:]+,[A-Za-z0-9+/]*:[A-Za-z0-9+/]*/,
      "model-based replay tokens carry fc.commands' replayPath",
    );
  });

  test("its replay token replays the same shrunk sequence", async () => {
    const token = /--replay (\S+)/.exec(report)![1];
    const err = await runProperty(spec(racy.url, false), env({ runs: 40, timeBudgetMs: 30_000, replay: token })).then(
      () => assert.fail("the replay should fail"),
      (e: Error) => e,
    );
    const actions = (text: string) => /Counterexample[^\n]*\n((?:\s+\d+\. [^\n]+\n)+)/.exec(text)?.[1];
    assert.ok(actions(report));
    assert.equal(actions(err.message), actions(report));
  });
});
