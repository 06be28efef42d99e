// pageItems: a list read at one look per element; one the page shrinks under the read is looked at again, never waited on.
import { test } from "node:test";
import assert from "node:assert/strict";
import type { Locator, ShownText } from "../../src/browser/session";
import { pageItems } from "../../steps/support/page-items";

const rows: Locator = { by: "column", column: "Order" };

/** A page whose list is `counted` long when counted and `shown` when its elements are read. */
function page(counted: number, shown: string[]) {
  const read: number[] = [];
  return {
    read,
    session: {
      count: async () => counted,
      shownText: async (l: Locator): Promise<ShownText> => {
        const i = l.nth as number;
        read.push(i);
        return i < shown.length ? { shows: shown[i] } : { absent: "there are only 4 matches" };
      },
    },
  };
}

test("the texts of every element counted, in order, each read once", async () => {
  const p = page(3, ["1001", "1002", "1003"]);
  assert.deepEqual(await pageItems(p.session, rows), ["1001", "1002", "1003"]);
  assert.deepEqual(p.read, [0, 1, 2]);
});

test("an element counted, then gone before its read (QA13 #2): undefined at once, to look again", async () => {
  const p = page(5, ["1001", "1002", "1003", "1004"]);
  assert.equal(await pageItems(p.session, rows), undefined);
  assert.deepEqual(p.read, [0, 1, 2, 3, 4]);
});

test("an empty list is no items", async () => {
  assert.deepEqual(await pageItems(page(0, []).session, rows), []);
});
