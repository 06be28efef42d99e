// Random sequences of ordinary steps with invariants: the table (start / action / and / check rows), generated values in step texts, and the Gherkin a failure prints.
import * as fc from "fast-check";
import { cellError, wholeNumberIn, type Cell } from "./table";
import { parseTextShape } from "./text-input";
import { PropertyInputError } from "./errors";
import type { ModelEffect } from "./collection-model";

export const SEQUENCE_ROW_KINDS = [
  "start",
  "action",
  "required action",
  "and",
  "model",
  "check",
  "items",
  "max actions",
  "check wait",
] as const;

/** A generated value in a step text: `{any letters of 1 to 8 characters}`, `{one of "A", "B"}`, `... as NAME`. */
interface Placeholder {
  /** The whole `{...}` as written. */
  written: string;
  /** Generates the value; undefined for a reference to a named value (`{item}`). */
  arbitrary?: fc.Arbitrary<string>;
  /** `as NAME`: later lines of the same action may say `{NAME}`. */
  bindAs?: string;
  /** `{NAME}`: the value bound earlier in the same action. */
  ref?: string;
  /** `{NAME + 1}`: the named whole number plus this. */
  offset?: number;
  /** Inside "..." in the step text: the value is escaped so Cucumber's {string} reads it back whole. */
  quoted: boolean;
  /** `{an item}`: one of the model's items when the action runs (the drawn value picks which). */
  fromModel?: boolean;
}

interface StepTemplate {
  /** The step text with `{...}` placeholders. */
  text: string;
  placeholders: Placeholder[];
  row: number;
}

export interface ActionTemplate {
  /** 0-based, in table order: the name a stored counterexample uses. */
  index: number;
  /** The first line, as written (for titles). */
  title: string;
  lines: StepTemplate[];
  /** A required action whose element is absent fails the run instead of being skipped. */
  required: boolean;
  /** The `model` row under it: what it does to the items. */
  effect?: ModelEffect;
  /** 1-based row of the action, for messages. */
  row: number;
}

/** An action as the property's title names it: each of its lines, in order. */
export function wholeAction(a: ActionTemplate): string {
  return a.lines.map((l) => l.text).join(", then ");
}

export interface SequencePlan {
  start: string[];
  actions: ActionTemplate[];
  checks: string[];
  maxActions: number;
  /** How long a check may wait for the page to settle before it fails (a failing check costs this much). */
  checkWaitMs: number;
  /** `items` row: the elements (a plural phrase) whose texts the model of the collection must match. */
  items?: string;
}

/** One generated action: which template, with which values, as JSON for the store. */
export interface ActionInstance {
  action: number;
  values: string[];
}

/** `{item}`, or `{n + 1}` / `{n - 1}` for a named whole number. */
const REFERENCE = /^([A-Za-z][\w-]*)(\s*[+-]\s*\d+)?$/;

