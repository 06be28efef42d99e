// A check that a table's cell is absent counts only when its column is there: a misspelt column finds no cell on any page.
import { describeLocator, type Locator } from "../../src/browser/session";
import { nameContains } from "../../src/core/name-match";
import { TestDefinitionError } from "../../src/core/errors";
import type { SignoffWorld } from "./world";

/** How many header names a message lists: enough to spot the right spelling, short enough for one line. */
const HEADERS_SHOWN = 12;

/** The columns a phrase names, at any of its levels. */
function columnsOf(el: Locator): Array<Locator & { by: "column" }> {
  const out: Array<Locator & { by: "column" }> = [];
  for (let level: Locator | undefined = el; level; level = level.within) if (level.by === "column") out.push(level);
  return out;
}

/**
 * Where a column was seen: the page's URL, the column's name and the containers the phrase names it in other than
 * rows (a row is often the very thing gone: `of the row containing "Blue Mug"` and a count of the column's cells
 * name the same column of the same table).
 */
async function seenKey(world: SignoffWorld, level: Locator & { by: "column" }): Promise<string> {
  const tables: Locator[] = [];
  for (let c = level.within; c; c = c.within) if (!isRow(c)) tables.push({ ...c, within: undefined });
  return JSON.stringify([await world.session.url(), level.column, tables]);
}

/** A step found cells by the phrase: its columns were there, on this page (a later check may see their table gone). */
export async function columnsFound(world: SignoffWorld, el: Locator): Promise<void> {
  for (const level of columnsOf(el)) world.columnsSeen.add(await seenKey(world, level));
}

/**
 * Fails the check (a test defect) when a column the phrase names, at any of its levels, has no header where its cells
 * are looked for (headersWhere), so that a check that a cell is absent can fail at all. No table there at all is no
 * defect for a column a step of this scenario found on this page, where the phrase names it (in the same table, or
 * section): a page drops its table with its last row ("Your cart is empty"); a misspelt column or table was never
 * seen.
 */
export async function refuseUnknownColumn(world: SignoffWorld, el: Locator): Promise<void> {
  for (const level of columnsOf(el)) {
    const column = level.column;
    const { headers, onPage } = await headersWhere(world, level.within);
    if (headers.some((h) => nameContains(h, column))) {
      world.columnsSeen.add(await seenKey(world, level));
      continue;
    }
    if (headers.length === 0 && world.columnsSeen.has(await seenKey(world, level))) continue;
    const unique = [...new Set(headers)].filter((h) => h !== ""); // a header of an icon only names nothing
    const shown = unique.slice(0, HEADERS_SHOWN).map((h) => `"${h}"`);
    const more = unique.length - shown.length;
    const where = onPage ? "on the page" : "there";
    throw new TestDefinitionError(
      `cannot tell whether ${describeLocator(el)} shows: there is no "${column}" column: ` +
        (shown.length === 0
          ? `no table ${where} has column headers (a table the page dropped counts no cells only for a column a ` +
            `step of this scenario found in it while it showed)`
          : `the column headers are ${shown.join(", ")}${more > 0 ? ` and ${more} more` : ""}`),
    );
  }
}

const isRow = (loc: Locator): boolean => loc.by === "role" && loc.role === "row";

/**
 * The column headers where a column's cells are looked for: the tables at its container (a row's own table, a table
 * named, the tables in a section), or the page's. A row that is not there (often the point of the check: the row was
 * deleted) has no table: its own container's tables then, or the page's.
 */
async function headersWhere(
  world: SignoffWorld,
  within: Locator | undefined,
): Promise<{ headers: string[]; onPage: boolean }> {
  if (!within) return { headers: await world.session.columnHeaders(), onPage: true };
  const there = await world.session.columnHeaders(within);
  if (there.length > 0 || !isRow(within)) return { headers: there, onPage: false };
  return { headers: await world.session.columnHeaders(within.within), onPage: !within.within };
}
