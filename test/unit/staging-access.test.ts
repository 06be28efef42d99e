// Config stagingAccess: validated field by field, secrets only by environment variable, headers only for staging's origin.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadConfig } from "../../src/config/load";
import { BrowserStartError, EXIT, UsageError } from "../../src/core/errors";
import { httpGet } from "../../src/core/http-get";
import {
  readStagingCredentials,
  stagingAccessFor,
  stagingHeadersFor,
  type StagingAccessConfig,
} from "../../src/core/staging-access";
import {
  carriesAccessHeaders,
  continued,
  sendAccessHeaders,
  type DevToolsPort,
  type RequestPaused,
} from "../../src/browser/staging-fetch";
import { documentOrigin, FrameOrigins, type FrameTree } from "../../src/browser/frame-origins";
import { launchSeleniumDriver } from "../../src/browser/selenium";
import { sendRequest } from "../../src/properties/http-shapes";
import { loadAtOnce } from "../../src/properties/visitors";
import { tempDir } from "../helpers/cli";

function configFile(text: string): string {
  const f = join(tempDir(), "signoff.config.yaml");
  writeFileSync(f, text);
  return f;
}

/** The one line loadConfig refuses `text` with, after the file name. */
function refusal(text: string): string {
  const f = configFile(text);
  try {
    loadConfig(f);
  } catch (err) {
    assert.ok(err instanceof UsageError, String(err));
    assert.equal(err.exitCode, EXIT.usage);
    return err.message.slice(f.length).replace(/^(:\d+:\d+)?: /, "");
  }
  assert.fail("the config was accepted");
}

const GOOD =
  "stagingAccess:\n  headers:\n    x-vercel-protection-bypass: { env: VERCEL_AUTOMATION_BYPASS_SECRET }\n  basicAuth: { username: { env: STAGING_USER }, password: { env: STAGING_PASSWORD } }\n";
const ENV = { VERCEL_AUTOMATION_BYPASS_SECRET: "bypass-secret", STAGING_USER: "qa", STAGING_PASSWORD: "pä55:word" };

test("a config naming environment variables loads as written", () => {
  assert.deepEqual(loadConfig(configFile(GOOD)).stagingAccess, {
    headers: { "x-vercel-protection-bypass": { env: "VERCEL_AUTOMATION_BYPASS_SECRET" } },
    basicAuth: { username: { env: "STAGING_USER" }, password: { env: "STAGING_PASSWORD" } },
  });
  assert.equal(loadConfig(configFile("baseUrl: http://127.0.0.1:8080/\n")).stagingAccess, undefined);
});

test("a secret written in the config is refused, naming the field, never echoing the value", () => {
  const literal = refusal("stagingAccess:\n  headers:\n    x-bypass: s3cr3t-value\n");
  assert.equal(
    literal,
    "stagingAccess.headers.x-bypass: must be { env: VARIABLE }: a secret is read from an environment variable, never written in the config",
  );
  assert.doesNotMatch(literal, /s3cr3t/);
  assert.match(
    refusal("stagingAccess:\n  basicAuth: { username: { env: U }, password: hunter2hunter2 }\n"),
    /^stagingAccess\.basicAuth\.password: must be \{ env: VARIABLE \}/,
  );
  // A value beside the variable's name is an unknown field, not a fallback.
  assert.equal(
    refusal("stagingAccess:\n  headers:\n    x-bypass: { env: B, value: s3cr3t }\n"),
    "stagingAccess.headers.x-bypass.value: unknown field",
  );
});

test("names are checked: header names as HTTP tokens, variables as variable names", () => {
  assert.equal(
    refusal('stagingAccess:\n  headers:\n    "x bypass": { env: B }\n'),
    'stagingAccess.headers["x bypass"]: must be an HTTP header name (letters, digits and !#$%&\'*+.^_`|~-)',
  );
  assert.equal(
    refusal("stagingAccess:\n  headers:\n    x-bypass: { env: not-a-variable }\n"),
    "stagingAccess.headers.x-bypass.env: must be the name of an environment variable (letters, digits, _), e.g. STAGING_PASSWORD",
  );
  assert.match(
    refusal("stagingAccess:\n  basicAuth: { username: { env: U } }\n"),
    /^stagingAccess\.basicAuth\.password: required field is missing$/,
  );
  assert.match(refusal("stagingAccess: {}\n"), /^stagingAccess: /);
  assert.match(
    refusal("stagingAccess:\n  header: {}\n"),
    /^stagingAccess\.header: unknown field \(did you mean "headers"\?\)/,
  );
});

