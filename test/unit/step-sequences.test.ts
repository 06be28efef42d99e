// The sequence property's table: rows, generated values in step texts, stored sequences and the Gherkin a failure prints.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as fc from "fast-check";
import {
  decodeSequence,
  instanceArbitrary,
  parseSequencePlan,
  raisedWaitRow,
  sequenceArbitrary,
  showSequence,
  stepTexts,
  waitWords,
  wholeAction,
} from "../../src/properties/step-sequences";

const TABLE = [
  ["start", 'I open "/"'],
  ["action", 'I type "{any letters of 1 to 6 characters as item}" into the field labelled "New"'],
  ["and", 'I press "Enter"'],
  ["and", 'I should see "{item}"'],
  ["required action", 'I click the "Clear" button'],
  ["action", 'I select "{one of "Red", "Green"}" from the "Colour" drop-down'],
  ["action", 'I fill the field labelled "Qty" with "{any whole number from 1 to 9}"'],
  ["max actions", "7"],
  ["check", 'the number in the "Count" status should never decrease'],
  ["and", 'I should see "Shop"'],
  ["check wait", "500 ms"],
];

describe("parseSequencePlan", () => {
  const plan = parseSequencePlan(TABLE);

  test("an action is named by all its lines, as written (QA13 #14: the title showed the first only)", () => {
    assert.deepEqual(plan.actions.map(wholeAction).slice(0, 2), [
      'I type "{any letters of 1 to 6 characters as item}" into the field labelled "New", then I press "Enter", then I should see "{item}"',
      'I click the "Clear" button',
    ]);
  });

  test("reads start, actions with their and-rows, checks, max actions and check wait", () => {
    assert.deepEqual(plan.start, ['I open "/"']);
    assert.deepEqual(
      plan.actions.map((a) => [a.lines.length, a.required]),
      [
        [3, false],
        [1, true],
        [1, false],
        [1, false],
      ],
    );
    assert.deepEqual(plan.checks, ['the number in the "Count" status should never decrease', 'I should see "Shop"']);
    assert.equal(plan.maxActions, 7);
    assert.equal(plan.checkWaitMs, 500);
  });

  test("generated values fill their placeholders; a named value is reused in later lines of its action", () => {
    for (const inst of fc.sample(instanceArbitrary(plan.actions[0]), { numRuns: 50, seed: 1 })) {
      const [type, press, see] = stepTexts(plan, inst);
      const item = /^I type "([^"]*)" into/.exec(type)![1];
      assert.match(item, /^[\p{L}]{1,6}$/u);
      assert.equal(press, 'I press "Enter"');
      assert.equal(see, `I should see "${item}"`);
    }
    const colours = new Set(
      fc.sample(instanceArbitrary(plan.actions[2]), { numRuns: 50, seed: 1 }).map((i) => stepTexts(plan, i)[0]),
    );
    assert.deepEqual([...colours].sort(), [
      'I select "Green" from the "Colour" drop-down',
      'I select "Red" from the "Colour" drop-down',
    ]);
    const qty = fc
      .sample(instanceArbitrary(plan.actions[3]), { numRuns: 200, seed: 1 })
      .map((i) => Number(/"(\d+)"$/.exec(stepTexts(plan, i)[0])![1]));
    assert.equal(Math.min(...qty), 1);
    assert.equal(Math.max(...qty), 9);
  });

  test("a quote in a generated value is escaped the way Cucumber's {string} reads it back", () => {
    const p = parseSequencePlan([
      ["action", 'I type "{any text up to 20 characters}" into the field labelled "X"'],
      ["check", 'I should see "X"'],
    ]);
    const quoted = fc
      .sample(instanceArbitrary(p.actions[0]), { numRuns: 2000, seed: 3 })
      .filter((i) => i.values[0].includes('"'));
    assert.ok(quoted.length > 0, "no value with a quote drawn");
    for (const inst of quoted) {
      const text = stepTexts(p, inst)[0];
      const m = /^I type "((?:[^"\\]|\\.)*)" into/.exec(text);
      assert.ok(m, text);
      assert.equal(m[1].replace(/\\"/g, '"'), inst.values[0]);
    }
  });

  test("sequences reach max actions, and hold at least one (an empty one checks only the start page)", () => {
    const lengths = fc.sample(sequenceArbitrary(plan), { numRuns: 300, seed: 2 }).map((s) => s.length);
    assert.equal(Math.max(...lengths), 7);
    assert.equal(Math.min(...lengths), 1);
  });

  for (const [why, table, message] of [
    ["no action", [["check", 'I should see "x"']], /at least one \| action \| <step> \| row/],
    ["no check", [["action", "I refresh the page"]], /at least one \| check \| <step> \| row/],
    ["an unknown kind", [["actoin", "I refresh the page"]], /row 1: "actoin" is not a kind of row/],
    ["an and-row with nothing above", [["and", "I refresh the page"]], /row 1: "and" continues the row above it/],
    ["three cells", [["action", "a", "b"]], /row 1 has 3 cell\(s\)/],
    [
      "an unknown generated value",
      [["action", 'I type "{any colour}" into the field labelled "x"']],
      /\{any colour\}.*not a text shape|not a generated value/,
    ],
    [
      "a reference to a value never named",
      [
        ["action", 'I should see "{item}"'],
        ["check", "x"],
      ],
      /uses \{item\}, but no earlier line of this action names a value "as item"/,
    ],
    [
      "a generated value in a check",
      [
        ["action", "a"],
        ["check", 'I should see "{any letters}"'],
      ],
      /only action rows .* may have them/,
    ],
    [
      "a bad range",
      [
        ["action", "I wait {any whole number from 9 to 1}"],
        ["check", "x"],
      ],
      /from a smaller to a larger/,
    ],
    [
      "a bad max",
      [
        ["action", "a"],
        ["check", "b"],
        ["max actions", "lots"],
      ],
      /"lots" is not a whole number from 1 to 100/,
    ],
    ["an empty table", [], /needs a table of \| kind \| step \| rows/],
  ] as const) {
    test(`refuses ${why}, naming the row`, () => {
      assert.throws(
        () => parseSequencePlan(table as unknown as string[][]),
        (err: Error) => err.name === "PropertyInputError" && (message as RegExp).test(err.message),
      );
    });
  }
});

