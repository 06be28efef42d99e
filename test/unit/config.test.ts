// signoff.config.yaml: validated, merged over defaults, errors name file and field.
import { test } from "node:test";
import assert from "node:assert/strict";
import { UsageError } from "../../src/core/errors";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { checkTimeouts, loadConfig } from "../../src/config/load";
import { tempDir } from "../helpers/cli";

function configFile(text: string): string {
  const f = join(tempDir(), "signoff.config.yaml");
  writeFileSync(f, text);
  return f;
}

/** A refusal's words after "file:line:col: ". */
function afterPosition(file: string, message: string): string {
  assert.ok(message.startsWith(`${file}:`), message);
  return message.slice(file.length).replace(/^:\d+:\d+: /, "");
}

test("a custom target joins the built-in ones", () => {
  const f = configFile(
    "targets:\n  grid-desktop:\n    driver: selenium\n    device: Desktop Chrome\n    remote: http://127.0.0.1:4444/wd/hub\ndefaultTargets: [grid-desktop]\n",
  );
  const c = loadConfig(f);
  assert.deepEqual(c.targets["grid-desktop"], {
    name: "grid-desktop",
    browser: "chromium",
    driver: "selenium",
    device: "Desktop Chrome",
    remote: "http://127.0.0.1:4444/wd/hub",
  });
  assert.ok(c.targets["pw-desktop"]);
  assert.deepEqual(c.defaultTargets, ["grid-desktop"]);
});

test("timeouts merge field by field", () => {
  const c = loadConfig(configFile("timeouts:\n  actionMs: 1234\n"));
  assert.equal(c.timeouts.actionMs, 1234);
  assert.equal(c.timeouts.navigationMs, 15_000);
});

test("a wait as long as the step it is in is refused, naming both fields", () => {
  assert.throws(
    () => checkTimeouts(loadConfig(configFile("timeouts:\n  stepMs: 10000\n  actionMs: 12000\n"))),
    (e: Error) =>
      e instanceof UsageError &&
      /signoff\.config\.yaml: timeouts\.actionMs \(12000\) must be less than timeouts\.stepMs \(10000\)/.test(
        e.message,
      ),
  );
  // navigationMs is 15 s by default: a stepMs under it is refused too.
  assert.throws(
    () => checkTimeouts(loadConfig(configFile("timeouts:\n  stepMs: 15000\n"))),
    (e: Error) => e instanceof UsageError && /timeouts\.navigationMs \(15000\) must be less than/.test(e.message),
  );
  checkTimeouts(loadConfig(configFile("timeouts:\n  stepMs: 15001\n")));
  // Only a run waits: the gate and the report load such a config as it is.
  assert.equal(loadConfig(configFile("timeouts:\n  stepMs: 15000\n")).timeouts.stepMs, 15000);
});

test("a wrong type names the field", () => {
  const f = configFile("timeouts:\n  actionMs: soon\n");
  assert.throws(
    () => loadConfig(f),
    (e: any) => e.exitCode === 2 && e.message === `${f}:2:3: timeouts.actionMs: must be integer`,
  );
});

test("an unknown field is named, with the field it most likely meant, at any depth", () => {
  const f = configFile("targts: {}\n");
  assert.throws(
    () => loadConfig(f),
    (e: any) => e.message === `${f}:1:1: targts: unknown field (did you mean "targets"?)`,
  );
  const nested = configFile("targets:\n  mine:\n    driver: playwright\n    device: Pixel 7\n    isolaton: context\n");
  assert.throws(
    () => loadConfig(nested),
    (e: any) => e.message === `${nested}:5:5: targets.mine.isolaton: unknown field (did you mean "isolation"?)`,
  );
  const far = configFile("surprise: 1\n");
  assert.throws(
    () => loadConfig(far),
    (e: any) => e.message === `${far}:1:1: surprise: unknown field`,
  );
});

