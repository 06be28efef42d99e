// The text-input property's check: what the field does with the text is the product's answer; a crashed browser or a malformed locator is not.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fc from "fast-check";
import {
  BrowserCrashedError,
  NavigationTimeoutError,
  type BrowserSession,
  type PageProblem,
} from "../../src/browser/session";
import { TestDefinitionError } from "../../src/core/errors";
import { CheckFailed } from "../../src/properties/errors";
import { checkTyping, type InputPlan } from "../../src/properties/text-input";

const plan: InputPlan = { text: fc.string(), textShape: "any text", errorPhrases: [] };
const field = { by: "label", text: "Name" } as const;

/** A field on a page with nothing else: it keeps what is typed, valid, no alert, no problem; `over` replaces calls. */
function fakeSession(over: Partial<Record<keyof BrowserSession, unknown>> = {}): BrowserSession {
  let typed = "";
  return {
    goto: async () => undefined,
    fill: async (_l: unknown, text: string) => {
      typed = text;
    },
    valueOf: async () => typed,
    validityOf: async () => ({ valid: true, failing: [], notValidated: "" }),
    attributeOf: async () => null,
    count: async () => 0,
    shownText: async () => ({ absent: "not on the page" }),
    settle: async () => ({ quiet: true, open: [] }),
    pageProblems: async () => [],
    click: async () => undefined,
    press: async () => undefined,
    url: async () => "http://127.0.0.1/form",
    bodyText: async () => "Feedback",
    title: async () => "Feedback",
    pageSource: async () => "<html><body>Feedback</body></html>",
    ...over,
  } as unknown as BrowserSession;
}

