// Runs one property inside a step with fast-check: stored counterexamples first, then generated
// cases within a run count and time budget; on failure a readable, replayable, stored report.
import { relative } from "node:path";
import * as fc from "fast-check";
import { interruptedBy, RunInterruptedError } from "../interruption";
import { isEnvironmentFailure, isProductFailure, messageOf, PropertyAssertionError, PropertyFailure } from "./errors";
import { restate } from "../core/user-stack";
import { formatElapsed } from "../core/duration";
import { shellQuote } from "../core/safe-text";
import { PROPERTY_FAILURE_SECTION } from "../core/message-line";
import { InternalError } from "../core/errors";
import { formatReplay, RUN_BUDGET_MS, type PropertySettings, type ReplayToken } from "./settings";
import type { CounterexampleStore, StoredCounterexample } from "./store";

export interface PropertySpec<T> {
  /** Identity of the property in the counterexample store: "<feature> › <scenario> › <step>". */
  key: string;
  /** One line saying what is checked. */
  title: string;
  /** The generator; model-based properties rebuild it with fc.commands' replayPath to replay a path. */
  arbitrary(replayPath?: string): fc.Arbitrary<T>;
  /**
   * Each run's start, before the value is used (a new visitor on the start page): what fails here no value of this
   * run caused, so it is no counterexample, and the property stops with it.
   */
  start?(): Promise<void>;
  /** One run: resolves when the property holds for the value, throws (with a readable message) when not. */
  check(value: T): Promise<void>;
  /** The value as JSON for the store, and back; decode throws when a stored value no longer fits. */
  encode(value: T): unknown;
  decode(json: unknown): T;
  /** The value, readable by QA. */
  show(value: T): string;
  /** fc.commands' replay hint of a failing value, if any. */
  replayPathOf?(value: T): string | undefined;
  /**
   * Every run passed (`runs` of them, stored cases included): throws when those runs prove nothing (a sequence that
   * never ran an action). Asked before the pass is logged or attached, so a refused pass is never told as one.
   */
  refusePass?(runs: number): void;
  /**
   * Whether the generated run that just passed counts as a run of the property, and what one that does not did (a
   * sequence whose every action was skipped "ran no action"). One that does not is replaced by another generated run,
   * up to as many again as asked for, so that `@runs:N` is N runs that count wherever the page allows it.
   */
  counts?: { lastRun(): boolean; otherwise: string };
}

export interface PropertyEnv {
  settings: PropertySettings;
  store?: CounterexampleStore;
  target: string;
  baseUrl: string;
  /** Printed to the terminal and kept in the scenario's log. */
  log(line: string): void;
  /** A readable text/plain attachment on the scenario's result (Allure). */
  attach(name: string, text: string): Promise<void>;
  /** The command that reruns this scenario on this target; " --replay <token>" is appended. */
  rerunCommand: string;
  /** Extra time after the budget before the step gives up on a run that does not return. */
  graceMs?: number;
}

export interface PropertyResult {
  /** Generated runs that passed and counted (PropertySpec.counts). */
  runs: number;
  /** Generated runs that passed without counting, replaced by others. */
  uncounted?: number;
  storedTried: number;
  elapsedMs: number;
  seed: number;
}

const indent = (text: string, by = "    ") =>
  text
    .split("\n")
    .map((l) => (l ? by + l : l))
    .join("\n");

export async function runProperty<T>(spec: PropertySpec<T>, env: PropertyEnv): Promise<PropertyResult> {
  return new PropertyRun(spec, env).run();
}