/** The generator one placeholder asks for; errors name the cell. */
function placeholderArbitrary(shape: string, cell: Cell): fc.Arbitrary<string> {
  let m: RegExpExecArray | null;
  // Which of the model's items: drawn as a number, taken modulo how many there are when the action runs.
  if (/^an item$/i.test(shape)) return fc.nat({ max: 999 }).map(String);
  if ((m = /^any whole number from (-?\d+) to (-?\d+)$/i.exec(shape))) {
    const [min, max] = [Number(m[1]), Number(m[2])];
    if (!Number.isSafeInteger(min) || !Number.isSafeInteger(max) || min > max)
      throw cellError(cell, `asks for {${shape}}: the range must go from a smaller to a larger whole number`);
    return fc.integer({ min, max }).map(String);
  }
  if ((m = /^one of (.+)$/i.exec(shape))) {
    const items = [...m[1].matchAll(/"([^"]*)"/g)].map((x) => x[1]);
    if (items.length === 0 || m[1].replace(/"[^"]*"/g, "").replace(/[\s,]|or/g, "") !== "")
      throw cellError(cell, `asks for {${shape}}; write {one of "A", "B", "C"}`);
    return fc.constantFrom(...items);
  }
  try {
    return parseTextShape({ ...cell, value: shape });
  } catch {
    // not a text shape either: say every form a generated value can take
  }
  throw cellError(
    cell,
    `has {${shape}}, which is not a generated value; write e.g. {any text up to 30 characters}, {any letters of 1 to 8 characters}, {any whole number from 1 to 9}, {one of "A", "B"}, or {NAME} for a value named with "as NAME" earlier in the action`,
  );
}

/** Is the position inside a "..." string of the step text (an odd number of unescaped quotes before it)? */
function insideQuotes(text: string, at: number): boolean {
  let quotes = 0;
  for (let i = 0; i < at; i++) if (text[i] === '"' && text[i - 1] !== "\\") quotes++;
  return quotes % 2 === 1;
}

function readTemplate(cell: Cell, bound: Set<string>): StepTemplate {
  const placeholders: Placeholder[] = [];
  for (const m of cell.value.matchAll(/\{([^{}]*)\}/g)) {
    const inner = m[1].trim();
    const quoted = insideQuotes(cell.value, m.index!);
    const as = /^(.*\S)\s+as\s+([A-Za-z][\w-]*)$/.exec(inner);
    const ref = REFERENCE.exec(inner);
    if (!as && ref) {
      if (!bound.has(ref[1]))
        throw cellError(cell, `uses {${inner}}, but no earlier line of this action names a value "as ${ref[1]}"`);
      placeholders.push({
        written: m[0],
        ref: ref[1],
        offset: ref[2] ? Number(ref[2].replace(/\s/g, "")) : undefined,
        quoted,
      });
      continue;
    }
    const shape = as ? as[1] : inner;
    const arbitrary = placeholderArbitrary(shape, cell);
    // Cucumber's {string} cannot say a backslash right before a quote or at the end: such values are not drawn there.
    const fromModel = /^an item$/i.test(shape);
    placeholders.push({
      written: m[0],
      arbitrary: quoted && !fromModel ? arbitrary.filter((v) => !/\\(?="|$)/.test(v)) : arbitrary,
      bindAs: as?.[2],
      quoted,
      fromModel,
    });
    if (as) bound.add(as[2]);
  }
  return { text: cell.value, placeholders, row: cell.row };
}

/** "1 s", "500 ms". */
export function waitWords(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

/** The row that gives checks more time: three times the wait, at least 3 s, at most the 30 s the table allows. */
export function raisedWaitRow(ms: number): string {
  return `| check wait | ${Math.min(30, Math.max(3, Math.ceil((ms * 3) / 1000)))} s |`;
}

/** Reads | kind | step | rows; errors name the row. */
export function parseSequencePlan(raw: readonly (readonly string[])[] | undefined): SequencePlan {
  if (!raw || raw.length === 0)
    throw new PropertyInputError(
      `the sequence property needs a table of | kind | step | rows (kinds: ${SEQUENCE_ROW_KINDS.join(", ")})`,
    );
  const plan: SequencePlan = { start: [], actions: [], checks: [], maxActions: 10, checkWaitMs: 1000 };
  let continues: "action" | "check" | "start" | undefined;
  let bound = new Set<string>();
  raw.forEach((cells, i) => {
    const row = i + 1;
    if (cells.length !== 2)
      throw new PropertyInputError(
        `table row ${row} has ${cells.length} cell(s); the sequence property expects two per row: | kind | step |`,
      );
    const kind = cells[0].trim().toLowerCase().replace(/\s+/g, " ");
    const cell: Cell = { name: cells[0].trim(), value: cells[1].trim(), row };
    if (cell.value === "") throw cellError(cell, "is empty");
    switch (kind) {
      case "start":
        noPlaceholders(cell);
        plan.start.push(cell.value);
        continues = "start";
        return;
      case "check":
        noPlaceholders(cell);
        plan.checks.push(cell.value);
        continues = "check";
        return;
      case "action":
      case "required action":
        bound = new Set();
        plan.actions.push({
          index: plan.actions.length,
          title: cell.value,
          lines: [readTemplate(cell, bound)],
          required: kind === "required action",
          row,
        });
        continues = "action";
        return;
      case "and":
        if (continues === "action") plan.actions[plan.actions.length - 1].lines.push(readTemplate(cell, bound));
        else if (continues === "check") plan.checks.push(noPlaceholders(cell).value);
        else if (continues === "start") plan.start.push(noPlaceholders(cell).value);
        else throw new PropertyInputError(`table row ${row}: "and" continues the row above it, and there is none`);
        return;
      case "model": {
        const action = plan.actions[plan.actions.length - 1];
        if (continues !== "action" || !action)
          throw new PropertyInputError(
            `table row ${row}: a "model" row says what the action above it does; there is no action above it`,
          );
        if (action.effect)
          throw new PropertyInputError(`table row ${row}: the action in row ${action.row} already has a model row`);
        action.effect = readEffect(cell, bound);
        return;
      }
      case "items":
        noPlaceholders(cell);
        if (plan.items !== undefined) throw new PropertyInputError(`table row ${row}: "items" is given twice`);
        plan.items = cell.value;
        continues = undefined;
        return;
      case "max actions":
        plan.maxActions = wholeNumberIn(cell, 1, 100);
        continues = undefined;
        return;
      case "check wait": {
        const m = /^(\d+)\s*(ms|s)$/.exec(cell.value);
        if (!m) throw cellError(cell, `is not a time like "1 s" or "500 ms"`);
        plan.checkWaitMs = Number(m[1]) * (m[2] === "s" ? 1000 : 1);
        if (plan.checkWaitMs > 30_000) throw cellError(cell, "is more than 30 s");
        continues = undefined;
        return;
      }
      default:
        throw new PropertyInputError(
          `table row ${row}: "${cell.name}" is not a kind of row the sequence property knows; use one of: ${SEQUENCE_ROW_KINDS.join(", ")}`,
        );
    }
  });
  if (plan.actions.length === 0)
    throw new PropertyInputError(`the sequence property needs at least one | action | <step> | row`);
  if (plan.checks.length === 0 && plan.items === undefined)
    throw new PropertyInputError(
      `the sequence property needs at least one | check | <step> | row (or an | items | row with model rows): what must stay true after every action`,
    );
  const modelled = plan.actions.filter((a) => a.effect);
  if (modelled.length > 0 && plan.items === undefined)
    throw new PropertyInputError(
      `table row ${modelled[0].row}: model rows need an | items | <elements> | row saying which elements on the page the model's items are`,
    );
  if (plan.items !== undefined) {
    const unmodelled = plan.actions.find((a) => !a.effect);
    if (unmodelled)
      throw new PropertyInputError(
        `table row ${unmodelled.row}: with an items model, every action needs a | model | row (e.g. "changes nothing")`,
      );
  }
  return plan;
}

/** `adds {item}`, `removes {item}`, `clears the list`, `changes nothing`. */
function readEffect(cell: Cell, bound: ReadonlySet<string>): ModelEffect {
  const v = cell.value.trim();
  if (/^changes nothing$/i.test(v)) return { kind: "none" };
  if (/^clears the list$/i.test(v)) return { kind: "clears" };
  const m = /^(adds|removes) \{([A-Za-z][\w-]*)\}$/i.exec(v);
  if (!m)
    throw cellError(
      cell,
      `is not a model effect; write "adds {item}", "removes {item}", "clears the list" or "changes nothing"`,
    );
  if (!bound.has(m[2])) throw cellError(cell, `uses {${m[2]}}, but the action above names no value "as ${m[2]}"`);
  return { kind: m[1].toLowerCase() as "adds" | "removes", name: m[2] };
}

function noPlaceholders(cell: Cell): Cell {
  if (/\{[^{}]*\}/.test(cell.value))
    throw cellError(cell, `has a generated value; only action rows (and their "and" rows) may have them`);
  return cell;
}

/** One action with generated values for its placeholders (references excluded). */
export function instanceArbitrary(a: ActionTemplate): fc.Arbitrary<ActionInstance> {
  const gens = a.lines.flatMap((l) => l.placeholders.flatMap((p) => (p.arbitrary ? [p.arbitrary] : [])));
  return fc.tuple(...gens).map((values) => ({ action: a.index, values }));
}

/** Sequences of up to maxActions actions, long ones drawn as often as short ones (size "max"). */
export function sequenceArbitrary(plan: SequencePlan): fc.Arbitrary<ActionInstance[]> {
  // At least one action: the empty sequence checks only the start page, which every run's first checks already do,
  // and a run that acts on nothing does not count as a run (reportRuns).
  return fc.array(fc.oneof(...plan.actions.map(instanceArbitrary)), {
    minLength: 1,
    maxLength: plan.maxActions,
    size: "max",
  });
}

/** Cucumber's {string} reads \" back as a quote. */
function escapeQuoted(value: string): string {
  return value.replace(/"/g, '\\"');
}

/** One action as it runs: its step texts with values filled in, and its named values (for the model). */
export interface ResolvedAction {
  texts: string[];
  named: Map<string, string>;
}

/**
 * Fills in an action's values. `{an item}` takes one of the model's items, so with no items the action
 * has nothing to act on and resolves to undefined (not applicable now).
 */
export function resolveAction(
  plan: SequencePlan,
  inst: ActionInstance,
  items: readonly string[] = [],
): ResolvedAction | undefined {
  const a = plan.actions[inst.action];
  const named = new Map<string, string>();
  let next = 0;
  const texts: string[] = [];
  for (const line of a.lines) {
    let text = line.text;
    for (const p of line.placeholders) {
      let value = p.ref !== undefined ? refValue(named.get(p.ref)!, p.offset) : inst.values[next++];
      if (p.fromModel) {
        if (items.length === 0) return undefined;
        value = items[Number(value) % items.length];
      }
      if (p.bindAs) named.set(p.bindAs, value);
      text = text.replace(p.written, () => (p.quoted ? escapeQuoted(value) : value));
    }
    texts.push(text);
  }
  return { texts, named };
}

/** The step texts of one action with its values filled in (an `{an item}` reads as a placeholder item). */
export function stepTexts(plan: SequencePlan, inst: ActionInstance): string[] {
  return resolveAction(plan, inst, ["item"])!.texts;
}

function refValue(value: string, offset: number | undefined): string {
  if (offset === undefined) return value;
  // An offset on a value that is not a whole number reads as written, so the step that uses it says what is wrong.
  return /^-?\d+$/.test(value) ? String(Number(value) + offset) : `${value}${offset < 0 ? "" : "+"}${offset}`;
}

/** A stored counterexample read back; throws when it no longer fits the table. */
export function decodeSequence(plan: SequencePlan, json: unknown): ActionInstance[] {
  if (!Array.isArray(json)) throw new Error("not a list of actions");
  return json.map((x: unknown) => {
    const inst = x as ActionInstance;
    const a = plan.actions[inst?.action];
    const wanted = a ? a.lines.reduce((n, l) => n + l.placeholders.filter((p) => p.arbitrary).length, 0) : -1;
    if (
      !a ||
      !Array.isArray(inst.values) ||
      inst.values.length !== wanted ||
      inst.values.some((v) => typeof v !== "string")
    )
      throw new Error("an action that is not in this table");
    return { action: inst.action, values: inst.values };
  });
}

/** What the last run of a sequence did: each action that ran with its texts as run, and where it failed. */
export interface SequenceOutcome {
  ran: Map<number, string[]>;
  /** The check that failed; null when the last action failed inside itself (no check after it). */
  failedCheck?: string | null;
  /** The model's expectation that failed, as a comment line. */
  modelNote?: string;
}

/**
 * The sequence as Gherkin a person can paste into a scenario: the actions that ran, then the check that
 * failed (every check when the outcome names none; none when the last action itself failed).
 */
export function showSequence(plan: SequencePlan, seq: ActionInstance[], outcome?: SequenceOutcome): string {
  const lines: string[] = plan.start.map((s, i) => `${i === 0 ? "Given" : "And"} ${s}`);
  let acted = false; // the first action's first step is the When; every step after it an And, as a person writes it
  seq.forEach((inst, i) => {
    const texts = outcome ? outcome.ran.get(i) : stepTexts(plan, inst);
    texts?.forEach((t) => {
      lines.push(`${acted ? "And" : "When"} ${t}`);
      acted = true;
    });
  });
  const f = outcome?.failedCheck;
  const checks = f === null || outcome?.modelNote ? [] : f !== undefined ? [f] : plan.checks;
  checks.forEach((c, i) => lines.push(`${i === 0 ? "Then" : "And"} ${c}`));
  if (outcome?.modelNote) lines.push(`# ${outcome.modelNote}`);
  return lines.join("\n");
}