test("the variables are read: basic auth becomes one preemptive Authorization header", () => {
  const c = loadConfig(configFile(GOOD)).stagingAccess;
  const a = stagingAccessFor(c, "signoff.config.yaml", "https://staging.example.com:8443/app/", ENV)!;
  assert.equal(a.origin, "https://staging.example.com:8443");
  const token = Buffer.from("qa:pä55:word", "utf8").toString("base64");
  assert.deepEqual(a.headers, { "x-vercel-protection-bypass": "bypass-secret", authorization: `Basic ${token}` });
  assert.equal(readStagingCredentials(undefined, "x", ENV), undefined);
  // Basic auth's parts travel base64-encoded: any character goes, but a copied trailing newline is refused.
  const basic = { basicAuth: { username: { env: "U" }, password: { env: "P" } } };
  const withPassword = (p: string) => readStagingCredentials(basic, "c.yaml", { U: "qa", P: p })!.headers.authorization;
  assert.equal(withPassword("密码€123"), `Basic ${Buffer.from("qa:密码€123", "utf8").toString("base64")}`);
  assert.throws(
    () => withPassword("secret\n"),
    /stagingAccess\.basicAuth\.password: environment variable P holds a line break/,
  );
});

test("a variable unset, empty or holding CR/LF: one line naming the field and the variable, never the value", () => {
  const c = loadConfig(configFile(GOOD)).stagingAccess;
  const refused = (env: NodeJS.ProcessEnv) => {
    try {
      readStagingCredentials(c, "signoff.config.yaml", env);
    } catch (err) {
      assert.ok(err instanceof UsageError);
      return err.message;
    }
    assert.fail("accepted");
  };
  assert.equal(
    refused({ ...ENV, STAGING_PASSWORD: undefined }),
    "signoff.config.yaml: stagingAccess.basicAuth.password: environment variable STAGING_PASSWORD is not set",
  );
  assert.equal(
    refused({ ...ENV, VERCEL_AUTOMATION_BYPASS_SECRET: "" }),
    "signoff.config.yaml: stagingAccess.headers.x-vercel-protection-bypass: environment variable VERCEL_AUTOMATION_BYPASS_SECRET is empty",
  );
  const injected = refused({ ...ENV, VERCEL_AUTOMATION_BYPASS_SECRET: "abc\r\nX-Evil: 1" });
  assert.match(injected, /VERCEL_AUTOMATION_BYPASS_SECRET holds a character an HTTP header cannot carry/);
  assert.doesNotMatch(injected, /abc|Evil/);
  assert.match(refused({ ...ENV, STAGING_USER: "a:b" }), /basicAuth\.username: .*STAGING_USER contains ":"/);
});

test("header names that frame the request, given twice, or with basicAuth's Authorization are refused", () => {
  const refused = (config: StagingAccessConfig) =>
    assert.throws(() => readStagingCredentials(config, "c.yaml", { A: "1", B: "2" }), UsageError);
  refused({ headers: { Host: { env: "A" } } });
  refused({ headers: { cookie: { env: "A" } } });
  refused({ headers: { "X-A": { env: "A" }, "x-a": { env: "B" } } });
  refused({ headers: { authorization: { env: "A" } }, basicAuth: { username: { env: "A" }, password: { env: "B" } } });
  // A bearer token of its own is fine.
  assert.deepEqual(
    readStagingCredentials({ headers: { Authorization: { env: "A" } } }, "c.yaml", { A: "Bearer x" })!.headers,
    {
      authorization: "Bearer x",
    },
  );
});

test("the headers go to staging's origin only: not another port, scheme or host", () => {
  const a = stagingAccessFor({ headers: { "x-b": { env: "B" } } }, "c.yaml", "http://127.0.0.1:8080/app/", { B: "v" });
  assert.deepEqual(stagingHeadersFor(a, "http://127.0.0.1:8080/other?q=1"), { "x-b": "v" });
  for (const url of [
    "http://127.0.0.1:8081/app/",
    "https://127.0.0.1:8080/app/",
    "http://localhost:8080/app/",
    "http://127.0.0.1:8080.evil.example/",
    "not a url",
  ])
    assert.deepEqual(stagingHeadersFor(a, url), {}, url);
  assert.deepEqual(stagingHeadersFor(undefined, "http://127.0.0.1:8080/"), {});
});

