// Remote endpoints before a run: the scheme per driver, each endpoint probed once, and one line naming the URL when it does not answer like a Grid / browser server.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createNetServer, type AddressInfo, type Server as NetServer } from "node:net";
import type { TargetSpec } from "../../src/config/types";
import { EnvironmentError, InterruptedError, UsageError, type SignoffError } from "../../src/core/errors";
import { probeRemotes, remoteBrowserVersions } from "../../src/runner/remote";

/** What the fake Grid answers, per path; every request is recorded. */
const answers = new Map<string, (res: ServerResponse) => void>();
const requests: string[] = [];
let grid: Server;
let gridUrl: string;
let browserServer: NetServer;
let wsUrl: string;
let closedPort: number;

const json = (status: number, body: unknown) => (res: ServerResponse) => {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(typeof body === "string" ? body : JSON.stringify(body));
};

before(async () => {
  grid = createHttpServer((req: IncomingMessage, res: ServerResponse) => {
    requests.push(`${req.method} ${req.url}`);
    req.resume();
    const answer = answers.get(req.url ?? "");
    if (answer) answer(res);
    else json(404, { value: { error: "unknown command", message: "no such path" } })(res);
  });
  await new Promise<void>((r) => grid.listen(0, "127.0.0.1", r));
  gridUrl = `http://127.0.0.1:${(grid.address() as AddressInfo).port}`;

  browserServer = createNetServer((socket) => socket.end());
  await new Promise<void>((r) => browserServer.listen(0, "127.0.0.1", r));
  wsUrl = `ws://127.0.0.1:${(browserServer.address() as AddressInfo).port}/playwright`;

  // A port nothing listens on: bound, then released.
  const spare = createNetServer();
  await new Promise<void>((r) => spare.listen(0, "127.0.0.1", r));
  closedPort = (spare.address() as AddressInfo).port;
  await new Promise<void>((r) => spare.close(() => r()));
});

after(async () => {
  grid.closeAllConnections();
  await new Promise<void>((r) => grid.close(() => r()));
  await new Promise<void>((r) => browserServer.close(() => r()));
});

function target(name: string, driver: TargetSpec["driver"], remote?: string): TargetSpec {
  return { name, driver, browser: "chromium", device: "Desktop Chrome", ...(remote ? { remote } : {}) };
}

async function rejectsWith(p: Promise<unknown>, type: new (m: string) => SignoffError, code: number, pattern: RegExp) {
  await assert.rejects(p, (e: Error) => {
    assert.ok(e instanceof type, `expected ${type.name}, got ${e.name}: ${e.message}`);
    assert.equal((e as SignoffError).exitCode, code);
    assert.doesNotMatch(e.message, /\n/, "one line");
    assert.match(e.message, pattern);
    return true;
  });
}

describe("probeRemotes: schemes", () => {
  test("targets without a remote are not probed", async () => {
    requests.length = 0;
    await probeRemotes([target("pw-local", "playwright"), target("se-local", "selenium")]);
    assert.deepEqual(requests, []);
  });

  test("a Selenium remote must be http(s), a Playwright remote ws(s): a usage error naming the target and the URL", async () => {
    await rejectsWith(
      probeRemotes([target("se-grid", "selenium", "ws://127.0.0.1:4444")]),
      UsageError,
      2,
      /^target "se-grid": a Selenium remote is a Grid \/ WebDriver URL \(http:\/\/ or https:\/\/\), got ws:\/\/127\.0\.0\.1:4444$/,
    );
    await rejectsWith(
      probeRemotes([target("pw-server", "playwright", gridUrl)]),
      UsageError,
      2,
      /^target "pw-server": a Playwright remote is a browser-server endpoint \(ws:\/\/ or wss:\/\/\), got http:/,
    );
  });
});

