// The typing property's start: a field the scenario's steps showed and the reload hid says the page was loaded again and what to write instead; any other failure is its own.
import { test } from "node:test";
import assert from "node:assert/strict";
import { BrowserCrashedError, LocatorTimeoutError, type BrowserSession } from "../../src/browser/session";
import { typingPageOpener } from "../../src/properties/text-input";

const field = { by: "label", text: "Card number" } as const;
const URL = "http://127.0.0.1:4300/checkout";

/** A page where the field shows (isVisible) as `shownBefore` says, and valueOf answers each load as `loads` says in turn. */
function page(shownBefore: boolean, loads: Array<Error | "ok">) {
  const calls: string[] = [];
  const session = {
    isVisible: async () => (calls.push("isVisible"), shownBefore),
    goto: async (url: string) => void calls.push(`goto ${url}`),
    valueOf: async () => {
      calls.push("valueOf");
      const next = loads.shift();
      if (next instanceof Error) throw next;
      return "";
    },
  } as unknown as BrowserSession;
  return { session, calls };
}

const hidden = () => new LocatorTimeoutError(field, 5000, "to be visible", "1 element matches but it is hidden");

test("a field shown before the first load and hidden after it: its own error type, the first line saying the page was loaded again and naming the start rows", async () => {
  const { session, calls } = page(true, [hidden()]);
  await assert.rejects(typingPageOpener(() => session, URL, field)(), (e: unknown) => {
    assert.ok(e instanceof LocatorTimeoutError);
    assert.equal(e.message.split("\n").length, 1);
    assert.match(
      e.message,
      /^timed out after 5000 ms waiting for the field labelled "Card number" to be visible: 1 element matches but it is hidden — each run of this property loads http:\/\/127\.0\.0\.1:4300\/checkout again, which loses what the scenario's steps did on the page: the field labelled "Card number" showed before the first run's load; .*"these checks should hold after any sequence of these actions:" with a \| start \| row opening the page and \| and \| rows repeating those steps, and an \| action \| row typing "\{any text up to 50 characters\}" into the field \(\S*docs\/steps\.md\)$/,
    );
    return true;
  });
  assert.deepEqual(calls, ["isVisible", `goto ${URL}`, "valueOf"], "one look before the first load, none after");
});

test("a field that was not shown before either, a start that already worked once, or the environment failing: the error as it is", async () => {
  const notShown = hidden();
  await assert.rejects(typingPageOpener(() => page(false, [notShown]).session, URL, field)(), (e) => e === notShown);

  const later = hidden();
  const { session, calls } = page(true, ["ok", later]);
  const start = typingPageOpener(() => session, URL, field);
  await start();
  await assert.rejects(start(), (e) => e === later && !later.message.includes("loads http"));
  assert.equal(calls.filter((c) => c === "isVisible").length, 1);

  const crash = new BrowserCrashedError("gone");
  await assert.rejects(typingPageOpener(() => page(true, [crash]).session, URL, field)(), (e) => e === crash);
  assert.equal(crash.message, "browser crashed: gone");
});
