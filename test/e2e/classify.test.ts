// End to end: a real run whose scenarios fail with an assertion, a missing element, a misused step and unreachable
// staging; `signoff report` files each by its error's type in JUnit, the Allure results and Allure's Categories.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { allure2Categories } from "../../src/report/allure-extras";
import { CATEGORY_LABEL } from "../../src/report/allure-labels";
import { runSignoff, tempDir } from "../helpers/cli";

const CONFIG = "test/fixtures/classify/signoff.config.yaml";
const FEATURE = "test/fixtures/classify/failures.feature";

/** Scenario name → how it must be filed. */
const EXPECTED: Record<
  string,
  { category: string; junit: "failure" | "error"; allure: "failed" | "broken"; type: string }
> = {
  "An assertion about what the page shows": {
    category: "product defect",
    junit: "failure",
    allure: "failed",
    type: "SignoffAssertionError",
  },
  // The message says "connection refused"; the type says assertion: a product defect.
  "An assertion whose words sound like the environment": {
    category: "product defect",
    junit: "failure",
    allure: "failed",
    type: "SignoffAssertionError",
  },
  "An element that is not on the page": {
    category: "test defect",
    junit: "error",
    allure: "broken",
    type: "LocatorTimeoutError",
  },
  "A step the test uses wrongly": {
    category: "test defect",
    junit: "error",
    allure: "broken",
    type: "TestDefinitionError",
  },
  "Staging that cannot be reached": {
    category: "environment problem",
    junit: "error",
    allure: "broken",
    type: "StagingError",
  },
};

let dir: string;
let reports: string;

/** A port on 127.0.0.1 that nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

before(async () => {
  dir = tempDir("signoff-classify-");
  reports = join(dir, "reports");
  const feature = join(dir, "failures.feature");
  writeFileSync(
    feature,
    readFileSync(FEATURE, "utf8").replace("127.0.0.1:UNREACHABLE_PORT", `127.0.0.1:${await closedPort()}`),
  );
  const run = await runSignoff(["run", feature, "--config", CONFIG, "--targets", "pw-desktop", "--reports", reports]);
  assert.equal(run.code, 1, `every scenario fails on purpose, so run exits 1:\n${run.stdout}\n${run.stderr}`);
  const rep = await runSignoff([
    "report",
    "--config",
    CONFIG,
    "--reports",
    reports,
    "--no-history",
    "--no-single-file",
    "-o",
    join(dir, "html"),
  ]);
  assert.equal(rep.code, 0, rep.stdout + rep.stderr);
});

after(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test("JUnit: assertions are <failure>, a missing element, a misused step and unreachable staging are <error>", () => {
  const xml = readFileSync(join(reports, "junit.xml"), "utf8");
  for (const [name, e] of Object.entries(EXPECTED)) {
    const testcase = new RegExp(`<testcase [^>]*name="${name} \\[pw-desktop\\]"[^>]*>[\\s\\S]*?</testcase>`).exec(
      xml,
    )?.[0];
    assert.ok(testcase, `${name} is in junit.xml`);
    assert.match(testcase, new RegExp(`<${e.junit} message="[^"]*" type="${e.category}">`), name);
    assert.match(testcase, new RegExp(`Error type: ${e.type}`), name);
  }
  assert.match(xml, /<testsuite name="pw-desktop" tests="5" failures="2" errors="3"/);
});

test("Allure results: each carries its category label, status and trace marker from the type", () => {
  const results = readdirSync(join(reports, "allure-results"))
    .filter((f) => f.endsWith("-result.json"))
    .map((f) => JSON.parse(readFileSync(join(reports, "allure-results", f), "utf8")));
  const allure2 = allure2Categories() as { name: string; traceRegex?: string; matchedStatuses: string[] }[];
  for (const [name, e] of Object.entries(EXPECTED)) {
    const r = results.find((x) => x.name === `${name} — pw-desktop`);
    assert.ok(r, `${name} has an Allure result`);
    assert.deepEqual(
      r.labels.filter((l: any) => l.name === CATEGORY_LABEL).map((l: any) => l.value),
      [e.category],
      name,
    );
    assert.equal(r.status, e.allure, name);
    // What an Allure 2 reader of categories.json does: the first rule whose status and whole-trace regex match.
    const rule = allure2.find(
      (c) =>
        c.traceRegex &&
        c.matchedStatuses.includes(r.status) &&
        new RegExp(`^(?:${c.traceRegex})$`).test(r.statusDetails.trace),
    );
    assert.equal(rule?.name.toLowerCase(), e.category, name);
  }
});

test("Allure's Categories: every failure under the category of its type", () => {
  const categories = JSON.parse(readFileSync(join(dir, "html", "widgets", "categories.json"), "utf8"));
  const testsUnder = (id: string): string[] => {
    const n = categories.nodes[id];
    return n.type === "tr" ? [n.name] : (n.childrenIds ?? []).flatMap(testsUnder);
  };
  const filed: Record<string, string> = {};
  for (const root of categories.roots)
    for (const t of testsUnder(root))
      filed[t.replace(/ — pw-desktop$/, "")] = categories.nodes[root].name.toLowerCase();
  assert.deepEqual(filed, Object.fromEntries(Object.entries(EXPECTED).map(([name, e]) => [name, e.category])));
});
