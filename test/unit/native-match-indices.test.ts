// Cucumber's step matching uses the engine's `d`-flag match indices, with the same results as the polyfill it replaces.
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import {
  execWithIndices,
  literalPrefix,
  requiredLiteral,
  useNativeMatchIndices,
} from "../../src/runner/native-match-indices";

const loaded = (fragment: string) => Object.keys(require.cache).some((k) => k.includes(fragment));

// First in this file: nothing has loaded Cucumber's expressions or the polyfill yet.
test("Cucumber's expressions match through native indices: the polyfill's regexp-tree is never loaded", () => {
  assert.equal(loaded("cucumber-expressions"), false, "precondition: cucumber-expressions not loaded yet");
  assert.equal(useNativeMatchIndices(), true);
  const ce = require("@cucumber/cucumber-expressions") as typeof import("@cucumber/cucumber-expressions");
  const registry = new ce.ParameterTypeRegistry();
  const expression = new ce.CucumberExpression("I open {string} and see {int} item(s)", registry);
  const args = expression.match('I open "/about" and see 12 items');
  assert.deepEqual(
    args?.map((a) => a.getValue(null)),
    ["/about", 12],
  );
  assert.deepEqual(
    args?.map((a) => [a.group.start, a.group.end]),
    [
      [7, 15],
      [24, 26],
    ],
  );
  const regular = new ce.RegularExpression(/^I see (a|the) "([^"]*)"( twice)?$/, registry);
  assert.deepEqual(
    regular.match('I see the "About"')?.map((a) => a.getValue(null)),
    ["the", "About", null],
  );
  assert.equal(loaded("/regexp-tree/"), false, "the polyfill parsed a step definition's RegExp");
  // A second call changes nothing: the module is already in place.
  assert.equal(useNativeMatchIndices(), false);
});

/** The polyfill's own result for the same call, in the (default, "lazy") mode Cucumber uses. */
function polyfilled(re: RegExp, s: string) {
  const impl = require("regexp-match-indices/implementation") as (this: RegExp, s: string) => RegExpExecArray | null;
  return impl.call(re, s);
}

const PATTERNS = [
  '^I open "([^"]*)"$',
  "(a+)(b)?(c*)",
  "((a)|(b))c",
  "(?:x(y))?(z)",
  "(?<word>\\w+) (?<num>\\d+)?",
  "(?<=a)(b)",
  "(a)(?=(b))",
  "^$",
  "(\\d+)\\s*(?:apples|pears)",
];

test("indices, groups and lastIndex equal the regexp-match-indices polyfill's, for any flags and input", () => {
  fc.assert(
    fc.property(
      fc.constantFrom(...PATTERNS),
      fc.subarray(["g", "i", "m", "s", "u", "y"]),
      fc.string({ unit: fc.constantFrom("a", "b", "c", "x", "y", "z", "1", " ", '"', "I open ") }),
      fc.nat(6),
      (source, flags, input, lastIndex) => {
        const ours = new RegExp(source, flags.join(""));
        const theirs = new RegExp(source, flags.join(""));
        ours.lastIndex = theirs.lastIndex = lastIndex;
        const a = execWithIndices(ours, input);
        const b = polyfilled(theirs, input);
        assert.equal(ours.lastIndex, theirs.lastIndex);
        if (b === null) return assert.equal(a, null);
        assert.ok(a);
        assert.deepEqual([...a], [...b]);
        assert.equal(a.index, b.index);
        assert.deepEqual(
          [...a.indices!].map((x) => x && [...x]),
          [...b.indices!].map((x) => x && [...x]),
        );
        assert.deepEqual({ ...a.indices!.groups }, { ...b.indices!.groups });
      },
    ),
    { numRuns: 500 },
  );
});

// Where the two differ the polyfill is wrong: a repeated group's indices must be those of the value it captured (the last iteration).
test("a repeated group's indices are those of its last iteration, where its value comes from", () => {
  const m = execWithIndices(/(a|b)+/, "ab");
  assert.equal(m![1], "b");
  assert.deepEqual(m!.indices![1], [1, 2]);
});

test("a RegExp that already has the d flag is used as it is", () => {
  const re = /(b)/d;
  const m = execWithIndices(re, "abc");
  assert.deepEqual(m!.indices![1], [1, 2]);
});

