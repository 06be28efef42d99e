// A check that a table's cell is absent counts only when its column is there: a misspelt column finds no cell on any page.
import { describeLocator, type Locator } from "../../src/browser/session";
import { nameContains } from "../../src/core/name-match";
import { TestDefinitionError } from "../../src/core/errors";
import type { SignoffWorld } from "./world";

/** How many header names a message lists: enough to spot the right spelling, short enough for one line. */
const HEADERS_SHOWN = 12;

/**
 * Fails the check (a test defect) when a column the phrase names, at any of its levels, has no header in the tables
 * where the row phrase's own container is (`… of the row containing "x" in the "Invoices" table`), or on the page.
 */
export async function refuseUnknownColumn(world: SignoffWorld, el: Locator): Promise<void> {
  for (let level: Locator | undefined = el; level; level = level.within) {
    if (level.by !== "column") continue;
    const column = level.column;
    const headers = await world.session.columnHeaders(level.within?.within);
    if (headers.some((h) => nameContains(h, column))) continue;
    const unique = [...new Set(headers)];
    const shown = unique.slice(0, HEADERS_SHOWN).map((h) => `"${h}"`);
    const more = unique.length - shown.length;
    const where = level.within?.within ? "there" : "on the page";
    throw new TestDefinitionError(
      `cannot tell whether ${describeLocator(el)} shows: there is no "${column}" column: ` +
        (shown.length === 0
          ? `no table ${where} has column headers`
          : `the column headers are ${shown.join(", ")}${more > 0 ? ` and ${more} more` : ""}`),
    );
  }
}