test("a built-in target's name keeps its driver and device: a config may set its other fields, not make pw-pixel7 a desktop", () => {
  for (const [name, body] of [
    ["pw-pixel7", "driver: playwright\n    device: Desktop Chrome"],
    ["se-desktop", "driver: playwright\n    device: Desktop Chrome"],
  ]) {
    const f = configFile(`targets:\n  ${name}:\n    ${body}\n`);
    assert.throws(
      () => loadConfig(f),
      (e: unknown) =>
        e instanceof UsageError &&
        e.message.startsWith(`${f}:2:3: targets.${name}: ${name} is a built-in target (`) &&
        e.message.includes("its driver and device cannot change"),
    );
  }
  // Fields left out are named missing, not as a change of the built-in target's driver and device.
  const partial = configFile("targets:\n  pw-desktop:\n    isolation: reset\n");
  assert.deepEqual(refusedLines(partial), {
    printed: [`signoff: ${partial}:2:3: targets.pw-desktop.driver: required field is missing`],
    last: `${partial}:2:3: targets.pw-desktop.device: required field is missing`,
  });
  const kept = loadConfig(
    configFile("targets:\n  pw-pixel7:\n    driver: playwright\n    device: Pixel 7\n    isolation: context\n"),
  );
  assert.equal(kept.targets["pw-pixel7"].isolation, "context");
  assert.equal(kept.targets["pw-pixel7"].device, "Pixel 7");
});

test("a bad driver lists the allowed ones", () => {
  const f = configFile("targets:\n  x:\n    driver: puppeteer\n    device: Pixel 7\n");
  assert.throws(
    () => loadConfig(f),
    (e: any) => e.message === `${f}:3:5: targets.x.driver: must be one of "playwright", "selenium"`,
  );
});

test("a map key of digits is named as a key, a list's place as an index", () => {
  const f = configFile("targets:\n  '2024':\n    driver: puppeteer\n    device: Pixel 7\nfeatures: [ok, '']\n");
  assert.deepEqual(refusedLines(f), {
    printed: [`signoff: ${f}:3:5: targets["2024"].driver: must be one of "playwright", "selenium"`],
    last: `${f}:5:16: features[1]: must not be empty`,
  });
});

test("isolation: context is Playwright's; a Selenium target is told it can only reset", () => {
  const ok = loadConfig(
    configFile("targets:\n  strict:\n    driver: playwright\n    device: Pixel 7\n    isolation: context\n"),
  );
  assert.equal(ok.targets.strict.isolation, "context");
  const f = configFile("targets:\n  x:\n    driver: selenium\n    device: Pixel 7\n    isolation: context\n");
  assert.throws(
    () => loadConfig(f),
    (e: any) =>
      e.message ===
      `${f}:5:5: targets.x.isolation: must be "reset" on a Selenium target (its session is one browser profile)`,
  );
});

test("YAML syntax errors give file:line:col", () => {
  const f = configFile("timeouts:\n  actionMs: [1,\n");
  assert.throws(
    () => loadConfig(f),
    (e: any) =>
      e.exitCode === 2 && new RegExp(`^${f.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}:\\d+:\\d+: `).test(e.message),
  );
});

test("duplicate keys are refused", () => {
  const f = configFile("reportsDir: a\nreportsDir: b\n");
  assert.throws(
    () => loadConfig(f),
    (e: any) => e.exitCode === 2 && /Map keys must be unique/.test(e.message),
  );
});

test("a default target that does not exist is named", () => {
  const f = configFile("defaultTargets: [pw-desktop, ghost]\n");
  assert.throws(
    () => loadConfig(f),
    (e: any) => /defaultTargets: unknown target "ghost"/.test(e.message),
  );
});

test("a baseUrl the browsers cannot open (no http(s) scheme) is named in --base-url's words, not the schema's", () => {
  // The URL parser mends "http:example.com" and "https:/x" into URLs: the run records the string as written.
  for (const bad of [
    "127.0.0.1:18765",
    "localhost:3000",
    "ftp://staging.example.com/",
    "http://",
    "42",
    "http:example.com",
    "https:/staging.example.com",
    '"http://staging.example.com/ x"',
  ]) {
    const f = configFile(`baseUrl: ${bad}\n`);
    assert.throws(
      () => loadConfig(f),
      (e: any) =>
        e.exitCode === 2 &&
        e.message === `${f}:1:1: baseUrl: must be an http:// or https:// URL, e.g. http://127.0.0.1:8080/`,
      bad,
    );
  }
  assert.equal(
    loadConfig(configFile("baseUrl: https://staging.example.com/shop/\n")).baseUrl,
    "https://staging.example.com/shop/",
  );
});

