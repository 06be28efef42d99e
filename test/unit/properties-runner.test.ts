// The property runner without a browser: shrinking, the report, replay by seed:path, the
// counterexample store tried first, and the time budget.
import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { lock } from "proper-lockfile";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as fc from "fast-check";
import { CheckFailed, PropertyAssertionError, PropertyFailure } from "../../src/properties/errors";
import { runProperty, type PropertyEnv, type PropertySpec } from "../../src/properties/runner";
import { resolveSettings, type PropertyDefaults } from "../../src/properties/settings";
import { CounterexampleStore, storePath } from "../../src/properties/store";
import { BrowserCrashedError, StagingError, StagingServerError } from "../../src/browser/session";
import { categoryOfErrorType } from "../../src/core/failure-category";

const dir = mkdtempSync(join(tmpdir(), "signoff-props-"));
after(() => rmSync(dir, { recursive: true, force: true }));

function env(defaults: PropertyDefaults, store?: CounterexampleStore, tags: string[] = []) {
  const lines: string[] = [];
  const attachments: Array<{ name: string; text: string }> = [];
  const e: PropertyEnv = {
    settings: resolveSettings(defaults, tags),
    store,
    target: "unit",
    baseUrl: "http://127.0.0.1:1/",
    rerunCommand: "signoff run features/x.feature:3 --targets unit",
    graceMs: 500,
    log: (l) => lines.push(l),
    attach: async (name, text) => void attachments.push({ name, text }),
  };
  return { e, lines, attachments };
}

/** "every list of numbers sums below 100": fails, shrinks to [100]. */
function sumSpec(seen: number[][] = []): PropertySpec<number[]> {
  return {
    key: "features/x.feature › sums › every list sums below 100",
    title: "every list sums below 100",
    arbitrary: () => fc.array(fc.integer({ min: 0, max: 1000 })),
    check: async (xs) => {
      seen.push(xs);
      const sum = xs.reduce((a, b) => a + b, 0);
      if (sum >= 100) throw new Error(`the sum is ${sum}`);
    },
    encode: (xs) => xs,
    decode: (j) => {
      if (!Array.isArray(j)) throw new Error("not a list");
      return j as number[];
    },
    show: (xs) => JSON.stringify(xs),
  };
}

const escapeRe = (t: string) => t.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

function replayTokenIn(text: string): string {
  const m = /--replay '?([^'\s]+)'?/.exec(text);
  assert.ok(m, `no replay command in:\n${text}`);
  return m[1];
}

