// Cucumber's step matching with the engine's own RegExp match indices (the `d` flag) instead of the regexp-match-indices polyfill.
// Hand-written because no maintained package does it: @cucumber/cucumber-expressions (19 and 20) always calls
// regexp-match-indices, whose native-support check runs a RegExp without the `d` flag and so always picks the
// polyfill, which parses and regenerates every step definition's RegExp with regexp-tree (≈ 0.5 s of CPU to
// match the first two steps of a run, and again per step; bench/RESULTS.md). Node ≥ 16.4 has the flag natively.
import Module from "node:module";
import { dirname } from "node:path";

/** Per step-definition RegExp: the same pattern and flags plus `d`. */
const withIndices = new WeakMap<RegExp, RegExp>();

/**
 * `exec` with `indices` on the result, as regexp-match-indices' `exec(regexp, string)` does: the same match
 * (the `d` flag changes no matching), lastIndex read from and written back to the caller's RegExp.
 */
export function execWithIndices(regexp: RegExp, input: string): RegExpExecArray | null {
  if (regexp.hasIndices) return regexp.exec(input);
  let d = withIndices.get(regexp);
  if (!d) {
    d = new RegExp(regexp.source, `${regexp.flags}d`);
    withIndices.set(regexp, d);
  }
  d.lastIndex = regexp.lastIndex;
  const match = d.exec(input);
  regexp.lastIndex = d.lastIndex;
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
