// The text an element shows as a reader reads it (open shadow roots included, boxes laid out apart read apart), read in the page the same way by both drivers.
//
// Hand-written around innerText, which is used wherever it reads as drawn. It is not in three cases, and no platform API
// or library reads text otherwise (Playwright's text engine is textContent, and is not reachable from a plain
// evaluate, nor on Selenium; its aria snapshot is not text): innerText follows the DOM tree, so the text of web
// components (an open shadow root's content, and the light children a <slot> shows) is missing from it; and it runs
// text drawn apart in a line into the text beside it when no whitespace stands between them in the HTML, since the
// HTML spec's innerText breaks lines only around block-level boxes and table parts
// (`<button>Save</button><button>Cancel</button>` gives "SaveCancel"); and it reads every option of a drop-down drawn
// closed, which shows its chosen one only, and no label of a button input (`<input type="submit" value="Pay now">`).
// Whether two such texts are apart is measured where they touch: the gap the layout leaves between the last character
// of one and the first of the next (a button's padding, a chip's margin), not guessed from display, since per-letter
// inline-block spans (text split for animation) and a badge in parentheses are drawn touching. Flex and grid items are
// block-level (blockified), so innerText has them apart already. Only the parts of the tree that lead to such a place are walked here; every other
// part is its own innerText, and styles and layout are read only where two texts touch in the HTML, since reading
// every element's style costs several times innerText itself.

/**
 * Runs in the page (serialized: it may use nothing from this module). `root`'s innerText when nothing under it is in a
 * shadow root or is text drawn apart from text it touches in the HTML; else its text along the flat tree (what is
 * drawn: a host's shadow root instead of its children, a slot's assigned nodes instead of its fallback), innerText for
 * every part that needs no walk, block boxes on lines of their own and table cells apart as innerText puts them, and
 * such text apart from the text before it by a space. Whitespace is collapsed inside the parts walked by hand (the
 * steps compare text so anyway), unless CSS keeps it.
 */
