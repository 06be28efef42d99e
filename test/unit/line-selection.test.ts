// Which lines of a file:LINE path select a scenario (as cucumber-js's own line filter decides), what the others are, where to point instead; a run with one is refused.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PickleLineFilter } from "@cucumber/cucumber/lib/pickle_filter";
import { newIds, parseFeature, picklesOf } from "../../src/core/gherkin";
import { NothingSelectedError, UsageError } from "../../src/core/errors";
import { checkLineSelections, splitLinePath, unselectedLines } from "../../src/runner/line-selection";
import { cucumberFeaturePaths } from "../../src/runner/features";
import { tempDir } from "../helpers/cli";

const SHOP = [
  "@shop", //  1
  "Feature: Shop", //  2
  "  Buying things", //  3
  "", //  4
  "  Background:", //  5
  '    Given I open "/"', //  6
  "", //  7
  "  @REQ-1", //  8
  "  Scenario: Plain", //  9
  '    When I click the "Buy" button', // 10
  "    Then I should see:", // 11
  '      """', // 12
  "      Thanks", // 13
  '      """', // 14
  "", // 15
  "  # about the outline", // 16
  "  Scenario Outline: Totals <n>", // 17
  '    Then I should see "<n>"', // 18
  "", // 19
  "    @slow", // 20
  "    Examples:", // 21
  "      | n |", // 22
  "      | 1 |", // 23
  "      | 2 |", // 24
  "", // 25
  "  Rule: Members", // 26
  "    Members pay less", // 27
  "", // 28
  "    Background:", // 29
  '      Given I open "/members"', // 30
  "", // 31
  "    @members", // 32
  "    Scenario: Member price", // 33
  "      Then I should see the table:", // 34
  "        | a | b |", // 35
  "",
].join("\n");
const FILE = "shop.feature";
const doc = parseFeature(SHOP, FILE);
const why = (line: number, tags?: string) => unselectedLines(doc, SHOP, FILE, [line], tags)[0]?.why;

test("a line selects a scenario exactly when cucumber-js's own line filter selects one (every line of the file, and past it)", () => {
  const pickles = picklesOf(doc, FILE, newIds());
  const gherkinDocument = { ...doc, uri: FILE };
  for (let line = 0; line <= 40; line++) {
    const filter = new PickleLineFilter(process.cwd(), [`${FILE}:${line}`]);
    const cucumber = pickles.some((pickle) => filter.matchesAnyLine({ gherkinDocument, pickle } as never));
    assert.equal(unselectedLines(doc, SHOP, FILE, [line]).length === 0, cucumber, `line ${line}`);
  }
  // What cucumber-js 12 selects: a Scenario, an Outline (all its rows), a row; a Feature, Rule or Background line nothing.
  assert.deepEqual(
    [2, 5, 9, 17, 21, 22, 23, 24, 26, 29, 33].map((l) => why(l) === undefined),
    [false, false, true, true, false, false, true, true, false, false, true],
  );
});

