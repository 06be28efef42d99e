// steps/support/eventually: the one waiting rule every assertion step uses; a wrong answer at the deadline is an assertion (product defect), a probe that failed to the end keeps its error's type.
import { test } from "node:test";
import assert from "node:assert/strict";
import { BrowserCrashedError, LocatorTimeoutError } from "../../src/browser/session";
import { SignoffAssertionError } from "../../src/core/errors";
import { eventually, probeSays, SETTLED_GRACE_MS } from "../../steps/support/eventually";

test("the probe answers, wrongly, until the deadline: a SignoffAssertionError with the sentence", async () => {
  let calls = 0;
  await assert.rejects(
    eventually(
      async () => ++calls,
      () => false,
      (n) => `expected 0, it shows ${n}`,
      30,
      { intervalMs: 5 },
    ),
    (err: unknown) => {
      assert.ok(err instanceof SignoffAssertionError);
      assert.equal(err.constructor.name, "SignoffAssertionError");
      assert.match(err.message, /^expected 0, it shows \d+ \(waited 30 ms\)$/);
      return true;
    },
  );
});

test("the probe throws until the deadline: its own error type (element not found), the assertion's sentence as message", async () => {
  const loc = { by: "role", role: "button", name: "Nope" } as const;
  await assert.rejects(
    eventually(
      async () => {
        throw new LocatorTimeoutError(loc, 5);
      },
      () => true,
      (_v, e) => `expected the button to show "x", ${probeSays(e)}`,
      20,
      { intervalMs: 5 },
    ),
    (err: unknown) => {
      assert.ok(err instanceof LocatorTimeoutError);
      assert.match(err.message, /^expected the button to show "x", timed out after 5 ms .* \(waited 20 ms\)$/);
      // The type's name leads the line once: the sentence quotes the probe's message, not the error itself.
      assert.match(err.stack!, /^LocatorTimeoutError: expected the button to show "x", timed out/);
      return true;
    },
  );
});

test("a probe that waits for its element as long as the check or longer: its own timeout, no second one beside it", async () => {
  const loc = { by: "text", text: "x" } as never;
  await assert.rejects(
    eventually(
      () => Promise.reject(new LocatorTimeoutError(loc, 30)),
      () => true,
      (_v, e) => `expected the button to show "x", ${probeSays(e)}`,
      10,
      { intervalMs: 1 },
    ),
    (err: Error) => {
      assert.ok(err instanceof LocatorTimeoutError);
      assert.match(err.message, /^expected the button to show "x", timed out after 30 ms [^()]*$/);
      return true;
    },
  );
});

test("wrong answers, then one failed probe at the deadline: still the wrong answer (product defect), not the probe's error", async () => {
  let calls = 0;
  const deadline = Date.now() + 40;
  await assert.rejects(
    eventually(
      async () => {
        calls++;
        if (Date.now() >= deadline) throw new LocatorTimeoutError({ by: "text", text: "x" } as never, 1);
        return calls;
      },
      () => false,
      (n, e) => (e ? `error ${String(e)}` : `expected 0, it shows ${n}`),
      40,
      { intervalMs: 5 },
    ),
    (err: unknown) => {
      assert.ok(err instanceof SignoffAssertionError, String(err));
      assert.match(err.message, /^expected 0, it shows \d+ \(waited 40 ms\)$/);
      return true;
    },
  );
});

test("wrong answers, then staging fails at the deadline: the environment's error type is kept", async () => {
  class StagingError extends Error {}
  let calls = 0;
  const deadline = Date.now() + 40;
  await assert.rejects(
    eventually(
      async () => {
        calls++;
        if (Date.now() >= deadline) throw new StagingError("503");
        return calls;
      },
      () => false,
      (n, e) => (e ? `expected 0, ${String(e)}` : `expected 0, it shows ${n}`),
      40,
      { intervalMs: 5 },
    ),
    (err: unknown) => {
      assert.ok(err instanceof StagingError, String(err));
      assert.match(err.message, /^expected 0, Error: 503 \(waited 40 ms\)$/);
      return true;
    },
  );
});

