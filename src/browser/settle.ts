// When the page has settled: the rule both adapters apply to the in-page request tracker (in-page/requests.ts),
// which counts the page's requests in flight and the short timers it set that have not fired yet.
//
// Why an in-page tracker and not the drivers' network events: a Selenium Grid passes DevTools commands through
// but never sends their events back, so only a tracker inside the page sees the same requests on Playwright, a
// local chromedriver and a Grid alike. It is installed once per browser context (Playwright) or tab (Selenium)
// as a script that runs before the page's own, so a scenario that never asks whether the page settled pays nothing.
import { createHash } from "node:crypto";
import { installRequestTracker, requestSnapshot, type RequestSnapshot } from "./in-page/requests";
import {
  BrowserCrashedError,
  LONG_LIVED_MS,
  QUIET_MS,
  SHORT_TIMER_MS,
  type SettleOptions,
  type SettleOutcome,
} from "./session";

/**
 * How often the page is looked at while a request is in flight; and how long after a first look that finds it quiet
 * it is looked at once more: what an action sets off at the page's next rendering step (an IntersectionObserver's
 * callback after a scroll, a ResizeObserver's, a scroll handler) has not started at the first look.
 */
const LOOK_EVERY_MS = 50;

/**
 * How long one look may take at least, whatever time is left: a look is one call into the page, and on a loaded
 * machine it can take longer than a short wait (the sequence property's check wait); cut short, it would say
 * nothing about the page's requests. A page whose main thread is busy holds a settle up this much past its deadline.
 */
const LOOK_AT_LEAST_MS = 1000;

/** A look the page did not answer in time (its main thread busy). */
export class PageBusyError extends Error {
  constructor() {
    super("the page did not answer in time");
    this.name = "PageBusyError";
  }
}

/** `look`, or PageBusyError once `ms` have passed. */
export function lookWithin<T>(look: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, fail) => {
    timer = setTimeout(() => fail(new PageBusyError()), ms);
  });
  look.catch(() => undefined); // answered after the deadline: nobody waits for it any more
  return Promise.race([look, late]).finally(() => clearTimeout(timer));
}

/** The tracker's source and what it is called with: what makes one tracker version. */
const TRACKER_CALL = [String(installRequestTracker), SHORT_TIMER_MS] as const;

/**
 * The window property the tracker lives under: one per tracker version (its source and arguments), so an upgrade
 * never reads an old one, nor installs beside one that counts by another rule.
 */
const KEY = `__signoff_requests_${createHash("sha256").update(JSON.stringify(TRACKER_CALL)).digest("hex").slice(0, 12)}`;

/** The tracker as a script for a new document (Page.addScriptToEvaluateOnNewDocument, addInitScript). */
export const TRACKER_SCRIPT = `(${TRACKER_CALL[0]})(${JSON.stringify(KEY)}, ${TRACKER_CALL[1]});`;

/** A script body (WebDriver executeScript) answering the page's RequestSnapshot, or null where no tracker is. */
export const SNAPSHOT_SCRIPT = `return (${String(requestSnapshot)})(${JSON.stringify(KEY)});`;

/** The same, as an expression (Playwright's evaluate, DevTools' Runtime.evaluate). */
export const SNAPSHOT_EXPRESSION = `(${String(requestSnapshot)})(${JSON.stringify(KEY)})`;

/** What one look at the page says: settled or not, what it waits for, and how long until the next look. */
export interface Judgement {
  quiet: boolean;
  /** The requests (and timers) it waits for. */
  waiting: string[];
  /** The requests in flight for longer than LONG_LIVED_MS: not waited for. */
  longLived: string[];
  /** The requests started within `startedWithinMs` and in flight for longer than LONG_LIVED_MS: still waited for. */
  overdue: string[];
  /** When to look again. */
  lookAgainMs: number;
}

/**
 * The rule: settled once the document has loaded and nothing younger than `longLivedMs` (a request in flight, a
 * counted timer pending) was open for `quietMs`. What started within the last `startedWithinMs` but at least
 * `startedAtLeastMsAgo` ago (after an action whose answer a check must see, a submit, and before the first look at
 * the page after it) is waited for however long it stays open, as it is that action's answer. What the page opens
 * later (a long poll its answer starts) is its own, and taken for long-lived like any other.
 */