describe("probeRemotes: Selenium Grid / remote WebDriver", () => {
  test("a ready Grid passes; each endpoint is asked once, at <url>/status without doubled slashes", async () => {
    answers.set("/wd/hub/status", json(200, { value: { ready: true, message: "Selenium Grid ready." } }));
    requests.length = 0;
    await probeRemotes([
      target("se-desktop", "selenium", `${gridUrl}/wd/hub/`),
      target("se-pixel7", "selenium", `${gridUrl}/wd/hub/`),
    ]);
    assert.deepEqual(requests, ["GET /wd/hub/status"]);
  });

  test("a /status without 'ready' (a plain WebDriver endpoint) passes", async () => {
    answers.set("/plain/status", json(200, { value: { build: { version: "4" } } }));
    await probeRemotes([target("se", "selenium", `${gridUrl}/plain`)]);
  });

  test("a Grid that is not ready: exit 3 with the Grid's own message, or a default one", async () => {
    answers.set("/busy/status", json(200, { value: { ready: false, message: "Selenium Grid not ready." } }));
    await rejectsWith(
      probeRemotes([target("se", "selenium", `${gridUrl}/busy`)]),
      EnvironmentError,
      3,
      new RegExp(`^Selenium Grid ${gridUrl}/busy \\(target se\\) is not ready: Selenium Grid not ready\\.$`),
    );
    answers.set("/empty/status", json(200, { value: { ready: false, message: 42 } }));
    await rejectsWith(
      probeRemotes([target("se", "selenium", `${gridUrl}/empty`)]),
      EnvironmentError,
      3,
      /is not ready: no node can take a session$/,
    );
  });

  test("an HTTP error, a body that is not JSON, or JSON without an object 'value' is not a WebDriver endpoint (exit 3)", async () => {
    answers.set("/error/status", json(500, { value: { ready: true } }));
    answers.set("/html/status", json(200, "<html>welcome</html>"));
    answers.set("/null/status", json(200, { value: null }));
    answers.set("/string/status", json(200, { value: "ready" }));
    for (const [path, status] of [
      ["/error", 500],
      ["/html", 200],
      ["/null", 200],
      ["/string", 200],
      ["/missing", 404],
    ] as const)
      await rejectsWith(
        probeRemotes([target("se", "selenium", `${gridUrl}${path}`)]),
        EnvironmentError,
        3,
        new RegExp(
          `^${gridUrl}${path} \\(target se\\) does not answer like a WebDriver endpoint: GET /status gave HTTP ${status}$`,
        ),
      );
  });

  test("nothing listening: unreachable, naming the URL, the target and the cause", async () => {
    const url = `http://127.0.0.1:${closedPort}/wd/hub`;
    await rejectsWith(
      probeRemotes([target("se-grid", "selenium", url)]),
      EnvironmentError,
      3,
      new RegExp(`^Selenium Grid / remote WebDriver ${url} \\(target se-grid\\) is unreachable: ECONNREFUSED$`),
    );
  });

  test("the first failing endpoint stops the probe: later targets are not asked", async () => {
    requests.length = 0;
    answers.set("/later/status", json(200, { value: { ready: true } }));
    await assert.rejects(
      probeRemotes([
        target("a", "selenium", `http://127.0.0.1:${closedPort}`),
        target("b", "selenium", `${gridUrl}/later`),
      ]),
      EnvironmentError,
    );
    assert.deepEqual(requests, []);
  });
});

describe("probeRemotes: Playwright browser server", () => {
  test("an endpoint that accepts a connection passes", async () => {
    await probeRemotes([target("pw-a", "playwright", wsUrl), target("pw-b", "playwright", wsUrl)]);
  });

  test("nothing listening: unreachable, naming the URL, the target and the cause", async () => {
    const url = `ws://127.0.0.1:${closedPort}/playwright`;
    await rejectsWith(
      probeRemotes([target("pw-server", "playwright", url)]),
      EnvironmentError,
      3,
      new RegExp(`^Playwright browser server ${url} \\(target pw-server\\) is unreachable: ECONNREFUSED$`),
    );
  });
});

describe("remoteBrowserVersions", () => {
  test("targets without a remote start no session", async () => {
    const versions = await remoteBrowserVersions([target("pw-local", "playwright"), target("se-local", "selenium")], {
      actionTimeoutMs: 1000,
      navigationTimeoutMs: 1000,
    });
    assert.equal(versions.size, 0);
  });

  test("a Grid that answers but cannot create a session: exit 3, one line naming the endpoint and the Grid's reason", async () => {
    answers.set(
      "/full/session",
      json(500, {
        value: { error: "session not created", message: "No nodes support the capabilities in the request" },
      }),
    );
    await rejectsWith(
      remoteBrowserVersions([target("se-grid", "selenium", `${gridUrl}/full`)], {
        actionTimeoutMs: 1000,
        navigationTimeoutMs: 1000,
      }),
      EnvironmentError,
      3,
      new RegExp(
        `^${gridUrl}/full \\(target se-grid\\) answers but cannot start a browser: .*No nodes support the capabilities`,
      ),
    );
  });

  test("interrupted while a hung Grid never answers the session request: rejects with the interrupt, not held by the Grid", async () => {
    let asked!: () => void;
    const sessionAsked = new Promise<void>((r) => (asked = r));
    answers.set("/hung/session", () => asked()); // never answered
    const stop = new AbortController();
    const reason = new InterruptedError("SIGINT", "stopped before any target ran");
    const probe = remoteBrowserVersions(
      [target("se-grid", "selenium", `${gridUrl}/hung`)],
      { actionTimeoutMs: 1000, navigationTimeoutMs: 1000 },
      { signal: stop.signal, quitWithinMs: 200 },
    );
    await sessionAsked;
    stop.abort(reason);
    await assert.rejects(probe, (e: Error) => e === reason);
  });
});

test("a remote that is no URL is a usage error naming the target, before anything is probed", async () => {
  for (const remote of ["http://grid host:4444/wd/hub", "http://"]) {
    await assert.rejects(
      probeRemotes([{ name: "se-grid", driver: "selenium", browser: "chromium", device: "Desktop Chrome", remote }]),
      (e: Error) => e instanceof UsageError && e.message === `target "se-grid": remote: not a URL: ${remote}`,
    );
  }
});