export function renderedText(root: Element): string {
  type Visible = Element & { checkVisibility(): boolean };
  /** Elements whose text innerText cannot give as drawn (a shadow host, a slot showing assigned nodes, the parent of text drawn apart from the text before it), and their ancestors. */
  const walk = new Set<Node>();
  /** Texts drawn apart from the rendered text before them, which touches them in the HTML. */
  const spaceBefore = new Set<Text>();
  const parentOf = (n: Node): Node | null => (n.parentNode instanceof ShadowRoot ? n.parentNode.host : n.parentNode);
  /**
   * What a form control drawn as a box of its own shows, where innerText reads otherwise (its rule for a control is
   * its children's text): a drop-down drawn closed, its chosen option only (not every option); a button input, its
   * label (its value, or the browser's own "Submit" or "Reset"). Undefined for any other element.
   */
  const controlShows = (el: Element): string | undefined => {
    if (el instanceof HTMLInputElement && ["submit", "reset", "button"].includes(el.type)) {
      if (el.hasAttribute("value")) return el.value;
      return el.type === "submit" ? "Submit" : el.type === "reset" ? "Reset" : "";
    }
    if (!(el instanceof HTMLSelectElement) || el.multiple || el.size > 1) return undefined;
    return el.selectedOptions[0]?.label ?? "";
  };
  const mark = (from: Node | null) => {
    for (let n: Node | null = from; n && !walk.has(n); n = n === root ? null : parentOf(n)) walk.add(n);
  };
  /** Whether the text has a non-space character at that end (a space's code is ≤ 32 but for a few rare ones). */
  const endsInWord = (s: string, atEnd: boolean) => {
    if (s === "") return false;
    const c = s.charCodeAt(atEnd ? s.length - 1 : 0);
    return c > 32 && (c < 127 || !/\s/.test(String.fromCharCode(c)));
  };
  /** Styles read during this call: an element between two texts is often between two more, and the walk reads them again. */
  const styles = new Map<Element, CSSStyleDeclaration>();
  const styleOf = (el: Element) => {
    let style = styles.get(el);
    if (style === undefined) styles.set(el, (style = getComputedStyle(el)));
    return style;
  };
  /** The element a text is drawn in: a slotted text's slot (it takes its style from there), else its parent. */
  const drawnIn = (t: Text): Element | null => {
    const parent = t.assignedSlot ?? parentOf(t);
    return parent instanceof Element ? parent : null;
  };
  /**
   * Whether a text's own element shows it: `visibility`, and the content a closed <details> or `hidden="until-found"`
   * (`content-visibility: hidden`) skips, which keeps its old layout boxes (so a text's boxes do not tell).
   * Ancestors' `display` and `content-visibility` are checkVisibility()'s, which the walk asks of each element.
   */
  const showsOwnText = (parent: Element) => {
    const style = styleOf(parent);
    if (style.visibility !== "visible" || style.getPropertyValue("content-visibility") === "hidden") return false;
    return !(parent instanceof HTMLDetailsElement && !parent.open);
  };
  const range = document.createRange();
  /**
   * The box of a text's first or last character as laid out, or null when it is not drawn (under `display: none`,
   * `hidden`, a closed <details>, `content-visibility: hidden`, or `visibility: hidden`).
   */
  const charBox = (t: Text, last: boolean): DOMRect | null => {
    const parent = drawnIn(t);
    if (parent && !showsOwnText(parent)) return null;
    // An element of `display: contents` has no box, so checkVisibility() is false for it; its text is drawn.
    if (parent && styleOf(parent).display !== "contents" && !(parent as Visible).checkVisibility()) return null;
    let from = last ? t.data.length - 1 : 0;
    let to = from + 1;
    // A character outside the BMP is two code units; a range must not split it.
    if (last && from > 0 && /[\uDC00-\uDFFF]/.test(t.data[from])) from -= 1;
    if (!last && to < t.data.length && /[\uD800-\uDBFF]/.test(t.data[from])) to += 1;
    range.setStart(t, from);
    range.setEnd(t, to);
    const boxes = range.getClientRects();
    const box = boxes[last ? boxes.length - 1 : 0];
    return box && (box.width > 0 || box.height > 0) ? box : null;
  };
  /** Marks never read apart from the text before them, and marks never followed by a space, as typeset. */
  const NO_SPACE_BEFORE = ",.;:!?)]}%";
  const NO_SPACE_AFTER = "([{";
  /**
   * Where two drawn texts touch in the HTML (`prev` ends in a word, `next` begins with one, no whitespace between),
   * records `next` as read apart, and marks the way to it for the walk, when innerText would run them together (every
   * element either is in below their nearest common ancestor is inline-level: a block-level one, a flex or grid item,
   * a table cell, is apart in innerText already) and the layout draws them apart: on different lines, or at least a
   * fifth of an em (about a space) between them. Styles are read only at such places, innermost element first
   * (usually a block-level one, which ends the look at once): reading every element's style would cost about ten times
   * innerText on a big page, this about four times.
   */
  const contact = (prev: Text, prevBox: DOMRect, next: Text, nextBox: DOMRect) => {
    if (NO_SPACE_AFTER.includes(prev.data[prev.data.length - 1]) || NO_SPACE_BEFORE.includes(next.data[0])) return;
    const inlineLevel = (el: Element) => {
      const display = styleOf(el).display;
      return display.startsWith("inline") || display === "contents" || display.startsWith("ruby");
    };
    // The padding of a plain inline box (not an atomic one: a button, a chip) is where its background, a highlight,
    // goes on around the text: `<mark style="padding:0 .25em">Lon</mark>don` is one word as read. It is left out of
    // the gap; margins and borders are not.
    const padding = (el: Element, side: string) => {
      const style = styleOf(el);
      return style.display === "inline" ? parseFloat(style.getPropertyValue(`padding-inline-${side}`)) || 0 : 0;
    };
    let between = 0;
    let inside = 0;
    let common = prev.parentNode;
    for (; common instanceof Element && !common.contains(next); common = common.parentNode, between++) {
      if (!inlineLevel(common)) return;
      inside += padding(common, "end");
    }
    for (let n = next.parentNode; n instanceof Element && n !== common; n = n.parentNode, between++) {
      if (!inlineLevel(n)) return;
      inside += padding(n, "start");
    }
    // Two texts of one element (split by script): no box between them.
    if (between === 0) return;
    const overlap = Math.min(prevBox.bottom, nextBox.bottom) - Math.max(prevBox.top, nextBox.top);
    const sameLine = overlap > 0.5 * Math.min(prevBox.height, nextBox.height);
    // Left to right, the next character starts right of the previous one; right to left, left of it.
    const gap = Math.max(nextBox.left - prevBox.right, prevBox.left - nextBox.right) - inside;
    const parent = drawnIn(next);
    const em = parent ? parseFloat(styleOf(parent).fontSize) || 16 : 16;
    if (sameLine && gap < 0.2 * em) return;
    spaceBefore.add(next);
    mark(parentOf(next));
  };

  /** Looks for such places in `scope` (the root or an open shadow root), one text after another in tree order. */
  const scan = (scope: Element | ShadowRoot) => {
    const texts = document.createTreeWalker(scope, NodeFilter.SHOW_TEXT);
    const back = document.createTreeWalker(scope, NodeFilter.SHOW_TEXT);
    let prev: Text | null = null;
    for (let t = texts.nextNode() as Text | null; t; t = texts.nextNode() as Text | null) {
      if (t.data === "") continue;
      if (prev && endsInWord(prev.data, true) && endsInWord(t.data, false)) {
        const nextBox = charBox(t, false);
        // Text not drawn (a hidden box between two) is not there for the texts beside it: the one before it pairs
        // with the one after it.
        if (nextBox === null) continue;
        let before: Text | null = prev;
        let prevBox = charBox(prev, true);
        // The text before is not drawn either (it did not touch its own predecessor, so was not checked): the drawn
        // one before it, if it touches (ends in a word).
        back.currentNode = prev;
        for (let steps = 0; prevBox === null && before && steps < 50; steps++) {
          before = back.previousNode() as Text | null;
          if (before && before.data !== "") {
            if (!endsInWord(before.data, true)) before = null;
            else prevBox = charBox(before, true);
          }
        }
        if (before && prevBox) contact(before, prevBox, t, nextBox);
      }
      prev = t;
    }
    for (const el of Array.from(scope.querySelectorAll("*"))) {
      if (controlShows(el) !== undefined) mark(el);
      if (el.shadowRoot) {
        mark(el);
        scan(el.shadowRoot);
      }
      if (el instanceof HTMLSlotElement && el.assignedNodes().length > 0) mark(el);
    }
  };
  const rootShows = controlShows(root);
  if (rootShows !== undefined) return rootShows;
  if (root.shadowRoot) {
    mark(root);
    scan(root.shadowRoot);
  }
  scan(root);
  if (walk.size === 0) return (root as HTMLElement).innerText ?? root.textContent ?? "";

  // The walk writes through emit(), which puts what separates two parts (a required line break, a table cell's tab,
  // the space before text drawn apart) only between parts that have text, as innerText does with its line breaks.
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
  /** Whether the next text emitted continues a word (capitalize leaves its first letter as it is). */
  const inWord = () => out !== "" && breaks === 0 && gap === "" && endsInWord(out, true);
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
    if (tt === "uppercase") return shown.toUpperCase();
    if (tt === "lowercase") return shown.toLowerCase();
    if (tt !== "capitalize") return shown;
    // The first letter of each word; a text that continues a word (`H<b>ello</b>`) does not start one.
    const midWord = inWord();
    return shown.replace(/(^|\s)(\S)/g, (m, space: string, letter: string, at: number) =>
      at === 0 && space === "" && midWord ? m : space + letter.toUpperCase(),
    );
  };
  const visit = (node: Node): void => {
    if (node.nodeType === Node.TEXT_NODE) {
      const t = node as Text;
      // Slotted text is drawn where its slot is, and takes its visibility from there, not from the host.
      const parent = drawnIn(t);
      if (parent === null) return emit(t.data.replace(/\s+/g, " "));
      if (!showsOwnText(parent)) return;
      // Before drawn(): capitalize asks whether the text goes on a word.
      if (spaceBefore.has(t)) apart(" ");
      const text = drawn(t.data, styleOf(parent));
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
    const style = styleOf(node);
    const display = style.display;
    if (display === "none") return;
    // An element not drawn (under a closed <details> or `content-visibility: hidden`) shows no text; an element of
    // `display: contents` has no box of its own, so checkVisibility() is false for it, but its children are drawn.
    if (display !== "contents" && !(node as Visible).checkVisibility()) return;
    // What innerText puts around an element: table cells apart by a tab, rows and block-level boxes on lines of their
    // own (a paragraph with a blank line), nothing around an inline box.
    const inline = display.startsWith("inline") || display.startsWith("ruby") || display === "contents";
    const cell = display === "table-cell";
    const row = display === "table-row";
    const svgText = node instanceof SVGTextElement;
    const around = svgText ? 1 : inline || cell || row ? 0 : node instanceof HTMLParagraphElement ? 2 : 1;
    if (around > 0) lineBreaks(around);
    const shows = controlShows(node);
    if (shows !== undefined) {
      // A control is a box of its own: apart from the text beside it, unless its own style hides its text.
      if (showsOwnText(node)) {
        apart(" ");
        emit(drawn(shows, style));
        apart(" ");
      }
    } else if (svgText) emit(drawn(node.textContent ?? "", style));
    else if (walk.has(node) || foreign) children(node).forEach(visit);
    else emit((node as HTMLElement).innerText);
    if (around > 0 || row) lineBreaks(Math.max(around, 1));
    if (cell) apart("\t");
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