test("the literal prefix: what every match must start with, and nothing when it cannot be known", () => {
  assert.equal(literalPrefix(/^I open "([^"]*)"$/), 'I open "');
  assert.equal(literalPrefix(/^I drags? it$/), "I drag");
  assert.equal(literalPrefix(/^a\.b\(c\d/), "a.b(c");
  assert.equal(literalPrefix(/^ab{2}/), "a");
  assert.equal(literalPrefix(/^abc|^xyz/), "");
  assert.equal(literalPrefix(/^a(b|c)|d/), "");
  assert.equal(literalPrefix(/^a(b|c)[|]/), "a");
  assert.equal(literalPrefix(/^abc/i), "");
  assert.equal(literalPrefix(/^abc/m), "");
  assert.equal(literalPrefix(/^abc/g), "");
  assert.equal(literalPrefix(/^abc/y), "");
  assert.equal(literalPrefix(/^abc/u), "");
  assert.equal(literalPrefix(/abc/), "");
});

// Pieces of patterns: literals, escapes, quantifiers, groups, alternatives, classes, anchors.
const PIECES = [
  "^",
  "a",
  "b",
  "ab",
  " ",
  '"',
  "\\.",
  "\\(",
  "\\d",
  "?",
  "*",
  "+",
  "{2}",
  "|",
  "(",
  ")",
  "(?:",
  "[ab|]",
  "$",
  ".",
];

/** execWithIndices on `source` gives what the engine gives with the d flag (a source the flags refuse is skipped). */
function matchesAsTheEngine(source: string, flags: string, input: string): void {
  let ours: RegExp;
  try {
    ours = new RegExp(source, flags);
  } catch {
    return void fc.pre(false);
  }
  const reference = new RegExp(source, `${flags}d`);
  const a = execWithIndices(ours, input);
  const b = reference.exec(input);
  assert.equal(ours.lastIndex, reference.lastIndex);
  assert.deepEqual(a && [...a], b && [...b], `${source} on ${JSON.stringify(input)}`);
  assert.deepEqual(a && [...a.indices!], b && [...b.indices!]);
}

test("matching with the literal prefix gives exactly what the RegExp gives, for any pattern, flags and text", () => {
  fc.assert(
    fc.property(
      fc.array(fc.constantFrom(...PIECES), { maxLength: 8 }).map((p) => p.join("")),
      fc.subarray(["g", "i", "m", "s", "u", "y"]),
      fc.string({ unit: fc.constantFrom("a", "b", "A", "B", " ", '"', ".", "(", "1", "\n") }),
      (body, flags, input) => matchesAsTheEngine(`^${body}`, flags.join(""), input),
    ),
    { numRuns: 3000 },
  );
});

test("the required literal: the longest text outside groups and classes every match holds, and nothing when unknown", () => {
  assert.equal(requiredLiteral(/^((?:the|a) "[^"]*" button) should be visible$/), " should be visible");
  assert.equal(requiredLiteral(/^(x) should have the text ("[^"]*"|'[^']*')$/), " should have the text ");
  assert.equal(requiredLiteral(/ab{2}cd/), "cd");
  assert.equal(requiredLiteral(/xy\u0041bc/), "xy");
  assert.equal(requiredLiteral(new RegExp("(a)\\12345z")), "z");
  assert.equal(requiredLiteral(/a\.b\(c\d+/), "a.b(c");
  assert.equal(requiredLiteral(/[abc(]de(?=fgh)i/), "de");
  assert.equal(requiredLiteral(/abc|xyz/), "");
  assert.equal(requiredLiteral(/abc/i), "");
  assert.equal(requiredLiteral(/{element} x/), "element");
});

test("matching with the required literal gives exactly what the RegExp gives, for any pattern, flags and text", () => {
  const pieces = [
    ...PIECES,
    "\\u0041",
    "\\x41",
    "\\1",
    "\\k<x>",
    "{",
    "}",
    "{1,}",
    "(?=a)",
    "(?!b)",
    "\\s",
    "[(]",
    "[]]",
    "\\-",
    "A",
  ];
  fc.assert(
    fc.property(
      fc.array(fc.constantFrom(...pieces), { maxLength: 10 }).map((p) => p.join("")),
      fc.subarray(["g", "i", "m", "s", "u", "y"]),
      fc.string({
        unit: fc.constantFrom("a", "b", "A", "B", " ", '"', ".", "(", "1", "{", "}", "k", "<", ">", "x", "\n"),
      }),
      (source, flags, input) => matchesAsTheEngine(source, flags.join(""), input),
    ),
    { numRuns: 5000 },
  );
});
