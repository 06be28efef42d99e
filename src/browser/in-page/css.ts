// CSS phrases (`the element matching "x-card .price"`) as Playwright's CSS engine matches them, for the in-page bundle.
//
// Playwright's CSS crosses open shadow roots: a descendant or child combinator steps from a shadow root's top
// elements up to its host, and `:has()` looks down into shadow roots (playwright-core's selectorEvaluator:
// _matchesParents, parentElementOrShadowHost, hasEngine). The browser's own `matches` and `querySelectorAll` stop at
// a shadow root, so `x-card .price` found nothing on Selenium where `.price` is in x-card's open shadow root.
//
// Why written here rather than taken from a library: query-selector-shadow-dom (WebdriverIO's) splits selectors on
// spaces and commas even inside `:is(…)`, matches ancestors greedily without backtracking (`a > b c` can miss), leaves
// `:has()` in one tree, and keeps neither Playwright's order of matches nor its rule that inside a container every
// compound matches inside it. Nor from a selector parser (checked 2026-12-05): css-what decodes escapes and its
// stringify does not restore them (`.a\>b` comes back as a child combinator), parsel-js reads an escape as one
// character (`.a\31 b` splits at the escape's space), and postcss-selector-parser, which round-trips them, would triple
// the bundle Selenium injects into every page. What is here is small: a splitter of a selector list into compound
// selectors and combinators (quotes, brackets, parentheses and escapes kept whole), with the pseudo-classes Playwright
// evaluates itself (`:is()`, `:where()`, `:not()`, `:has()`, `:scope`) taken out of each compound, and Playwright's
// walk over the tree; the rest of each compound is decided by the browser's own `matches`. The browser answers alone
// for a selector without combinators, `:has()` or `:scope`, and outside a container for an element in the document
// itself (its ancestors and siblings are all in the one tree, so the walk would find nothing more) unless `:has()` may
// look into a shadow root below it or `:scope` is read. On a page without open shadow roots, CSS outside a container
// costs what it cost before; on one with them, a selector with a combinator costs a getRootNode() per element more.
//
// Left to the browser, which refuses them: Playwright's own pseudo-classes (`:has-text()`, `:visible`, …) and `>>`.

/** How a compound selector relates to the one after it: descendant, child, next sibling, later sibling. */
export type Combinator = " " | ">" | "+" | "~";

/** A pseudo-class Playwright evaluates itself, with its selector list. */
export type PseudoClass = { name: "scope" } | { name: "is" | "where" | "not" | "has"; args: ComplexSelector[] };

/** A compound selector: what the browser matches (`css`, "" for anything) and the pseudo-classes taken out of it. */
export interface Compound {
  css: string;
  pseudo: PseudoClass[];
}

/** One selector of a list: its compound selectors, left to right, and the combinators between them. */
export interface ComplexSelector {
  compounds: Compound[];
  /** `combinators[i]` joins `compounds[i]` and `compounds[i + 1]`. */
  combinators: Combinator[];
}

