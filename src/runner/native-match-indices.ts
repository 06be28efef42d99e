// Cucumber's step matching with the engine's own RegExp match indices (the `d` flag) instead of the regexp-match-indices polyfill.
// Hand-written because no maintained package does it: @cucumber/cucumber-expressions (19 and 20) always calls
// regexp-match-indices, whose native-support check runs a RegExp without the `d` flag and so always picks the
// polyfill, which parses and regenerates every step definition's RegExp with regexp-tree (≈ 0.5 s of CPU to
// match the first two steps of a run, and again per step; bench/RESULTS.md). Node ≥ 16.4 has the flag natively.
import Module from "node:module";
import { dirname } from "node:path";

/** Per step-definition RegExp: the same pattern and flags plus `d`, and the literal text every match starts with. */
const prepared = new WeakMap<RegExp, { d: RegExp; prefix: string; literal: string }>();

/** Characters that are literal when escaped with a backslash (any other escape is a class or an assertion). */
const ESCAPED_LITERAL = new Set([..."^$\\.*+?()[]{}|/-"]);
const META = new Set([..."^$\\.*+?()[]{}|"]);
const QUANTIFIER = new Set([..."*+?{"]);

/** True when a `|` outside any group and character class splits the whole pattern into alternatives. */
function hasTopLevelAlternation(source: string): boolean {
  let depth = 0;
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === "\\") i++;
    else if (inClass) inClass = c !== "]";
    else if (c === "[") inClass = true;
    else if (c === "(") depth++;
    else if (c === ")") depth--;
    else if (c === "|" && depth === 0) return true;
  }
  return false;
}

/**
 * The text any match must start with: the literal characters after a leading `^`, up to the first
 * metacharacter (a literal followed by a quantifier is dropped). Empty when the flags make `^` or the
 * literal mean more (i, m, u, v) or make lastIndex matter (g, y), or the pattern has top-level alternatives.
 * Cucumber runs every step text against every step definition: a text that cannot match then costs no
 * RegExp compilation (≈ 5–30 ms for each of the generic steps' element-phrase patterns).
 */
export function literalPrefix(re: RegExp): string {
  const { source, flags } = re;
  if (/[gimuyv]/.test(flags) || source[0] !== "^" || hasTopLevelAlternation(source)) return "";
  let prefix = "";
  for (let i = 1; i < source.length;) {
    let c = source[i];
    let width = 1;
    if (c === "\\") {
      if (!ESCAPED_LITERAL.has(source[i + 1])) break;
      c = source[i + 1];
      width = 2;
    } else if (META.has(c)) break;
    if (QUANTIFIER.has(source[i + width])) break;
    prefix += c;
    i += width;
  }
  return prefix;
}

/**
 * The longest text every match must contain, found outside the pattern's groups and classes (as in
 * `^(<element>) should be visible$`, " should be visible"); empty when it cannot be known, under the flags
 * literalPrefix gives up on. Most generic steps start with an element phrase, so they have no literal prefix, and
 * the first step text of a process compiled every one of them: ≈ 0.3–0.5 s of CPU before the first scenario's
 * steps ran (bench/RESULTS.md). A text without the literal cannot match, and is not run against the RegExp.
 */
export function requiredLiteral(re: RegExp): string {
  const { source, flags } = re;
  if (/[gimuyv]/.test(flags) || hasTopLevelAlternation(source)) return "";
  let longest = "";
  let run = "";
  const end = () => {
    if (run.length > longest.length) longest = run;
    run = "";
  };
  let depth = 0;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === "[") {
      // A class: past its closing bracket (an escaped one does not close it).
      for (i++; i < source.length && source[i] !== "]"; i++) if (source[i] === "\\") i++;
      end();
    } else if (c === "\\") {
      const next = source[++i];
      if (depth === 0 && ESCAPED_LITERAL.has(next) && !QUANTIFIER.has(source[i + 1])) run += next;
      else {
        end();
        i += escapeTail(source, i);
      }
    } else if (c === "{" && depth === 0) {
      // A quantifier's bounds are no text; a brace that starts none is a literal, left out (the run ends).
      const bounds = /^\{\d+(?:,\d*)?\}/.exec(source.slice(i));
      end();
      if (bounds) i += bounds[0].length - 1;
    } else if (c === "(") {
      depth++;
      end();
    } else if (c === ")") {
      depth--;
      end();
    } else if (depth > 0) continue;
    else if (META.has(c) || QUANTIFIER.has(source[i + 1])) end();
    else run += c;
  }
  end();
  return longest;
}

/**
 * How many characters after `source[at]` (the letter after a backslash) belong to its escape: \uXXXX, \xXX, \cX,
 * \k<name>, a back reference's or octal escape's further digits; none for a one-letter class or assertion.
 */
function escapeTail(source: string, at: number): number {
  const rest = source.slice(at + 1);
  const tail: Record<string, RegExp> = { u: /^[0-9a-fA-F]{4}/, x: /^[0-9a-fA-F]{2}/, c: /^[a-zA-Z]/, k: /^<[^>]*>/ };
  const letter = source[at];
  if (/[0-9]/.test(letter)) return /^[0-9]*/.exec(rest)![0].length;
  return tail[letter]?.exec(rest)?.[0].length ?? 0;
}

/**
 * `exec` with `indices` on the result, as regexp-match-indices' `exec(regexp, string)` does: the same match
 * (the `d` flag changes no matching), lastIndex read from and written back to the caller's RegExp.
 */
export function execWithIndices(regexp: RegExp, input: string): RegExpExecArray | null {
  let p = prepared.get(regexp);
  if (!p) {
    p = {
      d: regexp.hasIndices ? regexp : new RegExp(regexp.source, `${regexp.flags}d`),
      prefix: literalPrefix(regexp),
      literal: requiredLiteral(regexp),
    };
    prepared.set(regexp, p);
  }
  // Without g or y, a failed exec leaves lastIndex as it was: nothing to write back.
  if (p.prefix && !input.startsWith(p.prefix)) return null;
  if (p.literal && !input.includes(p.literal)) return null;
  if (p.d === regexp) return regexp.exec(input);
  p.d.lastIndex = regexp.lastIndex;
  const match = p.d.exec(input);
  regexp.lastIndex = p.d.lastIndex;
  return match;
}

/** The regexp-match-indices module that @cucumber/cucumber's own cucumber-expressions would load. */
function polyfillPath(): string {
  const cucumber = require.resolve("@cucumber/cucumber");
  const expressions = require.resolve("@cucumber/cucumber-expressions", { paths: [dirname(cucumber)] });
  return require.resolve("regexp-match-indices", { paths: [dirname(expressions)] });
}

/**
 * Makes the cucumber-expressions that Cucumber loads next match with native indices. Must run before
 * Cucumber is loaded (it takes effect when cucumber-expressions first requires the polyfill); a no-op when
 * the engine lacks the `d` flag or the polyfill has already been loaded.
 */
export function useNativeMatchIndices(): boolean {
  if (!("hasIndices" in RegExp.prototype)) return false;
  let path: string;
  try {
    path = polyfillPath();
  } catch {
    return false; // a different Cucumber layout: its own polyfill stays, slower but correct
  }
  if (require.cache[path]) return false;
  const shim = new Module(path);
  shim.filename = path;
  shim.loaded = true;
  shim.exports = execWithIndices;
  require.cache[path] = shim;
  return true;
}
