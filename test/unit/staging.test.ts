// Starting the bundled app (or any app script) for a run, and probing staging before any scenario.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EnvironmentError } from "../../src/core/errors";
import { createServer } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { BUNDLED_APP, probeStaging, stagingGone, startApp } from "../../src/runner/staging";
import { stagingAccessAt } from "../../src/core/staging-access";
import { selfSignedCert } from "../helpers/self-signed-cert";
import { listenLocal } from "../helpers/listen";

const dir = mkdtempSync(join(tmpdir(), "signoff-staging-"));
after(() => rmSync(dir, { recursive: true, force: true }));

test("the bundled app starts on a free 127.0.0.1 port, answers the probe, and stop() ends it", async () => {
  const app = await startApp(BUNDLED_APP);
  try {
    assert.match(app.baseUrl, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    await probeStaging(app.baseUrl);
  } finally {
    await app.stop();
  }
  assert.ok(app.process.exitCode !== null || app.process.signalCode !== null, "the app process has ended");
  assert.equal(existsSync(app.dataDir), false, "the app's data directory is removed with it");
  await assert.rejects(probeStaging(app.baseUrl, { timeoutMs: 2000 }), EnvironmentError);
  await app.stop(); // twice is fine
});

test("an app that exits before listening is an environment error with its stderr, and leaves no data behind", async () => {
  const script = join(dir, "dies.js");
  // It names its data directory (the argument after --data-dir) before dying, so the test can look for it.
  writeFileSync(
    script,
    'console.error("port in use", process.argv[process.argv.indexOf("--data-dir") + 1]); process.exit(4);\n',
  );
  let dataDir = "";
  await assert.rejects(startApp(script), (err: unknown) => {
    const m = /exited with 4 before listening: port in use (\S+)$/.exec((err as Error).message);
    dataDir = m?.[1] ?? "";
    return err instanceof EnvironmentError && m !== null;
  });
  assert.ok(dataDir.startsWith(tmpdir()), dataDir);
  assert.equal(existsSync(dataDir), false, "the data directory made for the app is gone");
});

test("stagingGone: the connection error's code when nothing listens; undefined while staging answers, even a 500", async () => {
  const server = createServer((_req, res) => res.writeHead(500).end("broken"));
  const url = `${await listenLocal(server)}/`;
  try {
    assert.equal(await stagingGone(url), undefined);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  assert.equal(await stagingGone(url), "ECONNREFUSED");
});

/** A staging on 127.0.0.1 whose paths answer with the given status (and Location for a redirect); others 200. */
async function stagingAnswering(
  routes: Record<string, { status: number; location?: string }>,
): Promise<{ origin: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    const route = routes[new URL(req.url ?? "/", "http://x").pathname];
    res.writeHead(route?.status ?? 200, {
      "content-type": "text/html",
      ...(route?.location ? { location: route.location } : {}),
    });
    res.end("<p>page</p>");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

test("probeStaging: a base URL answering 404 or 5xx is an environment error (exit 3) naming the URL and the status", async () => {
  const staging = await stagingAnswering({
    "/app/": { status: 404 },
    "/gone/": { status: 410 },
    "/broken/": { status: 500 },
    "/busy/": { status: 503 },
  });
  const refused = async (path: string, line: string) => {
    const url = `${staging.origin}${path}`;
    await assert.rejects(
      probeStaging(url, { timeoutMs: 5000 }),
      (err: unknown) =>
        err instanceof EnvironmentError && err.exitCode === 3 && err.message === line.replace("URL", url),
    );
  };
  try {
    await refused(
      "/app/",
      "staging URL answers 404 Not Found — is --base-url (or baseUrl in the config) right? (or set stagingProbe in the config to a page the app serves)",
    );
    await refused(
      "/gone/",
      "staging URL answers 410 Gone — is --base-url (or baseUrl in the config) right? (or set stagingProbe in the config to a page the app serves)",
    );
    await refused(
      "/broken/",
      "staging URL answers 500 Internal Server Error — staging is up but failing; fix it first",
    );
    await refused("/busy/", "staging URL answers 503 Service Unavailable — staging is up but failing; fix it first");
  } finally {
    await staging.close();
  }
});

test("probeStaging: a page, any redirect, a login wall, a gateway's method or rate limit are a staging that is there", async () => {
  const staging = await stagingAnswering({
    "/login-redirect/": { status: 302, location: "/login" },
    // Not followed: behind it an SSO page may refuse an anonymous GET, or https may use a certificate only the
    // browser's system store knows. The scenarios judge what the browser gets there.
    "/sso-redirect/": { status: 302, location: "/idp/authorize" },
    "/idp/authorize": { status: 400 },
    "/basic-auth/": { status: 401 },
    "/sso/": { status: 403 },
    "/post-only/": { status: 405 },
    "/waf/": { status: 429 },
  });
  try {
    for (const path of ["/", "/login-redirect/", "/sso-redirect/", "/basic-auth/", "/sso/", "/post-only/", "/waf/"])
      await probeStaging(`${staging.origin}${path}`, { timeoutMs: 5000 }); // resolves: no error
  } finally {
    await staging.close();
  }
});

test("probeStaging with stagingAccess: 401, 403 or a redirect to a login elsewhere is the access wall refusing the headers", async () => {
  const staging = await stagingAnswering({
    "/basic-auth/": { status: 401 },
    "/cf-access/": { status: 403 },
    "/sso/": { status: 302, location: "https://team.cloudflareaccess.com/cdn-cgi/access/login" },
    "/in-app/": { status: 302, location: "/en/" },
  });
  const access = (base: string) => stagingAccessAt({ headers: { "x-b": "v" } }, base);
  const refused = (path: string, answer: string) =>
    assert.rejects(
      probeStaging(`${staging.origin}${path}`, { timeoutMs: 5000, access: access(`${staging.origin}${path}`) }),
      (e: Error) =>
        e instanceof EnvironmentError && e.message.includes(`answers ${answer} to the stagingAccess headers`),
    );
  try {
    await refused("/basic-auth/", "401 Unauthorized");
    await refused("/cf-access/", "403 Forbidden");
    await refused("/sso/", "302 Found, a redirect to https://team.cloudflareaccess.com");
    // A redirect within staging is the app's own: the scenarios judge it.
    await probeStaging(`${staging.origin}/in-app/`, { timeoutMs: 5000, access: access(`${staging.origin}/in-app/`) });
  } finally {
    await staging.close();
  }
});

test("probeStaging with config stagingProbe: the path is probed instead of a base URL that serves nothing", async () => {
  const staging = await stagingAnswering({
    "/app/": { status: 404 },
    "/app/login": { status: 200 },
    "/health": { status: 404 },
  });
  try {
    await probeStaging(`${staging.origin}/app/`, { path: "/app/login", timeoutMs: 5000 }); // resolves: no error
    await assert.rejects(
      probeStaging(`${staging.origin}/app/`, { path: "/health", timeoutMs: 5000 }),
      (err: unknown) =>
        err instanceof EnvironmentError &&
        err.message ===
          `staging ${staging.origin}/health answers 404 Not Found — is stagingProbe in the config a page the app serves?`,
    );
  } finally {
    await staging.close();
  }
});

test("probeStaging: an https:// URL whose TLS fails says what that means in the same line, by the error's code", async () => {
  const plain = createServer((_req, res) => res.end("<p>page</p>"));
  const selfSigned = createHttpsServer(selfSignedCert("127.0.0.1"), (_req, res) => res.end("<p>page</p>"));
  await Promise.all([plain, selfSigned].map((s) => new Promise<void>((resolve) => s.listen(0, "127.0.0.1", resolve))));
  const [plainPort, signedPort] = [plain, selfSigned].map((s) => (s.address() as AddressInfo).port);
  try {
    // Plain HTTP at an https:// URL: the handshake fails (EPROTO on node 20, ERR_SSL_WRONG_VERSION_NUMBER later).
    const url = `https://127.0.0.1:${plainPort}/`;
    await assert.rejects(probeStaging(url, { timeoutMs: 5000 }), (err: unknown) => {
      assert.ok(err instanceof EnvironmentError && err.exitCode === 3, String(err));
      assert.match(
        err.message,
        new RegExp(
          `^staging's TLS failed: GET ${url}: (EPROTO|ERR_SSL_WRONG_VERSION_NUMBER) — the TLS handshake failed: ` +
            `if staging serves plain HTTP there, use http://127\\.0\\.0\\.1:${plainPort}/; otherwise its TLS setup is wrong$`,
        ),
      );
      return true;
    });
    const signed = `https://127.0.0.1:${signedPort}/app/`;
    await assert.rejects(
      probeStaging(signed, { timeoutMs: 5000 }),
      (err: unknown) =>
        err instanceof EnvironmentError &&
        err.message ===
          `staging's TLS failed: GET ${signed}: DEPTH_ZERO_SELF_SIGNED_CERT — staging's TLS certificate is self-signed (no trusted CA issued it)`,
    );
    // Mid-run, a staging whose TLS fails now (a certificate replaced or expired) is one the rest of the run cannot use.
    assert.equal(
      await stagingGone(signed, 5000),
      "DEPTH_ZERO_SELF_SIGNED_CERT — staging's TLS certificate is self-signed (no trusted CA issued it)",
    );
  } finally {
    for (const s of [plain, selfSigned]) s.closeAllConnections();
    await Promise.all([plain, selfSigned].map((s) => new Promise((resolve) => s.close(resolve))));
  }
  // Not a TLS code: the code alone, as before.
  await assert.rejects(
    probeStaging(`http://127.0.0.1:${plainPort}/`, { timeoutMs: 5000 }),
    (err: unknown) => err instanceof EnvironmentError && /failed: ECONNREFUSED$/.test(err.message),
  );
});
