// The step an undefined step text most likely meant. Hand-written: Cucumber prints a snippet for an undefined step and never names the definition it nearly matched.
import {
  CucumberExpression,
  type Node,
  NodeType,
  ParameterType,
  ParameterTypeRegistry,
} from "@cucumber/cucumber-expressions";
import { editDistance } from "../core/did-you-mean";

/** A step definition's pattern as Cucumber's messages carry it. */
export interface StepPattern {
  source: string;
  /** "CUCUMBER_EXPRESSION" or "REGULAR_EXPRESSION" (a regular expression is never suggested: it has no words to compare). */
  type: string;
}

/** The regular expressions of the project's parameter types (`element` …), by name: what such a parameter takes. */
export type ParameterRegexps = ReadonlyMap<string, readonly string[]>;

/** One place of a pattern: a literal word, or a parameter by what it takes. */
type Slot =
  | { kind: "word"; word: string }
  | { kind: "string" }
  | { kind: "number" }
  /** `{word}`: one word. */
  | { kind: "one" }
  /** Any other parameter: one word or more, which its regular expression (when known) must match whole. */
  | { kind: "some"; takes?: RegExp };

/** One word of a step text (quoted text and numbers are what `{string}` and `{int}` take), and where it is. */
type Word = { kind: "word" | "string" | "number"; word: string; start: number; end: number };

const NUMBER_TYPES = new Set(["int", "float", "double", "bigdecimal", "biginteger", "byte", "short", "long"]);
/** How many spellings one pattern's optional and alternative text may expand to. */
const MAX_SPELLINGS = 32;
/**
 * What the step text has where the pattern has the same word, quoted text where it takes a string, a number where
 * it takes a number, or words its parameter's expression matches: a small gain, so that `I should see "x"` is nearer
 * `I should see {string}` than a step whose parameter could also take `"x"`.
 */
const EXACT = -0.01;
/** A word too many or too few: a little less than a wrong word, since every other word is still where it was. */
const GAP = 0.8;
/** Patterns within this distance of the nearest are as likely meant, and named with it. */
const AS_NEAR = 0.1;
/** More patterns about as near as this say nothing. */
const MAX_SUGGESTED = 3;
/** A step text longer than this gets no hint: the distance is quadratic in its words. */
const MAX_WORDS = 64;
/** The most words one parameter of the project's own type is tried with. */
const MAX_RUN = 24;
/** Placeholder of a parameter in a spelling: no step text holds it. */
const PARAM = "\u0000";

/**
 * ` (did you mean "I click {element}"?)` for the pattern nearest to `text` (or the two or three about as near), or ""
 * when none is near. Near: a word-level edit distance in which a word one or two letters off costs a fraction, a
 * parameter takes what it would take, and the distance is at most a third of the pattern's length (at least 1).
 */
export function nearestStepHint(
  text: string,
  patterns: Iterable<StepPattern>,
  parameters: ParameterRegexps = new Map(),
): string {
  return nearestStepFinder(patterns, parameters)(text);
}

/** nearestStepHint over the same patterns for many texts: each pattern is spelled out once. */
export function nearestStepFinder(
  patterns: Iterable<StepPattern>,
  parameters: ParameterRegexps = new Map(),
): (text: string) => string {
  const spelled = [...patterns]
    .filter((p) => p.type === "CUCUMBER_EXPRESSION")
    .map((p) => ({ source: p.source, spellings: spellings(p.source, parameters) }));
  return (text) => {
    const words = wordsOf(text);
    if (words.length > MAX_WORDS) return "";
    const near = new Map<string, number>();
    for (const p of spelled)
      for (const slots of p.spellings) {
        const d = distance(text, words, slots);
        if (d <= Math.max(1, slots.length / 3) && d < (near.get(p.source) ?? Infinity)) near.set(p.source, d);
      }
    const best = Math.min(...near.values());
    const nearest = [...near].filter(([, d]) => d <= best + AS_NEAR).sort((x, y) => x[1] - y[1]);
    if (nearest.length === 0 || nearest.length > MAX_SUGGESTED) return "";
    return ` (did you mean ${nearest.map(([source]) => `"${source}"`).join(" or ")}?)`;
  };
}

