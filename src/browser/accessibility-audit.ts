// An axe-core audit of the document steps act in, run the same way by both drivers: the source injected once per document, one call that returns plain findings.
//
// Hand-written rather than @axe-core/playwright and @axe-core/webdriverjs: two integrations would audit differently
// (each has its own frame handling, and webdriverjs switches WebDriver's frame, which the Selenium adapter tracks
// itself), and the same step must judge a page the same on every target. Frames are not descended into (iframes:
// false): a page's embedded third-party widgets are not its own markup; a frame is audited after `I switch into`.
import { readFileSync } from "node:fs";
import { axeVersion, type AccessibilityViolation } from "../core/accessibility";
import { TestDefinitionError } from "../core/errors";

let axe: { source: string; version: string } | undefined;

/** axe-core's browser build and version, read on first use: most runs never audit, and the file is 650 KB. */
export function axeCore(): { source: string; version: string } {
  axe ??= {
    source: readFileSync(require.resolve("axe-core/axe.min.js"), "utf8"),
    version: axeVersion(),
  };
  return axe;
}

/** In-page expression: true when this document already has this axe version (a page's own axe of another version is replaced). */
export function axePresentExpression(version: string): string {
  return `typeof window.axe === "object" && window.axe !== null && window.axe.version === ${JSON.stringify(version)}`;
}

declare const window: {
  axe: { run(context: unknown, options: unknown): Promise<AxeResults> };
  [stop: symbol]: (() => void) | undefined;
};
interface AxeResults {
  violations: {
    id: string;
    impact?: string | null;
    help: string;
    helpUrl: string;
    nodes: { target: unknown[]; html: string; failureSummary?: string }[];
  }[];
}

/**
 * The one sentence for an audit cut off at its limit (a page load's time, `timeouts.navigationMs`), the same on both
 * drivers: a test defect, since what to do is audit a part of the page or give the audit more time. axe works in long
 * stretches that block the page, so no timer in the page could stop it on time: each driver stops waiting and ends it
 * over DevTools (Runtime.terminateExecution), so the failure's evidence and the next scenario are not held up by it.
 */
export function auditTooLong(limitMs: number): TestDefinitionError {
  return new TestDefinitionError(
    `the accessibility audit took longer than ${limitMs} ms: audit a part of the page ({element} should have no accessibility violations), or raise timeouts.navigationMs`,
  );
}

/**
 * Runs in the page (serialized: it may use nothing from this module): audits `root` (the document when null) and
 * answers the violations as plain data, each element's markup cut to its start tag's first 200 characters.
 */
export async function runAudit(
  root: unknown,
  opts: { tags: string[]; skipRules: string[] },
): Promise<AccessibilityViolation[]> {
  // The key is STOP_AUDIT_KEY's (serialized: this function may use nothing from this module).
  const stop = Symbol.for("signoff.accessibility-audit.stop");
  const results = await new Promise<AxeResults>((resolve, reject) => {
    window[stop] = () => reject(new Error("the audit was stopped at its limit"));
    window.axe
      .run(root ?? document, {
        runOnly: { type: "tag", values: opts.tags },
        rules: Object.fromEntries(opts.skipRules.map((id) => [id, { enabled: false }])),
        resultTypes: ["violations"],
        iframes: false,
        elementRef: false,
      })
      .then(resolve, reject);
  });
  return results.violations.map((v) => ({
    rule: v.id,
    impact: v.impact ?? null,
    help: v.help,
    helpUrl: v.helpUrl,
    nodes: v.nodes.map((n) => ({
      target: n.target.map(String).join(" "),
      html: n.html.slice(0, 200),
      summary: n.failureSummary ?? "",
    })),
  }));
}

const STOP_AUDIT_KEY = "signoff.accessibility-audit.stop";

/**
 * In-page expression: settles a running audit's promise, so the script that waits for it answers. An audit cut off
 * by Runtime.terminateExecution stops where it was, but its promise would never settle, and chromedriver would hold
 * every later command until its script timeout.
 */
export const STOP_AUDIT_EXPRESSION = `(() => { const stop = window[Symbol.for(${JSON.stringify(STOP_AUDIT_KEY)})]; if (stop) stop(); return Boolean(stop); })()`;

/** `runAudit` as a WebDriver script body: its arguments are the root element (or null) and the options. */
export const RUN_AUDIT_SCRIPT = `return (${runAudit.toString()})(arguments[0], arguments[1]);`;