test("the runner's GET sends them to staging and not to where staging redirects", async () => {
  const got: Array<string | undefined> = [];
  const elsewhere = createServer((req, res) => {
    got.push(`elsewhere ${req.headers["x-b"]}`);
    res.end("ok");
  });
  await new Promise<void>((r) => elsewhere.listen(0, "127.0.0.1", r));
  const staging = createServer((req, res) => {
    got.push(`staging ${req.headers["x-b"]}`);
    res.writeHead(302, { location: `http://127.0.0.1:${(elsewhere.address() as AddressInfo).port}/` }).end();
  });
  await new Promise<void>((r) => staging.listen(0, "127.0.0.1", r));
  try {
    const base = `http://127.0.0.1:${(staging.address() as AddressInfo).port}/`;
    const access = stagingAccessFor({ headers: { "x-b": { env: "B" } } }, "c.yaml", base, { B: "v" });
    const answer = await httpGet(base, { timeoutMs: 5000, maxRedirects: 2, access });
    assert.equal(answer.status, 200);
    assert.deepEqual(got, ["staging v", "elsewhere undefined"]);
  } finally {
    staging.close();
    elsewhere.close();
  }
});

test("a paused request gets the headers on staging's origin only, a header the page set itself winning, cookies left to the browser", () => {
  const a = stagingAccessFor(
    { headers: { "X-B": { env: "B" } }, basicAuth: { username: { env: "U" }, password: { env: "P" } } },
    "c.yaml",
    "http://127.0.0.1:8080/",
    { B: "v", U: "u", P: "p" },
  )!;
  const paused = (url: string, own: Record<string, string> = {}): RequestPaused => ({
    requestId: "1",
    request: { url, headers: { Accept: "text/html", Cookie: "a=1", ...own } },
    frameId: "F",
    resourceType: "Fetch",
  });
  const staging = "http://127.0.0.1:8080";
  const basic = `Basic ${Buffer.from("u:p").toString("base64")}`;
  assert.deepEqual(continued(paused("http://127.0.0.1:8080/x"), a, staging), {
    requestId: "1",
    headers: [
      { name: "Accept", value: "text/html" },
      { name: "x-b", value: "v" },
      { name: "authorization", value: basic },
    ],
  });
  // An app's own token to its API is kept, as a browser keeps it over a remembered basic-auth login.
  assert.deepEqual(continued(paused("http://127.0.0.1:8080/api", { Authorization: "Bearer app-jwt" }), a, staging), {
    requestId: "1",
    headers: [
      { name: "Accept", value: "text/html" },
      { name: "Authorization", value: "Bearer app-jwt" },
      { name: "x-b", value: "v" },
    ],
  });
  assert.deepEqual(continued(paused("http://127.0.0.1:9090/x"), a, staging), { requestId: "1" });
  // The same request from a frame of another origin, or one not known, goes on unchanged: its own headers, its cookies.
  assert.deepEqual(continued(paused("http://127.0.0.1:8080/x"), a, "http://127.0.0.1:9090"), { requestId: "1" });
  assert.deepEqual(continued(paused("http://127.0.0.1:8080/x"), a, undefined), { requestId: "1" });
});

test("who may send them: navigations to staging, and the requests of staging's own documents only", () => {
  const a = { origin: "http://127.0.0.1:8080" };
  const staging = "http://127.0.0.1:8080";
  const url = "http://127.0.0.1:8080/api/me";
  const subresources = [
    "Fetch",
    "XHR",
    "Script",
    "Stylesheet",
    "Image",
    "Font",
    "Media",
    "EventSource",
    "Ping",
    "Other",
  ];
  for (const resourceType of subresources) {
    assert.equal(carriesAccessHeaders(a, { url, resourceType, frameOrigin: staging }), true, resourceType);
    // A page or frame of another origin, an opaque document, a frame not known: never.
    for (const frameOrigin of [
      "http://127.0.0.1:9090",
      "https://127.0.0.1:8080",
      "http://localhost:8080",
      "null",
      "://",
      undefined,
    ])
      assert.equal(
        carriesAccessHeaders(a, { url, resourceType, frameOrigin }),
        false,
        `${resourceType} ${frameOrigin}`,
      );
  }
  // A navigation to staging (a link from another origin's page, a frame of staging inside one) carries them.
  for (const frameOrigin of [staging, "http://127.0.0.1:9090", undefined])
    assert.equal(carriesAccessHeaders(a, { url, resourceType: "Document", frameOrigin }), true, String(frameOrigin));
  // Never to another origin, whoever asks; nor without knowing what the request is.
  for (const resourceType of ["Document", "Fetch"])
    assert.equal(
      carriesAccessHeaders(a, { url: "http://127.0.0.1:9090/", resourceType, frameOrigin: staging }),
      false,
      resourceType,
    );
  assert.equal(carriesAccessHeaders(a, { url, frameOrigin: "http://127.0.0.1:9090" }), false);
});

