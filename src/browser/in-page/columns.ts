// Tables as a reader sees them (runs in the page): the columns each cell spans and the headers over them, native <table> or ARIA grid alike.
//
// No library maps a cell to its column header (dom-accessibility-api names elements; the HTML table model is not
// exposed by the DOM), so this follows the HTML table algorithm as far as a reader's view of it goes: a cell takes
// the first column a cell above does not still cover (rowspan), and as many columns as its colspan says (ARIA's
// aria-colspan, aria-rowspan and aria-colindex likewise). A header row is a row of column headers (th, or role
// columnheader), empty cells allowed (a table's top-left corner), or any row of a <thead>; a header names every
// column it spans.
import { accessibleName } from "./accessible-name";

/** The columns a cell takes, from `from` up to (not including) `to`, counting from 0. */
interface Span {
  from: number;
  to: number;
}

/** One table's layout, read once per look at the page. */
interface TableLayout {
  spans: Map<Element, Span>;
  /** The cells of its header rows. */
  headerCells: Set<Element>;
  /** The header rows' headers, each with its name and the columns it spans. */
  headers: Array<Span & { name: string }>;
}

/** Tables laid out during one look at the page (a layout is read once per table and look). */
export type TableLook = Map<Element, TableLayout>;

const ARIA_TABLE = '[role="table"], [role="grid"], [role="treegrid"]';
const ARIA_ROW = '[role="row"]';
const ARIA_CELL = '[role="cell"], [role="gridcell"], [role="columnheader"], [role="rowheader"]';

const explicitRole = (el: Element): string => (el.getAttribute("role") ?? "").trim().split(/\s+/)[0];
const isNativeCell = (el: Element): boolean =>
  (el.localName === "td" || el.localName === "th") && el.parentElement?.localName === "tr";

/** The row a cell is in and the table that row is in; null for an element that is no table cell. */
function rowAndTable(cell: Element): { row: Element; table: Element } | null {
  if (isNativeCell(cell)) {
    const row = cell.parentElement as Element;
    const table = row.closest("table");
    return table ? { row, table } : null;
  }
  if (!cell.matches(ARIA_CELL)) return null;
  const row = cell.parentElement?.closest(ARIA_ROW);
  const table = row?.parentElement?.closest(ARIA_TABLE);
  return row && table ? { row, table } : null;
}

function rowsOf(table: Element): Element[] {
  if (table instanceof HTMLTableElement) return Array.from(table.rows);
  return Array.from(table.querySelectorAll(ARIA_ROW)).filter((r) => r.parentElement?.closest(ARIA_TABLE) === table);
}

function cellsOf(row: Element): Element[] {
  if (row instanceof HTMLTableRowElement) return Array.from(row.cells);
  return Array.from(row.querySelectorAll(ARIA_CELL)).filter((c) => c.parentElement?.closest(ARIA_ROW) === row);
}

/** Where rowspans end: a native row's row group (thead, tbody, tfoot), an ARIA row's rowgroup. */
const groupOf = (row: Element): Element | null =>
  row instanceof HTMLTableRowElement ? row.parentElement : (row.parentElement?.closest('[role="rowgroup"]') ?? null);

function isColumnHeader(cell: Element): boolean {
  const role = explicitRole(cell);
  if (role) return role === "columnheader";
  const scope = (cell.getAttribute("scope") ?? "").toLowerCase();
  return cell.localName === "th" && scope !== "row" && scope !== "rowgroup";
}

const isEmpty = (cell: Element): boolean =>
  (cell.textContent ?? "").trim() === "" && cell.querySelector("img, svg, input, select, textarea, button") === null;

const spanAttribute = (cell: Element, name: string): number => {
  const n = Number.parseInt(cell.getAttribute(name) ?? "", 10);
  return Number.isFinite(n) ? n : 1;
};

