// JUnit XML from the normalised results: one <testsuite> per target, one <testcase> per scenario run.
// Product defects are <failure>; test defects and environment problems are <error> (by the error's type,
// core/failure-category.ts); skipped and
// pending are <skipped/>. The target is in the test name too, because GitLab and others flatten suites.
import { failedStepLocation, type ScenarioResult } from "../core/results-model";
import { errorHeadline } from "./overview";
import { categorize, type ReportData } from "./results";

// Characters XML 1.0 does not allow at all (even escaped).
// eslint-disable-next-line no-control-regex
const INVALID_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

export function xmlEscape(s: string): string {
  return s
    .replace(INVALID_XML, "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

function secs(ms: number): string {
  return (ms / 1000).toFixed(3);
}

function testcase(s: ScenarioResult): string {
  const name = `${s.name} [${s.target}]`;
  const attrs = `classname="${xmlEscape(s.feature || s.uri)}" name="${xmlEscape(name)}" time="${secs(s.durationMs)}" file="${xmlEscape(s.uri)}" line="${s.line}"`;
  const props =
    `<properties><property name="target" value="${xmlEscape(s.target)}"/>` +
    s.requirements.map((r) => `<property name="requirement" value="${xmlEscape(r)}"/>`).join("") +
    (s.flaky ? `<property name="flaky" value="true"/>` : "") +
    `</properties>`;
  if (s.status === "passed") return `    <testcase ${attrs}>${props}</testcase>`;
  if (s.status === "skipped" || s.status === "pending")
    return `    <testcase ${attrs}>${props}<skipped message="${xmlEscape(s.status)}"/></testcase>`;
  const category = categorize(s) ?? "test defect";
  const tag = category === "product defect" ? "failure" : "error";
  // The testcase's file and line are the scenario's; the body says where its failing step is written.
  const stepAt = failedStepLocation(s);
  const body = [
    s.failedStep ? `Step: ${s.failedStep}${stepAt ? ` at ${stepAt}` : ""}` : undefined,
    `Category: ${category}`,
    s.errorType ? `Error type: ${s.errorType}` : undefined,
    "",
    s.error ?? "",
  ]
    .filter((l) => l !== undefined)
    .join("\n");
  return `    <testcase ${attrs}>${props}<${tag} message="${xmlEscape(errorHeadline(s.error, s.errorType))}" type="${xmlEscape(category)}">${xmlEscape(body)}</${tag}></testcase>`;
}

export function junitXml(data: Pick<ReportData, "targets">): string {
  const suites: string[] = [];
  let tests = 0,
    failures = 0,
    errors = 0,
    skipped = 0,
    time = 0;
  for (const t of data.targets) {
    const ss = t.scenarios;
    const f = ss.filter(
      (s) =>
        s.status !== "passed" && s.status !== "skipped" && s.status !== "pending" && categorize(s) === "product defect",
    ).length;
    const sk = ss.filter((s) => s.status === "skipped" || s.status === "pending").length;
    const e = ss.filter((s) => s.status !== "passed").length - f - sk;
    const ms = ss.reduce((a, s) => a + s.durationMs, 0);
    tests += ss.length;
    failures += f;
    errors += e;
    skipped += sk;
    time += ms;
    suites.push(
      `  <testsuite name="${xmlEscape(t.name)}" tests="${ss.length}" failures="${f}" errors="${e}" skipped="${sk}" time="${secs(ms)}">\n` +
        (t.complete
          ? ""
          : `    <system-err>${xmlEscape(`target run incomplete: ${t.error ?? "unknown reason"}`)}</system-err>\n`) +
        ss.map(testcase).join("\n") +
        (ss.length ? "\n" : "") +
        `  </testsuite>`,
    );
  }
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<testsuites name="signoff" tests="${tests}" failures="${failures}" errors="${errors}" skipped="${skipped}" time="${secs(time)}">\n` +
    suites.join("\n") +
    `\n</testsuites>\n`
  );
}