test("a request's own Origin header other than staging's (null included) never gets them, but on a navigation", () => {
  const a = { origin: "http://127.0.0.1:8080" };
  const staging = "http://127.0.0.1:8080";
  const url = "http://127.0.0.1:8080/api/me";
  const allowed = (resourceType: string, headers: Record<string, string> | undefined) =>
    carriesAccessHeaders(a, { url, resourceType, frameOrigin: staging, headers });
  for (const resourceType of ["Fetch", "XHR", "Script", "Image", "EventSource", "Ping", "Other"]) {
    // No Origin (a same-origin GET, an <img>), or staging's own (a same-origin POST, a CORS request of staging's page).
    assert.equal(allowed(resourceType, undefined), true, resourceType);
    assert.equal(allowed(resourceType, { Accept: "*/*" }), true, resourceType);
    assert.equal(allowed(resourceType, { Origin: staging }), true, resourceType);
    assert.equal(allowed(resourceType, { origin: staging }), true, resourceType);
    // Whatever the frame map says: another origin, an opaque one (a page served with CSP sandbox), or almost staging's.
    for (const origin of [
      "null",
      "http://127.0.0.1:9090",
      "https://127.0.0.1:8080",
      "http://localhost:8080",
      `${staging}/`,
      "",
    ])
      for (const name of ["Origin", "origin", "ORIGIN", "oRiGiN"])
        assert.equal(allowed(resourceType, { [name]: origin }), false, `${resourceType} ${name}: ${origin}`);
    // One of two spellings that is not staging's is enough to refuse.
    assert.equal(allowed(resourceType, { Origin: staging, origin: "null" }), false, resourceType);
  }
  // A navigation keeps them whatever it says: a login provider's form posting back to staging, a sandboxed frame's link.
  for (const origin of ["http://127.0.0.1:9090", "null", staging])
    assert.equal(
      carriesAccessHeaders(a, { url, resourceType: "Document", frameOrigin: undefined, headers: { Origin: origin } }),
      true,
      origin,
    );
  // A staging Origin does not stand in for the frame: a frame not known, or of another origin, still goes without.
  for (const frameOrigin of [undefined, "http://127.0.0.1:9090"])
    assert.equal(
      carriesAccessHeaders(a, { url, resourceType: "Fetch", frameOrigin, headers: { Origin: staging } }),
      false,
      String(frameOrigin),
    );
  // continued reads the paused request's own headers.
  const access = stagingAccessFor({ headers: { "x-b": { env: "B" } } }, "c.yaml", `${staging}/`, { B: "v" })!;
  const paused = (headers: Record<string, string>): RequestPaused => ({
    requestId: "7",
    request: { url, headers },
    frameId: "F",
    resourceType: "XHR",
  });
  assert.deepEqual(continued(paused({ Origin: "null" }), access, staging), { requestId: "7" });
  assert.deepEqual(continued(paused({ Origin: staging }), access, staging), {
    requestId: "7",
    headers: [
      { name: "Origin", value: staging },
      { name: "x-b", value: "v" },
    ],
  });
});

