// Property step tables: every malformed cell fails the step with a message naming the row and the cell.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as fc from "fast-check";
import { parseCounterPlan } from "../../src/properties/counter-model";
import { PropertyInputError } from "../../src/properties/errors";
import { parseRequestShape } from "../../src/properties/http-shapes";
import { parseInputPlan } from "../../src/properties/text-input";
import { parseElementPhrase } from "../../src/core/element-phrase";

function rejects(fn: () => unknown, ...parts: RegExp[]) {
  assert.throws(fn, (e: Error) => {
    assert.ok(e instanceof PropertyInputError, `expected a PropertyInputError, got ${e.name}: ${e.message}`);
    for (const p of parts) assert.match(e.message, p);
    assert.doesNotMatch(String(e.stack), /\n\s+at /, "no stack trace in what Cucumber shows");
    return true;
  });
}

describe("the page-load counting table", () => {
  test("reads actions, limits and the other page", () => {
    const plan = parseCounterPlan([
      ["actions", "visit, refresh, go back, New Visitor, other page, visitors at once"],
      ["max actions", "6"],
      ["visitors at once", "2 to 4"],
      ["other page", "/about"],
    ]);
    assert.deepEqual(plan, {
      actions: ["visit", "refresh", "go back", "new visitor", "other page", "visitors at once"],
      maxActions: 6,
      atOnce: { min: 2, max: 4 },
      otherPage: "/about",
    });
  });

  test("malformed cells are named", () => {
    rejects(
      () => parseCounterPlan([["actions", "visit, teleport"]]),
      /table row 1 \("actions"\)/,
      /"visit, teleport"/,
      /"teleport"/,
    );
    rejects(
      () =>
        parseCounterPlan([
          ["actions", "visit"],
          ["max actions", "ten"],
        ]),
      /table row 2 \("max actions"\): the cell "ten" is not a whole number/,
    );
    rejects(
      () =>
        parseCounterPlan([
          ["actions", "visit"],
          ["visitors at once", "lots"],
        ]),
      /row 2 \("visitors at once"\): the cell "lots"/,
    );
    rejects(
      () =>
        parseCounterPlan([
          ["actions", "visit"],
          ["visitors at once", "1 to 3"],
        ]),
      /range within 2 to 50/,
    );
    rejects(() => parseCounterPlan([["actions", "visit, other page"]]), /no \| other page \|/);
    rejects(
      () =>
        parseCounterPlan([
          ["actions", "visit"],
          ["speed", "fast"],
        ]),
      /table row 2: the cell "speed" is not something/,
    );
    rejects(() => parseCounterPlan([["actions", "visit", "extra"]]), /table row 1 has 3 cell\(s\)/);
    rejects(
      () =>
        parseCounterPlan([
          ["actions", "visit"],
          ["actions", "refresh"],
        ]),
      /given twice \(first in row 1\)/,
    );
    rejects(() => parseCounterPlan([["max actions", "3"]]), /needs an "actions" row/);
    rejects(() => parseCounterPlan(undefined), /needs a table/);
  });
});

describe("the request shape table", () => {
  test("generates requests of the described shapes", () => {
    const shape = parseRequestShape([
      ["method", "GET, POST"],
      ["path", "/feedback, any path under /api"],
      ["query", "any query string"],
      ["headers", "any value of Accept-Language"],
      ["body", "any JSON up to 200 bytes"],
      ["time limit", "1.5 s"],
    ]);
    assert.equal(shape.timeLimitMs, 1500);
    for (const r of fc.sample(shape.arbitrary, { seed: 1, numRuns: 200 })) {
      assert.ok(["GET", "POST"].includes(r.method));
      assert.ok(r.path === "/feedback" || r.path.startsWith("/api/"), r.path);
      assert.ok(r.query === "" || r.query.startsWith("?"));
      assert.equal(r.headers.length, 1);
      assert.equal(r.headers[0][0], "Accept-Language");
      if (r.body) {
        assert.equal(r.method, "POST", "GET carries no body");
        assert.ok(Buffer.byteLength(r.body.text!) <= 200);
      }
      assert.match(r.path + r.query, /^[\x21-\x7e]*$/, "only what may stand raw in a request line");
    }
  });

  test("malformed cells are named", () => {
    rejects(
      () => parseRequestShape([["body", "any blob up to 2 KB"]]),
      /table row 1 \("body"\): the cell "any blob up to 2 KB" is not a body shape/,
    );
    rejects(() => parseRequestShape([["method", "GET, G E T"]]), /row 1 \("method"\)/, /"G E T"/);
    rejects(() => parseRequestShape([["path", "about"]]), /row 1 \("path"\)/, /"about"/);
    rejects(() => parseRequestShape([["path", "/a?b=1"]]), /no query/);
    rejects(() => parseRequestShape([["query", "some"]]), /row 1 \("query"\): the cell "some"/);
    rejects(() => parseRequestShape([["headers", "any value of Content-Length"]]), /frames the request itself/);
    rejects(
      () => parseRequestShape([["time limit", "soon"]]),
      /row 1 \("time limit"\): the cell "soon" is not a time limit/,
    );
    rejects(() => parseRequestShape([["body", "any text up to 9 MB"]]), /the limit is 4 MB/);
  });
});

describe("the typing table", () => {
  test("reads the text shape, the submit element and extra error phrases", () => {
    const plan = parseInputPlan(
      [
        ["text", "any ASCII text of 2 to 5 characters"],
        ["submit with", `the "Send feedback" button`],
        ["error page shows", "Oops, Whoops"],
      ],
      parseElementPhrase,
    );
    assert.deepEqual(plan.submit, { click: { by: "role", role: "button", name: "Send feedback" } });
    assert.deepEqual(plan.errorPhrases, ["Oops", "Whoops"]);
    for (const t of fc.sample(plan.text, { seed: 3, numRuns: 100 })) assert.match(t, /^[\x20-\x7e]{2,5}$/);
    assert.deepEqual(parseInputPlan([["submit with", "pressing Enter"]], parseElementPhrase).submit, {
      press: "Enter",
    });
  });

  test("generated text is typable: no control, surrogate or private-use characters", () => {
    const plan = parseInputPlan([["text", "any text up to 200 characters"]], parseElementPhrase);
    for (const t of fc.sample(plan.text, { seed: 5, numRuns: 300 })) {
      assert.ok(t.length <= 200);
      assert.doesNotMatch(t, /[\u0000-\u001f\u007f-\u009f\ud800-\uf8ff]/);
    }
  });

  test("malformed cells are named", () => {
    rejects(
      () => parseInputPlan([["text", "any poem"]], parseElementPhrase),
      /table row 1 \("text"\): the cell "any poem" is not a text shape/,
    );
    rejects(() => parseInputPlan([["text", "any text of 9 to 3 characters"]], parseElementPhrase), /9 to 3/);
    rejects(
      () => parseInputPlan([["submit with", "the big red thing"]], parseElementPhrase),
      /row 1 \("submit with"\): the cell "the big red thing" is neither an element/,
    );
  });
});