test("a crashed browser ends the wait at once, as itself", async () => {
  const crash = new BrowserCrashedError("gone");
  await assert.rejects(
    eventually(
      async () => {
        throw crash;
      },
      () => true,
      () => "never",
      60_000,
      { intervalMs: 5 },
    ),
    (err) => err === crash,
  );
});

test("a value that holds is returned", async () => {
  assert.equal(
    await eventually(
      async () => 3,
      (n) => n === 3,
      () => "never",
      10,
    ),
    3,
  );
});
test("returns the first value that holds, after probing again while it does not", async () => {
  const seen: number[] = [];
  let n = 0;
  const v = await eventually(
    async () => (seen.push(++n), n),
    (x) => x >= 3,
    () => "never",
    5_000,
    { intervalMs: 1 },
  );
  assert.equal(v, 3);
  assert.deepEqual(seen, [1, 2, 3]);
});

test("a probe that throws is retried; the last error reaches the failure description", async () => {
  let n = 0;
  const v = await eventually(
    async () => {
      if (++n < 3) throw new Error("not yet");
      return "ok";
    },
    (x) => x === "ok",
    () => "never",
    5_000,
    { intervalMs: 1 },
  );
  assert.equal(v, "ok");
  await assert.rejects(
    eventually(
      async () => Promise.reject(new Error("page gone")),
      () => true,
      (last, err) => `last ${last}, error ${(err as Error).message}`,
      20,
      { intervalMs: 5 },
    ),
    /^Error: last undefined, error page gone \(waited 20 ms\)$/,
  );
});

test("a describer given only the value (a team's own step): the probe's own error is added to its sentence, type kept", async () => {
  await assert.rejects(
    eventually(
      async (): Promise<number> => {
        throw new Error("probe-boom: the widget is not there");
      },
      (v) => v === 3,
      (v) => `expected the qa probe to read 3, it read ${v}`,
      20,
      { intervalMs: 5 },
    ),
    (err: Error) => {
      assert.equal(err.constructor, Error);
      assert.equal(
        err.message,
        "expected the qa probe to read 3, it read undefined (waited 20 ms); the last look failed: probe-boom: the widget is not there",
      );
      return true;
    },
  );
  const loc = { by: "role", role: "status", name: "Total" } as const;
  await assert.rejects(
    eventually(
      () => Promise.reject(new LocatorTimeoutError(loc, 5)),
      () => true,
      () => "expected the total to be 3",
      20,
      { intervalMs: 5 },
    ),
    (err: Error) => {
      assert.ok(err instanceof LocatorTimeoutError);
      assert.match(
        err.message,
        /^expected the total to be 3 \(waited 20 ms\); the last look failed: timed out after 5 ms /,
      );
      return true;
    },
  );
});

test("a describer given only the value: a thrown non-Error is added as text; a sentence that quotes the probe's message gets it once", async () => {
  await assert.rejects(
    eventually(
      () => Promise.reject("no widget"),
      () => true,
      () => "expected the widget",
      20,
      { intervalMs: 5 },
    ),
    (err: Error) => {
      assert.equal(err.message, "expected the widget (waited 20 ms); the last look failed: no widget");
      return true;
    },
  );
  let said = "";
  await assert.rejects(
    eventually(
      async () => {
        said = "no widget";
        throw new Error(said);
      },
      () => true,
      () => `expected the widget, ${said}`,
      20,
      { intervalMs: 5 },
    ),
    (err: Error) => {
      assert.equal(err.message, "expected the widget, no widget (waited 20 ms)");
      return true;
    },
  );
});

test("a describer that takes the probe's error says it in its own words: nothing is added", async () => {
  await assert.rejects(
    eventually(
      () => Promise.reject(new Error('"1.234" is not one number: a thousands separator or a decimal point')),
      () => true,
      (_v, e) => `expected 3, it shows ${e ? '"1.234", which is not one number' : "no number"}`,
      20,
      { intervalMs: 5 },
    ),
    (err: Error) => {
      assert.equal(err.message, 'expected 3, it shows "1.234", which is not one number (waited 20 ms)');
      return true;
    },
  );
});

