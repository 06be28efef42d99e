// A check that fails gets a note after its sentence (the page's text for a count, a header row for a row by position); other failures are left as they are.
import { test } from "node:test";
import assert from "node:assert/strict";
import type { BrowserSession, Locator } from "../../src/browser/session";
import { LocatorTimeoutError } from "../../src/browser/session";
import { SignoffAssertionError } from "../../src/core/errors";
import { notingHeaderRow } from "../../steps/support/header-row";
import { quotingThePage } from "../../steps/support/page-quote";

const items: Locator = { by: "role", role: "listitem", within: { by: "role", role: "list", name: "Products" } };
const sessionShowing = (body: () => Promise<string>) => ({ bodyText: body }) as unknown as BrowserSession;
const sentence = 'expected 4 of the list item in the list named "Products", found 0';

test("the product's failure gets the page's text after its sentence, before how long it waited", async () => {
  const session = sessionShowing(async () => "Home\n  Products\nCould not load products");
  const failing = Promise.reject(new SignoffAssertionError(`${sentence} (waited 5000 ms)`));
  await assert.rejects(
    quotingThePage(session, items, () => sentence, failing),
    (err: unknown) => {
      assert.ok(err instanceof SignoffAssertionError);
      assert.equal(err.message, `${sentence}; the page shows "Home Products Could not load products" (waited 5000 ms)`);
      assert.match(err.stack ?? "", /^AssertionError: expected 4 .*; the page shows "Home Products/);
      return true;
    },
  );
});

test("a long page is quoted as I should see quotes it: around the words the phrase looks for", async () => {
  const filler = "Menu item ".repeat(40);
  const session = sessionShowing(async () => `${filler}Milk is out of stock ${filler}`);
  const milk: Locator = { by: "role", role: "listitem", hasText: "Milk" };
  const said = 'expected 1 of the list item containing "Milk", found 0';
  const failing = Promise.reject(new SignoffAssertionError(`${said} (waited 5000 ms)`));
  await assert.rejects(
    quotingThePage(session, milk, () => said, failing),
    (err: unknown) => {
      assert.match(
        (err as Error).message,
        /; the page shows "….*Milk is out of stock.*…" \(\d+ characters\) \(waited 5000 ms\)$/,
      );
      return true;
    },
  );
});

test("another kind of failure, or a page that cannot be read by then, is left as it was; a pass reads nothing", async () => {
  let reads = 0;
  const session = sessionShowing(async () => {
    reads++;
    return "Anything";
  });
  const timeout = new LocatorTimeoutError(items, 5000);
  await assert.rejects(
    quotingThePage(session, items, () => sentence, Promise.reject(timeout)),
    (err) => err === timeout && !timeout.message.includes("the page shows"),
  );
  assert.equal(reads, 0);
  const unreadable = sessionShowing(async () => {
    throw new Error("the page is gone");
  });
  const failure = new SignoffAssertionError(`${sentence} (waited 5000 ms)`);
  await assert.rejects(
    quotingThePage(unreadable, items, () => sentence, Promise.reject(failure)),
    (err) => {
      assert.equal((err as Error).message, `${sentence} (waited 5000 ms)`);
      return true;
    },
  );
  await quotingThePage(session, items, () => undefined, Promise.resolve(4));
  assert.equal(reads, 0);
});

test("a failure on a row named by its position says so when that row is the table's header row, and only then", async () => {
  const counts: Record<string, number> = { columnheader: 3, cell: 0, gridcell: 0, rowheader: 0 };
  const session = {
    count: async (l: Locator) => (l.by === "role" ? (counts[l.role] ?? 0) : 0),
  } as unknown as BrowserSession;
  const said = 'expected the first row to contain "Widget", it shows "Name Price"';
  const failing = () => Promise.reject(new SignoffAssertionError(`${said} (waited 3000 ms)`));
  const firstRow: Locator = { by: "role", role: "row", nth: 0 };
  const messageOf = async (row: Locator) =>
    notingHeaderRow(session, row, () => said, failing()).then(
      () => assert.fail("the check passed"),
      (err: Error) => err.message,
    );
  assert.equal(
    await messageOf(firstRow),
    `${said} (the first row is the table's header row; its data rows start at the second) (waited 3000 ms)`,
  );
  // With a text filter a later position is no fix; a data row (it has cells) is no near miss.
  assert.equal(await messageOf({ ...firstRow, hasText: "Price" }), `${said} (waited 3000 ms)`);
  counts.cell = 2;
  assert.equal(await messageOf(firstRow), `${said} (waited 3000 ms)`);
});
