// Model-based UI testing of a number that counts page loads (a visitor counter, a hit counter):
// any sequence of user actions — visit, refresh, go back, new visitor, another page, several
// visitors at once — checked against a model of what the number must show.
//
// The model: every page load of the page shows exactly one more than the page load before it (the
// number never decreases and counts every load, including loads by other visitors). Going back may
// restore the page from the browser's back/forward cache: then it shows what it showed before and
// is not a page load; a reload on going back is a page load like any other.
import * as fc from "fast-check";
import type { BrowserSession, Locator } from "../browser/session";
import { loadAtOnce } from "./visitors";
import type { StagingAccess } from "../core/staging-access";
import { CheckFailed, isProductFailure, messageOf, PropertyInputError } from "./errors";
import { cellError, listIn, rangeIn, readTable, wholeNumberIn } from "./table";

export const ACTION_NAMES = ["visit", "refresh", "go back", "new visitor", "other page", "visitors at once"] as const;
export type ActionName = (typeof ACTION_NAMES)[number];

/** One action as stored in the counterexample store. */
export interface ActionSpec {
  action: ActionName;
  /** For "visitors at once": how many. */
  visitors?: number;
}

export interface CounterPlan {
  actions: ActionName[];
  maxActions: number;
  atOnce: { min: number; max: number };
  /** Path (or URL) of a page that is not counted, for the "other page" action. */
  otherPage?: string;
}

export const COUNTER_TABLE_NAMES = ["actions", "max actions", "visitors at once", "other page"] as const;

/** Reads | actions | max actions | visitors at once | other page |; errors name the cell. */
export function parseCounterPlan(raw: readonly (readonly string[])[] | undefined): CounterPlan {
  const t = readTable(raw, COUNTER_TABLE_NAMES, "the page-load counting property");
  const actionsCell = t.get("actions");
  if (!actionsCell)
    throw new PropertyInputError(`the table needs an "actions" row, e.g. | actions | ${ACTION_NAMES.join(", ")} |`);
  const actions: ActionName[] = [];
  for (const item of listIn(actionsCell)) {
    const name = item.toLowerCase().replace(/\s+/g, " ") as ActionName;
    if (!ACTION_NAMES.includes(name))
      throw cellError(actionsCell, `names the action "${item}"; the actions are: ${ACTION_NAMES.join(", ")}`);
    if (!actions.includes(name)) actions.push(name);
  }
  const maxCell = t.get("max actions");
  const maxActions = maxCell ? wholeNumberIn(maxCell, 1, 100) : 10;
  const atOnceCell = t.get("visitors at once");
  const atOnce = atOnceCell ? rangeIn(atOnceCell, 2, 50) : { min: 2, max: 3 };
  const otherCell = t.get("other page");
  if (otherCell && !/^(\/|https?:\/\/)\S*$/.test(otherCell.value))
    throw cellError(otherCell, `is not a path like "/about" or a URL`);
  if (actions.includes("other page") && !otherCell) {
    throw cellError(actionsCell, `includes "other page" but the table has no | other page | /some/path | row`);
  }
  return { actions, maxActions, atOnce, otherPage: otherCell?.value };
}

/** What the property needs from the world: the current browser session and a way to start afresh. */
export interface Visitors {
  session(): BrowserSession;
  /** Ends the current visitor's browser context and opens a fresh one (no cookies, no history). */
  newVisitor(): Promise<void>;
  resolveUrl(pathOrUrl: string): string;
  /** Per page load of "visitors at once". */
  requestTimeoutMs: number;
  /** Staging's access headers (config stagingAccess) for the visitors' own HTTP loads. */
  access?: StagingAccess;
}

interface Entry {
  kind: "page" | "other";
  /** What the page showed when last loaded (page entries only). */
  shown?: number;
}

export interface CounterModel {
  /** Page loads the server must have counted so far = what the next load must show minus one. */
  count: number;
  history: Entry[];
  index: number;
}

export interface CounterReal {
  visitors: Visitors;
  element: Locator;
  /** Reads the number as an ordinary step does (steps/support/read-number.ts), once the page has settled. */
  readNumber: () => Promise<number>;
  pageUrl: string;
  otherUrl?: string;
  trace: string[];
}

/**
 * The number the page shows now, read as the opening visit reads it (the step's reader: the page settled, then
 * waited on until a number shows, within the action timeout): a counter the page's script fills in after a request
 * shows "…" or a placeholder "0" first. Read at once, a correct counter failed as "(no action)".
 */
async function readShown(r: CounterReal): Promise<number> {
  try {
    return await r.readNumber();
  } catch (err) {
    if (!isProductFailure(err)) throw err; // a crashed browser is not the product's answer: it ends the property
    throw failure(r, messageOf(err).split("\n")[0]);
  }
}

/** What failed after the run's trace so far; with no trace yet, the one line alone. */
function failure(r: CounterReal, what: string): CheckFailed {
  return new CheckFailed(r.trace.length > 0 ? `${r.trace.join("\n")}\n  ✗ ${what}` : what);
}

