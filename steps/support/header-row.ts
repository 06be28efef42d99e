// A text check on a row named by its position that fails on a table's header row says so: positions count header rows.
import { ordinalOf, type BrowserSession, type Locator } from "../../src/browser/session";
import { notingAfterTheSentence } from "./failure-note";

/**
 * Whether `el` (a row) is a header row: it has column headers and no other cells. One count per kind of cell, through
 * the port, so both drivers answer by the roles the phrase matches by (a `<th>` of a header row is a columnheader).
 */
async function isHeaderRow(session: BrowserSession, el: Locator): Promise<boolean> {
  const inRow = (role: string) => session.count({ by: "role", role, within: el });
  if ((await inRow("columnheader")) === 0) return false;
  for (const role of ["cell", "gridcell", "rowheader"]) if ((await inRow(role)) > 0) return false;
  return true;
}

/** The hint a failure on the header row gets: `the first row` finds it, as it is the first visible row. */
function headerRowHint(nth: number | "last"): string {
  if (nth === 0) return "(the first row is the table's header row; its data rows start at the second)";
  return `(the ${ordinalOf(nth)} row is a header row of the table, not a data row)`;
}

/**
 * Waits for `waiting`, a check on `el` whose failure sentence `said()` returns. When it fails as the product's (the
 * page answered, and wrongly) and `el` is a row named by its position that is a header row, the hint follows that
 * sentence: `expected the first row to contain "Widget", it shows "Name Price" (the first row is the table's header
 * row; its data rows start at the second) (waited 3000 ms)`. What `the first row` matches stays what it is (ARIA's
 * rows, header rows included: docs/steps.md); only the failure names the near miss. Any other failure is left as is.
 */
export async function notingHeaderRow(
  session: BrowserSession,
  el: Locator,
  said: () => string | undefined,
  waiting: Promise<unknown>,
): Promise<void> {
  // Only a row named by its position alone: with a text filter (`the first row containing "Price"`) or a name, a
  // later position is no fix, as no data row fits it.
  const positionalRow =
    el.by === "role" && el.role === "row" && el.nth !== undefined && el.hasText === undefined && el.name === undefined;
  if (!positionalRow) {
    await waiting;
    return;
  }
  await notingAfterTheSentence(said, waiting, async () =>
    (await isHeaderRow(session, el)) ? ` ${headerRowHint(el.nth!)}` : undefined,
  );
}