const HEX = /[0-9a-fA-F]/;
const SPACE = /[ \t\n\r\f]/;
const PSEUDO_FUNCTION = /^:(is|where|not|has)\(/i;
const SCOPE = /^:scope(?![-\w\\(])/i;

/** Where the parenthesis closing the one before `from` is (quotes, brackets and escapes skipped), or -1. */
function closingParen(s: string, from: number): number {
  let depth = 0;
  let quote = "";
  for (let i = from; i < s.length; i++) {
    const ch = s[i];
    if (ch === "\\") i++;
    else if (quote) {
      if (ch === quote) quote = "";
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === "(" || ch === "[") depth++;
    else if (ch === ")" || ch === "]") {
      if (depth === 0) return ch === ")" ? i : -1;
      depth--;
    }
  }
  return -1;
}

/**
 * A selector list split into its complex selectors, each into compound selectors and combinators; null when it does
 * not split so (a combinator with no compound after it, an unclosed quote or bracket): the browser then judges it.
 * A selector starting with a combinator (`> img` in `:has(> img)`) starts at `:scope`, as in Playwright.
 */
export function parseSelectorList(selector: string): ComplexSelector[] | null {
  const list: ComplexSelector[] = [];
  let compounds: Compound[] = [];
  let combinators: Combinator[] = [];
  let css = "";
  let pseudo: PseudoClass[] = [];
  let pending: Combinator | null = null;
  let depth = 0;
  let quote = "";
  /** Ends the compound being read; false when nothing was read. */
  const endCompound = (): boolean => {
    if (!css && pseudo.length === 0) return false;
    if (compounds.length > 0) combinators.push(pending ?? " ");
    compounds.push({ css, pseudo });
    css = "";
    pseudo = [];
    pending = null;
    return true;
  };
  /** Ends the complex selector being read; false when it is empty or ends on a combinator. */
  const endComplex = (): boolean => {
    endCompound();
    if (compounds.length === 0 || (pending !== null && pending !== " ")) return false;
    list.push({ compounds, combinators });
    compounds = [];
    combinators = [];
    pending = null;
    return true;
  };
  for (let i = 0; i < selector.length; i++) {
    const ch = selector[i];
    if (ch === "\\") {
      // An escape: the next character, or up to six hex digits and one white space after them.
      let escape = ch;
      if (i + 1 < selector.length && HEX.test(selector[i + 1])) {
        for (let n = 0; n < 6 && i + 1 < selector.length && HEX.test(selector[i + 1]); n++) escape += selector[++i];
        if (i + 1 < selector.length && SPACE.test(selector[i + 1])) escape += selector[++i];
      } else if (i + 1 < selector.length) escape += selector[++i];
      css += escape;
      continue;
    }
    if (quote) {
      css += ch;
      if (ch === quote) quote = "";
      continue;
    }
    if (ch === '"' || ch === "'") {
      quote = ch;
      css += ch;
      continue;
    }
    if (ch === "(" || ch === "[") depth++;
    else if (ch === ")" || ch === "]") {
      if (--depth < 0) return null;
    } else if (depth === 0) {
      if (SPACE.test(ch)) {
        if (endCompound() || (compounds.length > 0 && pending === null)) pending = " ";
        continue;
      }
      if (ch === ">" || ch === "+" || ch === "~") {
        endCompound();
        if (pending !== null && pending !== " ") return null;
        if (compounds.length === 0) compounds.push({ css: "", pseudo: [{ name: "scope" }] });
        pending = ch;
        continue;
      }
      if (ch === ",") {
        if (!endComplex()) return null;
        continue;
      }
      if (ch === ":") {
        const rest = selector.slice(i);
        const fn = PSEUDO_FUNCTION.exec(rest);
        if (fn) {
          const end = closingParen(selector, i + fn[0].length);
          const args = end < 0 ? null : parseSelectorList(selector.slice(i + fn[0].length, end));
          if (args === null) return null;
          pseudo.push({ name: fn[1].toLowerCase() as "is" | "where" | "not" | "has", args });
          i = end;
          continue;
        }
        const scope = SCOPE.exec(rest);
        if (scope) {
          pseudo.push({ name: "scope" });
          i += scope[0].length - 1;
          continue;
        }
      }
    }
    css += ch;
  }
  if (quote || depth !== 0 || !endComplex()) return null;
  return list;
}

/** What decides how a selector may be matched (cssMatcher), found at any depth of it. */
interface Features {
  /** A selector of several compounds: it may reach across a shadow root or out of a container. */
  combinator: boolean;
  /** A `:has()`: it looks down into shadow roots, wherever the element is. */
  has: boolean;
  /** A `:scope` (or a selector starting with a combinator): the browser reads it otherwise. */
  scope: boolean;
  /** A `:not()` of a selector with a combinator: matching across more of the tree may match less. */
  negated: boolean;
}

function featuresOf(list: ComplexSelector[]): Features {
  const f: Features = { combinator: false, has: false, scope: false, negated: false };
  for (const c of list) {
    if (c.compounds.length > 1) f.combinator = true;
    for (const k of c.compounds) {
      for (const p of k.pseudo) {
        if (p.name === "scope") {
          f.scope = true;
          continue;
        }
        if (p.name === "has") f.has = true;
        const inner = featuresOf(p.args);
        f.combinator ||= inner.combinator;
        f.has ||= inner.has;
        f.scope ||= inner.scope;
        f.negated ||= inner.negated || (p.name === "not" && inner.combinator);
      }
    }
  }
  return f;
}

/** Whether the selector is a list of several (whose matches Playwright puts in tree order: treeOrder). */
export function isSelectorList(selector: string): boolean {
  return (parseSelectorList(selector)?.length ?? 1) > 1;
}

/** The element's parent, or the host of the shadow root it is a top element of (Playwright's parentElementOrShadowHost). */
function parentOrHost(el: Element): Element | null {
  if (el.parentElement) return el.parentElement;
  const parent = el.parentNode;
  return parent instanceof ShadowRoot ? parent.host : null;
}

/**
 * Where a selector is matched (Playwright's QueryContext): inside `scope` (null: the document), no compound matching
 * the scope itself; `:scope` is `original` when a `:scope` in the selector moved the scope up to its parent.
 */
interface Context {
  scope: Element | null;
  original: Element | null;
}

/** The context a selector with `:scope` in it is matched in: the scope moved up to its parent (Playwright's). */
function forScope(c: ComplexSelector, ctx: Context): Context {
  if (ctx.scope === null || !c.compounds.some((k) => k.pseudo.some((p) => p.name === "scope"))) return ctx;
  const parent = parentOrHost(ctx.scope);
  return parent ? { scope: parent, original: ctx.original ?? ctx.scope } : ctx;
}

/** Does `el` match the complex selector in `ctx`? */
function matchesComplex(el: Element, c: ComplexSelector, ctx: Context): boolean {
  const at = forScope(c, ctx);
  return matchesAt(el, c, c.compounds.length - 1, at);
}

/** Does `el` match the compound selector (not being the scope)? */
function matchesCompound(el: Element, k: Compound, ctx: Context): boolean {
  if (el === ctx.scope || (k.css !== "" && !el.matches(k.css))) return false;
  for (const p of k.pseudo) {
    switch (p.name) {
      case "scope": {
        const scope = ctx.original ?? ctx.scope;
        if (el !== (scope ?? el.ownerDocument.documentElement)) return false;
        break;
      }
      case "not":
        if (p.args.some((c) => matchesComplex(el, c, ctx))) return false;
        break;
      case "has":
        if (!has(el, p.args, ctx)) return false;
        break;
      default:
        if (!p.args.some((c) => matchesComplex(el, c, ctx))) return false;
    }
  }
  return true;
}

/**
 * `:has()`: does an element under `el` (into open shadow roots) match a selector of the list, matched inside `el`?
 * Candidates are found as Playwright's _queryCSS finds them: by the browser, for the last compound's CSS, root by root.
 */
function has(el: Element, args: ComplexSelector[], outer: Context): boolean {
  return args.some((c) => {
    const ctx = forScope(c, { scope: el, original: outer.original });
    const last = c.compounds.length - 1;
    const css = c.compounds[last].css || "*";
    const search = (root: Element | ShadowRoot): boolean => {
      for (const candidate of Array.from(root.querySelectorAll(css)))
        if (matchesAt(candidate, c, last, ctx)) return true;
      if (root instanceof Element && root.shadowRoot && search(root.shadowRoot)) return true;
      for (const host of Array.from(root.querySelectorAll("*")))
        if (host.shadowRoot && search(host.shadowRoot)) return true;
      return false;
    };
    return search(ctx.scope!);
  });
}

/** Does `el` match compound `i` of `c`, and compounds 0…i-1 the elements its combinators lead to, in `ctx`? */
function matchesAt(el: Element, c: ComplexSelector, i: number, ctx: Context): boolean {
  return matchesCompound(el, c.compounds[i], ctx) && (i === 0 || matchesBefore(el, c, i - 1, ctx));
}

/**
 * Do compounds 0…j of `c` match, compound j on an element combinator j leads to from `el` (in `ctx`)? Where
 * combinator j-1 is of the same kind, the search stops at the first element compound j fits: any later one is
 * reached again from it (Playwright's cut).
 */
function matchesBefore(el: Element, c: ComplexSelector, j: number, ctx: Context): boolean {
  const up = (e: Element): Element | null => (e === ctx.scope ? null : parentOrHost(e));
  const combinator = c.combinators[j];
  if (combinator === ">") {
    const parent = up(el);
    return parent !== null && matchesAt(parent, c, j, ctx);
  }
  if (combinator === "+") {
    const before = el.previousElementSibling;
    return before !== null && matchesAt(before, c, j, ctx);
  }
  const next = combinator === "~" ? (e: Element) => e.previousElementSibling : up;
  for (let e = next(el); e; e = next(e)) {
    if (!matchesCompound(e, c.compounds[j], ctx)) continue;
    if (j === 0 || matchesBefore(e, c, j - 1, ctx)) return true;
    if (c.combinators[j - 1] === combinator) return false;
  }
  return false;
}

/**
 * The CSS phrase's test of one element, as Playwright's CSS engine decides it (see the file's header). With `scope`,
 * as Playwright decides it inside that container: every compound matches an element inside it (not the container).
 * `noShadowRoots`: the page has no open shadow root (the elements tested are all in the document itself). Throws the
 * browser's SyntaxError for a selector it does not take.
 */
export function cssMatcher(selector: string, noShadowRoots = false): (el: Element, scope?: Element) => boolean {
  const list = parseSelectorList(selector);
  const native = (el: Element) => el.matches(selector);
  if (list === null) return native;
  const deep = (el: Element, scope?: Element) =>
    list.some((c) => matchesComplex(el, c, { scope: scope ?? null, original: null }));
  const f = featuresOf(list);
  if (f.scope) return deep;
  // Compounds alone, nothing looking down: the browser's answer is the whole answer (the caller keeps an element
  // inside its container).
  if (!f.combinator && !f.has) return native;
  /** Past what the browser alone answers: in a shadow root or a container (bar `:has()`, looking down). */
  const walked = (el: Element, inShadow: boolean, scope?: Element): boolean => {
    if (f.negated) return deep(el, scope);
    // No `:not()` of a combinator: what the browser matches in one tree the walk matches too (bar the container's
    // bound), and what it does not match in the document the walk does not either.
    if (!native(el)) return inShadow && deep(el, scope);
    return scope === undefined || deep(el, scope);
  };
  // In the document itself, its ancestors and siblings too, and no container to keep within: the browser's answer.
  if (noShadowRoots)
    return (el, scope) => (scope === undefined || !f.combinator ? native(el) : walked(el, false, scope));
  return (el, scope) => {
    // `:has()` looks down into shadow roots wherever the element is.
    if (f.has) return deep(el, scope);
    const inShadow = el.getRootNode() !== el.ownerDocument;
    return !inShadow && (scope === undefined || !f.combinator) ? native(el) : walked(el, inShadow, scope);
  };
}

/**
 * The elements in tree order, an element's light children before the top elements of its shadow root (Playwright's
 * sortInDOMOrder, the order of a selector list's matches). Elements all in the document itself are in that order
 * already (allElements lists the document's own first): they come back as they are.
 */
export function treeOrder(elements: Element[]): Element[] {
  if (!elements.some((el) => el.getRootNode() instanceof ShadowRoot)) return elements;
  const wanted = new Set(elements);
  const ordered: Element[] = [];
  const visit = (el: Element): void => {
    if (wanted.has(el)) ordered.push(el);
    for (let c = el.firstElementChild; c; c = c.nextElementSibling) visit(c);
    for (let c = el.shadowRoot?.firstElementChild; c; c = c.nextElementSibling) visit(c);
  };
  if (document.documentElement) visit(document.documentElement);
  return ordered;
}