test("a line that selects nothing says what is there and the scenario line to give instead", () => {
  assert.equal(
    why(2),
    'line 2 is the Feature line; the nearest scenario line is shop.feature:9 (the Scenario "Plain")',
  );
  assert.equal(why(1), 'line 1 is a tag line; the nearest scenario line is shop.feature:9 (the Scenario "Plain")');
  assert.equal(
    why(3),
    'line 3 is description text; the nearest scenario line is shop.feature:9 (the Scenario "Plain")',
  );
  assert.equal(
    why(5),
    'line 5 is a Background line; the nearest scenario line is shop.feature:9 (the Scenario "Plain")',
  );
  assert.equal(
    why(6),
    'line 6 is a step of the Background; the nearest scenario line is shop.feature:9 (the Scenario "Plain")',
  );
  assert.equal(why(8), 'line 8 is a tag line; the nearest scenario line is shop.feature:9 (the Scenario "Plain")');
  // The QA report's case: a step line names the scenario it is in.
  assert.equal(why(10), 'line 10 is a step of the Scenario "Plain"; shop.feature:9 selects it');
  assert.equal(why(13), 'line 13 is a step\'s doc string of the Scenario "Plain"; shop.feature:9 selects it');
  assert.equal(why(14), 'line 14 is a step\'s doc string of the Scenario "Plain"; shop.feature:9 selects it');
  // A blank line or a comment between scenarios: the nearer one.
  assert.equal(
    why(15),
    'line 15 is a blank line; the nearest scenario line is shop.feature:17 (the Scenario Outline "Totals <n>")',
  );
  assert.equal(
    why(16),
    'line 16 is a comment; the nearest scenario line is shop.feature:17 (the Scenario Outline "Totals <n>")',
  );
  const outline =
    'of the Scenario Outline "Totals <n>"; shop.feature:17 selects every example of it, an Examples row\'s line (as shop.feature:23) that one';
  assert.equal(why(18), `line 18 is a step ${outline}`);
  assert.equal(why(20), `line 20 is a tag line ${outline}`);
  assert.equal(why(21), `line 21 is the Examples line ${outline}`);
  assert.equal(why(22), `line 22 is the header row of the Examples ${outline}`);
  assert.equal(
    why(26),
    'line 26 is a Rule line; the nearest scenario line is shop.feature:33 (the Scenario "Member price")',
  );
  assert.equal(
    why(27),
    'line 27 is description text; the nearest scenario line is shop.feature:33 (the Scenario "Member price")',
  );
  assert.equal(
    why(30),
    'line 30 is a step of the Background; the nearest scenario line is shop.feature:33 (the Scenario "Member price")',
  );
  assert.equal(
    why(35),
    'line 35 is a step\'s data table row of the Scenario "Member price"; shop.feature:33 selects it',
  );
  assert.equal(
    why(99),
    'line 99 is past the end of the file (it has 35 lines); the nearest scenario line is shop.feature:33 (the Scenario "Member price")',
  );
  assert.equal(
    why(0),
    'line 0 is no line (lines count from 1); the nearest scenario line is shop.feature:9 (the Scenario "Plain")',
  );
});

test("with --tags, a line whose scenarios the expression leaves out selects nothing either; one it keeps is fine", () => {
  assert.equal(why(9, "@members"), '--tags "@members" leaves out the Scenario "Plain" (its tags: @shop @REQ-1)');
  assert.equal(
    why(23, "not @slow"),
    '--tags "not @slow" leaves out the Scenario Outline "Totals <n>" (its tags: @shop @slow)',
  );
  assert.equal(why(33, "@members"), undefined);
  assert.equal(why(17, "@shop and @slow"), undefined);
  assert.equal(unselectedLines(doc, SHOP, FILE, [9], "@members")[0].notAScenario, false);
});

test("file:LINE:LINE is split as Cucumber splits it; each line is judged", () => {
  assert.deepEqual(splitLinePath("features/a.feature:12:30"), { file: "features/a.feature", lines: [12, 30] });
  assert.equal(splitLinePath("features/a.feature"), undefined);
  assert.deepEqual(
    unselectedLines(doc, SHOP, FILE, [9, 10, 23, 26]).map((u) => u.line),
    [10, 26],
  );
});

/** A project with the shop feature and another, in a fresh directory. */
function project(): string {
  const dir = tempDir("signoff-lines-");
  mkdirSync(join(dir, "features"));
  writeFileSync(join(dir, "features", "shop.feature"), SHOP);
  writeFileSync(join(dir, "features", "plain.feature"), 'Feature: P\n  Scenario: s\n    Given I open "/"\n');
  return dir;
}

/** Runs fn with console.error collected. */
function stderrOf(fn: () => void): { lines: string[]; error: unknown } {
  const lines: string[] = [];
  const original = console.error;
  console.error = (line: string) => void lines.push(line);
  try {
    fn();
    return { lines, error: undefined };
  } catch (error) {
    return { lines, error };
  } finally {
    console.error = original;
  }
}

