// The text an element shows as a reader reads it (open shadow roots included, boxes laid out apart read apart), read in the page the same way by both drivers.
//
// Hand-written around innerText, which is used wherever it reads as drawn. It is not in two cases, and no platform API
// or library reads text otherwise (Playwright's text engine is textContent, and is not reachable from a plain
// evaluate, nor on Selenium; its aria snapshot is not text): innerText follows the DOM tree, so the text of web
// components (an open shadow root's content, and the light children a <slot> shows) is missing from it; and it runs a
// box that sits in a line of text into the text beside it when no whitespace stands between them in the HTML, since
// the HTML spec's innerText breaks lines only around block-level boxes and table parts: an atomic inline box
// (inline-block, inline-flex, inline-grid, inline-table: a <button>, a chip, a badge;
// `<button>Save</button><button>Cancel</button>` gives "SaveCancel"), or an inline box spaced by its margin, border or
// padding. Flex and grid items are block-level (blockified), so innerText has them apart already. Only the parts of
// the tree that lead to such a place are walked here; every other part is its own innerText, and styles are read only
// where two texts touch in the HTML, since reading every element's style costs several times innerText itself.

/**
 * Runs in the page (serialized: it may use nothing from this module). `root`'s innerText when nothing under it is in a
 * shadow root or is a box run into the text beside it; else its text along the flat tree (what is drawn: a host's
 * shadow root instead of its children, a slot's assigned nodes instead of its fallback), innerText for every part
 * that needs no walk, block boxes on lines of their own and table cells apart as innerText puts them, and a box apart
 * from the text beside it by a space. Whitespace is collapsed inside the parts walked by hand (the steps compare text
 * so anyway), unless CSS keeps it.
 */