test("a document's origin: its URL's, a srcdoc's parent's; about:blank, data: and anything opaque have none", () => {
  const staging = "http://127.0.0.1:8080";
  const origin = (url: string, securityOrigin?: string, parentOrigin?: string) =>
    documentOrigin({ id: "F", parentId: "P", url, securityOrigin }, parentOrigin);
  assert.equal(origin("http://127.0.0.1:8080/a?b", staging), staging);
  assert.equal(origin("https://staging.example.com/a"), "https://staging.example.com");
  assert.equal(origin("blob:http://127.0.0.1:8080/6f1d-4b", staging), staging);
  // Chromium reports "://" for these whatever their real origin: a srcdoc has its parent's, nothing else is known.
  assert.equal(origin("about:srcdoc", "://", staging), staging);
  assert.equal(origin("about:srcdoc", "://", undefined), undefined);
  assert.equal(origin("about:blank", "://", staging), undefined);
  assert.equal(origin("data:text/html,<p>x</p>", "://", staging), undefined);
  assert.equal(origin("data:text/html,<p>x</p>", undefined, staging), undefined);
  assert.equal(origin("chrome-error://chromewebdata/", "://", staging), undefined);
});

test("frame origins follow the page's frames: commits, srcdoc frames, detached and swapped-out frames", () => {
  const staging = "http://127.0.0.1:8080";
  const other = "http://127.0.0.1:9090";
  const frames = new FrameOrigins();
  assert.equal(frames.isKnown(), false);
  frames.seed({
    frame: { id: "top", url: "about:blank", securityOrigin: "://" },
    childFrames: [{ frame: { id: "old", parentId: "top", url: `${other}/x`, securityOrigin: other } }],
  });
  assert.equal(frames.isKnown(), true);
  assert.equal(frames.originOf("top"), undefined);
  assert.equal(frames.originOf("old"), other);
  frames.navigated({ id: "top", url: `${staging}/`, securityOrigin: staging });
  assert.equal(frames.originOf("old"), undefined, "a new document starts without the old one's frames");
  assert.equal(frames.originOf("top"), staging);
  frames.navigated({ id: "same", parentId: "top", url: `${staging}/same`, securityOrigin: staging });
  frames.navigated({ id: "srcdoc", parentId: "top", url: "about:srcdoc", securityOrigin: "://" });
  frames.navigated({ id: "nested", parentId: "srcdoc", url: "about:srcdoc", securityOrigin: "://" });
  frames.navigated({ id: "elsewhere", parentId: "top", url: `${other}/frame`, securityOrigin: other });
  frames.navigated({ id: "inner", parentId: "elsewhere", url: "about:srcdoc", securityOrigin: "://" });
  assert.deepEqual(
    ["same", "srcdoc", "nested", "elsewhere", "inner"].map((id) => frames.originOf(id)),
    [staging, staging, staging, other, other],
  );
  // A frame another origin's frame navigated to about:blank has that origin, not its parent's: not known.
  frames.navigated({ id: "elsewhere", parentId: "top", url: "about:blank", securityOrigin: "://" });
  assert.equal(frames.originOf("elsewhere"), undefined);
  assert.equal(frames.originOf("inner"), undefined);
  // A staging frame that navigates elsewhere takes that origin before its new document can request anything.
  frames.navigated({ id: "same", parentId: "top", url: `${other}/away`, securityOrigin: other });
  assert.equal(frames.originOf("same"), other);
  // Detached, or swapped into a process of its own (an out-of-process iframe): gone, with its frames.
  frames.detached("srcdoc");
  assert.equal(frames.originOf("srcdoc"), undefined);
  assert.equal(frames.originOf("nested"), undefined);
  assert.equal(frames.originOf(undefined), undefined);
  assert.equal(frames.originOf(""), undefined);
});

test("the frame tree read at start does not undo what the page's events said meanwhile", () => {
  const staging = "http://127.0.0.1:8080";
  const other = "http://127.0.0.1:9090";
  const frames = new FrameOrigins();
  // Events that came while Page.getFrameTree was answered are as new as its answer, or newer.
  frames.navigated({ id: "top", url: `${other}/`, securityOrigin: other });
  frames.detached("gone");
  frames.seed({
    frame: { id: "top", url: `${staging}/`, securityOrigin: staging },
    childFrames: [
      { frame: { id: "gone", parentId: "top", url: `${staging}/f`, securityOrigin: staging } },
      { frame: { id: "kept", parentId: "top", url: "about:srcdoc", securityOrigin: "://" } },
    ],
  });
  assert.equal(frames.originOf("top"), other);
  assert.equal(frames.originOf("gone"), undefined);
  assert.equal(frames.originOf("kept"), other, "a srcdoc frame has its parent's origin as it is known");
  // After the tree, events are applied as they come.
  frames.navigated({ id: "top", url: `${staging}/`, securityOrigin: staging });
  assert.equal(frames.originOf("top"), staging);
});