function layOut(table: Element): TableLayout {
  const spans = new Map<Element, Span>();
  const headerCells = new Set<Element>();
  const headers: TableLayout["headers"] = [];
  /** For each column, how many more rows a cell above still covers. */
  let covered: number[] = [];
  let group: Element | null | undefined;
  for (const row of rowsOf(table)) {
    if (groupOf(row) !== group) {
      group = groupOf(row);
      covered = [];
    }
    const cells = cellsOf(row);
    const headerRow =
      row.parentElement?.localName === "thead" ||
      (cells.some(isColumnHeader) && cells.every((c) => isColumnHeader(c) || isEmpty(c)));
    let col = 0;
    for (const cell of cells) {
      while ((covered[col] ?? 0) > 0) col++;
      const index = Number.parseInt(cell.getAttribute("aria-colindex") ?? "", 10);
      if (index >= 1) col = index - 1;
      const native = cell instanceof HTMLTableCellElement;
      const across = Math.max(1, native ? cell.colSpan : spanAttribute(cell, "aria-colspan"));
      const down = native ? cell.rowSpan : spanAttribute(cell, "aria-rowspan");
      const span = { from: col, to: col + across };
      spans.set(cell, span);
      // rowspan="0": to the end of the row group.
      for (let c = span.from; c < span.to; c++) covered[c] = Math.max(covered[c] ?? 0, down === 0 ? Infinity : down);
      if (headerRow) {
        headerCells.add(cell);
        if (!isEmpty(cell)) headers.push({ ...span, name: headerName(cell) });
      }
      col = span.to;
    }
    covered = covered.map((n) => Math.max(0, n - 1));
  }
  return { spans, headerCells, headers };
}

/**
 * A column header's name: its accessible name, or, for a header the page hides (a column a phone layout drops, a
 * hidden <thead>), the name it would show: its column is still there, its cells hidden with it.
 */
function headerName(cell: Element): string {
  const shown = (cell as Element & { checkVisibility?: () => boolean }).checkVisibility?.() ?? true;
  // A header that shows and names nothing (its only text hidden: an icon's label) names no column.
  return accessibleName(cell) || (shown ? "" : accessibleName(cell, true));
}

function layoutOf(table: Element, look: TableLook): TableLayout {
  let layout = look.get(table);
  if (!layout) {
    layout = layOut(table);
    look.set(table, layout);
  }
  return layout;
}

/**
 * Where a cell is: whether it is in a header row, and the names of the column headers over the columns it spans;
 * null for an element that is no table cell.
 */
export function cellPlace(el: Element, look: TableLook): { header: boolean; names: string[] } | null {
  const at = rowAndTable(el);
  if (!at) return null;
  const layout = layoutOf(at.table, look);
  const span = layout.spans.get(el);
  if (!span) return null;
  return {
    header: layout.headerCells.has(el),
    names: layout.headers.filter((h) => h.from < span.to && span.from < h.to).map((h) => h.name),
  };
}

/**
 * The tables at `scopes`: the table each is in (or is), shown or not (a <tbody> or rowgroup holds no headers of its
 * own: its table's <thead> has them), and the tables inside it that `count`; without scopes, the document's tables
 * that `count`.
 */
export function tablesAround(scopes: Element[] | null, count: (table: Element) => boolean): Element[] {
  const selector = `table, ${ARIA_TABLE}`;
  if (scopes === null) return Array.from(document.querySelectorAll(selector)).filter(count);
  const found = new Set<Element>();
  for (const s of scopes) {
    const outer = s.closest(selector);
    if (outer) found.add(outer);
    for (const t of Array.from(s.querySelectorAll(selector))) if (count(t)) found.add(t);
  }
  return [...found];
}

/** The names of a table's column headers, in column order. */
export function headerNamesOf(table: Element, look: TableLook): string[] {
  return [...layoutOf(table, look).headers].sort((a, b) => a.from - b.from).map((h) => h.name);
}
