// The tables under the generic property steps, read before any run by the parsers the steps use: a wrong row is refused with its file:line, not found mid-property.
import * as fc from "fast-check";
import { parseElementPhrase, roleWordHint } from "../core/element-phrase";
import { parseElementsPhrase } from "../core/elements-phrase";
import { TestDefinitionError } from "../core/errors";
import { docPath } from "../core/package";
import { PropertyInputError } from "../properties/errors";
import { instanceArbitrary, parseSequencePlan, stepTexts } from "../properties/step-sequences";
import { parseInputPlan } from "../properties/text-input";
import { parseCounterPlan } from "../properties/counter-model";
import { parseRequestShape } from "../properties/http-shapes";
import { unreadablePhrase, type PhraseArgument } from "./phrase-readers";
import { nearestStepHint, type ParameterRegexps } from "./nearest-step";

/** A step definition as the check needs it (Cucumber's StepDefinition, seen through its expression). */
export interface StepMatcher {
  /** The pattern as written, for "ambiguous" and to tell a property step. */
  pattern: string;
  /** "CUCUMBER_EXPRESSION" or "REGULAR_EXPRESSION", as Cucumber's messages name a pattern's kind. */
  type: string;
  /** file:line of the definition. */
  where: string;
  /** The keyword it was registered with ("Given", "When", "Then", or "Unknown" for defineStep). */
  keyword?: string;
  /** The arguments of `text` when the definition matches it; undefined when it does not. */
  match(text: string): readonly PhraseArgument[] | undefined;
}

/** A property step of a scenario, with its table. */
export interface TableStep {
  /** The step's text (without its keyword). */
  text: string;
  /** The table's cells, row by row, as the step receives them (`table.raw()`). */
  rows: readonly (readonly string[])[];
  /** file:line of the table's 1-based row, or of the step itself when no row is given (or its line is not known). */
  where(row?: number): string;
}

/** Reads one property step's table: throws what its parser throws; returns the problems of its rows' own steps. */
type TableReader = (step: TableStep, definitions: readonly StepMatcher[], parameters: ParameterRegexps) => string[];

const SEQUENCE_STEP = "these checks should hold after any sequence of these actions:";

/** A table read by the step's own parser alone (names and shapes, no element phrase or step text). */
const parsedBy =
  (parse: (rows: TableStep["rows"]) => unknown): TableReader =>
  (step) => {
    parse(step.rows);
    return [];
  };

/**
 * Every generic property step, by pattern, with its table's reader: the parser the step calls (src/properties), and
 * for the sequence property the matching of its rows the step does before its first case
 * (test/unit/property-tables.test.ts checks that each pattern is a generic step's).
 */
const PROPERTY_TABLES: Readonly<Record<string, TableReader>> = {
  "any text of this shape typed into {element} should leave the page usable:": readTypingTable,
  [SEQUENCE_STEP]: readSequenceTable,
  "the number in {element} should count every page load of {string} under any sequence of these actions:":
    parsedBy(parseCounterPlan),
  "staging should answer any request of these shapes without a 5xx, a hang or a leak:": parsedBy(parseRequestShape),
};

/** Every generic property step, by pattern. */
export const PROPERTY_STEPS: ReadonlySet<string> = new Set(Object.keys(PROPERTY_TABLES));

/** True for a step definition that is a property step (a row of a property must not be one). */
export function isPropertyStep(pattern: string): boolean {
  return PROPERTY_STEPS.has(pattern);
}

/**
 * One line per problem of a property step's table, each naming the file:line of the row (or of the step, for a
 * problem its parser names the row of); none for a table that reads, or a step that is no property step. Once
 * the step ran, each would fail it, or worse: a check row's unreadable element phrase fails as a "counterexample".
 */
export function tableProblems(
  step: TableStep,
  pattern: string,
  definitions: readonly StepMatcher[],
  /** The parameter types' regular expressions: what an undefined row's nearest step could take. */
  parameters: ParameterRegexps = new Map(),
): string[] {
  const read = PROPERTY_TABLES[pattern];
  if (!read) return [];
  try {
    return read(step, definitions, parameters);
  } catch (err) {
    // The parsers' input errors name the row and the cell; anything else is a bug and must surface as one.
    if (err instanceof PropertyInputError || err instanceof TestDefinitionError)
      return [`${step.where()}: ${tableOf(step)} cannot be read: ${err.message}`];
    throw err;
  }
}

