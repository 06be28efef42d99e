// src/core/gherkin.ts: feature files read with Cucumber's parser; tags, lines, rules and pickles from the typed AST.
import { test } from "node:test";
import assert from "node:assert/strict";
import { UsageError } from "../../src/core/errors";
import {
  newIds,
  nodeLinesOf,
  parseFeature,
  pickleLine,
  picklesOf,
  ruleNameOf,
  scenarioCountOf,
  tagNamesOf,
} from "../../src/core/gherkin";

const FEATURE = [
  "@feature-tag",
  "Feature: Counter",
  "  # @in-a-comment",
  "  @outline",
  "  Scenario Outline: many",
  "    Given <n> pages",
  "    @examples-tag",
  "    Examples:",
  "      | n |",
  "      | 1 |",
  "      | 2 |",
  "",
  "  Rule: counts once",
  "    @rule-scenario",
  "    Scenario: one",
  "      Given a page",
  '      """',
  "      @in-a-docstring",
  '      """',
  "",
].join("\n");

test("tags come from the Gherkin structure only: never comments or DocStrings", () => {
  const doc = parseFeature(FEATURE, "counter.feature");
  assert.deepEqual(tagNamesOf(doc), ["@feature-tag", "@outline", "@examples-tag", "@rule-scenario"]);
});

test("scenarios counted per example row; lines and rules by AST id; pickles with their lines", () => {
  const newId = newIds();
  const doc = parseFeature(FEATURE, "counter.feature", newId);
  assert.equal(scenarioCountOf(doc), 3);
  const pickles = picklesOf(doc, "counter.feature", newId);
  assert.deepEqual(
    pickles.map((p) => [p.name, pickleLine(doc, p.astNodeIds)]),
    [
      ["many", 10],
      ["many", 11],
      ["one", 15],
    ],
  );
  const ruleScenario = doc.feature!.children[1].rule!.children[0].scenario!;
  assert.equal(ruleNameOf(doc, ruleScenario.id), "counts once");
  assert.equal(ruleNameOf(doc, pickles[0].astNodeIds[0]), undefined);
  assert.equal(nodeLinesOf(doc).get(ruleScenario.id), 15);
});

test("a syntax error is one usage error naming file:line:col", () => {
  assert.throws(
    () => parseFeature("Feature: x\n  Scenario: y\n    Given z\n  @REQ-1\n", "bad.feature"),
    (e: Error) => e instanceof UsageError && /^bad\.feature:\d+:\d+: /.test(e.message),
  );
});

test("a step line without its keyword says what a step line starts with, in the feature's language", () => {
  const hint = (text: string) => {
    try {
      parseFeature(text, "f.feature");
    } catch (e) {
      return /\(a step line starts with ([^;]*);/.exec((e as Error).message)?.[1];
    }
    return "parsed";
  };
  assert.equal(
    hint('Feature: x\n  Scenario: y\n    Given I open "/"\n    I should see "Shop"\n'),
    "Given, When, Then, And, But or *",
  );
  assert.equal(
    hint("# language: fr\nFonctionnalité: x\n  Scénario: y\n    Soit a\n    je vois\n"),
    "Soit, Quand, Donc, Et, Mais or *",
  );
  // Other syntax errors get no such hint: a tag with nothing to tag, text before the Feature line.
  assert.equal(hint("Feature: x\n  Scenario: y\n    Given z\n  @REQ-1\n"), undefined);
  assert.equal(hint("Hello there\nFeature: A\n"), undefined);
  // The language is the header's; a comment naming one later, or a name that is no language, reads as English.
  const english = "Given, When, Then, And, But or *";
  assert.equal(hint('Feature: x\n  # language: fr\n  Scenario: y\n    Given a\n    I see "b"\n'), english);
});

test("a language that is none, an Object member's name included, is one usage error naming its line", () => {
  for (const name of ["constructor", "__proto__", "toString", "hasOwnProperty", "xx"])
    assert.throws(
      () => parseFeature(`# ok\n\n# language: ${name}\nFeature: x\n  Scenario: y\n    Given a\n`, "f.feature"),
      (e: Error) => e instanceof UsageError && e.message === `f.feature:3:1: Language not supported: ${name}`,
      name,
    );
  // Only the header names a language, as Gherkin reads it: later, or after another language line, it is a comment.
  assert.equal(parseFeature("Feature: x\n# language: constructor\n", "f.feature").feature?.language, "en");
  assert.equal(
    parseFeature("# language: fr\n# language: xx\nFonctionnalité: x\n", "f.feature").feature?.language,
    "fr",
  );
});
