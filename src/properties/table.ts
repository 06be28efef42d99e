// The two-column tables under property steps (| name | value |): parsed strictly, errors name the cell.
import { PropertyInputError } from "./errors";

export interface Cell {
  /** The row's name, as written (lower-cased for lookup). */
  name: string;
  value: string;
  /** 1-based row number in the step's table. */
  row: number;
}

/** "row 3 (max actions): the cell "ten" is not ..." */
export function cellError(cell: Cell, problem: string): PropertyInputError {
  return new PropertyInputError(`table row ${cell.row} ("${cell.name}"): the cell "${cell.value}" ${problem}`);
}

/**
 * Reads a | name | value | table. Names are matched case-insensitively against `known`;
 * an unknown name, a repeated name or a row without exactly two cells fails naming the row.
 */
export function readTable(
  raw: readonly (readonly string[])[] | undefined,
  known: readonly string[],
  stepWhat: string,
): Map<string, Cell> {
  const out = new Map<string, Cell>();
  if (!raw || raw.length === 0) {
    throw new PropertyInputError(
      `${stepWhat} needs a table of | name | value | rows below the step (names: ${known.join(", ")})`,
    );
  }
  raw.forEach((cells, i) => {
    const row = i + 1;
    if (cells.length !== 2) {
      throw new PropertyInputError(
        `table row ${row} has ${cells.length} cell(s); ${stepWhat} expects two per row: | name | value |`,
      );
    }
    const name = cells[0].trim();
    const key = name.toLowerCase().replace(/\s+/g, " ");
    const cell: Cell = { name, value: cells[1].trim(), row };
    if (!known.includes(key)) {
      throw new PropertyInputError(
        `table row ${row}: the cell "${name}" is not something ${stepWhat} understands; use one of: ${known.join(", ")}`,
      );
    }
    if (out.has(key))
      throw new PropertyInputError(`table row ${row}: "${name}" is given twice (first in row ${out.get(key)!.row})`);
    out.set(key, cell);
  });
  return out;
}

/** A comma-separated list in one cell: "visit, refresh, go back". */
export function listIn(cell: Cell): string[] {
  const items = cell.value.split(",").map((s) => s.trim());
  if (items.some((s) => s === "")) throw cellError(cell, "has an empty item in its comma-separated list");
  return items;
}

/** A whole number within bounds, e.g. "8"; "up to 8" is accepted too. */
export function wholeNumberIn(cell: Cell, min: number, max: number): number {
  const m = /^(?:up to |at most )?(\d+)$/i.exec(cell.value);
  const n = m ? Number(m[1]) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max)
    throw cellError(cell, `is not a whole number from ${min} to ${max}`);
  return n;
}

/** "2 to 4", "up to 4" (= min to 4), or "3" (exactly 3). */
export function rangeIn(cell: Cell, min: number, max: number): { min: number; max: number } {
  const v = cell.value.trim();
  let m = /^(\d+)\s*(?:to|-|–)\s*(\d+)$/i.exec(v);
  let lo: number;
  let hi: number;
  if (m) {
    lo = Number(m[1]);
    hi = Number(m[2]);
  } else if ((m = /^(?:up to|at most)\s+(\d+)$/i.exec(v))) {
    lo = min;
    hi = Number(m[1]);
  } else if ((m = /^(\d+)$/.exec(v))) {
    lo = hi = Number(m[1]);
  } else {
    throw cellError(
      cell,
      `is not a range like "${min} to ${Math.min(max, min + 2)}" or "up to ${Math.min(max, min + 2)}"`,
    );
  }
  if (lo < min || hi > max || lo > hi) throw cellError(cell, `must be a range within ${min} to ${max}`);
  return { min: lo, max: hi };
}
