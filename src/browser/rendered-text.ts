// The text an element shows, open shadow roots included, read in the page the same way by both drivers.
//
// Hand-written: innerText follows the DOM tree, so the text of web components (an open shadow root's content, and
// the light children a <slot> shows) is missing from it, and Playwright's own text engine is not reachable from a
// plain evaluate (nor on Selenium). Where a subtree holds no shadow root, its innerText is used as it is.

/**
 * Runs in the page (serialized: it may use nothing from this module). `root`'s innerText when nothing under it is in a
 * shadow root; else its text along the flat tree (what is drawn: a host's shadow root instead of its children, a
 * slot's assigned nodes instead of its fallback), innerText for every part without shadow roots, block boxes on
 * lines of their own. Whitespace is collapsed inside the parts walked by hand (the steps compare text so anyway).
 */
export function renderedText(root: Element): string {
  /** Elements whose text innerText cannot give: a shadow host or a slot showing assigned nodes, and their ancestors. */
  const walk = new Set<Node>();
  const parentOf = (n: Node): Node | null => (n.parentNode instanceof ShadowRoot ? n.parentNode.host : n.parentNode);
  const mark = (from: Node) => {
    for (let n: Node | null = from; n && !walk.has(n); n = n === root ? null : parentOf(n)) walk.add(n);
  };
  const findHosts = (scope: Element | ShadowRoot) => {
    for (const el of Array.from(scope.querySelectorAll("*"))) {
      if (el.shadowRoot) {
        mark(el);
        findHosts(el.shadowRoot);
      }
      if (el instanceof HTMLSlotElement && el.assignedNodes().length > 0) mark(el);
    }
  };
  if (root.shadowRoot) {
    mark(root);
    findHosts(root.shadowRoot);
  }
  findHosts(root);
  if (walk.size === 0) return (root as HTMLElement).innerText ?? root.textContent ?? "";

  const isBlock = (display: string) => !display.startsWith("inline") && display !== "contents";
  const children = (el: Element): Node[] => {
    if (el.shadowRoot) return Array.from(el.shadowRoot.childNodes);
    if (el instanceof HTMLSlotElement) {
      const assigned = el.assignedNodes({ flatten: true });
      return assigned.length > 0 ? assigned : Array.from(el.childNodes);
    }
    return Array.from(el.childNodes);
  };
  const textOf = (node: Node): string => {
    if (node.nodeType === Node.TEXT_NODE) {
      // Slotted text is drawn where its slot is, and takes its visibility from there, not from the host.
      const parent = (node as Text).assignedSlot ?? parentOf(node);
      const shown = !(parent instanceof Element) || getComputedStyle(parent).visibility === "visible";
      return shown ? (node.textContent ?? "").replace(/\s+/g, " ") : "";
    }
    if (!(node instanceof Element)) return "";
    if (node instanceof HTMLBRElement) return "\n";
    const style = getComputedStyle(node);
    if (style.display === "none") return "";
    const text = walk.has(node)
      ? children(node).map(textOf).join("")
      : ((node as HTMLElement).innerText ?? node.textContent ?? "");
    return isBlock(style.display) ? `\n${text}\n` : text;
  };
  return textOf(root)
    .replace(/[ \t]*\n[ \t]*/g, "\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

/** An expression: the page body's `renderedText`, or null before the document has a body. */
export const BODY_TEXT_EXPRESSION = `(() => document.body ? (${renderedText.toString()})(document.body) : null)()`;

/** `renderedText` as a WebDriver script body: its argument is the element, or none for the page's body. */
export const RENDERED_TEXT_SCRIPT = `const root = arguments[0] || document.body; return root ? (${renderedText.toString()})(root) : "";`;