/** The typing property's table; its "submit with" element is read as the step reads it, and why not is said at its row. */
function readTypingTable(step: TableStep): string[] {
  let unreadable: { phrase: string; error: TestDefinitionError } | undefined;
  const parseElement = (phrase: string) => {
    try {
      return parseElementPhrase(phrase);
    } catch (err) {
      if (err instanceof TestDefinitionError) unreadable = { phrase, error: err };
      throw err;
    }
  };
  try {
    parseInputPlan(step.rows, parseElement);
  } catch (err) {
    if (!(err instanceof PropertyInputError) || !unreadable) throw err;
    // The parser says "neither an element nor pressing Enter"; the phrase's own reason (a role word's did-you-mean) is added.
    const row = step.rows.findIndex((cells) => cells[1]?.trim() === unreadable!.phrase) + 1;
    return [
      `${step.where(row || undefined)}: ${tableOf(step)} cannot be read: ${err.message}: ${unreadable.error.message}`,
    ];
  }
  return [];
}

/** How a problem names the table. */
const tableOf = (step: TableStep) => `the table of the step "${step.text}"`;

/**
 * The sequence property's table, then every step text in it as the step matches them before its first run
 * (steps/generic/sequence.steps.ts, matchPlan): start and check rows as written, each action with one sample of
 * its generated values (seed 0), the items row as a plural element phrase.
 */
function readSequenceTable(
  step: TableStep,
  definitions: readonly StepMatcher[],
  parameters: ParameterRegexps,
): string[] {
  const plan = parseSequencePlan(step.rows);
  /** The first row whose step cell is this text (start and check rows keep no row number). */
  const rowOf = (text: string) => {
    const i = step.rows.findIndex((cells) => cells[1]?.trim() === text);
    return i >= 0 ? i + 1 : undefined;
  };
  const texts: Array<{ text: string; row?: number }> = [
    ...plan.start.map((text) => ({ text, row: rowOf(text) })),
    ...plan.checks.map((text) => ({ text, row: rowOf(text) })),
  ];
  for (const action of plan.actions) {
    const [sample] = fc.sample(instanceArbitrary(action), { numRuns: 1, seed: 0 });
    stepTexts(plan, sample).forEach((text, i) => texts.push({ text, row: action.lines[i]?.row ?? action.row }));
  }
  const problems: string[] = [];
  for (const { text, row } of texts) {
    const problem = rowStepProblem(text, definitions, parameters);
    if (problem) problems.push(`${step.where(row)}: the step "${text}" in the table of "${step.text}" ${problem}`);
  }
  if (plan.items !== undefined) {
    try {
      parseElementsPhrase(plan.items);
    } catch (err) {
      if (!(err instanceof TestDefinitionError)) throw err;
      problems.push(`${step.where(rowOf(plan.items))}: the items row of "${step.text}" cannot be read: ${err.message}`);
    }
  }
  return problems;
}

/**
 * What is wrong with one step text of a property's table (or one a step gives a time to), or undefined: it matches
 * one ordinary step, whose element phrases read.
 */
export function rowStepProblem(
  text: string,
  definitions: readonly StepMatcher[],
  parameters: ParameterRegexps,
): string | undefined {
  const found = definitions.flatMap((d) => {
    const args = d.match(text);
    return args ? [{ d, args }] : [];
  });
  if (found.length === 0) {
    const patterns = definitions.map((d) => ({ source: d.pattern, type: d.type }));
    const hint = roleWordHint(text) || nearestStepHint(text, patterns, parameters);
    return `is undefined${hint} (see ${docPath("steps.md")} for the generic steps)`;
  }
  if (found.length > 1)
    return `is ambiguous: it matches ${found.map(({ d }) => `"${d.pattern}" (${d.where})`).join(" and ")}`;
  const [{ d, args }] = found;
  if (isPropertyStep(d.pattern)) return "is a property step itself; the rows of a property are ordinary steps";
  const why = unreadablePhrase(args);
  return why === undefined ? undefined : `cannot be read: ${why}`;
}