describe("stored sequences and the Gherkin of a failure", () => {
  const plan = parseSequencePlan(TABLE);

  test("decode accepts what was stored and refuses what no longer fits the table", () => {
    const seq = [
      { action: 0, values: ["abc"] },
      { action: 1, values: [] },
    ];
    assert.deepEqual(decodeSequence(plan, JSON.parse(JSON.stringify(seq))), seq);
    for (const bad of [
      {},
      [{ action: 9, values: [] }],
      [{ action: 0, values: [] }],
      [{ action: 0, values: [1] }],
      [{ action: 1 }],
    ])
      assert.throws(() => decodeSequence(plan, bad), /not a list of actions|not in this table/);
  });

  test("shows start, the actions that ran, and the check that failed, as pasteable Gherkin", () => {
    const seq = [
      { action: 0, values: ["abc"] },
      { action: 1, values: [] },
      { action: 3, values: ["4"] },
    ];
    assert.equal(
      showSequence(plan, seq, {
        ran: new Map([0, 2].map((i) => [i, stepTexts(plan, seq[i])])),
        failedCheck: 'I should see "Shop"',
      }),
      [
        'Given I open "/"',
        'When I type "abc" into the field labelled "New"',
        'And I press "Enter"',
        'And I should see "abc"',
        'And I fill the field labelled "Qty" with "4"',
        'Then I should see "Shop"',
      ].join("\n"),
    );
    assert.match(
      showSequence(plan, seq),
      /\nWhen I type .*\n(And .*\n)*And I click the "Clear" button\nAnd I fill.*\nThen the number in the "Count" status should never decrease\nAnd I should see "Shop"$/,
    );
  });
});

describe("named whole numbers with an offset", () => {
  test("{n + 1} is the drawn number plus one, in the same action", () => {
    const plan = parseSequencePlan([
      ["action", '{any whole number from 2 to 5 as n} visitors open "/" at once'],
      ["and", 'the number in the "Count" status should have increased by {n + 1}'],
      ["check", 'I should see "x"'],
    ]);
    for (const inst of fc.sample(instanceArbitrary(plan.actions[0]), { numRuns: 30, seed: 5 })) {
      const [visit, check] = stepTexts(plan, inst);
      const n = Number(/^(\d+) visitors/.exec(visit)![1]);
      assert.equal(check, `the number in the "Count" status should have increased by ${n + 1}`);
    }
  });
});

test("a sequence whose last action failed inside itself ends with that action, no check after it", () => {
  const plan = parseSequencePlan([
    ["action", "I refresh the page"],
    ["and", 'I should see "x"'],
    ["check", 'I should see "y"'],
  ]);
  const seq = [{ action: 0, values: [] }];
  assert.equal(
    showSequence(plan, seq, { ran: new Map([[0, stepTexts(plan, seq[0])]]), failedCheck: null }),
    'When I refresh the page\nAnd I should see "x"',
  );
});

test("the check wait in a message, and the row that gives a slow page more: three times it, 3 s to 30 s", () => {
  assert.deepEqual([waitWords(1000), waitWords(500), waitWords(2500)], ["1 s", "500 ms", "2500 ms"]);
  assert.equal(raisedWaitRow(200), "| check wait | 3 s |");
  assert.equal(raisedWaitRow(1000), "| check wait | 3 s |");
  assert.equal(raisedWaitRow(4000), "| check wait | 12 s |");
  assert.equal(raisedWaitRow(20_000), "| check wait | 30 s |");
});