/** One property run: the replay, stored-counterexample and generated phases share its clock, counter and reporting. */
class PropertyRun<T> {
  private readonly s: PropertySettings;
  private readonly started = Date.now();
  /** Runs that passed before any failed, for "time budget exceeded after K runs" when fast-check cannot say. */
  private passed = 0;
  /** A run's value failed as the product can: the runs after it shrink that counterexample. */
  private failedOnce = false;
  /**
   * Why shrinking stopped early, the counterexample so far kept: a run's start failed while shrinking, or the
   * environment did (staging the counterexample crashed refusing the next case: that case's failure stays the product's).
   */
  private shrinkingStoppedBy: string | undefined;
  /**
   * fast-check phases that have ended. fast-check's time limit (and hardDeadline) end a phase without waiting for the
   * run in flight, which would go on driving the browser while Cucumber runs the next scenario: a run sees the count
   * change and stops.
   */
  private phasesEnded = 0;
  /** The value of the last run that got past its start: the likeliest cause when a later start fails. */
  private lastUsed: { value: T } | undefined;
  /** In the generated phase: a passing run that does not count (spec.counts) is skipped, and fast-check draws another. */
  private countingRuns = false;
  /** Generated runs that passed without counting. */
  private uncounted = 0;

  constructor(
    private readonly spec: PropertySpec<T>,
    private readonly env: PropertyEnv,
  ) {
    this.s = env.settings;
  }

  async run(): Promise<PropertyResult> {
    const { s, spec, env } = this;
    env.log(
      `Property: ${spec.title}\n` +
        `  seed ${s.seed} (${s.seedFrom}), ${s.replay?.path ? "replaying one case" : `${s.runs} runs`}, time budget ${formatElapsed(s.timeBudgetMs)}` +
        `${s.replay?.path ? "" : ` — rerun with --replay ${s.seed}`}`,
    );
    // 1. Replay exactly one case: `signoff run --replay <seed>:<path>`.
    if (s.replay?.path) return this.replay({ ...s.replay, path: s.replay.path });
    // 2. Counterexamples found before, first.
    const storedTried = env.store && !s.replay ? await this.tryStored(env.store) : 0;
    // 3. Generated cases.
    return this.generate(storedTried);
  }

  private remaining(): number {
    return Math.max(1, this.s.timeBudgetMs - (Date.now() - this.started));
  }

  /**
   * An error that says nothing about the product (staging unreachable, a crashed browser, an interrupt, a broken
   * test) is not a counterexample: the property ends with that error, its type intact, and stores nothing.
   */
  private notTheProduct: unknown;

  private readonly predicate = async (v: T) => {
    // Once the environment or the test failed (or a start, see below), no run can say anything about the product.
    // fast-check cannot be stopped, so every later run (its shrinking) passes unrun: it ends at once.
    if (this.notTheProduct !== undefined || this.shrinkingStoppedBy !== undefined) return;
    const phase = this.phasesEnded;
    try {
      await this.spec.start?.();
    } catch (err) {
      if (this.failedOnce && isProductFailure(err)) {
        // Likely the counterexample's own doing (a value that left the page broken): keep it as shrunk so far. A
        // run that passes makes fast-check keep the last failing value, and every run after this passes unrun.
        this.shrinkingStoppedBy = `a run's start then failed (${messageOf(err).split("\n")[0]})`;
        return;
      }
      if (this.environmentAfterFailure(err)) return;
      this.notTheProduct =
        isProductFailure(err) && err instanceof Error ? this.stoppedAtStart(err) : this.stoppedBy(err);
      throw err;
    }
    // A start still going when its phase ended (out of time): the step has failed, the browser is the next scenario's.
    if (this.phasesEnded !== phase) return;
    this.lastUsed = { value: v };
    try {
      await this.spec.check(v);
    } catch (err) {
      if (this.environmentAfterFailure(err)) return;
      if (!isProductFailure(err)) this.notTheProduct = this.stoppedBy(err);
      else this.failedOnce = true;
      throw err;
    }
    if (this.countingRuns && this.spec.counts?.lastRun() === false) {
      this.uncounted++;
      fc.pre(false); // fast-check's own "skip this value": it draws another, within maxSkipsPerRun
    }
    if (!this.failedOnce) this.passed++;
  };

  /**
   * The environment failed (staging or the browser went away) after a value had failed as the product: that failure
   * was the product's answer, seen before the environment went (a request that crashed staging is the likeliest
   * cause), so it stays the counterexample, as shrunk so far, reported and stored. Shrinking stops (this run passes
   * unrun, so fast-check keeps the last failing value). An interrupt still ends the run as an interrupt.
   */
  private environmentAfterFailure(err: unknown): boolean {
    if (!this.failedOnce || !isEnvironmentFailure(err) || err instanceof RunInterruptedError) return false;
    this.shrinkingStoppedBy =
      `the environment then failed, not the product (${messageOf(err).split("\n")[0]}); ` +
      `the case above had failed before it`;
    return true;
  }

