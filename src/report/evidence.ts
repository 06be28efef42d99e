// Evidence of a failed step, taken in the AfterStep hook so Allure shows it AT the failing step
// (attachments made in After hooks land under "tear down", away from the failure).
//
// Every driver: screenshot, page URL + title + failing locator (text), page source (HTML).
// Playwright: a trace archive (trace.zip; open with `npx playwright show-trace trace.zip`). It is
// attached as a plain zip, not Allure's playwright-trace type, whose viewer button loads
// trace.playwright.dev: the report stays offline.
import { STATUS_CODES } from "node:http";
import { LONG_LIVED_MS, withoutFragment, type BrowserSession } from "../browser/session";
import { messageLines } from "../core/message-line";

/** SIGNOFF_TRACE=off turns Playwright tracing off (it is recorded for every scenario, kept on failure). */
export function tracingWanted(env: NodeJS.ProcessEnv = process.env): boolean {
  return !/^(off|0|false|no)$/i.test(env.SIGNOFF_TRACE ?? "");
}

/** SIGNOFF_TRACE=snapshots adds DOM snapshots around every action to the trace (they cost every scenario). */
export function traceSnapshotsWanted(env: NodeJS.ProcessEnv = process.env): boolean {
  return /^snapshots$/i.test(env.SIGNOFF_TRACE ?? "");
}

/** Sessions whose trace is recording (started, not yet taken or discarded). */
const recording = new WeakSet<BrowserSession>();

export async function startTrace(session: BrowserSession, title: string): Promise<void> {
  if (!session.tracing) return; // Selenium sessions have none
  try {
    await session.tracing.start(title, { snapshots: traceSnapshotsWanted() });
    recording.add(session);
  } catch {
    // Tracing is evidence, never a reason to fail a scenario.
  }
}

/** Stops the trace and returns the archive (undefined when none was recording). */
export async function takeTrace(session: BrowserSession): Promise<Buffer | undefined> {
  if (!recording.delete(session)) return undefined;
  return session.tracing?.stop(true);
}

/** Discards a trace still recording (the scenario passed). */
export async function discardTrace(session: BrowserSession | undefined): Promise<void> {
  if (!session || !recording.delete(session)) return;
  await session.tracing?.stop(false).catch(() => undefined);
}