/** A session whose fill throws `err`; every other call a real page would answer. */
function sessionFilling(err: Error): BrowserSession {
  return fakeSession({
    fill: async () => {
      throw err;
    },
  });
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
function sessionShowing(
  shows: (typed: string) => string,
  over: Partial<Record<keyof BrowserSession, unknown>> = {},
): BrowserSession {
  let typed = "";
  return fakeSession({
    fill: async (_l: unknown, text: string) => {
      typed = text;
    },
    valueOf: async () => shows(typed),
    ...over,
  });
}

test("a field that shows the text in another but canonically equivalent form kept it; one that changed it did not", async () => {
  const typing = (shows: (typed: string) => string, text: string) =>
    checkTyping(
      sessionShowing(shows, { attributeOf: async (_l: unknown, name: string) => (name === "maxlength" ? "4" : null) }),
      { field: field as never, plan, settleMs: 10 },
      text,
    );
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
    fakeSession({ valueOf: async () => "x", url: urlOf, bodyText: async () => "Thanks", title: async () => "Form" });
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

/** The check's failure message, or "passed". */
async function verdict(s: BrowserSession, text: string, p: InputPlan = plan): Promise<string> {
  try {
    await checkTyping(s, { field: field as never, plan: p, settleMs: 10 }, text);
    return "passed";
  } catch (e) {
    if (!(e instanceof CheckFailed)) throw e;
    return e.message;
  }
}

const stripsNonAscii = (t: string) => t.replace(/[^\x20-\x7e]/g, "");

test("a mark elsewhere on the page (another required field, an always-present alert) does not excuse a field that changed the text", async () => {
  // Another field's invalid state is not read at all; an alert there before the typing says nothing of this text.
  const alertAlways = {
    count: async (l: { role?: string }) => (l.role === "alert" ? 1 : 0),
    shownText: async () => ({ shows: "Please fill in the message" }),
  };
  assert.match(await verdict(sessionShowing(stripsNonAscii, alertAlways), "caf\u00e9"), /silently changed the text/);
  // An empty live region (role=alert) that is always there: no text, no refusal.
  const emptyRegion = {
    count: async (l: { role?: string }) => (l.role === "alert" ? 1 : 0),
    shownText: async () => ({ shows: "" }),
  };
  assert.match(await verdict(sessionShowing(stripsNonAscii, emptyRegion), "caf\u00e9"), /silently changed the text/);
});

test("a refusal that typing brought excuses the change: a new alert, the field's own aria-invalid, a new constraint failing", async () => {
  let typed = false;
  const after =
    <T>(then: T, before: T) =>
    async () =>
      typed ? then : before;
  const typing = (over: Record<string, unknown>) =>
    sessionShowing(stripsNonAscii, {
      fill: async () => {
        typed = true;
      },
      ...over,
    });
  typed = false;
  assert.equal(
    await verdict(
      typing({
        count: async (l: { role?: string }) => (l.role === "alert" ? 1 : 0),
        shownText: async () => (typed ? { shows: "Only Latin letters, please" } : { shows: "" }),
      }),
      "caf\u00e9",
    ),
    "passed",
  );
  typed = false;
  assert.equal(await verdict(typing({ attributeOf: after("true", null) }), "caf\u00e9"), "passed");
  typed = false;
  const validity = (failing: string[]) => ({ valid: failing.length === 0, failing, notValidated: "" });
  assert.equal(
    await verdict(typing({ validityOf: after(validity(["customError"]), validity([])) }), "caf\u00e9"),
    "passed",
  );
  // A required field that was empty before and is empty after says nothing of the text.
  typed = false;
  assert.match(
    await verdict(typing({ validityOf: async () => validity(["valueMissing"]) }), "\u00e9\u00e9"),
    /silently changed the text: typed "\u00e9\u00e9", it shows ""/,
  );
});

test("a field that takes no input fails; a start of the text is a cut only at the field's maxlength", async () => {
  assert.match(
    await verdict(
      sessionShowing(() => ""),
      "abc",
    ),
    /silently changed the text: typed "abc", it shows ""/,
  );
  // A field that stops taking keys after two, with no maxlength.
  assert.match(
    await verdict(
      sessionShowing((t) => t.slice(0, 2)),
      "abc",
    ),
    /silently changed the text/,
  );
  const maxlength = (n: string) => ({
    attributeOf: async (_l: unknown, name: string) => (name === "maxlength" ? n : null),
  });
  assert.equal(
    await verdict(
      sessionShowing((t) => t.slice(0, 2), maxlength("2")),
      "abc",
    ),
    "passed",
  );
  assert.match(
    await verdict(
      sessionShowing((t) => t.slice(0, 1), maxlength("2")),
      "abc",
    ),
    /silently changed/,
  );
  assert.match(
    await verdict(
      sessionShowing(() => "", maxlength("0")),
      "abc",
    ),
    /silently changed/,
  );
});

test("after a submit, a field that no longer keeps what is typed fails: the value is read back", async () => {
  let submitted = false;
  const s = fakeSession({
    click: async () => {
      submitted = true;
    },
    // The form is shown again after the submit.
    count: async (l: { by: string }) => (l.by === "label" ? 1 : 0),
  });
  const fill = s.fill.bind(s);
  const dead = { ...s, fill: async (l: never, v: string) => fill(l, submitted ? "" : v) } as BrowserSession;
  const submitting: InputPlan = { ...plan, submit: { click: { by: "role", role: "button", name: "Send" } } };
  assert.match(
    await verdict(dead, "abc", submitting),
    /after submitting, the field labelled "Name" no longer takes input: typed "ok", it shows ""/,
  );
});

test('after a submit, a number field is probed with a number, a date field with nothing: they take no "ok"', async () => {
  const submitting: InputPlan = { ...plan, submit: { click: { by: "role", role: "button", name: "Send" } } };
  const probed: string[] = [];
  const field = (type: string, keeps: (v: string) => string) => {
    let submitted = false;
    const s = fakeSession({
      click: async () => {
        submitted = true;
      },
      count: async (l: { by: string }) => (l.by === "label" ? 1 : 0),
      attributeOf: async (_l: unknown, name: string) => (name === "type" ? type : null),
    });
    const fill = s.fill.bind(s);
    return {
      ...s,
      fill: async (l: never, v: string) => {
        if (submitted) probed.push(`${type}:${v}`);
        return fill(l, keeps(v));
      },
    } as BrowserSession;
  };
  // A number field drops letters as a browser's does.
  assert.equal(
    await verdict(
      field("number", (v) => v.replace(/[^0-9]/g, "")),
      "12",
      submitting,
    ),
    "passed",
  );
  assert.equal(
    await verdict(
      field("date", (v) => v),
      "2026-12-01",
      submitting,
    ),
    "passed",
  );
  assert.deepEqual(probed, ["number:1"], "a number typed into the number field, nothing into the date field");
});

/** A form whose submit adds `problems` to the session's record (one from before the submit is there already). */
function submitting(
  problems: PageProblem[],
  over: Partial<Record<keyof BrowserSession, unknown>> = {},
): BrowserSession {
  const record: PageProblem[] = [{ kind: "page error", message: "a problem of the start page" }];
  return fakeSession({
    click: async () => void record.push(...problems),
    pageProblems: async () => [...record],
    ...over,
  });
}
const submitPlan: InputPlan = { ...plan, submit: { click: { by: "role", role: "button", name: "Send" } } };

test("after a submit, a request answered 5xx or an uncaught exception since the submit fails the run, naming it", async () => {
  assert.match(
    await verdict(
      submitting([
        { kind: "failed request", message: "500 http://a.test/post", url: "http://a.test/post", status: 500 },
      ]),
      "a",
      submitPlan,
    ),
    /after typing the text into the field labelled "Name" and submitting, http:\/\/a\.test\/post answered 500/,
  );
  assert.match(
    await verdict(submitting([{ kind: "page error", message: "URIError: URI malformed" }]), "a", submitPlan),
    /and submitting, the page's script threw an uncaught error: URIError: URI malformed/,
  );
  // A 404, a console error, the start page's own problem: not this run's failure.
  const ordinary: PageProblem[] = [
    { kind: "failed request", message: "404 http://a.test/x", url: "http://a.test/x", status: 404 },
    { kind: "console error", message: "deprecated" },
  ];
  assert.equal(await verdict(submitting(ordinary), "a", submitPlan), "passed");
});

test("after a submit, a request it started and never got an answer to within the wait fails the run", async () => {
  let since: number | undefined;
  const s = submitting([], {
    settle: async (_ms: number, o?: { waitForRequestsSince?: number }) => {
      if (o?.waitForRequestsSince === undefined) return { quiet: true, open: [] };
      since = o.waitForRequestsSince;
      return { quiet: false, open: ["POST http://a.test/api/slow"], overdue: ["POST http://a.test/api/slow"] };
    },
  });
  assert.match(
    await verdict(s, "a", submitPlan),
    /and submitting, the page still waited for POST http:\/\/a\.test\/api\/slow after 10 ms/,
  );
  assert.ok(since !== undefined, "the settle after the submit waits for the submit's own requests");
});

test("after a submit, an error phrase counts only in text the submit brought; a one-letter text hides nothing", async () => {
  const footer = "Something went wrong? Report a problem";
  const page = (after: string) => {
    let submitted = false;
    return submitting([], {
      click: async () => {
        submitted = true;
      },
      bodyText: async () => (submitted ? after : `Feedback\n${footer}`),
    });
  };
  assert.equal(await verdict(page(`Thanks!\n${footer}`), "a", submitPlan), "passed");
  assert.match(
    await verdict(page(`Something went wrong\n${footer}`), "a", submitPlan),
    /an error page \("something went wrong" in the page\)/,
  );
  assert.match(
    await verdict(page("Internal Server Error"), "e", submitPlan),
    /an error page \("internal server error" in the page\)/,
  );
  assert.match(
    await verdict(page("Server Error (500)"), "a", submitPlan),
    /an error page \("server error" in the page\)/,
  );
  // The visitor's own words quoted back are no error page.
  assert.equal(
    await verdict(page("You wrote: an error occurred here"), "an error occurred here", submitPlan),
    "passed",
  );
});

test("after a submit, an app's route shown as a link's text is no leak; a stack trace's file path is", async () => {
  const html = (body: string) =>
    submitting([], { pageSource: async () => `<html><body>${body}</body></html>`, bodyText: async () => "Thanks" });
  assert.equal(
    await verdict(
      html('<p>Thanks! Your feedback is at <a href="/app/feedback/42">/app/feedback/42</a></p>'),
      "a",
      submitPlan,
    ),
    "passed",
  );
  assert.match(
    await verdict(html("<pre>Error: boom\n    at handler (/srv/app/index.js:12:5)</pre>"), "a", submitPlan),
    /the browser shows a page that shows an internal path: \/srv\/app\/index\.js:12:5/,
  );
  assert.match(
    await verdict(html("<p>failed at /srv/app/index.js:12</p>"), "a", submitPlan),
    /an internal path: \/srv\/app\/index\.js:12/,
  );
});

test("a form sent as a page load whose answer never comes fails the run as the server's answer to the text", async () => {
  const submitting: InputPlan = { ...plan, submit: { click: { by: "role", role: "button", name: "Send" } } };
  const s = fakeSession({
    click: async () => {
      throw new NavigationTimeoutError("http://a.test/save", 15_000);
    },
  });
  assert.match(
    await verdict(s, "abc", submitting),
    /^after typing the text into the field labelled "Name" and submitting, navigation timed out after 15000 ms: http:\/\/a\.test\/save did not finish loading/,
  );
});
