// Cucumber's step matching with the engine's own RegExp match indices (the `d` flag) instead of the regexp-match-indices polyfill.
// Hand-written because no maintained package does it: @cucumber/cucumber-expressions (19 and 20) always calls
// regexp-match-indices, whose native-support check runs a RegExp without the `d` flag and so always picks the
// polyfill, which parses and regenerates every step definition's RegExp with regexp-tree (≈ 0.5 s of CPU to
// match the first two steps of a run, and again per step; bench/RESULTS.md). Node ≥ 16.4 has the flag natively.
import Module from "node:module";
import { dirname } from "node:path";

/** Per step-definition RegExp: the same pattern and flags plus `d`, and the literal text every match starts with. */
const prepared = new WeakMap<RegExp, { d: RegExp; prefix: string }>();

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
 * `exec` with `indices` on the result, as regexp-match-indices' `exec(regexp, string)` does: the same match
 * (the `d` flag changes no matching), lastIndex read from and written back to the caller's RegExp.
 */
export function execWithIndices(regexp: RegExp, input: string): RegExpExecArray | null {
  let p = prepared.get(regexp);
  if (!p) {
    p = {
      d: regexp.hasIndices ? regexp : new RegExp(regexp.source, `${regexp.flags}d`),
      prefix: literalPrefix(regexp),
    };
    prepared.set(regexp, p);
  }
  // Without g or y, a failed exec leaves lastIndex as it was: nothing to write back.
  if (p.prefix && !input.startsWith(p.prefix)) return null;
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