  /** An environment error restated as the one line that says the property stopped for it, its type intact. */
  private stoppedBy(err: unknown): unknown {
    if (!isEnvironmentFailure(err) || err instanceof RunInterruptedError) return err;
    const first = (err as Error).message.split("\n")[0];
    return restate(
      err as Error,
      `${first} — the property stopped after ${this.passed} passing run(s): the environment failed, not the product ` +
        `(no counterexample; nothing shrunk or stored)`,
    );
  }

  /**
   * A run's start that failed as the product can (a 5xx, an element missing, an assertion), before any value failed.
   * At the first run it is what it would be in an ordinary scenario's Given, its type intact. After passing runs, whose
   * starts worked in this same environment, it is the product's (a value one of them submitted may have broken the
   * page for every visitor), though no value can be named: those runs are not replayed one by one.
   */
  private stoppedAtStart(err: Error): Error {
    const first = err.message.split("\n")[0];
    if (this.passed === 0)
      return restate(
        err,
        `${first} — the property stopped at its first run's start, before the run used its value ` +
          `(no counterexample; nothing shrunk or stored)`,
      );
    // Not a counterexample (it is not replayed alone), but where to look first.
    const lastUsed = this.lastUsed ? `\n  The run before it used:\n${indent(this.spec.show(this.lastUsed.value))}` : "";
    return new PropertyAssertionError(
      `${first} (${err.name}) — the property stopped after ${this.passed} passing run(s): a run's start failed before ` +
        `it used its generated value, where every earlier run's start passed: an earlier run's value may have left ` +
        `staging so (no counterexample; nothing shrunk or stored)${lastUsed}`,
    );
  }

  /** Ends the property with the error that was not the product's, if a run had one. */
  private throwIfNotTheProduct(): void {
    if (this.notTheProduct !== undefined) throw this.notTheProduct;
  }

  private property(replayPath?: string) {
    return fc.asyncProperty(this.spec.arbitrary(replayPath), this.predicate);
  }

  /**
   * The command that replays `t`. It names the staging the case ran on whenever the run was given one (not only
   * when it differs from the config's): the line is pasted into tickets and other checkouts, whose config may
   * point elsewhere, and a case replayed on another staging proves nothing. The bundled app is left out: its
   * port was this run's only, and a replay starts its own.
   */
  private replayHint(t: ReplayToken): string {
    const baseUrl = this.s.bundledApp ? "" : ` --base-url ${shellQuote(this.env.baseUrl)}`;
    return `${this.env.rerunCommand}${baseUrl} --replay ${shellQuote(formatReplay(t))}`;
  }

  /** Where this run's cases run, comparable with a stored case's (stagingOf). */
  private staging(): string {
    return this.s.bundledApp ? BUNDLED_APP : sameUrl(this.env.baseUrl);
  }

  private budgetExceeded(runs: number, phase: string): PropertyFailure {
    const { s, spec } = this;
    return new PropertyFailure(
      `time budget exceeded after ${runs} runs: ${spec.title}\n` +
        `  ${phase}: the budget is ${formatElapsed(s.timeBudgetMs)} for ${s.runs} runs (seed ${s.seed}).\n` +
        `  Give it more time (@time-budget:${Math.ceil((2 * s.timeBudgetMs) / 1000)}s, or properties.timeBudgetMs in the ` +
        (s.budgetPerRun
          ? `config): by default each run has ${formatElapsed(RUN_BUDGET_MS)}, so fewer runs would not help.`
          : `config) or fewer runs (@runs:${Math.max(1, Math.floor(s.runs / 2))}).`),
    );
  }