test("a run whose file:LINE paths include one selecting nothing is refused, however much the others select: one line per line, exit 1", () => {
  const dir = project();
  const { lines, error } = stderrOf(() =>
    checkLineSelections(
      ["features/plain.feature", "features/shop.feature:9:10", "features/shop.feature:26", "features/shop.feature:23"],
      undefined,
      dir,
    ),
  );
  assert.ok(error instanceof NothingSelectedError, String(error));
  assert.equal(error.exitCode, 1);
  assert.deepEqual(lines, [
    'signoff: features/shop.feature:10 selects no scenario: line 10 is a step of the Scenario "Plain"; features/shop.feature:9 selects it',
  ]);
  assert.equal(
    error.message,
    'features/shop.feature:26 selects no scenario: line 26 is a Rule line; the nearest scenario line is features/shop.feature:33 (the Scenario "Member price") (a file:line must point at a Scenario, a Scenario Outline or an Examples row); nothing was run',
  );
  // Lines that all select something, and paths with no line, pass.
  assert.deepEqual(
    stderrOf(() => checkLineSelections(["features/shop.feature:9:17:24:33", "features"], "@shop", dir)),
    { lines: [], error: undefined },
  );
});

test("a file:LINE the tags leave out is refused without the file:line rule", () => {
  const dir = project();
  const { error } = stderrOf(() =>
    checkLineSelections(["features/shop.feature:33", "features/shop.feature:9"], "@members", dir),
  );
  assert.ok(error instanceof NothingSelectedError);
  assert.equal(
    error.message,
    'features/shop.feature:9 selects no scenario: --tags "@members" leaves out the Scenario "Plain" (its tags: @shop @REQ-1); nothing was run',
  );
});

test("an outline without rows under a file:LINE is refused for what it is (exit 2), not as a line selecting nothing", () => {
  const dir = tempDir("signoff-lines-");
  writeFileSync(join(dir, "o.feature"), 'Feature: O\n  Scenario Outline: o\n    Given I open "<p>"\n');
  const { error } = stderrOf(() => checkLineSelections(["o.feature:2"], undefined, dir));
  assert.ok(error instanceof UsageError, String(error));
  assert.match((error as Error).message, /^o\.feature:2: Scenario Outline "o" has no Examples rows/);
});

test("paths that do not exist are each named (exit 2), beside one that does; a line on a directory or a glob is refused; a line's file is spelled as Cucumber matches it", () => {
  const dir = project();
  const { lines, error } = stderrOf(() =>
    cucumberFeaturePaths(["features/shop.feature:9", "features/nope.feature:3", "features/gone.feature"], dir),
  );
  assert.ok(error instanceof UsageError, String(error));
  assert.deepEqual(lines, ["signoff: features/nope.feature:3: no such feature file or directory"]);
  assert.equal((error as Error).message, "features/gone.feature: no such feature file or directory");
  for (const [path, what] of [
    ["features:9", "a directory"],
    ["features/*.feature:9", "a glob"],
  ])
    assert.throws(
      () => cucumberFeaturePaths([path], dir),
      (e: Error) =>
        e instanceof UsageError &&
        e.message ===
          `${path}: a :LINE selects in a feature file, and ${path.replace(/:9$/, "")} is ${what} (Cucumber would ignore the line and run all of it)`,
    );
  // Cucumber matches a line's file by its path relative to the working directory: "./" or "../here/" would lose it.
  assert.deepEqual(
    cucumberFeaturePaths(
      [
        "./features/shop.feature:9",
        `../${join(dir).split("/").pop()}/features/shop.feature:17:23`,
        join(dir, "features/plain.feature:2"),
      ],
      dir,
    ),
    ["features/shop.feature:9", "features/shop.feature:17:23", "features/plain.feature:2"],
  );
});

test("a file given whole and with lines is refused (exit 2): Cucumber would run only the lines, silently", () => {
  const dir = project();
  const { error } = stderrOf(() =>
    checkLineSelections(
      ["features/shop.feature", "features/plain.feature", "./features/shop.feature:9"],
      undefined,
      dir,
    ),
  );
  assert.ok(error instanceof UsageError, String(error));
  assert.equal(error.exitCode, 2);
  assert.equal(
    (error as Error).message,
    "features/shop.feature is given whole and as ./features/shop.feature:9: Cucumber would run only the lines of it; give the file or its lines, not both",
  );
  // The folder holding it narrows it, as Cucumber documents: not refused.
  assert.deepEqual(
    stderrOf(() => checkLineSelections(["features", "features/shop.feature:9"], undefined, dir)),
    {
      lines: [],
      error: undefined,
    },
  );
});