/** A page's DevTools session in memory: what was sent, events to emit, and the frame tree it answers with when told. */
function fakePage(): {
  port: DevToolsPort;
  sent: Array<{ method: string; params: any }>;
  emit: (method: string, params: object) => void;
  answerTree: (tree: FrameTree) => void;
} {
  const sent: Array<{ method: string; params: any }> = [];
  const handlers = new Map<string, (p: Record<string, unknown>) => void>();
  let answerTree!: (tree: FrameTree) => void;
  const tree = new Promise<FrameTree>((resolve) => (answerTree = resolve));
  return {
    sent,
    emit: (method, params) => handlers.get(method)!(params as Record<string, unknown>),
    answerTree,
    port: {
      send: async (method, params) => {
        sent.push({ method, params });
        return method === "Page.getFrameTree" ? { frameTree: await tree } : {};
      },
      on: (method, handler) => handlers.set(method, handler),
    },
  };
}

test("a page's interception: each paused request judged by its frame, once every frame of the page is known", async () => {
  const access = stagingAccessFor({ headers: { "x-b": { env: "B" } } }, "c.yaml", "http://127.0.0.1:8080/", {
    B: "v",
  })!;
  const page = fakePage();
  const pause = (requestId: string, frameId: string, resourceType: string) =>
    page.emit("Fetch.requestPaused", {
      requestId,
      frameId,
      resourceType,
      request: { url: "http://127.0.0.1:8080/api", headers: {} },
    });
  const continuedWith = () =>
    Object.fromEntries(
      page.sent.filter((s) => s.method === "Fetch.continueRequest").map((s) => [s.params.requestId, s.params.headers]),
    );
  const settled = () => new Promise((r) => setImmediate(r));
  // Resolves once Fetch is enabled, without waiting for the frame tree: a page held before its first request (a new
  // tab on Selenium) answers Page.enable only once it is let go.
  await sendAccessHeaders(page.port, access);
  assert.deepEqual(
    page.sent.map((s) => s.method),
    ["Page.enable", "Fetch.enable", "Page.getFrameTree"],
  );
  // Before the tree: a navigation goes on at once; anything else waits, and goes without the headers if its frame
  // committed another document meanwhile.
  pause("early navigation", "top", "Document");
  pause("early fetch", "top", "Fetch");
  pause("early fetch, then the frame navigated", "frame", "Fetch");
  await settled();
  assert.deepEqual(continuedWith(), { "early navigation": [{ name: "x-b", value: "v" }] });
  page.emit("Page.frameNavigated", {
    frame: { id: "frame", parentId: "top", url: "http://127.0.0.1:8080/f", securityOrigin: access.origin },
  });
  page.answerTree({
    frame: { id: "top", url: "http://127.0.0.1:8080/", securityOrigin: access.origin },
    childFrames: [{ frame: { id: "frame", parentId: "top", url: "http://127.0.0.1:9090/", securityOrigin: "x" } }],
  });
  await settled();
  assert.deepEqual(continuedWith(), {
    "early navigation": [{ name: "x-b", value: "v" }],
    "early fetch": [{ name: "x-b", value: "v" }],
    "early fetch, then the frame navigated": undefined,
  });
  // Once known, each request is judged as it comes.
  page.emit("Page.frameNavigated", {
    frame: { id: "ad", parentId: "top", url: "http://127.0.0.1:9090/ad", securityOrigin: "http://127.0.0.1:9090" },
  });
  pause("staging's", "top", "Fetch");
  pause("staging's frame's", "frame", "XHR");
  pause("the ad's", "ad", "Fetch");
  pause("the ad's navigation", "ad", "Document");
  pause("unknown", "worker-or-new-frame", "Fetch");
  await settled();
  const {
    "early navigation": _n,
    "early fetch": _f,
    "early fetch, then the frame navigated": _m,
    ...later
  } = continuedWith();
  assert.deepEqual(later, {
    "staging's": [{ name: "x-b", value: "v" }],
    "staging's frame's": [{ name: "x-b", value: "v" }],
    "the ad's": undefined,
    "the ad's navigation": [{ name: "x-b", value: "v" }],
    unknown: undefined,
  });
});