  /** A run that never returns must not hang the step: give up a little after the budget. */
  private hardDeadline<R>(p: Promise<R>, phase: string): Promise<R> {
    let timer: NodeJS.Timeout | undefined;
    const limit = this.remaining() + (this.env.graceMs ?? 5000);
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(this.budgetExceeded(this.passed, phase)), limit);
    });
    return Promise.race([p, expired]).finally(() => {
      clearTimeout(timer);
      this.phasesEnded++;
    });
  }

  /** The readable, replayable failure report: attached to the scenario, summarised in the log, thrown. */
  private async fail(
    kind: string,
    value: T,
    details: fc.RunDetails<[T]>,
    token: ReplayToken,
    saved: string | undefined,
    foundNote = "",
  ): Promise<PropertyAssertionError> {
    this.throwIfNotTheProduct();
    const { spec, env } = this;
    const startFailed = this.shrinkingStoppedBy ? `; shrinking stopped: ${this.shrinkingStoppedBy}` : "";
    const shrinkNote =
      details.numShrinks > 0
        ? `shrunk in ${details.numShrinks} step(s) after ${details.numRuns} run(s)${details.interrupted ? "; shrinking stopped by the time budget" : ""}${startFailed}`
        : `after ${details.numRuns} run(s), not shrunk${startFailed}`;
    const report =
      `${kind}: ${spec.title}\n` +
      `  Counterexample (${shrinkNote}):\n${indent(spec.show(value))}\n` +
      `  ${PROPERTY_FAILURE_SECTION}\n${indent(messageOf(details.errorInstance))}\n` +
      `  Seed ${token.seed}, path ${token.path ?? "-"}${token.replayPath ? `, replayPath ${token.replayPath}` : ""} — target ${env.target}, staging ${env.baseUrl}${foundNote}\n` +
      `  Replay exactly this case:\n    ${this.replayHint(token)}\n` +
      (saved ?? "");
    await env.attach(`Property failed: ${spec.title}`, report);
    env.log(
      `  ✗ ${kind.toLowerCase()} — seed ${token.seed}, path ${token.path ?? "-"}; counterexample:\n${indent(spec.show(value))}\n  (full report with the replay command in the failure below)`,
    );
    return new PropertyAssertionError(report);
  }

  /** `--replay <seed>:<path>`: exactly that case, once. */
  private async replay(replay: ReplayToken & { path: string }): Promise<PropertyResult> {
    const { spec, env } = this;
    const stored = env.store ? findByToken(env.store, spec.key, replay) : undefined;
    const token: ReplayToken = { ...replay, replayPath: replay.replayPath ?? stored?.replayPath };
    // Replayed on another staging than it was found on, a pass says nothing about the bug: its line says so.
    const foundOn = stored && stagingOf(stored);
    const elsewhere =
      foundOn !== undefined && foundOn !== this.staging()
        ? ` — on ${this.staging()}, but it was found on ${foundOn}${stored?.bundledApp ? "" : ` (replay it there: --base-url ${shellQuote(foundOn)})`}`
        : "";
    // fast-check walks seed + path to the case (fc.commands needs its replayPath to do so); only the
    // first value it reaches is run, the rest of the walk is skipped.
    let replayed: { value: T } | undefined;
    const once = fc.asyncProperty(spec.arbitrary(token.replayPath), async (v: T) => {
      if (replayed) return;
      replayed = { value: v };
      try {
        await this.predicate(v);
      } finally {
        // A start that failed never used the value (so set no lastUsed): its error alone is the report.
        if (this.lastUsed) env.log(`  replayed ${formatReplay(token)}:\n${indent(spec.show(v))}`);
      }
    });
    let details: fc.RunDetails<[T]>;
    try {
      details = await this.hardDeadline(
        fc.check(once, {
          seed: token.seed,
          path: token.path,
          numRuns: 1,
          endOnFailure: true,
          interruptAfterTimeLimit: this.remaining(),
        }),
        "replaying one case",
      );
    } catch (err) {
      if (err instanceof PropertyFailure) throw err;
      throw new PropertyFailure(
        `--replay ${formatReplay(token)} does not name a case of this property (${messageOf(err)}); replay the token with the scenario and target that printed it`,
      );
    }
    if (!replayed) {
      throw new PropertyFailure(
        `--replay ${formatReplay(token)} does not name a case of this property${token.replayPath ? "" : " (a model-based property also needs the ,<replayPath> part printed with the failure)"}; ` +
          `replay the token with the scenario and target that printed it`,
      );
    }
    const value = replayed.value;
    if (details.failed && details.counterexample)
      throw await this.fail("Property failed (replayed)", value, details, token, undefined);
    if (details.interrupted) throw this.budgetExceeded(0, "replaying one case");
    spec.refusePass?.(1);
    env.log(`  the replayed case passes now${elsewhere}`);
    await env.attach(
      `Property: ${spec.title}`,
      `Replayed ${formatReplay(token)}: passes${elsewhere}.\n${spec.show(value)}`,
    );
    return { runs: 1, storedTried: 0, elapsedMs: Date.now() - this.started, seed: this.s.seed };
  }

  /** The stored counterexamples that still fit this step, run first; returns how many were tried. */
  private async tryStored(store: CounterexampleStore): Promise<number> {
    const { spec, env, s } = this;
    const usable: Array<{ entry: StoredCounterexample; value: T }> = [];
    for (const entry of store.entries(spec.key)) {
      try {
        usable.push({ entry, value: spec.decode(entry.counterexample) });
      } catch (err) {
        env.log(`  skipping a stored counterexample that no longer fits this step (${messageOf(err)}): ${entry.shown}`);
      }
    }
    if (usable.length === 0) return 0;
    env.log(`  trying ${usable.length} stored counterexample(s) first (${displayPath(store.file)})`);
    const details = await this.hardDeadline(
      fc.check(this.property(), {
        seed: s.seed,
        examples: usable.map((u) => [u.value] as [T]),
        numRuns: usable.length,
        endOnFailure: true,
        interruptAfterTimeLimit: this.remaining(),
      }),
      "trying stored counterexamples",
    );
    const failing = valueOf(details);
    if (details.failed && failing !== undefined) {
      this.throwIfNotTheProduct(); // the stored case is not touched: it did not fail again
      const hit = storedEntryOf(usable, failing, spec.encode);
      await store.touch(spec.key, hit.counterexample);
      throw await this.fail(
        "Property failed on a stored counterexample",
        failing,
        details,
        { seed: hit.seed, path: hit.path, replayPath: hit.replayPath },
        `  It was found ${hit.foundAt} on ${hit.target} and is kept in ${displayPath(store.file)} under "${spec.key}" until you delete it.\n`,
        ` (as first found)`,
      );
    }
    if (details.interrupted) throw this.budgetExceeded(this.passed, "trying stored counterexamples");
    env.log(`  the stored counterexample(s) pass`);
    return usable.length;
  }

  /** Generated cases within the run count and the time budget; a failure is stored for later runs. */
  private async generate(storedTried: number): Promise<PropertyResult> {
    const { spec, env, s } = this;
    const runsWanted = s.runs;
    // Up to as many runs again as asked for replace the runs that did not count (maxSkipsPerRun 1: numRuns skips).
    this.countingRuns = spec.counts !== undefined;
    const details = await this.hardDeadline(
      fc.check(this.property(), {
        seed: s.seed,
        numRuns: runsWanted,
        interruptAfterTimeLimit: this.remaining(),
        ...(spec.counts ? { maxSkipsPerRun: 1 } : {}),
      }),
      "generating runs",
    ).finally(() => (this.countingRuns = false));
    const failing = valueOf(details);
    if (details.failed && failing !== undefined) {
      const token: ReplayToken = {
        seed: details.seed,
        path: details.counterexamplePath ?? undefined,
        replayPath: spec.replayPathOf?.(failing),
      };
      throw await this.fail("Property failed", failing, details, token, await this.store(failing, details, token));
    }
    // fast-check "fails" a check whose skips ran out, naming no value: the runs that counted passed, fewer than asked.
    const uncountedRanOut = details.failed && failing === undefined && details.numSkips > 0;
    if (details.interrupted || (details.numRuns < runsWanted && !uncountedRanOut))
      throw this.budgetExceeded(details.numRuns, `${details.numRuns} of ${runsWanted} runs done`);
    spec.refusePass?.(details.numRuns + this.uncounted + storedTried);
    const elapsedMs = Date.now() - this.started;
    const uncounted = this.uncounted ? `, and ${this.uncounted} that ${spec.counts?.otherwise} (not counted)` : "";
    const summary = `passed ${details.numRuns} run(s)${uncounted}${storedTried ? ` after ${storedTried} stored counterexample(s)` : ""} in ${formatElapsed(elapsedMs)} (seed ${s.seed})`;
    env.log(`  ${summary}`);
    await env.attach(
      `Property: ${spec.title}`,
      `${spec.title}\n${summary}\nRerun the same cases: ${this.replayHint({ seed: s.seed })}\n`,
    );
    return { runs: details.numRuns, uncounted: this.uncounted, storedTried, elapsedMs, seed: s.seed };
  }

  /** Saves a new counterexample; returns the report's line about it (undefined when there is no store). */
  private async store(failing: T, details: fc.RunDetails<[T]>, token: ReplayToken): Promise<string | undefined> {
    const { spec, env } = this;
    // A run cut short by a signal, or by staging or the browser, did not find a bug: its "failure" must not be replayed forever.
    if (!env.store || interruptedBy() || this.notTheProduct !== undefined) return undefined;
    const now = new Date().toISOString();
    try {
      await env.store.save(spec.key, {
        counterexample: spec.encode(failing),
        shown: spec.show(failing),
        error: messageOf(details.errorInstance).split("\n").slice(0, 6).join("\n"),
        seed: token.seed,
        path: token.path ?? "",
        replayPath: token.replayPath,
        target: env.target,
        baseUrl: env.baseUrl,
        ...(this.s.bundledApp ? { bundledApp: true } : {}),
        foundAt: now,
        lastFailedAt: now,
      });
      return `  Saved to ${displayPath(env.store.file)} under "${spec.key}": it is tried first on every later run until you delete it.\n`;
    } catch (err) {
      return `  (Could not save it to the counterexample store: ${messageOf(err)})\n`;
    }
  }
}

