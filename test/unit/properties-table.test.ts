// The | name | value | table reader under property steps: strict rows, case-insensitive names, cells read as lists, numbers, ranges.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { PropertyInputError } from "../../src/properties/errors";
import { cellError, listIn, rangeIn, readTable, wholeNumberIn, type Cell } from "../../src/properties/table";

const KNOWN = ["max actions", "actions", "runs"];

function rejects(fn: () => unknown, ...parts: RegExp[]) {
  assert.throws(fn, (e: Error) => {
    assert.ok(e instanceof PropertyInputError, `expected a PropertyInputError, got ${e.name}: ${e.message}`);
    for (const p of parts) assert.match(e.message, p);
    assert.doesNotMatch(e.message, /\n/, "one line");
    return true;
  });
}

const cell = (value: string, name = "runs", row = 3): Cell => ({ name, value, row });

describe("readTable", () => {
  test("reads rows by lower-cased, space-normalised name, trimming names and values and numbering rows from 1", () => {
    const t = readTable(
      [
        ["  Max   Actions ", " 8 "],
        ["ACTIONS", "visit, refresh"],
      ],
      KNOWN,
      "the counter property",
    );
    assert.deepEqual([...t.keys()], ["max actions", "actions"]);
    assert.deepEqual(t.get("max actions"), { name: "Max   Actions", value: "8", row: 1 });
    assert.deepEqual(t.get("actions"), { name: "ACTIONS", value: "visit, refresh", row: 2 });
    assert.equal(t.has("runs"), false, "a row not given is absent, not defaulted");
  });

  test("a missing or empty table fails naming the step and the names it takes", () => {
    for (const raw of [undefined, []])
      rejects(
        () => readTable(raw, KNOWN, "the counter property"),
        /^the counter property needs a table of \| name \| value \| rows/,
        /names: max actions, actions, runs/,
      );
  });

  test("a row without exactly two cells fails naming the row and its cell count", () => {
    rejects(
      () => readTable([["runs", "5"], ["actions"]], KNOWN, "the step"),
      /^table row 2 has 1 cell\(s\)/,
      /the step expects two per row/,
    );
    rejects(() => readTable([["runs", "5", "extra"]], KNOWN, "the step"), /^table row 1 has 3 cell\(s\)/);
  });

  test("an unknown name fails naming the row, the cell as written and the known names", () => {
    rejects(
      () =>
        readTable(
          [
            ["runs", "5"],
            ["Seeds", "1"],
          ],
          KNOWN,
          "the step",
        ),
      /^table row 2: the cell "Seeds" is not something the step understands; use one of: max actions, actions, runs$/,
    );
  });

  test("a name given twice (in any case) fails naming both rows", () => {
    rejects(
      () =>
        readTable(
          [
            ["runs", "5"],
            ["actions", "visit"],
            ["RUNS", "6"],
          ],
          KNOWN,
          "the step",
        ),
      /^table row 3: "RUNS" is given twice \(first in row 1\)$/,
    );
  });
});

describe("cellError", () => {
  test("names the row, the name and the cell's value", () => {
    const e = cellError(cell("ten", "max actions", 4), "is not a number");
    assert.ok(e instanceof PropertyInputError);
    assert.equal(e.message, 'table row 4 ("max actions"): the cell "ten" is not a number');
  });
});

describe("listIn", () => {
  test("splits on commas and trims each item", () => {
    assert.deepEqual(listIn(cell("visit,  refresh ,go back")), ["visit", "refresh", "go back"]);
    assert.deepEqual(listIn(cell("visit")), ["visit"]);
  });

  test("an empty item (double comma, trailing comma, empty cell) fails naming the cell", () => {
    for (const v of ["visit,,refresh", "visit, ", "", " , visit"])
      rejects(() => listIn(cell(v, "actions", 2)), /^table row 2 \("actions"\): the cell ".*" has an empty item/);
  });
});

describe("wholeNumberIn", () => {
  test("takes a whole number, also written 'up to N' or 'at most N', within the bounds inclusive", () => {
    assert.equal(wholeNumberIn(cell("1"), 1, 10), 1);
    assert.equal(wholeNumberIn(cell("10"), 1, 10), 10);
    assert.equal(wholeNumberIn(cell("Up to 8"), 1, 10), 8);
    assert.equal(wholeNumberIn(cell("at most 3"), 1, 10), 3);
  });

  test("out of bounds, fractions, signs, words and huge numbers fail naming the bounds", () => {
    for (const v of ["0", "11", "2.5", "-3", "+3", "ten", "", "8 runs", "99999999999999999999"])
      rejects(
        () => wholeNumberIn(cell(v), 1, 10),
        /^table row 3 \("runs"\): the cell ".*" is not a whole number from 1 to 10$/,
      );
  });
});

describe("rangeIn", () => {
  test("'A to B', 'A-B', 'A – B', 'up to B' (from the minimum) and 'N' (exactly N)", () => {
    assert.deepEqual(rangeIn(cell("2 to 4"), 1, 10), { min: 2, max: 4 });
    assert.deepEqual(rangeIn(cell("2-4"), 1, 10), { min: 2, max: 4 });
    assert.deepEqual(rangeIn(cell("2 – 4"), 1, 10), { min: 2, max: 4 });
    assert.deepEqual(rangeIn(cell("2 TO 4"), 1, 10), { min: 2, max: 4 });
    assert.deepEqual(rangeIn(cell("up to 5"), 1, 10), { min: 1, max: 5 });
    assert.deepEqual(rangeIn(cell("at most 5"), 1, 10), { min: 1, max: 5 });
    assert.deepEqual(rangeIn(cell("3"), 1, 10), { min: 3, max: 3 });
    assert.deepEqual(rangeIn(cell("1 to 10"), 1, 10), { min: 1, max: 10 }, "bounds are inclusive");
  });

  test("text that is no range fails with an example built from the bounds", () => {
    rejects(() => rangeIn(cell("a few"), 1, 10), /the cell "a few" is not a range like "1 to 3" or "up to 3"$/);
    rejects(
      () => rangeIn(cell("a few"), 2, 3),
      /is not a range like "2 to 3" or "up to 3"$/,
      /^table row 3 \("runs"\)/,
    );
  });

  test("a range outside the bounds or reversed fails naming the bounds", () => {
    for (const v of ["0 to 4", "2 to 11", "5 to 2", "up to 11", "11", "0"])
      rejects(() => rangeIn(cell(v), 1, 10), /^table row 3 \("runs"\): the cell ".*" must be a range within 1 to 10$/);
  });
});