test("when it never holds, the failure names the last value and the time waited", async () => {
  await assert.rejects(
    eventually(
      async () => 7,
      (x) => x === 8,
      (last) => `expected 8, the page shows ${last}`,
      20,
      { intervalMs: 5 },
    ),
    {
      message: "expected 8, the page shows 7 (waited 20 ms)",
    },
  );
});

test("a crashed browser is not waited for: BrowserCrashedError is thrown at once, on the first probe", async () => {
  let probes = 0;
  const crash = new BrowserCrashedError("browser gone");
  await assert.rejects(
    eventually(
      async () => {
        probes++;
        throw crash;
      },
      () => true,
      () => "never",
      5_000,
      { intervalMs: 1 },
    ),
    crash,
  );
  assert.equal(probes, 1);
});

test("with settle: a holding answer read before the page settled does not count; the one read after it does", async () => {
  const log: string[] = [];
  let shown = "Loading";
  const value = await eventually(
    async () => (log.push(`probe ${shown}`), shown),
    (v) => !v.includes("Error"),
    () => "expected no error",
    1000,
    {
      intervalMs: 5,
      settle: async () => {
        log.push("settle");
        shown = "All fine";
      },
    },
  );
  assert.equal(value, "All fine");
  assert.deepEqual(log, ["probe Loading", "settle", "probe All fine"]);
});

test("with settle: what appears while the page settles fails the check at the deadline", async () => {
  let shown = "Loading";
  await assert.rejects(
    eventually(
      async () => shown,
      (v) => !v.includes("Error"),
      (v) => `expected no error, it shows ${v}`,
      40,
      {
        intervalMs: 5,
        settle: async () => {
          shown = "Error: not found";
        },
      },
    ),
    (err: unknown) =>
      err instanceof SignoffAssertionError && /it shows Error: not found \(waited 40 ms\)$/.test(err.message),
  );
});

test("with settle: each settle gets the time left, never more than the check's wait", async () => {
  const given: number[] = [];
  await eventually(
    async () => "ok",
    () => true,
    () => "never",
    200,
    { intervalMs: 5, settle: async (ms) => void given.push(ms) },
  );
  assert.equal(given.length, 1);
  assert.ok(given[0] <= 200 && given[0] >= 0, String(given[0]));
});

test("with settle: what the check rules out, still there after the page settled, fails it after the grace, not at the deadline", async () => {
  const log: string[] = [];
  const start = Date.now();
  // A toast that hides itself after 2 s: there at the first look, still there once the page is quiet.
  const shown = () => (Date.now() - start < 2000 ? "Preferences saved" : "");
  await assert.rejects(
    eventually(
      async () => (log.push("probe"), shown()),
      (v) => !v.includes("saved"),
      (v) => `expected the page not to show "saved", it does: "${v}"`,
      5000,
      { intervalMs: 20, settle: async () => void log.push("settle") },
    ),
    (err: unknown) => {
      assert.ok(err instanceof SignoffAssertionError, String(err));
      assert.equal(
        err.message,
        `expected the page not to show "saved", it does: "Preferences saved" (still so ${SETTLED_GRACE_MS} ms after the page settled)`,
      );
      return true;
    },
  );
  const took = Date.now() - start;
  assert.ok(took >= SETTLED_GRACE_MS && took < 1900, `failed after ${took} ms`);
  // It saw the toast, let the page settle, saw it again, and gave it the grace.
  assert.deepEqual(log.slice(0, 3), ["probe", "settle", "probe"]);
  assert.equal(log.filter((l) => l === "settle").length, 1);
});