/**
 * The stored entry whose case failed. With endOnFailure fast-check reports the example it ran, the very value decoded
 * from the entry; the JSON comparison is for a value fast-check copied. A decode that normalizes (its value encodes
 * to other JSON than was stored) must not name another entry's seed and path: so no fallback to "the first".
 * The value is compared as `encode` writes it, so a copy of a normalized value is still found.
 */
function storedEntryOf<T>(
  usable: Array<{ entry: StoredCounterexample; value: T }>,
  failing: T,
  encode: (v: T) => unknown,
): StoredCounterexample {
  const json = JSON.stringify(encode(failing));
  const hit = usable.find((u) => u.value === failing) ?? usable.find((u) => JSON.stringify(encode(u.value)) === json);
  // fast-check ran only these examples (numRuns = their count), so one of them failed.
  if (!hit) throw new InternalError("a stored counterexample failed that is none of the stored entries");
  return hit.entry;
}

function valueOf<T>(d: fc.RunDetails<[T]>): T | undefined {
  return d.counterexample ? d.counterexample[0] : undefined;
}

function findByToken(store: CounterexampleStore, key: string, t: ReplayToken): StoredCounterexample | undefined {
  try {
    return store.entries(key).find((e) => e.seed === t.seed && e.path === t.path);
  } catch {
    return undefined;
  }
}

/** How a stored case's staging is named: its base URL, or the bundled app (whatever port it had then). */
const BUNDLED_APP = "the bundled example app";

function stagingOf(e: StoredCounterexample): string | undefined {
  if (e.bundledApp) return BUNDLED_APP;
  return typeof e.baseUrl === "string" && e.baseUrl ? sameUrl(e.baseUrl) : undefined;
}

/** One spelling per URL ("http://h:1" and "http://h:1/" are one staging); text that is no URL stays as it is. */
function sameUrl(u: string): string {
  try {
    return new URL(u).href;
  } catch {
    return u;
  }
}

function displayPath(p: string): string {
  const r = relative(process.cwd(), p);
  return r.startsWith("..") ? p : r;
}
