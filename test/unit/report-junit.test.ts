// JUnit XML: totals per suite and overall, skipped/pending, an incomplete target said in the suite, nothing XML forbids.
import { test } from "node:test";
import assert from "node:assert/strict";
import { junitXml, xmlEscape } from "../../src/report/junit";
import type { ScenarioResult } from "../../src/core/results-model";
import type { TargetInfo } from "../../src/report/results";
import { scenarioResult } from "../helpers/scenario-result";

const sc = scenarioResult;
const target = (name: string, scenarios: ScenarioResult[], more: Partial<TargetInfo> = {}) =>
  ({ name, scenarios, complete: true, ...more }) as TargetInfo;

test("skipped and pending scenarios are <skipped/>, counted as skipped; times are seconds", () => {
  const xml = junitXml({
    targets: [
      target("a", [
        sc({ name: "p", status: "passed", target: "a" }),
        sc({ name: "s", status: "skipped", target: "a" }),
        sc({ name: "q", status: "pending", target: "a" }),
      ]),
    ],
  });
  assert.match(xml, /<testsuites name="signoff" tests="3" failures="0" errors="0" skipped="2" time="3\.600">/);
  assert.match(xml, /<testsuite name="a" tests="3" failures="0" errors="0" skipped="2" time="3\.600">/);
  assert.match(
    xml,
    /name="s \[a\]" time="1\.200" file="features\/f\.feature" line="3"><properties>.*<\/properties><skipped message="skipped"\/><\/testcase>/,
  );
  assert.match(xml, /<skipped message="pending"\/>/);
});

test("an incomplete target says so in its suite; an empty suite is still well-formed", () => {
  const xml = junitXml({ targets: [target("b", [], { complete: false, error: "killed by SIGKILL" })] });
  assert.match(
    xml,
    /<testsuite name="b" tests="0" failures="0" errors="0" skipped="0" time="0\.000">\n {4}<system-err>target run incomplete: killed by SIGKILL<\/system-err>\n {2}<\/testsuite>/,
  );
});

test("flaky scenarios and requirements are properties; characters XML 1.0 forbids are dropped, the rest escaped", () => {
  const xml = junitXml({
    targets: [target("c", [sc({ name: "x\u0007y & <z>", flaky: true, requirements: ["REQ-1"], target: "c" })])],
  });
  assert.match(xml, /name="xy &amp; &lt;z&gt; \[c\]"/);
  assert.match(xml, /<property name="requirement" value="REQ-1"\/><property name="flaky" value="true"\/>/);
  assert.doesNotMatch(xml, /[\u0000-\u0008\u000B\u000C\u000E-\u001F]/);
  assert.equal(xmlEscape(`'"\uFFFE`), "&apos;&quot;");
});
