// The text-input property's check: what the field does with the text is the product's answer; a crashed browser or a malformed locator is not.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fc from "fast-check";
import { BrowserCrashedError, NavigationTimeoutError, type BrowserSession } from "../../src/browser/session";
import { TestDefinitionError } from "../../src/core/errors";
import { CheckFailed } from "../../src/properties/errors";
import { checkTyping, type InputPlan } from "../../src/properties/text-input";

const plan: InputPlan = { text: fc.string(), textShape: "any text", errorPhrases: [] };
const field = { by: "label", text: "Name" } as const;

/** A session whose fill throws `err`; every other call a real page would answer. */
function sessionFilling(err: Error): BrowserSession {
  return {
    goto: async () => undefined,
    fill: async () => {
      throw err;
    },
  } as unknown as BrowserSession;
}

const check = (err: Error) => checkTyping(sessionFilling(err), { field: field as never, plan, settleMs: 10 }, "x");

test("a field that refuses the text is a failed check (a counterexample)", async () => {
  await assert.rejects(check(new Error("element is not editable")), (e: unknown) => {
    assert.ok(e instanceof CheckFailed);
    assert.match(e.message, /^typing into .* failed: element is not editable$/);
    return true;
  });
});

/** A session whose field takes what is typed and shows `shows(typed)`; nothing on the page marked invalid. */
function sessionShowing(shows: (typed: string) => string): BrowserSession {
  let typed = "";
  return {
    fill: async (_l: unknown, text: string) => {
      typed = text;
    },
    valueOf: async () => shows(typed),
    count: async () => 0,
  } as unknown as BrowserSession;
}

test("a field that shows the text in another but canonically equivalent form kept it; one that changed it did not", async () => {
  const typing = (shows: (typed: string) => string, text: string) =>
    checkTyping(sessionShowing(shows), { field: field as never, plan, settleMs: 10 }, text);
  // As chromedriver types it: the composed form (U+F900 is U+8C48; e + combining acute is é).
  await typing((t) => t.normalize("NFC"), "\uf900 cafe\u0301");
  // And cut at a maxlength of 4 (the release-pipeline demo's se-pixel7 run: 81 characters typed into maxlength 80).
  await typing((t) => t.normalize("NFC").slice(0, 4), "\uf900<\uf900<\uf900");
  await assert.rejects(
    typing((t) => t.toUpperCase(), "abc"),
    (e: unknown) => {
      assert.ok(e instanceof CheckFailed);
      assert.match(e.message, /silently changed the text: typed "abc", it shows "ABC"/);
      return true;
    },
  );
});

test("a browser that crashed while typing ends the run as itself, not as a counterexample", async () => {
  const crash = new BrowserCrashedError("browser gone");
  await assert.rejects(check(crash), (e) => e === crash);
});

test("a locator Signoff cannot use is a test defect, not a counterexample", async () => {
  const bad = new TestDefinitionError("no such element phrase");
  await assert.rejects(check(bad), (e) => e === bad);
});

test("after a submit, the page read failing for the environment ends the run as itself; a read mid-navigation is tried again", async () => {
  const submitPlan: InputPlan = { ...plan, submit: { press: "Enter" } };
  const reading = (urlOf: () => Promise<string>): BrowserSession =>
    ({
      goto: async () => undefined,
      fill: async () => undefined,
      valueOf: async () => "x",
      press: async () => undefined,
      url: urlOf,
      bodyText: async () => "Thanks",
      title: async () => "Form",
      count: async () => 0,
    }) as unknown as BrowserSession;
  const run = (s: BrowserSession) => checkTyping(s, { field: field as never, plan: submitPlan, settleMs: 2000 }, "x");
  const gone = new NavigationTimeoutError("http://127.0.0.1/", 10);
  await assert.rejects(
    run(
      reading(async () => {
        throw gone;
      }),
    ),
    (e) => e === gone,
  );
  let reads = 0;
  await run(
    reading(async () => {
      if (++reads === 1) throw new Error("Execution context was destroyed, most likely because of a navigation");
      return "http://127.0.0.1/thanks";
    }),
  );
  assert.ok(reads >= 3, "read again after the failed read, until two reads agree");
});