function wordsOf(text: string): Word[] {
  return [...text.matchAll(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|\S+/g)].map((m) => {
    const w = m[0];
    const at = { word: w.toLowerCase(), start: m.index, end: m.index + w.length };
    if (/^["']/.test(w)) return { kind: "string", ...at };
    if (/^-?\d+(?:\.\d+)?$/.test(w)) return { kind: "number", ...at };
    return { kind: "word", ...at };
  });
}

/** Every spelling of a Cucumber expression (optional text left out or in, each alternative), as slots. */
function spellings(source: string, parameters: ParameterRegexps): Slot[][] {
  let ast: Node;
  try {
    ast = new CucumberExpression(source, registryFor(source)).ast;
  } catch {
    return []; // an expression Cucumber itself refuses is not a suggestion
  }
  return expand(ast.nodes ?? [], [""]).map((s) =>
    s
      .split(/\s+/)
      .filter(Boolean)
      .map((token) => slotOf(token, parameters)),
  );
}

/** A registry that knows every parameter `source` names: only the names matter here, not what they match. */
function registryFor(source: string): ParameterTypeRegistry {
  const registry = new ParameterTypeRegistry();
  for (const [, name] of source.matchAll(/(?<!\\)\{([^{}]*)\}/g))
    if (!registry.lookupByTypeName(name))
      registry.defineParameterType(new ParameterType(name, /.+/, String, (s: string) => s, false, false));
  return registry;
}

function expand(nodes: readonly Node[], prefixes: string[]): string[] {
  let out = prefixes;
  for (const node of nodes) {
    switch (node.type) {
      case NodeType.text:
        out = out.map((p) => p + node.text());
        break;
      case NodeType.parameter:
        out = out.map((p) => `${p}${PARAM}${node.text()}${PARAM}`);
        break;
      case NodeType.optional:
        out = [...out, ...expand(node.nodes ?? [], out)];
        break;
      case NodeType.alternation:
        out = (node.nodes ?? []).flatMap((alternative) => expand(alternative.nodes ?? [], out));
        break;
      default:
        break;
    }
    out = out.slice(0, MAX_SPELLINGS);
  }
  return out;
}

function slotOf(token: string, parameters: ParameterRegexps): Slot {
  const param = new RegExp(`${PARAM}([^${PARAM}]*)${PARAM}`).exec(token);
  if (!param) return { kind: "word", word: token.toLowerCase() };
  const name = param[1];
  if (name === "string") return { kind: "string" };
  if (NUMBER_TYPES.has(name)) return { kind: "number" };
  if (name === "word") return { kind: "one" };
  const sources = parameters.get(name);
  if (!sources || sources.length === 0) return { kind: "some" };
  try {
    return { kind: "some", takes: new RegExp(`^(?:${sources.map((s) => `(?:${s})`).join("|")})$`) };
  } catch {
    return { kind: "some" };
  }
}

/** What putting the word `w` where the pattern has `s` costs (a "some" slot's words are costed in `distance`). */
function substitution(w: Word, s: Exclude<Slot, { kind: "some" }>): number {
  switch (s.kind) {
    case "one":
      return w.kind === "string" ? 1 : EXACT;
    case "string":
      return w.kind === "string" ? EXACT : 0.1; // the quotes left out
    case "number":
      return w.kind === "number" ? EXACT : 1;
    case "word": {
      if (w.kind === "string") return 1;
      if (w.word === s.word) return EXACT;
      const edits = editDistance(w.word, s.word);
      const ratio = edits / Math.max(w.word.length, s.word.length);
      return edits <= 2 && ratio <= 0.34 ? ratio : 1;
    }
  }
}

/**
 * The word-level edit distance of a step text to one spelling. A "some" slot takes a run of one word or more:
 * a gain when its parameter's expression matches the run (or none is known), else 1 as a wrong word costs.
 */
function distance(text: string, words: readonly Word[], slots: readonly Slot[]): number {
  // d[i][j]: the first i words against the first j slots.
  const d = Array.from({ length: words.length + 1 }, (_, i) => [i * GAP]);
  for (let j = 1; j <= slots.length; j++) d[0][j] = j * GAP;
  for (let i = 1; i <= words.length; i++)
    for (let j = 1; j <= slots.length; j++) {
      const s = slots[j - 1];
      let best = Math.min(d[i - 1][j] + GAP, d[i][j - 1] + GAP);
      if (s.kind !== "some") best = Math.min(best, d[i - 1][j - 1] + substitution(words[i - 1], s));
      else
        for (let k = i - 1; k >= Math.max(0, i - MAX_RUN); k--) {
          const run = text.slice(words[k].start, words[i - 1].end);
          best = Math.min(best, d[k][j - 1] + (!s.takes || s.takes.test(run) ? EXACT : 1));
        }
      d[i][j] = best;
    }
  return d[words.length][slots.length];
}