/** A page load happened: the page must show exactly one more than the count so far. */
async function expectLoad(m: CounterModel, r: CounterReal, label: string): Promise<number> {
  const n = await readShown(r);
  const expected = m.count + 1;
  if (n !== expected) {
    const diff = expected - n;
    const why =
      n < m.count
        ? `the number went DOWN (from ${m.count} to ${n})`
        : diff > 0
          ? `${diff} page load(s) were not counted`
          : `${-diff} page load(s) too many were counted`;
    throw failure(r, `${label}: shows ${n}, expected ${expected} (${m.count} counted so far + this load) — ${why}`);
  }
  m.count = n;
  r.trace.push(`  ${label} → shows ${n}`);
  return n;
}

function navigateTo(m: CounterModel, kind: Entry["kind"]): Entry {
  const cur = m.history[m.index];
  // Opening the URL the tab already shows replaces that history entry (what browsers do).
  if (cur && cur.kind === kind) return cur;
  m.history = m.history.slice(0, m.index + 1);
  const e: Entry = { kind };
  m.history.push(e);
  m.index = m.history.length - 1;
  return e;
}

abstract class Action implements fc.AsyncCommand<CounterModel, CounterReal, false> {
  abstract readonly spec: ActionSpec;
  check(_m: Readonly<CounterModel>): boolean {
    return true;
  }
  abstract run(m: CounterModel, r: CounterReal): Promise<void>;
  toString(): string {
    return describeAction(this.spec);
  }
}

class Visit extends Action {
  readonly spec: ActionSpec = { action: "visit" };
  async run(m: CounterModel, r: CounterReal) {
    await r.visitors.session().goto(r.pageUrl);
    const e = navigateTo(m, "page");
    e.shown = await expectLoad(m, r, `${r.trace.length}. visit`);
  }
}

class Refresh extends Action {
  readonly spec: ActionSpec = { action: "refresh" };
  async run(m: CounterModel, r: CounterReal) {
    await r.visitors.session().reload();
    const e = m.history[m.index];
    if (e.kind === "page") e.shown = await expectLoad(m, r, `${r.trace.length}. refresh`);
    else r.trace.push(`  ${r.trace.length}. refresh (the other page)`);
  }
}

class GoBack extends Action {
  readonly spec: ActionSpec = { action: "go back" };
  check(m: Readonly<CounterModel>) {
    // Only within this run's own history; before it lies whatever the previous run left.
    return m.index > 0;
  }
  async run(m: CounterModel, r: CounterReal) {
    await r.visitors.session().back();
    m.index -= 1;
    const e = m.history[m.index];
    const label = `${r.trace.length}. go back`;
    if (e.kind === "other") {
      r.trace.push(`  ${label} (to the other page)`);
      return;
    }
    const n = await readShown(r);
    if (n === e.shown && n !== m.count + 1) {
      r.trace.push(`  ${label} → shows ${n} (restored from the back/forward cache: not a page load)`);
      return;
    }
    e.shown = await expectLoad(m, r, label);
  }
}

class NewVisitor extends Action {
  readonly spec: ActionSpec = { action: "new visitor" };
  async run(m: CounterModel, r: CounterReal) {
    await r.visitors.newVisitor();
    await r.visitors.session().goto(r.pageUrl);
    m.history = [{ kind: "page" }];
    m.index = 0;
    m.history[0].shown = await expectLoad(m, r, `${r.trace.length}. new visitor opens the page`);
  }
}

class OtherPage extends Action {
  readonly spec: ActionSpec = { action: "other page" };
  async run(m: CounterModel, r: CounterReal) {
    if (!r.otherUrl) throw failure(r, `the "other page" action needs an | other page | row in the table`);
    await r.visitors.session().goto(r.otherUrl);
    navigateTo(m, "other");
    r.trace.push(`  ${r.trace.length}. other page`);
  }
}

class VisitorsAtOnce extends Action {
  readonly spec: ActionSpec;
  constructor(readonly visitors: number) {
    super();
    this.spec = { action: "visitors at once", visitors };
  }
  async run(m: CounterModel, r: CounterReal) {
    const label = `${r.trace.length}. ${this.visitors} other visitors load the page at the same moment`;
    const bad = await loadAtOnce(r.pageUrl, this.visitors, r.visitors.requestTimeoutMs, r.visitors.access);
    if (bad.length > 0) throw failure(r, `${label}: ${bad.length} of them got no page (${bad[0]})`);
    m.count += this.visitors;
    r.trace.push(`  ${label} → the count must now be ${m.count}`);
  }
}

export function describeAction(a: ActionSpec): string {
  return a.action === "visitors at once" ? `${a.visitors} visitors at once` : a.action;
}

