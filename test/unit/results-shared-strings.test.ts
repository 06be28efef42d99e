// One copy of each repeated string and tag list per load: shared values are the same, and a shared list cannot be changed.
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { SharedStrings } from "../../src/results/shared-strings";
import { parseResultsIndex } from "../../src/results/results-index";
import type { ScenarioResult } from "../../src/core/results-model";

// Which copy of a string comes back is not observable from JavaScript (the bench measures it): only the value is.
test("a string comes back with its value; anything but a string passes through unchanged", () => {
  const t = new SharedStrings();
  const first = ["features/a.feature", "one"].join(" › ");
  assert.equal(t.string(first), "features/a.feature › one");
  assert.equal(t.string(["features/a.feature", "one"].join(" › ")), "features/a.feature › one");
  assert.equal(t.string(7), 7);
  assert.equal(t.string(null), null);
  assert.equal(t.string(undefined), undefined);
  const obj = { x: 1 };
  assert.equal(t.string(obj), obj);
});

test("tag lists: one frozen list and its requirement ids per distinct list and prefix", () => {
  const t = new SharedStrings();
  const a = t.tags(["@REQ-1", "@smoke"], "REQ-");
  assert.deepEqual(a, { tags: ["@REQ-1", "@smoke"], requirements: ["REQ-1"] });
  assert.equal(t.tags(["@REQ-1", "@smoke"], "REQ-"), a);
  assert.ok(Object.isFrozen(a.tags) && Object.isFrozen(a.requirements));
  assert.throws(() => a.tags.push("@x"), TypeError);
  // Another prefix, another order, or two tags that would join into one: each its own lists.
  assert.deepEqual(t.tags(["@REQ-1", "@smoke"], "smo").requirements, ["smoke"]);
  assert.notEqual(t.tags(["@smoke", "@REQ-1"], "REQ-"), a);
  assert.deepEqual(t.tags(["@a", "@b"], "REQ-").tags, ["@a", "@b"]);
  assert.deepEqual(t.tags(["@a\n@b"], "REQ-").tags, ["@a\n@b"]);
  assert.deepEqual(t.tags(['@a","@b'], "REQ-").tags, ['@a","@b']);
});

test("hints: a hint equal to the value is what comes back, one that differs changes nothing", () => {
  const t = new SharedStrings();
  const first = t.string(["a", "b"].join(" › "));
  assert.equal(t.string("a › b", "a › c"), first);
  assert.equal(t.string("a › b", first), "a › b");
  const lists = t.tags(["@REQ-1"], "REQ-");
  // A hint with the same tags is the lists given; one with other tags (even a prefix of them) is not taken.
  assert.equal(t.tags(["@REQ-1"], "REQ-", lists), lists);
  assert.deepEqual(t.tags(["@REQ-1", "@x"], "REQ-", lists).tags, ["@REQ-1", "@x"]);
  assert.deepEqual(t.tags([], "REQ-", lists), { tags: [], requirements: [] });
});

test("like: scenario i of the results remembered last, only under the same requirement prefix", () => {
  const t = new SharedStrings();
  assert.equal(t.like(0, "REQ-"), undefined);
  const scenarios = [{ key: "k0" }, { key: "k1" }] as unknown as ScenarioResult[];
  t.remember("REQ-", scenarios);
  assert.equal(t.like(1, "REQ-"), scenarios[1]);
  assert.equal(t.like(2, "REQ-"), undefined);
  assert.equal(t.like(1, "TICKET-"), undefined, "requirements under another prefix are other lists");
});

// The hints are only a shortcut: an index parsed after others with one table is what it is parsed alone.
test("property: an index parsed after another with the same table equals the index parsed alone, under any prefixes", () => {
  const scenario = fc.record({
    key: fc.constantFrom("f.feature › a", "f.feature › b", "g.feature › a", "g.feature › c"),
    uri: fc.constantFrom("f.feature", "g.feature"),
    feature: fc.constantFrom("F", "G"),
    name: fc.constantFrom("a", "b", "c"),
    tags: fc.array(fc.constantFrom("@REQ-1", "@REQ-2", "@TICKET-1", "@smoke"), { maxLength: 3 }),
    status: fc.constantFrom("passed", "failed", "skipped"),
  });
  const index = (target: string, scenarios: object[]) =>
    Buffer.from(
      [
        {
          format: "signoff/results-index@3",
          target,
          complete: true,
          success: true,
          scenarios: scenarios.length,
          notRun: 0,
          sources: {},
        },
        ...scenarios.map((s) => ({ line: 3, attempts: 1, flaky: false, durationMs: 1, ...s })),
        { end: scenarios.length },
      ]
        .map((l) => JSON.stringify(l))
        .join("\n") + "\n",
    );
  const prefix = fc.constantFrom("REQ-", "TICKET-");
  fc.assert(
    fc.property(
      fc.array(fc.tuple(fc.array(scenario, { maxLength: 6 }), prefix), { minLength: 1, maxLength: 4 }),
      (indexes) => {
        const shared = new SharedStrings();
        indexes.forEach(([scenarios, requirementTagPrefix], i) => {
          const bytes = index(`t${i}`, scenarios);
          const withHints = parseResultsIndex(bytes, "x", "x", { shared, requirementTagPrefix });
          const alone = parseResultsIndex(bytes, "x", "x", { requirementTagPrefix });
          assert.deepEqual(withHints, alone);
        });
      },
    ),
  );
});