/** The locator a failure message names ("... waiting for the button named "Save" to be clickable"). */
export function failingLocator(message: string | undefined): string | undefined {
  if (!message) return undefined;
  const m =
    /waiting for (.+?) (?:to be|to offer|to accept)\b/.exec(message) ??
    /expected (?:not )?to see (the .+?)(?: \(waited|$)/m.exec(message);
  return m?.[1];
}

export interface FailureContext {
  target: string;
  driver: string;
  step?: string;
  errorType?: string;
  errorMessage?: string;
}

export interface Evidence {
  name: string;
  mediaType: string;
  body: Buffer | string;
}

/**
 * How long each read of the page (URL, title, screenshot, source) may take. A page still busy with a load or a script
 * keeps a read waiting (on Selenium, every later command waits behind it in chromedriver), and a hook that reaches
 * its own timeout attaches nothing at all, not even what it had. So once one read runs out of time the page is not
 * asked again; the cheap reads go first. The trace is the browser's, not the page's: it is not limited.
 */
export const EVIDENCE_READ_LIMIT_MS = 5000;

/** `fn`'s answer, or "late" when it takes longer than `limitMs`, or undefined when it fails. */
async function within<T>(fn: () => Promise<T>, limitMs: number): Promise<T | "late" | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<"late">((resolve) => {
    timer = setTimeout(resolve, limitMs, "late");
  });
  try {
    return await Promise.race([fn(), late]);
  } catch {
    return undefined;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Collects what the page looked like when the step failed. Each piece is independent: a page that
 * is gone, or too busy to answer in time, yields what it still can; the step's own error is never masked.
 */
export async function collectEvidence(
  session: BrowserSession,
  ctx: FailureContext,
  readLimitMs = EVIDENCE_READ_LIMIT_MS,
): Promise<Evidence[]> {
  let answering = true;
  const read = async <T>(fn: () => Promise<T>): Promise<T | undefined> => {
    if (!answering) return undefined;
    const got = await within(fn, readLimitMs);
    if (got !== "late") return got;
    answering = false;
    return undefined;
  };
  const url = await read(() => session.url());
  const title = await read(() => session.title());
  const shot = await read(() => session.screenshot());
  const source = await read(() => session.pageSource());
  const out: Evidence[] = [];
  if (shot) out.push({ name: "Screenshot at the failing step.png", mediaType: "image/png", body: shot });
  const locator = failingLocator(ctx.errorMessage);
  const lines = [
    `Page URL:   ${url ?? "(unavailable)"}`,
    `Page title: ${title ?? "(unavailable)"}`,
    `Target:     ${ctx.target} (${ctx.driver})`,
    ctx.step ? `Step:       ${ctx.step}` : undefined,
    locator ? `Locator:    ${locator}` : undefined,
    ctx.errorType ? `Error:      ${ctx.errorType}` : undefined,
    ctx.errorMessage ? `\n${messageLines(ctx.errorMessage).join("\n")}` : undefined,
  ].filter((l) => l !== undefined);
  out.push({ name: "Page at the failing step.txt", mediaType: "text/plain", body: lines.join("\n") + "\n" });
  if (source) out.push({ name: "Page source.html", mediaType: "text/html", body: source });
  const trace = await takeTrace(session).catch(() => undefined);
  if (trace) out.push({ name: "Playwright trace.zip", mediaType: "application/zip", body: trace });
  return out;
}

/**
 * A line for a failed step's message when the page it failed on is an error page, with that page's status: `the page
 * here answered 403 Forbidden: http://…/login`. A check after a form whose POST was refused (a missing CSRF
 * token) otherwise says only that the page lacks what it looked for. Undefined for a page answered below 400, one
 * with no HTTP answer of its own, one whose status a step asked for, or one that does not say in time.
 */
export async function errorPageNote(
  session: BrowserSession,
  readLimitMs = EVIDENCE_READ_LIMIT_MS,
): Promise<{ line: string; status: number; url: string } | undefined> {
  const answer = await within(() => session.documentAnswer(), readLimitMs);
  if (answer === undefined || answer === "late" || answer.status < 400 || answer.expected) return undefined;
  const reason = STATUS_CODES[answer.status];
  // The answer before the URL: a one-line view that has to clip the line (a long URL) keeps what matters.
  const line = `the page here answered ${answer.status}${reason ? ` ${reason}` : ""}: ${answer.url}`;
  return { line, status: answer.status, url: answer.url };
}

/** How many of the requests staging answered 5xx a failed step's note names. */
const SERVER_ERRORS_NAMED = 3;

/**
 * A line for a failed step's message naming the requests staging answered with a 5xx during the scenario: an API's
 * 500 behind a form otherwise leaves the check after it saying only that the dialog is still shown. Undefined for
 * none, or when the page does not say in time. `shown`: the URL of a page the step's message already gives the answer
 * of (errorPageNote), not named again.
 */
export async function serverErrorsNote(
  session: BrowserSession,
  readLimitMs = EVIDENCE_READ_LIMIT_MS,
  shown?: string,
): Promise<string | undefined> {
  const problems = await within(() => session.pageProblems(), readLimitMs);
  if (problems === undefined || problems === "late") return undefined;
  const failed = problems.filter(
    (p) =>
      p.kind === "failed request" &&
      p.status !== undefined &&
      p.status >= 500 &&
      (shown === undefined || withoutFragment(p.url ?? "") !== withoutFragment(shown)),
  );
  if (failed.length === 0) return undefined;
  const named = failed.slice(0, SERVER_ERRORS_NAMED).map((p) => p.message);
  const more = failed.length > named.length ? ` and ${failed.length - named.length} more` : "";
  const which = failed.length === 1 ? "a request" : `${failed.length} requests`;
  return `${which} answered 5xx during the scenario: ${named.join(", ")}${more}`;
}

/** How many of the requests still in flight a failed step's note names. */
const IN_FLIGHT_NAMED = 3;

/**
 * A line for a failed step's message naming the page's requests still unanswered after longer than settling waits
 * (LONG_LIVED_MS) when the step failed: an API that hangs leaves a list or a table unfilled, and the step saying only
 * that no row is there read as a mistake of the test's. Undefined for none, or when the page does not say in time.
 */
export async function inFlightNote(
  session: BrowserSession,
  readLimitMs = EVIDENCE_READ_LIMIT_MS,
): Promise<string | undefined> {
  const open = await within(() => session.requestsInFlight(), readLimitMs);
  if (open === undefined || open === "late") return undefined;
  const slow = open.filter((o) => o.age >= LONG_LIVED_MS).sort((a, b) => b.age - a.age);
  if (slow.length === 0) return undefined;
  const named = slow.slice(0, IN_FLIGHT_NAMED).map((o) => `${o.what} (for ${(o.age / 1000).toFixed(1)} s)`);
  const more = slow.length > named.length ? ` and ${slow.length - named.length} more` : "";
  return `the page was still waiting for answers to its requests: ${named.join(", ")}${more}`;
}