test("with settle: before the page has settled, what the check rules out is waited on (a request still under way)", async () => {
  let shown = "Item 3";
  const v = await eventually(
    async () => shown,
    (t) => !t.includes("Item 3"),
    () => "never",
    5000,
    {
      intervalMs: 5,
      // The delete's request ends, the list is drawn again without the item, then the page goes quiet.
      settle: async () => {
        await new Promise((r) => setTimeout(r, 1500));
        shown = "Item 1 Item 2";
      },
    },
  );
  assert.equal(v, "Item 1 Item 2");
});

test("with settle: what goes within the grace after the page settled (an exit animation) passes, once settled again", async () => {
  const log: string[] = [];
  let goneAt = Infinity;
  const v = await eventually(
    async () => {
      const shown = Date.now() < goneAt ? "Item 3" : "";
      log.push(`probe ${shown || "none"}`);
      return shown;
    },
    (t) => t === "",
    () => "never",
    5000,
    {
      intervalMs: 20,
      settle: async () => {
        log.push("settle");
        if (goneAt === Infinity) goneAt = Date.now() + 400; // fades out for 400 ms once the request ended
      },
    },
  );
  assert.equal(v, "");
  assert.equal(log[0], "probe Item 3");
  assert.equal(log[1], "settle");
  // The answer that passed was read after a second settle, after the item went.
  assert.deepEqual(log.slice(-3), ["probe none", "settle", "probe none"]);
});

test("with settle: the grace is bounded by the time left; failing at the deadline says how long it waited", async () => {
  const start = Date.now();
  await assert.rejects(
    eventually(
      async () => "Error",
      (v) => v !== "Error",
      (v) => `it shows ${v}`,
      300,
      { intervalMs: 10, settle: async () => {} },
    ),
    { message: "it shows Error (waited 300 ms)" },
  );
  assert.ok(Date.now() - start < 900);
});

test("with settle and keepWaiting (a count): an early answer does not pass; a wrong one after settling is waited on to the end", async () => {
  const start = Date.now();
  let items = 3; // 3 placeholders while loading
  let settles = 0;
  const v = await eventually(
    async () => items,
    (n) => n === 3,
    (n) => `found ${n}`,
    5000,
    {
      intervalMs: 20,
      keepWaiting: true,
      settle: async () => {
        // The page goes quiet with 2 items drawn; the 3rd comes later than the grace (a longer timer).
        if (settles++ > 0) return;
        items = 2;
        setTimeout(() => (items = 3), SETTLED_GRACE_MS + 500);
      },
    },
  );
  assert.equal(v, 3);
  assert.ok(Date.now() - start >= SETTLED_GRACE_MS + 500);
  let shown = 3;
  await assert.rejects(
    eventually(
      async () => shown,
      (n) => n === 3,
      (n) => `expected 3, found ${n}`,
      300,
      { intervalMs: 10, keepWaiting: true, settle: async () => void (shown = 5) },
    ),
    { message: "expected 3, found 5 (waited 300 ms)" },
  );
});

test("a held check whose right answer is gone once the page settled (its element removed): the product's, saying what is now", async () => {
  const loc = { by: "role", role: "region", name: "Basket" } as const;
  let calls = 0;
  let settles = 0;
  await assert.rejects(
    eventually(
      async () => {
        if (++calls === 1) return "Matcha Whisk";
        throw new LocatorTimeoutError(loc, 5, "to be visible", "the page has 0 regions");
      },
      (t) => t.includes("Matcha"),
      (t, e) => `expected the region to still contain "Matcha", ${e ? probeSays(e) : `it shows "${t}"`}`,
      40,
      { intervalMs: 5, settle: async () => void settles++, keepWaiting: true },
    ),
    (err: unknown) => {
      assert.equal(settles, 1);
      // Not "it shows "Matcha Whisk"": that answer was read before the page settled and is gone.
      assert.ok(err instanceof SignoffAssertionError, String(err));
      assert.match(
        (err as Error).message,
        /^expected the region to still contain "Matcha", timed out after 5 ms waiting for the region named "Basket" to be visible: the page has 0 regions \(waited 40 ms\)$/,
      );
      return true;
    },
  );
});
