// The model of a list's items: effects of actions, and how the page's items are compared with it.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { applyEffect, compareWithModel, entryOf } from "../../src/properties/collection-model";
import { parseSequencePlan, resolveAction } from "../../src/properties/step-sequences";

describe("applyEffect", () => {
  const named = new Map([["item", "milk"]]);
  test("adds, removes the first equal entry, clears, changes nothing", () => {
    assert.deepEqual(applyEffect(["a"], { kind: "adds", name: "item" }, named), ["a", "milk"]);
    assert.deepEqual(applyEffect(["milk", "b", "milk"], { kind: "removes", name: "item" }, named), ["b", "milk"]);
    assert.deepEqual(applyEffect(["a"], { kind: "removes", name: "item" }, named), ["a"]);
    assert.deepEqual(applyEffect(["a", "b"], { kind: "clears" }, named), []);
    assert.deepEqual(applyEffect(["a"], { kind: "none" }, named), ["a"]);
  });
});

describe("compareWithModel", () => {
  test("agrees in any order, by a line of each item's text", () => {
    assert.equal(compareWithModel(["bread\nDelete", "milk\nDelete"], ["milk", "bread"]), undefined);
    assert.equal(compareWithModel([], []), undefined);
  });
  test("a longer entry is matched first, so a shorter one contained in it does not take its item", () => {
    assert.equal(compareWithModel(["milk", "oat milk"], ["milk", "oat milk"]), undefined);
    assert.equal(compareWithModel(["oat milk\nDelete", "milk\nDelete"], ["milk", "oat milk"]), undefined);
  });
  test("names what is missing and what the model does not know", () => {
    assert.equal(
      compareWithModel(["aaa\nDelete"], ["bbb"]),
      'the model expects 1 item(s) ["bbb"], the page shows 1 ["aaa"]; missing: "bbb"; not in the model: "aaa"',
    );
    assert.match(String(compareWithModel(["a", "a"], ["a"])), /not in the model: "a"/);
    assert.match(String(compareWithModel([], ["a"])), /missing: "a"/);
  });
  test("entryOf: the first non-empty line, whitespace folded", () => {
    assert.equal(entryOf("\n  buy   milk \nDelete"), "buy milk");
  });
});

describe("model rows in the table", () => {
  const TABLE = [
    ["items", 'list items in the list named "To-dos"'],
    ["action", 'I type "{any letters of 6 to 8 characters as item}" into the field labelled "New"'],
    ["and", 'I press "Enter"'],
    ["model", "adds {item}"],
    ["action", 'I click the "Delete" button in the list item containing "{an item as item}"'],
    ["model", "removes {item}"],
    ["action", "I refresh the page"],
    ["model", "changes nothing"],
  ];

  test("an items model needs no other check; effects attach to their action", () => {
    const plan = parseSequencePlan(TABLE);
    assert.equal(plan.items, 'list items in the list named "To-dos"');
    assert.deepEqual(
      plan.actions.map((a) => a.effect),
      [{ kind: "adds", name: "item" }, { kind: "removes", name: "item" }, { kind: "none" }],
    );
  });

  test("{an item} takes one of the model's items, and with none the action is not applicable", () => {
    const plan = parseSequencePlan(TABLE);
    assert.equal(resolveAction(plan, { action: 1, values: ["5"] }, []), undefined);
    const r = resolveAction(plan, { action: 1, values: ["5"] }, ["aa", "bb"])!;
    assert.deepEqual(r.texts, ['I click the "Delete" button in the list item containing "bb"']);
    assert.equal(r.named.get("item"), "bb");
  });

  for (const [why, table, message] of [
    [
      "a model row with no action above",
      [
        ["model", "adds {x}"],
        ["action", "a"],
        ["check", "b"],
      ],
      /no action above it/,
    ],
    [
      "a model row naming no value of its action",
      [
        ["items", "list items"],
        ["action", "I refresh the page"],
        ["model", "adds {x}"],
      ],
      /names no value "as x"/,
    ],
    [
      "an unknown effect",
      [
        ["items", "list items"],
        ["action", "a"],
        ["model", "doubles it"],
      ],
      /not a model effect/,
    ],
    [
      "model rows without items",
      [
        ["action", "a {any letters as x}"],
        ["model", "adds {x}"],
        ["check", "b"],
      ],
      /need an \| items \| <elements> \| row/,
    ],
    [
      "an action without a model row when there is a model",
      [
        ["items", "list items"],
        ["action", "a"],
        ["model", "changes nothing"],
        ["action", "b"],
      ],
      /row 4: with an items model, every action needs a \| model \| row/,
    ],
  ] as const) {
    test(`refuses ${why}`, () => {
      assert.throws(
        () => parseSequencePlan(table as unknown as string[][]),
        (err: Error) => (message as RegExp).test(err.message),
      );
    });
  }
});
