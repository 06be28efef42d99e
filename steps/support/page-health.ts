// Page health for every scenario (config pageHealth): a step after which (once the page settled) it had an error or a failed request fails there.
import { AfterStep, Status } from "@cucumber/cucumber";
import { problemLine, type PageProblem } from "../../src/browser/session";
import type { PageHealth } from "../../src/world";
import type { SignoffWorld } from "./world";
import { SignoffAssertionError } from "../../src/core/errors";
import { pageSettled } from "./settle";

const KIND_OF: Record<keyof PageHealth, PageProblem["kind"]> = {
  pageErrors: "page error",
  consoleErrors: "console error",
  failedRequests: "failed request",
};

/**
 * Whether a failed request counts: every one, or with `server-errors` one answered 5xx, so a 400 or 401 an app
 * answers on purpose does not fail the step. A request with no status (net::ERR_…) is left out there: the browser
 * says the same net::ERR_FAILED of a connection dropped and of an answer it blocked (a cross-origin 401 without CORS
 * headers), and Selenium's log can say less still.
 */
function counts(health: PageHealth, p: PageProblem): boolean {
  return health.failedRequests !== "server-errors" || (p.status !== undefined && p.status >= 500);
}

/** How many of the scenario's page problems earlier steps already answered for. */
const answered = new WeakMap<object, number>();

AfterStep(async function (this: SignoffWorld, { result }) {
  const health = this.parameters.pageHealth ?? {};
  const kinds = (Object.keys(KIND_OF) as (keyof PageHealth)[]).filter((k) => health[k]).map((k) => KIND_OF[k]);
  const session = this.liveSession;
  if (kinds.length === 0 || !session || result.status !== Status.PASSED) return;
  // What the step started (a request the page sends as it loads, or on a click) answers for this step.
  await pageSettled(this, this.parameters.timeouts.actionMs);
  const all = await session.pageProblems();
  const fresh = all.slice(answered.get(this) ?? 0);
  answered.set(this, all.length);
  const bad = fresh.filter((p) => kinds.includes(p.kind) && (p.kind !== "failed request" || counts(health, p)));
  if (bad.length > 0)
    throw new SignoffAssertionError(
      `expected no page problems (config pageHealth), the page had ${bad.length} during this step:\n  ${bad.map(problemLine).join("\n  ")}`,
    );
});
