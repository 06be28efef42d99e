// Feature paths as the runner hands them to Cucumber: directories by stat whatever their name, files, globs; anything else is exit 2.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { checkFeatures, cucumberFeaturePaths, findFeatureFiles } from "../../src/runner/features";
import { UsageError } from "../../src/core/errors";
import { tempDir } from "../helpers/cli";

function project(): string {
  const dir = tempDir();
  for (const d of ["features.v2", "tmp.Ab12/nested", "plain"]) mkdirSync(join(dir, d), { recursive: true });
  writeFileSync(join(dir, "features.v2", "a.feature"), "Feature: a\n");
  writeFileSync(join(dir, "tmp.Ab12", "nested", "b.feature"), "Feature: b\n");
  writeFileSync(join(dir, "plain", "c.feature"), "Feature: c\n");
  return dir;
}

test("a directory is every feature file below it, whatever its name (one with a dot is not a file)", () => {
  const dir = project();
  const paths = cucumberFeaturePaths(["features.v2", "tmp.Ab12/", "plain"], dir);
  assert.deepEqual(paths, ["features.v2/**/*.feature", "tmp.Ab12/**/*.feature", "plain/**/*.feature"]);
  assert.deepEqual(findFeatureFiles(paths, dir), [
    "features.v2/a.feature",
    "plain/c.feature",
    "tmp.Ab12/nested/b.feature",
  ]);
});

test("a directory whose name has glob characters is matched literally", () => {
  const dir = tempDir();
  mkdirSync(join(dir, "suite[1]"));
  writeFileSync(join(dir, "suite[1]", "d.feature"), "Feature: d\n");
  assert.deepEqual(findFeatureFiles(cucumberFeaturePaths(["suite[1]"], dir), dir), ["suite[1]/d.feature"]);
});

test("files (with a :line) and globs pass through", () => {
  const dir = project();
  assert.deepEqual(cucumberFeaturePaths(["plain/c.feature:3", "**/*.feature"], dir), [
    "plain/c.feature:3",
    "**/*.feature",
  ]);
});

test("a path that is neither a file, a directory nor a glob is one UsageError naming it", () => {
  const dir = project();
  assert.throws(
    () => cucumberFeaturePaths(["features.v3"], dir),
    (e: Error) => e instanceof UsageError && e.message === "features.v3: no such feature file or directory",
  );
  assert.throws(
    () => cucumberFeaturePaths(["/dev/null"], dir),
    (e: Error) => e instanceof UsageError && e.message === "/dev/null: not a feature file or a directory",
  );
});

test("an outline with no Examples, or with Examples of no row, is refused naming its line; one with rows is read", () => {
  const dir = tempDir("signoff-outline-");
  const outline = (examples: string, keyword = "Scenario Outline") =>
    `Feature: Pages\n\n  ${keyword}: every page opens\n    Given I open "<path>"\n${examples}`;
  const cases: Array<[string, string, RegExp]> = [
    ["none.feature", outline(""), /^none\.feature:3: Scenario Outline "every page opens" has no Examples rows/],
    ["header.feature", outline("    Examples:\n      | path |\n"), /^header\.feature:3: Scenario Outline/],
    ["empty.feature", outline("    Examples:\n"), /^empty\.feature:3: /],
    ["template.feature", outline("", "Scenario Template"), /^template\.feature:3: Scenario Template "every page/],
    [
      "fr.feature",
      "# language: fr\nFonctionnalité: P\n  Plan du scénario: p\n    Soit a <x>\n",
      /^fr\.feature:3: Plan du scénario "p"/,
    ],
  ];
  for (const [name, text, why] of cases) {
    writeFileSync(join(dir, name), text);
    assert.throws(
      () => checkFeatures([name], dir),
      (e: Error) => e instanceof UsageError && why.test(e.message),
      name,
    );
  }
  writeFileSync(join(dir, "ok.feature"), outline("    Examples:\n      | path |\n      | /    |\n"));
  writeFileSync(join(dir, "plain.feature"), 'Feature: P\n  Scenario: s\n    Given I open "<b>"\n');
  assert.deepEqual(
    checkFeatures(["ok.feature", "plain.feature"], dir).map((f) => f.scenarios),
    [1, 1],
  );
});

test("a keyword written without its colon, read as description text with its steps, is refused naming its line (QA17 F3)", () => {
  const dir = tempDir("signoff-colon-");
  const cases: Array<[string, string, string]> = [
    [
      "first.feature",
      'Feature: x\n  Scenario y\n    Given I open "/"\n\n  Scenario: z\n    Given I open "/"\n',
      'first.feature:2: "Scenario y" is read as description text, so its steps never run: a keyword takes a colon ("Scenario: y")',
    ],
    [
      "outline.feature",
      'Feature: x\n\n  Scenario Outline every page\n    Given I open "<p>"\n',
      'outline.feature:3: "Scenario Outline every page" is read as description text, so its steps never run: a keyword takes a colon ("Scenario Outline: every page")',
    ],
    [
      "rule.feature",
      'Feature: x\n  Rule: r\n    Example checkout\n      When I click the "Pay" button\n',
      'rule.feature:3: "Example checkout" is read as description text, so its steps never run: a keyword takes a colon ("Example: checkout")',
    ],
    [
      "cr.feature",
      'Feature: x\r  (a lone CR is no line break to Gherkin)\n  Scenario\ty\n    Given I open "/"\n',
      'cr.feature:2: "Scenario\ty" is read as description text, so its steps never run: a keyword takes a colon ("Scenario: y")',
    ],
    [
      "fr.feature",
      '# language: fr\nFonctionnalité: x\n  Scénario y\n    Soit I open "/"\n',
      'fr.feature:3: "Scénario y" is read as description text, so its steps never run: a keyword takes a colon ("Scénario: y")',
    ],
  ];
  for (const [name, text, message] of cases) {
    writeFileSync(join(dir, name), text);
    assert.throws(
      () => checkFeatures([name], dir),
      (e: Error) => e instanceof UsageError && e.message === message,
      name,
    );
  }
  // Prose that merely starts with a keyword's word is a description like any other: no step indented under it (a
  // bullet is no step), or a colon in it.
  writeFileSync(
    join(dir, "prose.feature"),
    [
      "Feature: x",
      "  Example usage follows below.",
      "  Background reading: the guide.",
      "  Examples of flows covered",
      "    * guest checkout",
      "  Scenario coverage is tracked per release",
      "  When a refund is issued the ledger is updated",
      "  Rule of thumb: one requirement per scenario",
      "    Given the team agrees",
      "",
      "  Scenario: s",
      '    Given I open "/"',
      "",
    ].join("\n"),
  );
  assert.deepEqual(
    checkFeatures(["prose.feature"], dir).map((f) => f.scenarios),
    [1],
  );
});