export function judge(
  s: RequestSnapshot,
  quietMs = QUIET_MS,
  longLivedMs = LONG_LIVED_MS,
  startedWithinMs = -1,
  startedAtLeastMsAgo = 0,
): Judgement {
  const old = (r: { age: number }) => r.age >= longLivedMs;
  const mine = (r: { age: number }) => r.age <= startedWithinMs && r.age >= startedAtLeastMsAgo;
  const waiting = counted(s.open.filter((r) => !old(r) || mine(r)).map((r) => r.what));
  const longLived = counted(s.open.filter((r) => old(r) && !mine(r)).map((r) => r.what));
  const overdue = counted(s.open.filter((r) => old(r) && mine(r)).map((r) => r.what));
  if (s.loading)
    return {
      quiet: false,
      waiting: ["(the page is still loading)", ...waiting],
      longLived,
      overdue,
      lookAgainMs: LOOK_EVERY_MS,
    };
  if (waiting.length > 0) return { quiet: false, waiting, longLived, overdue, lookAgainMs: LOOK_EVERY_MS };
  const left = quietMs - s.quietFor;
  if (left <= 0) return { quiet: true, waiting, longLived, overdue, lookAgainMs: 0 };
  const since = `(the last request ended or timer fired, or the page loaded, ${Math.round(s.quietFor)} ms before)`;
  return { quiet: false, waiting: [since], longLived, overdue, lookAgainMs: left };
}

/** Each request once, in order of first appearance, with how many of it there are when more than one. */
function counted(whats: string[]): string[] {
  const n = new Map<string, number>();
  for (const w of whats) n.set(w, (n.get(w) ?? 0) + 1);
  return [...n].map(([w, k]) => (k > 1 ? `${w} (${k} of them)` : w));
}

/** The requests a snapshot counts in flight (none without a tracker), for the port's requestsInFlight. */
export function openRequestsOf(s: RequestSnapshot | null): { what: string; age: number }[] {
  // The tracker labels the timers it counts "a timer (N ms)" (in-page/requests.ts); everything else is a request.
  return (s?.open ?? []).filter((o) => !o.what.startsWith("a timer (")).map((o) => ({ what: o.what, age: o.age }));
}

/** How an adapter reads the page's tracker (within `ms`), and installs it in a document that has none. */
export interface TrackerAccess {
  look(ms: number): Promise<RequestSnapshot | null>;
  install(): Promise<void>;
}

/**
 * Resolves once the page has settled by `judge`, or at `timeoutMs` with what it still waited for. A document
 * without the tracker (one the init script did not reach) gets it now and is judged on the requests from then on.
 * A look that fails short of a crash (the page between two documents) is tried again until the deadline. With
 * `waitForRequestsSince`, the requests started since then are waited for however long they stay open (judge).
 */
export async function settlePage(
  page: TrackerAccess,
  timeoutMs: number,
  options: SettleOptions = {},
): Promise<SettleOutcome> {
  const deadline = Date.now() + timeoutMs;
  let waiting: string[] = ["(the page is between two documents)"];
  let overdue: string[] = [];
  const since = options.waitForRequestsSince;
  let installs = 0;
  /** When the page was first looked at: it is called quiet no sooner than LOOK_EVERY_MS after (see there). */
  let firstLook: number | undefined;
  for (;;) {
    let snapshot: RequestSnapshot | null | undefined;
    const lookedAt = Date.now();
    try {
      snapshot = await page.look(Math.max(deadline - Date.now(), LOOK_AT_LEAST_MS));
    } catch (err) {
      if (err instanceof BrowserCrashedError) throw err;
      waiting = [
        err instanceof PageBusyError
          ? "(the page did not answer: its main thread is busy)"
          : "(the page is between two documents)",
      ];
    }
    if (snapshot === null) {
      // Still none after two installs: it cannot be installed there, and nothing can be judged.
      if (installs++ >= 2) return { quiet: false, open: ["(the page's requests cannot be tracked)"] };
      await page.install().catch((err) => {
        if (err instanceof BrowserCrashedError) throw err;
      });
      continue;
    }
    let next = LOOK_EVERY_MS;
    if (snapshot) {
      firstLook ??= lookedAt;
      // A request the page started after the mark is never older than the time since (measured after this look
      // answered); one it started before the first look's call is older than the time from that call to this one's.
      const j = judge(
        snapshot,
        QUIET_MS,
        LONG_LIVED_MS,
        since === undefined ? -1 : Date.now() - since,
        lookedAt - firstLook,
      );
      overdue = j.overdue;
      const early = LOOK_EVERY_MS - (Date.now() - firstLook);
      if (j.quiet && (early <= 0 || Date.now() >= deadline)) return { quiet: true, open: j.longLived };
      waiting = j.waiting;
      next = j.quiet ? early : Math.max(j.lookAgainMs, early);
    }
    const left = deadline - Date.now();
    if (left <= 0) return { quiet: false, open: waiting, ...(since === undefined ? {} : { overdue }) };
    await new Promise((r) => setTimeout(r, Math.min(next, left)));
  }
}
