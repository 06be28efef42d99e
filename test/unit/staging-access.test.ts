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
import { continued } from "../../src/browser/staging-fetch";
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
    return err.message.slice(f.length + 2);
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
    'stagingAccess.headers.x-bypass: unknown field "value"',
  );
});

test("names are checked: header names as HTTP tokens, variables as variable names", () => {
  assert.equal(
    refusal('stagingAccess:\n  headers:\n    "x bypass": { env: B }\n'),
    'stagingAccess.headers: "x bypass" must be an HTTP header name (letters, digits and !#$%&\'*+.^_`|~-)',
  );
  assert.equal(
    refusal("stagingAccess:\n  headers:\n    x-bypass: { env: not-a-variable }\n"),
    "stagingAccess.headers.x-bypass.env: must be the name of an environment variable (letters, digits, _), e.g. STAGING_PASSWORD",
  );
  assert.match(
    refusal("stagingAccess:\n  basicAuth: { username: { env: U } }\n"),
    /^stagingAccess\.basicAuth: .*password/,
  );
  assert.match(refusal("stagingAccess: {}\n"), /^stagingAccess: /);
  assert.match(
    refusal("stagingAccess:\n  header: {}\n"),
    /^stagingAccess: unknown field "header" \(did you mean "headers"\?\)/,
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
  const paused = (url: string, own: Record<string, string> = {}) => ({
    requestId: "1",
    request: { url, headers: { Accept: "text/html", Cookie: "a=1", ...own } },
  });
  const basic = `Basic ${Buffer.from("u:p").toString("base64")}`;
  assert.deepEqual(continued(paused("http://127.0.0.1:8080/x"), a), {
    requestId: "1",
    headers: [
      { name: "Accept", value: "text/html" },
      { name: "x-b", value: "v" },
      { name: "authorization", value: basic },
    ],
  });
  // An app's own token to its API is kept, as a browser keeps it over a remembered basic-auth login.
  assert.deepEqual(continued(paused("http://127.0.0.1:8080/api", { Authorization: "Bearer app-jwt" }), a), {
    requestId: "1",
    headers: [
      { name: "Accept", value: "text/html" },
      { name: "Authorization", value: "Bearer app-jwt" },
      { name: "x-b", value: "v" },
    ],
  });
  assert.deepEqual(continued(paused("http://127.0.0.1:9090/x"), a), { requestId: "1" });
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