test("a field its pattern refuses says what it must be, never the pattern", () => {
  for (const [yaml, message] of [
    ['buildHeader: "X Build"', "buildHeader: must be an HTTP header name (letters, digits and !#$%&'*+.^_`|~-)"],
    [
      "requirementTagPrefix: '@REQ-'",
      "requirementTagPrefix: must be a tag prefix without @ (a letter, then letters, digits, _ or -), e.g. REQ-",
    ],
    [
      "links: { issue: https://issues.example/ }",
      "links.issue: must be a URL with {id} where the tag's id goes, e.g. https://tracker.example/browse/{id}",
    ],
    [
      "targets: { grid: { driver: selenium, device: Desktop Chrome, remote: grid.internal:4444 } }",
      "targets.grid.remote: must be a Selenium Grid URL (http:// or https://) or a Playwright browser server's (ws:// or wss://), e.g. http://grid.internal:4444",
    ],
  ]) {
    const f = configFile(`${yaml}\n`);
    assert.throws(
      () => loadConfig(f),
      (e: any) => e.exitCode === 2 && afterPosition(f, e.message) === message,
      yaml,
    );
  }
});

test("a top-level field spelled in another case names the field meant", () => {
  const f = configFile("baseURL: https://staging.example.com/\n");
  assert.throws(
    () => loadConfig(f),
    (e: any) => e.message === `${f}:1:1: baseURL: unknown field (did you mean "baseUrl"?)`,
  );
});

test("buildEndpoint and stagingProbe are paths on staging: one naming another host is refused, saying what is wanted", () => {
  for (const [field, value] of [
    ["stagingProbe", "//login"],
    ["buildEndpoint", "/\\\\evil.example/x"],
    ["stagingProbe", "login"],
  ])
    assert.throws(
      () => loadConfig(configFile(`${field}: "${value}"\n`)),
      (err: Error) => err.message.endsWith(`: ${field}: must be a path on staging starting with one "/", e.g. /login`),
      `${field}: ${value}`,
    );
  assert.equal(loadConfig(configFile("stagingProbe: /app/login\n")).stagingProbe, "/app/login");
});

test("pageHealth.failedRequests takes true, false or server-errors; anything else names the field and the choices", () => {
  assert.equal(
    loadConfig(configFile("pageHealth:\n  failedRequests: server-errors\n")).pageHealth.failedRequests,
    "server-errors",
  );
  assert.throws(
    () => loadConfig(configFile("pageHealth:\n  failedRequests: 5xx\n")),
    (e: unknown) =>
      e instanceof UsageError &&
      /signoff\.config\.yaml:2:3: pageHealth\.failedRequests: must be one of true, false, "server-errors"$/.test(
        e.message,
      ),
  );
});

/** What loadConfig refuses `file` with: the lines it prints first, and the error's own (the last). */
function refusedLines(file: string): { printed: string[]; last: string } {
  const printed: string[] = [];
  const print = console.error;
  console.error = (line: string) => printed.push(line);
  try {
    loadConfig(file);
  } catch (err) {
    assert.ok(err instanceof UsageError, String(err));
    return { printed, last: err.message };
  } finally {
    console.error = print;
  }
  assert.fail("the config was accepted");
}

test("every mistake in the file is named in one run, top to bottom, each at its line; the last is the error's", () => {
  const f = configFile(
    "timeouts:\n  actionMs: fast\ndefaultTargets: [pw-desktop, se-dekstop]\ntargets:\n  pw-pixel7: { driver: selenium, device: Pixel 7 }\nbaseUrl: ftp://x\n",
  );
  const { printed, last } = refusedLines(f);
  assert.equal(last, `${f}:6:1: baseUrl: must be an http:// or https:// URL, e.g. http://127.0.0.1:8080/`);
  assert.deepEqual(printed, [
    `signoff: ${f}:2:3: timeouts.actionMs: must be integer`,
    `signoff: ${f}:3:30: defaultTargets: unknown target "se-dekstop" (did you mean "se-desktop"?); known targets: pw-desktop, pw-pixel7, pw-iphone, se-desktop, se-pixel7, se-iphone`,
    `signoff: ${f}:5:3: targets.pw-pixel7: pw-pixel7 is a built-in target (playwright on Pixel 7); its driver and device cannot change — a gate policy that requires pw-pixel7 means that browser and device: give your target a name of its own`,
  ]);
});

test("a file of thousands of mistakes is named by its first twenty and a count", () => {
  const f = configFile(`defaultTargets: [${Array.from({ length: 500 }, (_, i) => `ghost${i}`).join(", ")}]\n`);
  const { printed, last } = refusedLines(f);
  assert.match(last, /unknown target "ghost19".*\(and 480 more problems in this file\)$/);
  assert.equal(printed.length, 19);
});