export function actionFromSpec(a: ActionSpec, plan: CounterPlan): Action {
  if (!a || typeof a !== "object" || !plan.actions.includes(a.action)) {
    throw new Error(`the action ${JSON.stringify(a)} is not among this step's actions (${plan.actions.join(", ")})`);
  }
  switch (a.action) {
    case "visit":
      return new Visit();
    case "refresh":
      return new Refresh();
    case "go back":
      return new GoBack();
    case "new visitor":
      return new NewVisitor();
    case "other page":
      return new OtherPage();
    case "visitors at once": {
      const k = a.visitors;
      if (!Number.isSafeInteger(k) || k! < plan.atOnce.min || k! > plan.atOnce.max) {
        throw new Error(`${k} visitors at once is outside this step's range ${plan.atOnce.min} to ${plan.atOnce.max}`);
      }
      return new VisitorsAtOnce(k!);
    }
  }
}

export function commandArbitraries(
  plan: CounterPlan,
): fc.Arbitrary<fc.AsyncCommand<CounterModel, CounterReal, false>>[] {
  return plan.actions.map((a) =>
    a === "visitors at once"
      ? fc.integer({ min: plan.atOnce.min, max: plan.atOnce.max }).map((k) => new VisitorsAtOnce(k) as Action)
      : fc.constant(actionFromSpec({ action: a }, plan)),
  );
}

export type CommandList = Iterable<fc.AsyncCommand<CounterModel, CounterReal, false>>;

/** Sequences of up to plan.maxActions actions; size "max" so long sequences are drawn, not only the ~10 of fast-check's default. */
export function actionSequences(plan: CounterPlan, replayPath?: string): fc.Arbitrary<CommandList> {
  return fc.commands(commandArbitraries(plan), { maxCommands: plan.maxActions, size: "max", replayPath });
}

/** The actions of a command list that actually ran (fc.commands marks them), as JSON-able specs. */
export function specsOf(cmds: CommandList): ActionSpec[] {
  const out: ActionSpec[] = [];
  const list = (cmds as { commands?: unknown[] }).commands ?? [...cmds];
  for (const c of list as Array<Action | { cmd: Action; hasRan: boolean }>) {
    if ("cmd" in c && "hasRan" in c) {
      if (c.hasRan) out.push(c.cmd.spec);
    } else out.push((c as Action).spec);
  }
  return out;
}

/** fc.commands' replay hint, from the counterexample's toString ("... /*replayPath="..."*\/"). */
export function replayPathOf(cmds: CommandList): string | undefined {
  const m = /replayPath="([^"]*)"/.exec(String(cmds));
  return m ? m[1] : undefined;
}

export function showActions(specs: readonly ActionSpec[]): string {
  if (specs.length === 0) return "(no action: the opening visit and the closing visit alone)";
  return specs.map((s, i) => `${i + 1}. ${describeAction(s)}`).join("\n");
}

/**
 * A run's start: the opening visit of the counted page, the number read there, and after the first run the check that
 * it grew since the last run's closing visit. It is the property's start (src/properties/runner.ts), not part of the run: a page
 * that does not load there, or a count lost between runs, is no counterexample of the actions that follow.
 */
export async function openingVisit(ctx: {
  visitors: Visitors;
  page: string;
  lastSeen: { value?: number };
  /** Reads the number as an ordinary step does (steps/support/read-number.ts): once settled, waiting for it, its errors typed. */
  readNumber: () => Promise<number>;
}): Promise<void> {
  await ctx.visitors.session().goto(ctx.visitors.resolveUrl(ctx.page));
  const n = await ctx.readNumber();
  const last = ctx.lastSeen.value;
  // A number that did not grow since the last run's closing visit was lost before this run's actions: their fault
  // it cannot be, so it fails the start (a product defect, no counterexample) rather than this run.
  if (last !== undefined && n <= last)
    throw new CheckFailed(
      `the opening visit of "${ctx.page}" shows ${n}, but the last run's closing visit showed ${last}: the number did not grow between runs`,
    );
}

/**
 * One run after its opening visit: read the number, the actions, and a closing visit that checks nothing was
 * lost. `lastSeen` keeps the closing visit's number for the next run's opening visit.
 */
export async function runActions(
  cmds: CommandList,
  ctx: {
    visitors: Visitors;
    element: Locator;
    page: string;
    otherPage?: string;
    lastSeen: { value?: number };
    readNumber: () => Promise<number>;
  },
): Promise<void> {
  const real: CounterReal = {
    visitors: ctx.visitors,
    element: ctx.element,
    readNumber: ctx.readNumber,
    pageUrl: ctx.visitors.resolveUrl(ctx.page),
    otherUrl: ctx.otherPage ? ctx.visitors.resolveUrl(ctx.otherPage) : undefined,
    trace: [],
  };
  const setup = async () => {
    const n = await readShown(real);
    real.trace.push(`  0. open "${ctx.page}" → shows ${n}`);
    const model: CounterModel = { count: n, history: [{ kind: "page", shown: n }], index: 0 };
    return { model, real };
  };
  let finalModel: CounterModel | undefined;
  await fc.asyncModelRun(async () => {
    const s = await setup();
    finalModel = s.model;
    return s;
  }, cmds);
  await real.visitors.session().goto(real.pageUrl);
  const n = await expectLoad(finalModel!, real, `${real.trace.length}. closing visit`);
  ctx.lastSeen.value = n;
}