describe("runProperty", () => {
  test("a property that holds passes its runs and prints its seed", async () => {
    const { e, lines, attachments } = env({ runs: 30, timeBudgetMs: 5000, seed: 11 });
    const spec = { ...sumSpec(), check: async () => undefined };
    const r = await runProperty(spec, e);
    assert.equal(r.runs, 30);
    assert.match(lines[0], /seed 11 \(config\), 30 runs/);
    assert.match(lines.at(-1)!, /passed 30 run\(s\)/);
    assert.match(attachments[0].text, /--replay 11/);
  });

  test("runs that do not count are replaced by new ones, up to as many again: @runs is runs that count", async () => {
    // A spec whose `counts(n)` says whether its n-th run (from 1) counted ("ran an action").
    const counted = (counts: (n: number) => boolean): PropertySpec<number[]> => {
      let n = 0;
      return {
        ...sumSpec(),
        check: async () => void n++,
        counts: { lastRun: () => counts(n), otherwise: "ran no action" },
      };
    };
    // Every 4th run does not count: 20 that count take 26 runs.
    const { e, lines } = env({ runs: 20, timeBudgetMs: 5000, seed: 5 });
    assert.equal(
      (
        await runProperty(
          counted((n) => n % 4 !== 0),
          e,
        )
      ).runs,
      20,
    );
    assert.match(lines.at(-1)!, /^ {2}passed 20 run\(s\), and 6 that ran no action \(not counted\) in /);
    // None counts: the replacements run out (fast-check stops past 20 skips), and the property passes with the runs
    // that counted, none (the sequence step refuses that pass: refusePass).
    const none = env({ runs: 20, timeBudgetMs: 5000, seed: 5 });
    assert.equal(
      (
        await runProperty(
          counted(() => false),
          none.e,
        )
      ).runs,
      0,
    );
    assert.match(none.lines.at(-1)!, /^ {2}passed 0 run\(s\), and 21 that ran no action \(not counted\) in /);
    // A spec that says nothing of counting counts every run, as before.
    const plain = env({ runs: 20, timeBudgetMs: 5000, seed: 5 });
    assert.equal((await runProperty({ ...sumSpec(), check: async () => undefined }, plain.e)).runs, 20);
  });

  const storeFile = join(dir, "store.json");
  let firstReport = "";

  test("a failing property reports the shrunk counterexample, seed, path and replay command, and stores it", async () => {
    const store = new CounterexampleStore(storeFile);
    const { e, attachments } = env({ runs: 100, timeBudgetMs: 10_000, seed: 42 }, store);
    const err = await runProperty(sumSpec(), e).then(
      () => assert.fail("should fail"),
      (x: Error) => x,
    );
    assert.ok(err instanceof PropertyAssertionError);
    firstReport = err.message;
    assert.match(err.message, /Counterexample \(shrunk in \d+ step\(s\) after \d+ run\(s\)\):\n\s+\[100\]/);
    assert.match(err.message, /the sum is 100/);
    assert.match(err.message, /Seed 42, path \d+(:\d+)*/);
    assert.match(
      err.message,
      /signoff run features\/x\.feature:3 --targets unit --base-url http:\/\/127\.0\.0\.1:1\/ --replay 42:\d+/,
    );
    assert.doesNotMatch(String(err.stack), /\n\s+at /);
    assert.equal(attachments[0].name, "Property failed: every list sums below 100");
    assert.equal(attachments[0].text, err.message);
    const saved = JSON.parse(readFileSync(storeFile, "utf8"));
    assert.equal(saved.schema, "signoff/counterexamples@1");
    const entries = saved.properties["features/x.feature › sums › every list sums below 100"];
    assert.equal(entries.length, 1);
    assert.deepEqual(entries[0].counterexample, [100]);
    assert.equal(entries[0].seed, 42);
  });

  test("staging unreachable mid-property is not a counterexample: the property stops at once, nothing shrunk or stored", async () => {
    const file = join(dir, "store-env.json");
    const store = new CounterexampleStore(file);
    const { e, attachments } = env({ runs: 50, timeBudgetMs: 10_000, seed: 7 }, store);
    let runs = 0;
    const spec = {
      ...sumSpec(),
      check: async () => {
        if (++runs > 3) throw new StagingError("ERR_CONNECTION_REFUSED loading http://127.0.0.1:1/");
      },
    };
    const err = await runProperty(spec, e).then(
      () => assert.fail("should fail"),
      (x: Error) => x,
    );
    assert.ok(err instanceof StagingError, `the staging error itself, not a counterexample: ${err.name}`);
    assert.equal(categoryOfErrorType(err.constructor.name), "environment problem");
    assert.equal(
      err.message,
      "staging error: ERR_CONNECTION_REFUSED loading http://127.0.0.1:1/ — the property stopped after 3 passing run(s): " +
        "the environment failed, not the product (no counterexample; nothing shrunk or stored)",
    );
    assert.equal(runs, 4, "no run after the failing one: nothing shrunk");
    assert.deepEqual(attachments, [], "no failure report");
    assert.equal(existsSync(file), false, "nothing stored to replay");
  });

  test("the first run's start failing (a 5xx before any value is used) stops the property with it, as a Given: no counterexample, nothing stored", async () => {
    const file = join(dir, "store-start-first.json");
    const { e, attachments } = env({ runs: 50, timeBudgetMs: 10_000, seed: 7 }, new CounterexampleStore(file));
    let checks = 0;
    const spec = {
      ...sumSpec(),
      start: async () => {
        throw new StagingServerError("http://127.0.0.1:1/", 500);
      },
      check: async () => void checks++,
    };
    const err = await runProperty(spec, e).then(
      () => assert.fail("should fail"),
      (x: Error) => x,
    );
    assert.ok(err instanceof StagingServerError, `the server's error itself, as in a Given: ${err.name}`);
    assert.equal(
      err.message,
      "staging error: GET http://127.0.0.1:1/ answered 500 — the property stopped at its first run's start, before the run " +
        "used its value (no counterexample; nothing shrunk or stored)",
    );
    assert.equal(checks, 0);
    assert.deepEqual(attachments, [], "no failure report");
    assert.equal(existsSync(file), false, "nothing stored to replay");
  });

  test("a start that fails after passing runs is the product's (an earlier value may have broken it), but no counterexample: nothing shrunk or stored", async () => {
    const file = join(dir, "store-start.json");
    const { e, attachments } = env({ runs: 50, timeBudgetMs: 10_000, seed: 7 }, new CounterexampleStore(file));
    let starts = 0;
    let checks = 0;
    let lastChecked: number[] = [];
    const spec = {
      ...sumSpec(),
      start: async () => {
        if (++starts > 2) throw new StagingServerError("http://127.0.0.1:1/", 500);
      },
      check: async (xs: number[]) => void (checks++, (lastChecked = xs)),
    };
    const err = await runProperty(spec, e).then(
      () => assert.fail("should fail"),
      (x: Error) => x,
    );
    assert.ok(err instanceof PropertyAssertionError, `${err.name}: ${err.message}`);
    assert.equal(categoryOfErrorType(err.constructor.name), "product defect");
    assert.equal(
      err.message,
      "staging error: GET http://127.0.0.1:1/ answered 500 (StagingServerError) — the property stopped after 2 passing " +
        "run(s): a run's start failed before it used its generated value, where every earlier run's start passed: an " +
        "earlier run's value may have left staging so (no counterexample; nothing shrunk or stored)\n" +
        `  The run before it used:\n    ${JSON.stringify(lastChecked)}`,
      "where to look first: the value of the last run that started",
    );
    assert.deepEqual([starts, checks], [3, 2], "no value checked after the failed start, nothing shrunk");
    assert.deepEqual(attachments, [], "no failure report");
    assert.equal(existsSync(file), false, "nothing stored to replay");
  });

  test("a start that fails while a counterexample is being shrunk keeps the counterexample found so far (reported, stored)", async () => {
    const file = join(dir, "store-start-shrinking.json");
    const store = new CounterexampleStore(file);
    const { e, attachments } = env({ runs: 100, timeBudgetMs: 10_000, seed: 42 }, store);
    let broken = false; // the failing value left the page answering 500 for every visitor
    let checksAfter = 0;
    const spec = {
      ...sumSpec(),
      start: async () => {
        if (broken) throw new StagingServerError("http://127.0.0.1:1/", 500);
      },
      check: async (xs: number[]) => {
        if (broken) checksAfter++;
        const sum = xs.reduce((a, b) => a + b, 0);
        if (sum >= 100) {
          broken = true;
          throw new Error(`the sum is ${sum}`);
        }
      },
    };
    const err = await runProperty(spec, e).then(
      () => assert.fail("should fail"),
      (x: Error) => x,
    );
    assert.ok(err instanceof PropertyAssertionError, `${err.name}: ${err.message}`);
    assert.match(
      err.message,
      /Counterexample \(after \d+ run\(s\), not shrunk; shrinking stopped: a run's start then failed \(staging error: GET http:\/\/127\.0\.0\.1:1\/ answered 500\)\)/,
    );
    assert.match(err.message, /Failure:\n\s+the sum is \d+/);
    assert.equal(checksAfter, 0, "no value checked once the start failed");
    assert.equal(attachments.length, 1, "the failure report attached");
    const stored = JSON.parse(readFileSync(file, "utf8")) as { properties: Record<string, unknown[]> };
    assert.equal(Object.values(stored.properties).flat().length, 1, "the counterexample stored");
  });

  test("a run's start failing as the environment ends the property as the environment's; a start that holds lets the check decide", async () => {
    const { e } = env({ runs: 50, timeBudgetMs: 10_000, seed: 7 });
    const spec = {
      ...sumSpec(),
      start: async () => {
        throw new StagingError("ERR_CONNECTION_REFUSED loading http://127.0.0.1:1/");
      },
    };
    const err = await runProperty(spec, e).then(
      () => assert.fail("should fail"),
      (x: Error) => x,
    );
    assert.ok(err instanceof StagingError);
    assert.match(err.message, /stopped after 0 passing run\(s\): the environment failed, not the product/);
    const failing = await runProperty(
      { ...sumSpec(), start: async () => undefined },
      env({ runs: 100, timeBudgetMs: 10_000, seed: 42 }).e,
    ).then(
      () => assert.fail("should fail"),
      (x: Error) => x,
    );
    assert.ok(failing instanceof PropertyAssertionError, "the value's failure is still a counterexample");
  });

  test("a crashed browser while shrinking a real failure keeps the counterexample found before it (reported, stored), shrinking stopped", async () => {
    const file = join(dir, "store-crash.json");
    const store = new CounterexampleStore(file);
    const { e, attachments } = env({ runs: 100, timeBudgetMs: 10_000, seed: 42 }, store);
    let failures = 0;
    let runsAfterCrash = 0;
    const failed: number[][] = [];
    const spec = {
      ...sumSpec(),
      check: async (xs: number[]) => {
        if (failures >= 2) runsAfterCrash++;
        if (xs.reduce((a, b) => a + b, 0) < 100) return;
        if (++failures === 2) throw new BrowserCrashedError("the browser is gone");
        failed.push(xs);
        throw new Error("the sum is too big");
      },
    };
    const err = await runProperty(spec, e).then(
      () => assert.fail("should fail"),
      (x: Error) => x,
    );
    assert.ok(err instanceof PropertyAssertionError, `${err.name}: ${err.message}`);
    assert.match(
      err.message,
      /shrinking stopped: the environment then failed, not the product \(browser crashed: the browser is gone\); the case above had failed before it\)/,
    );
    assert.match(err.message, /Failure:\n\s+the sum is too big/);
    assert.equal(failed.length, 1, "one value failed before the crash");
    assert.match(err.message, new RegExp(`Counterexample .*:\\n\\s+${escapeRe(JSON.stringify(failed[0]))}\\n`));
    assert.equal(runsAfterCrash, 0, "no case checked after the crash: the rest of the shrinking ran nothing");
    assert.equal(attachments.length, 1, "the failure report attached");
    assert.deepEqual(store.entries(spec.key)[0].counterexample, failed[0], "the counterexample stored, to replay");
  });

  test("a request that crashes staging: the next case's ECONNREFUSED stops the shrinking, the crashing case is reported and stored with its --replay", async () => {
    const file = join(dir, "store-staging-gone.json");
    const store = new CounterexampleStore(file);
    const { e } = env({ runs: 100, timeBudgetMs: 10_000, seed: 42 }, store);
    let down = false;
    let crashing: number[] | undefined;
    const spec = {
      ...sumSpec(),
      check: async (xs: number[]) => {
        if (down) throw new StagingError("ECONNREFUSED connecting to http://127.0.0.1:1");
        if (xs.reduce((a, b) => a + b, 0) >= 100) {
          down = true; // this request killed the server: ECONNRESET, the product's answer
          crashing = xs;
          throw new CheckFailed("the connection was reset (ECONNRESET)");
        }
      },
    };
    const err = await runProperty(spec, e).then(
      () => assert.fail("should fail"),
      (x: Error) => x,
    );
    assert.ok(err instanceof PropertyAssertionError, `the product's failure, not the environment's: ${err.name}`);
    assert.match(
      err.message,
      /Counterexample \(after \d+ run\(s\), not shrunk; shrinking stopped: the environment then failed, not the product \(staging error: ECONNREFUSED connecting to http:\/\/127\.0\.0\.1:1\); the case above had failed before it\)/,
    );
    assert.match(err.message, /ECONNRESET/);
    const [entry] = store.entries(spec.key);
    assert.deepEqual(entry.counterexample, crashing, "the crashing request is stored");
    // The printed replay walks to exactly that case.
    const seen: number[][] = [];
    const replay = await runProperty(
      sumSpec(seen),
      env({ runs: 100, timeBudgetMs: 10_000, replay: replayTokenIn(err.message) }).e,
    ).then(
      () => assert.fail("the replay should fail"),
      (x: Error) => x,
    );
    assert.ok(replay instanceof PropertyAssertionError);
    assert.deepEqual(seen, [crashing]);
  });

  test("a server answering a generated case with a 5xx is a counterexample (shrunk, stored), not the environment", async () => {
    const file = join(dir, "store-5xx.json");
    const store = new CounterexampleStore(file);
    const { e } = env({ runs: 100, timeBudgetMs: 10_000, seed: 5 }, store);
    const spec = {
      ...sumSpec(),
      check: async (xs: number[]) => {
        const sum = xs.reduce((a, b) => a + b, 0);
        if (sum >= 100) throw new StagingServerError(`http://127.0.0.1:1/sum/${sum}`, 500);
      },
    };
    const err = await runProperty(spec, e).then(
      () => assert.fail("should fail"),
      (x: Error) => x,
    );
    assert.ok(err instanceof PropertyAssertionError, `${err.name}: ${err.message}`);
    assert.equal(categoryOfErrorType(err.constructor.name), "product defect");
    assert.match(err.message, /Counterexample \(shrunk in \d+ step\(s\) after \d+ run\(s\)\):\n\s+\[100\]/);
    assert.match(err.message, /staging error: GET http:\/\/127\.0\.0\.1:1\/sum\/100 answered 500/);
    assert.deepEqual(store.entries(spec.key)[0].counterexample, [100]);
  });

  test("--replay <seed:path> reruns exactly that case and fails the same way", async () => {
    const seen: number[][] = [];
    const token = replayTokenIn(firstReport);
    const { e } = env({ runs: 100, timeBudgetMs: 10_000, replay: token });
    const err = await runProperty(sumSpec(seen), e).then(
      () => assert.fail("should fail"),
      (x: Error) => x,
    );
    assert.deepEqual(seen, [[100]], "only the one case runs");
    assert.match(err.message, /Property failed \(replayed\)/);
    assert.match(err.message, /\[100\]/);
  });

  test("--replay whose run's start fails reports the start's error and logs no replayed value", async () => {
    const seen: number[][] = [];
    const { e, lines } = env({ runs: 100, timeBudgetMs: 10_000, replay: replayTokenIn(firstReport) });
    const spec = {
      ...sumSpec(seen),
      start: async () => {
        throw new CheckFailed("the start page shows no form");
      },
    };
    const err = await runProperty(spec, e).then(
      () => assert.fail("should fail"),
      (x: Error) => x,
    );
    assert.match(err.message, /^the start page shows no form — the property stopped at its first run's start/);
    assert.deepEqual(seen, [], "the value was never used");
    assert.ok(!lines.some((l) => /replayed/.test(l)), lines.join("\n"));
  });

  test("the stored counterexample is tried first on the next run, whatever the seed", async () => {
    const seen: number[][] = [];
    const { e, lines } = env({ runs: 100, timeBudgetMs: 10_000, seed: 7 }, new CounterexampleStore(storeFile));
    const err = await runProperty(sumSpec(seen), e).then(
      () => assert.fail("should fail"),
      (x: Error) => x,
    );
    assert.deepEqual(seen[0], [100], "the stored case runs first");
    assert.equal(seen.length, 1);
    assert.ok(lines.some((l) => /trying 1 stored counterexample/.test(l)));
    assert.match(err.message, /Property failed on a stored counterexample/);
    assert.match(err.message, /Seed 42/, "the report names the seed that found it");
  });

  test("once fixed, the stored case passes and the generated runs follow", async () => {
    const seen: number[][] = [];
    const { e } = env({ runs: 20, timeBudgetMs: 10_000, seed: 7 }, new CounterexampleStore(storeFile));
    const spec = { ...sumSpec(seen), check: async (xs: number[]) => void seen.push(xs) };
    const r = await runProperty(spec, e);
    assert.equal(r.storedTried, 1);
    assert.deepEqual(seen[0], [100]);
    assert.equal(seen.length, 21);
  });

  test("a stored case that no longer fits the step is skipped with a note", async () => {
    const store = new CounterexampleStore(join(dir, "misfit.json"));
    await store.save("k", {
      counterexample: "not a list",
      shown: "x",
      error: "",
      seed: 1,
      path: "0",
      target: "t",
      baseUrl: "",
      foundAt: "",
      lastFailedAt: "",
    });
    const { e, lines } = env({ runs: 5, timeBudgetMs: 5000, seed: 1 }, store);
    await runProperty({ ...sumSpec(), key: "k", check: async () => undefined }, e);
    assert.ok(lines.some((l) => /skipping a stored counterexample that no longer fits/.test(l)));
  });

  test("running out of the time budget fails with 'time budget exceeded after K runs'", async () => {
    const { e } = env({ runs: 1000, timeBudgetMs: 300, seed: 1 });
    let started = 0;
    const spec = {
      ...sumSpec(),
      check: () => {
        started++;
        return new Promise<void>((r) => setTimeout(r, 40));
      },
    };
    const err = await runProperty(spec, e).then(
      () => assert.fail("should fail"),
      (x: Error) => x,
    );
    assert.ok(err instanceof PropertyFailure);
    assert.match(err.message, /^time budget exceeded after \d+ runs/);
    // The advice is more than there was (it said @time-budget:60s to a property whose budget was 60 s: QA6 F4).
    assert.match(
      err.message,
      /Give it more time \(@time-budget:1s, or properties\.timeBudgetMs in the config\) or fewer runs \(@runs:500\)\./,
    );
    const k = Number(/after (\d+) runs/.exec(err.message)![1]);
    assert.ok(k >= 1 && k < 1000, `K = ${k}`);
    assert.ok(started <= k + 1, `stops at the budget: ${started} runs started for ${k} reported, not 1000`);
  });

  test("out of a budget given for each run, the advice is more time: fewer runs get no more each", async () => {
    const { e } = env({ runs: 1000, seed: 1 });
    assert.equal(e.settings.budgetPerRun, true);
    e.settings.timeBudgetMs = 300; // as if its runs had had their 10 s each
    const spec = { ...sumSpec(), check: () => new Promise<void>((r) => setTimeout(r, 40)) };
    const err = await runProperty(spec, e).then(
      () => assert.fail("should fail"),
      (x: Error) => x,
    );
    assert.match(
      err.message,
      /Give it more time \(@time-budget:1s, or properties\.timeBudgetMs in the config\): by default each run has 10(\.0)? ?s, so fewer runs would not help\./,
    );
  });

  test("a run that never returns cannot hang the step", async () => {
    const { e } = env({ runs: 10, timeBudgetMs: 200, seed: 1 });
    const spec = { ...sumSpec(), check: () => new Promise<void>(() => undefined) };
    await assert.rejects(runProperty(spec, e), /time budget exceeded after 0 runs/);
  });

  test("a run whose start was still going when the step gave up runs no check after it: the browser is left to the next scenario", async () => {
    const { e } = env({ runs: 10, timeBudgetMs: 200, seed: 1 });
    let starts = 0;
    let gaveUp = false;
    let checksAfter = 0;
    let startEnded!: () => void;
    const ended = new Promise<void>((r) => (startEnded = r));
    const spec = {
      ...sumSpec(),
      start: async () => {
        // The second run's start outlives the budget and its grace (a page that takes long to load).
        if (++starts === 2) await new Promise((r) => setTimeout(r, 1200));
        if (starts === 2) startEnded();
      },
      check: async () => {
        if (gaveUp) checksAfter++;
      },
    };
    await assert.rejects(runProperty(spec, e), /time budget exceeded after 1 runs/);
    gaveUp = true;
    await ended;
    await new Promise((r) => setImmediate(r));
    assert.equal(checksAfter, 0, "the run in flight stopped after its start");
  });

  test("a stored counterexample that fails again is reported as stored, not shrunk: its replay token is the shown case's", async () => {
    const file = join(dir, "store-not-shrunk.json");
    const store = new CounterexampleStore(file);
    const entry = (counterexample: number[], seed: number) => ({
      counterexample,
      shown: JSON.stringify(counterexample),
      error: "",
      seed,
      path: "3",
      target: "unit",
      baseUrl: "http://127.0.0.1:1/",
      foundAt: "then",
      lastFailedAt: "then",
    });
    const key = sumSpec().key;
    await store.save(key, entry([5], 1));
    await store.save(key, entry([150, 3], 2));
    const { e } = env({ runs: 10, timeBudgetMs: 10_000, seed: 9 }, store);
    const err = await runProperty(sumSpec(), e).then(
      () => assert.fail("should fail"),
      (x: Error) => x,
    );
    assert.match(err.message, /Counterexample \(after 2 run\(s\), not shrunk\):\n\s+\[150,3\]\n/);
    assert.match(err.message, /Seed 2, path 3 /);
  });

  test("a stored case whose decode normalizes it is reported with its own seed and path, not the first entry's", async () => {
    const store = new CounterexampleStore(join(dir, "store-normalized.json"));
    const entry = (counterexample: number[], seed: number) => ({
      counterexample,
      shown: JSON.stringify(counterexample),
      error: "",
      seed,
      path: String(seed),
      target: "unit",
      baseUrl: "http://127.0.0.1:1/",
      foundAt: "then",
      lastFailedAt: "then",
    });
    const key = sumSpec().key;
    await store.save(key, entry([5], 11));
    await store.save(key, entry([90, 60], 22)); // stored unsorted: its decoded value encodes as [60,90]
    const spec = { ...sumSpec(), decode: (j: unknown) => [...(j as number[])].sort((a, b) => a - b) };
    const { e } = env({ runs: 10, timeBudgetMs: 10_000, seed: 9 }, store);
    const err = await runProperty(spec, e).then(
      () => assert.fail("should fail"),
      (x: Error) => x,
    );
    assert.match(err.message, /Property failed on a stored counterexample/);
    assert.match(err.message, /Seed 22, path 22 /);
    assert.ok(store.entries(key).find((x) => x.seed === 22)!.lastFailedAt !== "then", "the failing entry is touched");
  });

  test("a pass the spec refuses is never told as one: generated, after stored cases, and replayed", async () => {
    const refused = (n: number) => {
      throw new PropertyFailure(`refused after ${n}`);
    };
    const passing = { ...sumSpec(), key: "refuse", check: async () => undefined, refusePass: refused };
    const expectRefused = async (e: PropertyEnv, lines: string[], attachments: unknown[], n: number) => {
      await assert.rejects(runProperty(passing, e), new RegExp(`^PropertyFailure: refused after ${n}$`));
      assert.ok(!lines.some((l) => /passed \d+ run\(s\)|passes now/.test(l)), lines.join("\n"));
      assert.deepEqual(attachments, [], "nothing attached as a pass");
    };
    const generated = env({ runs: 5, timeBudgetMs: 10_000, seed: 3 });
    await expectRefused(generated.e, generated.lines, generated.attachments, 5);

    const store = new CounterexampleStore(join(dir, "store-refused.json"));
    await store.save("refuse", {
      counterexample: [1],
      shown: "[1]",
      error: "",
      seed: 1,
      path: "0",
      target: "unit",
      baseUrl: "http://127.0.0.1:1/",
      foundAt: "then",
      lastFailedAt: "then",
    });
    const afterStored = env({ runs: 5, timeBudgetMs: 10_000, seed: 3 }, store);
    await expectRefused(afterStored.e, afterStored.lines, afterStored.attachments, 6);

    const replayed = env({ runs: 5, timeBudgetMs: 10_000, replay: "3:0" });
    await expectRefused(replayed.e, replayed.lines, replayed.attachments, 1);
  });

  test("a run that hangs after passing runs is reported with the runs passed by then", async () => {
    const { e } = env({ runs: 10, timeBudgetMs: 200, seed: 1 });
    let calls = 0;
    const spec = { ...sumSpec(), check: () => (++calls <= 2 ? Promise.resolve() : new Promise<void>(() => undefined)) };
    const err = await runProperty(spec, e).then(
      () => assert.fail("should fail"),
      (x: Error) => x,
    );
    assert.match(
      err.message,
      /^time budget exceeded after 2 runs: .*\n {2}2 of 10 runs done: the budget is 200 ms for 10 runs/,
    );
  });
});

describe("the replay line names the staging the case was found on", () => {
  const BUGGY = "http://127.0.0.1:18432/";
  const CONFIGS = "http://127.0.0.1:18431/";
  /** The bug is on one staging only: sums of 100 or more fail there, pass elsewhere. */
  function stagingSpec(baseUrl: string): PropertySpec<number[]> {
    const spec = sumSpec();
    return { ...spec, check: async (xs) => (baseUrl === BUGGY ? spec.check(xs) : undefined) };
  }
  function at(baseUrl: string, defaults: PropertyDefaults, store?: CounterexampleStore) {
    const r = env(defaults, store);
    r.e.baseUrl = baseUrl;
    return r;
  }
  const failure = (p: Promise<unknown>) =>
    p.then(
      () => assert.fail("should fail"),
      (x: Error) => x,
    );

  test("found on a --base-url staging: the printed command carries it, and run as printed it fails again", async () => {
    const store = new CounterexampleStore(join(dir, "staging-store.json"));
    const err = await failure(
      runProperty(stagingSpec(BUGGY), at(BUGGY, { runs: 100, timeBudgetMs: 10_000, seed: 42 }, store).e),
    );
    const m = /\n\s+signoff run features\/x\.feature:3 --targets unit --base-url (\S+) --replay (\S+)\n/.exec(
      err.message,
    );
    assert.ok(m, err.message);
    assert.equal(m[1], BUGGY);
    const [, baseUrl, token] = m;
    const again = await failure(
      runProperty(stagingSpec(baseUrl), at(baseUrl, { runs: 1, timeBudgetMs: 10_000, replay: token }, store).e),
    );
    assert.match(again.message, /Property failed \(replayed\)/);
    assert.equal(store.entries(sumSpec().key)[0].baseUrl, BUGGY);
  });

  test("replayed on another staging than the stored one, a pass says so in one line (and where to replay it)", async () => {
    const store = new CounterexampleStore(join(dir, "staging-store.json"));
    const token = `${store.entries(sumSpec().key)[0].seed}:${store.entries(sumSpec().key)[0].path}`;
    const { e, lines, attachments } = at(CONFIGS, { runs: 1, timeBudgetMs: 10_000, replay: token }, store);
    await runProperty(stagingSpec(CONFIGS), e);
    const elsewhere = ` — on ${CONFIGS}, but it was found on ${BUGGY} (replay it there: --base-url ${BUGGY})`;
    assert.equal(lines.at(-1), `  the replayed case passes now${elsewhere}`);
    assert.equal(lines.filter((l) => /found on/.test(l)).length, 1, "one line");
    assert.match(attachments[0].text, /passes — on http:\/\/127\.0\.0\.1:18431\/, but it was found on/);
    // The same staging spelled without its trailing slash is the same staging: no note.
    const same = at(BUGGY.slice(0, -1), { runs: 1, timeBudgetMs: 10_000, replay: token }, store);
    await failure(runProperty(stagingSpec(BUGGY), same.e));
    assert.equal(same.lines.filter((l) => /found on/.test(l)).length, 0, same.lines.join("\n"));
  });

  test("on the bundled example app (a new port each run) the line names no base URL, and a replay on it notes nothing", async () => {
    const store = new CounterexampleStore(join(dir, "bundled-store.json"));
    const spec = sumSpec();
    const run1 = at("http://127.0.0.1:40001/", { runs: 100, timeBudgetMs: 10_000, seed: 42, bundledApp: true }, store);
    const err = await failure(runProperty(spec, run1.e));
    assert.match(err.message, /\n\s+signoff run features\/x\.feature:3 --targets unit --replay \S+\n/);
    assert.doesNotMatch(err.message, /--base-url/);
    assert.equal(store.entries(spec.key)[0].bundledApp, true);
    const token = replayTokenIn(err.message);
    const run2 = at(
      "http://127.0.0.1:40002/",
      { runs: 1, timeBudgetMs: 10_000, replay: token, bundledApp: true },
      store,
    );
    await runProperty({ ...spec, check: async () => undefined }, run2.e);
    assert.equal(run2.lines.at(-1), "  the replayed case passes now");
    // Replayed against a staging it was not found on, the bundled app is named as where it was found.
    const run3 = at(CONFIGS, { runs: 1, timeBudgetMs: 10_000, replay: token }, store);
    await runProperty({ ...spec, check: async () => undefined }, run3.e);
    assert.equal(
      run3.lines.at(-1),
      `  the replayed case passes now — on ${CONFIGS}, but it was found on the bundled example app`,
    );
  });
});

describe("the counterexample store", () => {
  test("dedupes equal counterexamples and keeps keys sorted", async () => {
    const store = new CounterexampleStore(join(dir, "dedupe.json"));
    const entry = {
      counterexample: [1],
      shown: "[1]",
      error: "e",
      seed: 1,
      path: "0",
      target: "t",
      baseUrl: "",
      foundAt: "a",
      lastFailedAt: "a",
    };
    await store.save("b", entry);
    await store.save("a", { ...entry, counterexample: [2] });
    await store.save("b", { ...entry, lastFailedAt: "later", foundAt: "ignored" });
    const data = JSON.parse(readFileSync(store.file, "utf8"));
    assert.deepEqual(Object.keys(data.properties), ["a", "b"]);
    assert.equal(data.properties.b.length, 1);
    assert.equal(data.properties.b[0].foundAt, "a", "first found stays");
    assert.equal(data.properties.b[0].lastFailedAt, "later");
  });

  test("two processes saving at once lose no entry (proper-lockfile) and leave no lock behind", async () => {
    const file = join(dir, "shared", "store.json");
    const go = join(dir, "go");
    const worker = (prefix: string) =>
      new Promise<number | null>((done) => {
        const args = [
          "--require",
          join(__dirname, "..", "..", "src", "register.js"),
          join(__dirname, "..", "fixtures", "store", "save-many.ts"),
          file,
          prefix,
          "40",
          go,
        ];
        spawn(process.execPath, args, { stdio: ["ignore", "ignore", "inherit"] }).on("exit", done);
      });
    const both = Promise.all([worker("one"), worker("two")]);
    while (!existsSync(`${go}.one`) || !existsSync(`${go}.two`)) await new Promise((r) => setTimeout(r, 10));
    writeFileSync(go, "");
    assert.deepEqual(await both, [0, 0]);
    const keys = Object.keys(JSON.parse(readFileSync(file, "utf8")).properties);
    assert.equal(keys.length, 80);
    assert.ok(keys.includes("one-39") && keys.includes("two-0"));
    assert.equal(existsSync(`${file}.lock`), false);
  });

  test("a lock held by a live writer is waited for, then reported naming the file", async () => {
    const file = join(dir, "held.json");
    const release = await lock(file, { realpath: false });
    try {
      await assert.rejects(
        new CounterexampleStore(file).save("k", {
          counterexample: [1],
          shown: "",
          error: "",
          seed: 1,
          path: "0",
          target: "t",
          baseUrl: "",
          foundAt: "",
          lastFailedAt: "",
        }),
        /held\.json is locked/,
      );
    } finally {
      await release();
    }
  });

  test("a broken file is an error naming the file; SIGNOFF_COUNTEREXAMPLES moves or disables it", () => {
    const bad = join(dir, "bad.json");
    require("node:fs").writeFileSync(bad, "{ nope");
    assert.throws(() => new CounterexampleStore(bad).entries("x"), /bad\.json is not valid JSON/);
    assert.equal(storePath({ SIGNOFF_COUNTEREXAMPLES: "off" }), undefined);
    assert.equal(storePath({}, "/proj"), "/proj/.signoff/counterexamples.json");
    assert.equal(storePath({ SIGNOFF_COUNTEREXAMPLES: "x.json" }, "/proj"), "/proj/x.json");
  });
});