export function renderedText(root: Element): string {
  type Visible = Element & { checkVisibility(): boolean };
  /** Elements whose text innerText cannot give as drawn (a shadow host, a slot showing assigned nodes, the parent of a box it runs into the text beside it), and their ancestors. */
  const walk = new Set<Node>();
  const parentOf = (n: Node): Node | null => (n.parentNode instanceof ShadowRoot ? n.parentNode.host : n.parentNode);
  const mark = (from: Node | null) => {
    for (let n: Node | null = from; n && !walk.has(n); n = n === root ? null : parentOf(n)) walk.add(n);
  };
  /**
   * Whether an element reads apart from what comes before it and after it in its line: an atomic inline-level box
   * (inline-block, inline-flex, inline-grid, inline-table) on both sides, laid out as one box; an inline box on a side
   * where its margin, border and padding leave at least a fifth of an em (about a space) between it and its
   * neighbour; nothing else (block-level boxes, flex and grid items among them, are on lines of their own already).
   */
  const apartSides = (style: CSSStyleDeclaration): [boolean, boolean] => {
    const display = style.display;
    if (display !== "inline") return display.startsWith("inline") ? [true, true] : [false, false];
    const space = 0.2 * parseFloat(style.fontSize);
    const gap = (side: string) =>
      (parseFloat(style.getPropertyValue(`margin-inline-${side}`)) || 0) +
        (parseFloat(style.getPropertyValue(`padding-inline-${side}`)) || 0) +
        (parseFloat(style.getPropertyValue(`border-inline-${side}-width`)) || 0) >=
      space;
    return [gap("start"), gap("end")];
  };
  /** Whether the text has a non-space character at that end (a space's code is ≤ 32 but for a few rare ones). */
  const endsInWord = (s: string, atEnd: boolean) => {
    if (s === "") return false;
    const c = s.charCodeAt(atEnd ? s.length - 1 : 0);
    return c > 32 && (c < 127 || !/\s/.test(String.fromCharCode(c)));
  };
  /** Styles read during this call: an element between two texts is often between two more. */
  const styles = new Map<Element, CSSStyleDeclaration>();
  const styleOf = (el: Element) => {
    let style = styles.get(el);
    if (style === undefined) styles.set(el, (style = getComputedStyle(el)));
    return style;
  };
  /**
   * Where two texts touch in the HTML (`prev` ends in a word, `next` begins with one, no whitespace between), marks
   * for the walk the parent of a box between them that reads apart, when innerText would run them together: every
   * element either is in below their nearest common ancestor is inline-level (a block-level one, a flex or grid item,
   * a table cell, is apart in innerText already). Styles are read only at such places, innermost element first
   * (usually a block-level one, which ends the look at once): reading every element's style would cost about ten times
   * innerText on a big page, this about four times.
   */
  const contact = (prev: Text, next: Text) => {
    const inlineLevel = (el: Element) => {
      const display = styleOf(el).display;
      return display.startsWith("inline") || display === "contents" || display.startsWith("ruby");
    };
    const ending: Element[] = [];
    let common = prev.parentNode;
    for (; common instanceof Element && !common.contains(next); common = common.parentNode) {
      if (!inlineLevel(common)) return;
      ending.push(common);
    }
    const starting: Element[] = [];
    for (let n = next.parentNode; n instanceof Element && n !== common; n = n.parentNode) {
      if (!inlineLevel(n)) return;
      starting.push(n);
    }
    // The walk goes down to each box apart, as it reads what is around a box only where it walks.
    for (const el of ending) if (apartSides(styleOf(el))[1] && (el as Visible).checkVisibility()) mark(parentOf(el));
    for (const el of starting) if (apartSides(styleOf(el))[0] && (el as Visible).checkVisibility()) mark(parentOf(el));
  };

  /** Looks for such places in `scope` (the root or an open shadow root), one text after another in tree order. */
  const scan = (scope: Element | ShadowRoot) => {
    const texts = document.createTreeWalker(scope, NodeFilter.SHOW_TEXT);
    let prev: Text | null = null;
    for (let t = texts.nextNode() as Text | null; t; t = texts.nextNode() as Text | null) {
      if (t.data === "") continue;
      if (prev && endsInWord(prev.data, true) && endsInWord(t.data, false)) contact(prev, t);
      prev = t;
    }
    for (const el of Array.from(scope.querySelectorAll("*"))) {
      if (el.shadowRoot) {
        mark(el);
        scan(el.shadowRoot);
      }
      if (el instanceof HTMLSlotElement && el.assignedNodes().length > 0) mark(el);
    }
  };
  if (root.shadowRoot) {
    mark(root);
    scan(root.shadowRoot);
  }
  scan(root);
  if (walk.size === 0) return (root as HTMLElement).innerText ?? root.textContent ?? "";

  // The walk writes through emit(), which puts what separates two parts (a required line break, a table cell's tab,
  // the space around a box apart) only between parts that have text, as innerText does with its line breaks.
  let out = "";
  let breaks = 0;
  let gap = "";
  const emit = (text: string) => {
    if (text === "") return;
    if (out !== "") {
      if (breaks > 0) out += "\n".repeat(breaks);
      else if (gap === "\t") out += gap;
      else if (gap === " " && endsInWord(out, true) && endsInWord(text, false)) out += gap;
    }
    out += text;
    breaks = 0;
    gap = "";
  };
  const lineBreaks = (n: number) => {
    breaks = Math.max(breaks, n);
  };
  const apart = (g: string) => {
    if (gap !== "\t") gap = g;
  };
  const children = (el: Element): Node[] => {
    if (el.shadowRoot) return Array.from(el.shadowRoot.childNodes);
    if (el instanceof HTMLSlotElement) {
      const assigned = el.assignedNodes({ flatten: true });
      return assigned.length > 0 ? assigned : Array.from(el.childNodes);
    }
    return Array.from(el.childNodes);
  };
  /** A text node's text as CSS draws it: whitespace collapsed unless `white-space` keeps it, `text-transform`'s case. */
  const drawn = (text: string, style: CSSStyleDeclaration): string => {
    const ws = style.whiteSpace;
    const collapse =
      style.getPropertyValue("white-space-collapse") ||
      (ws === "pre-line" ? "preserve-breaks" : ws.startsWith("pre") || ws === "break-spaces" ? "preserve" : "collapse");
    const shown =
      collapse === "collapse"
        ? text.replace(/\s+/g, " ")
        : collapse === "preserve-breaks"
          ? text.replace(/[ \t]+/g, " ")
          : text;
    const tt = style.textTransform;
    return tt === "uppercase" ? shown.toUpperCase() : tt === "lowercase" ? shown.toLowerCase() : shown;
  };
  const visit = (node: Node): void => {
    if (node.nodeType === Node.TEXT_NODE) {
      // Slotted text is drawn where its slot is, and takes its visibility from there, not from the host.
      const parent = (node as Text).assignedSlot ?? parentOf(node);
      if (!(parent instanceof Element)) return emit((node.textContent ?? "").replace(/\s+/g, " "));
      const style = getComputedStyle(parent);
      if (style.visibility !== "visible") return;
      const text = drawn(node.textContent ?? "", style);
      // Collapsible whitespace alone (between tags) is a space only between two words, as a line draws it.
      if (text === " ") apart(" ");
      else emit(text);
      return;
    }
    if (!(node instanceof Element)) return;
    if (node instanceof HTMLBRElement) return emit("\n");
    // innerText is HTML's: of an SVG (or MathML) element, what its <text> elements draw, as innerText reads them (on
    // lines of their own), and not its <title> or <desc>, which innerText leaves out too.
    const foreign = !(node instanceof HTMLElement);
    if (foreign && ["title", "desc", "metadata", "style", "script", "defs"].includes(node.localName)) return;
    const style = getComputedStyle(node);
    const display = style.display;
    if (display === "none") return;
    // What innerText puts around an element: table cells apart by a tab, rows and block-level boxes on lines of their
    // own (a paragraph with a blank line), nothing around an inline box; and here, a space around a box apart.
    const inline = display.startsWith("inline") || display.startsWith("ruby") || display === "contents";
    const cell = display === "table-cell";
    const row = display === "table-row";
    const svgText = node instanceof SVGTextElement;
    const around = svgText ? 1 : inline || cell || row ? 0 : node instanceof HTMLParagraphElement ? 2 : 1;
    const [apartBefore, apartAfter] = apartSides(style);
    if (around > 0) lineBreaks(around);
    if (apartBefore) apart(" ");
    if (svgText) emit(drawn(node.textContent ?? "", style));
    else if (walk.has(node) || foreign) children(node).forEach(visit);
    else emit((node as HTMLElement).innerText);
    if (around > 0 || row) lineBreaks(Math.max(around, 1));
    if (cell) apart("\t");
    else if (apartAfter) apart(" ");
  };
  if (walk.has(root)) children(root).forEach(visit);
  else emit((root as HTMLElement).innerText ?? root.textContent ?? "");
  return out
    .replace(/[ \t]*\n[ \t]*/g, "\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

/** An expression: the page body's `renderedText`, or null before the document has a body. */
export const BODY_TEXT_EXPRESSION = `(() => document.body ? (${renderedText.toString()})(document.body) : null)()`;

/** `renderedText` as a WebDriver script body: its argument is the element, or none for the page's body. */
export const RENDERED_TEXT_SCRIPT = `const root = arguments[0] || document.body; return root ? (${renderedText.toString()})(root) : "";`;