test("a page that cannot tell its frames: their requests go without the headers, navigations with them", async () => {
  const access = stagingAccessFor({ headers: { "x-b": { env: "B" } } }, "c.yaml", "http://127.0.0.1:8080/", {
    B: "v",
  })!;
  const sent: Array<{ method: string; params: any }> = [];
  let paused!: (p: Record<string, unknown>) => void;
  await sendAccessHeaders(
    {
      send: async (method, params) => {
        sent.push({ method, params });
        if (method === "Page.enable") throw new Error("DevTools: the page is gone");
        return {};
      },
      on: (method, handler) => {
        if (method === "Fetch.requestPaused") paused = handler;
      },
    },
    access,
  );
  for (const resourceType of ["Fetch", "Document"])
    paused({
      requestId: resourceType,
      frameId: "top",
      resourceType,
      request: { url: `${access.origin}/`, headers: {} },
    });
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(
    Object.fromEntries(
      sent.filter((s) => s.method === "Fetch.continueRequest").map((s) => [s.params.requestId, s.params.headers]),
    ),
    { Document: [{ name: "x-b", value: "v" }], Fetch: undefined },
  );
});

test("a remote Selenium end cannot intercept: the target fails closed before any session is opened", async () => {
  const access = stagingAccessFor({ headers: { "x-b": { env: "B" } } }, "c.yaml", "http://127.0.0.1:8080/", { B: "v" });
  await assert.rejects(
    launchSeleniumDriver(
      {
        name: "grid",
        driver: "selenium",
        browser: "chromium",
        device: "Desktop Chrome",
        remote: "http://127.0.0.1:9/wd/hub",
      },
      {
        chromiumPath: "",
        chromedriverPath: "",
        timeouts: { actionTimeoutMs: 1000, navigationTimeoutMs: 1000 },
        stagingAccess: access,
      },
    ),
    (err: Error) =>
      err instanceof BrowserStartError &&
      /^target "grid": stagingAccess needs the page's own DevTools connection .* a remote Selenium end \(http:\/\/127\.0\.0\.1:9\/wd\/hub\) gives none/.test(
        err.message,
      ),
  );
});

test("the property steps' own HTTP carries them: a generated request, and visitors loading a page at once", async () => {
  const got: string[] = [];
  const elsewhere = createServer((req, res) => {
    got.push(`elsewhere ${req.url} ${req.headers["x-b"]} ${req.headers.authorization}`);
    res.end("ok");
  });
  await new Promise<void>((r) => elsewhere.listen(0, "127.0.0.1", r));
  const other = `http://127.0.0.1:${(elsewhere.address() as AddressInfo).port}`;
  const staging = createServer((req, res) => {
    got.push(`${req.url} ${req.headers["x-b"]} ${req.headers.authorization}`);
    // A visitor is sent on within staging, then to another origin: each hop followed, the headers on staging's only.
    if (req.url === "/four") res.writeHead(302, { location: "/four/en" }).end();
    else if (req.url === "/four/en") res.writeHead(302, { location: `${other}/away` }).end();
    else res.end("ok");
  });
  await new Promise<void>((r) => staging.listen(0, "127.0.0.1", r));
  try {
    const base = `http://127.0.0.1:${(staging.address() as AddressInfo).port}/`;
    const access = stagingAccessFor({ headers: { "x-b": { env: "B" }, Authorization: { env: "A" } } }, "c.yaml", base, {
      A: "Bearer staging",
      B: "v",
    });
    await sendRequest(base, { method: "GET", path: "/one", query: "", headers: [] }, 5000, access);
    // A header the shape generates is the one under test: it replaces staging's of the same name.
    await sendRequest(
      base,
      { method: "GET", path: "/two", query: "", headers: [["AUTHORIZATION", "x"]] },
      5000,
      access,
    );
    assert.deepEqual(await loadAtOnce(`${base}three`, 2, 5000, access), []);
    assert.deepEqual(got, ["/one v Bearer staging", "/two v x", "/three v Bearer staging", "/three v Bearer staging"]);
    got.length = 0;
    assert.deepEqual(await loadAtOnce(`${base}four`, 1, 5000, access), []);
    assert.deepEqual(got, [
      "/four v Bearer staging",
      "/four/en v Bearer staging",
      "elsewhere /away undefined undefined",
    ]);
  } finally {
    staging.close();
    elsewhere.close();
  }
});
