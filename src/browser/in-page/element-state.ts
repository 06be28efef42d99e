// What an element is to a user now: shown, enabled, the field it stands for, whether it takes typing.
//
// No imports: elements.ts uses these, and the adapters load elements.ts in Node, where the bundle's own dependencies
// (dom-accessibility-api, a dev dependency bundled into the in-page script) are not installed.

/** Playwright's isElementVisible: a non-empty box and CSS visibility "visible"; opacity:0 still counts. */
export function isVisible(el: Element): boolean {
  const style = getComputedStyle(el);
  if (style.display === "contents") {
    for (let c = el.firstChild; c; c = c.nextSibling) {
      if (c.nodeType === Node.ELEMENT_NODE && isVisible(c as Element)) return true;
      if (c.nodeType === Node.TEXT_NODE) {
        const r = document.createRange();
        r.selectNodeContents(c);
        const rects = r.getClientRects();
        for (let i = 0; i < rects.length; i++) if (rects[i].width > 0 && rects[i].height > 0) return true;
      }
    }
    return false;
  }
  const anyEl = el as Element & { checkVisibility?: () => boolean };
  if (typeof anyEl.checkVisibility === "function" && !anyEl.checkVisibility()) return false;
  if (style.visibility !== "visible") return false;
  const rect = el.getBoundingClientRect();
  return rect.width > 0 && rect.height > 0;
}

/** Enabled: not disabled (its own or a fieldset's), and not inside an element marked aria-disabled. */
export function isEnabled(el: Element): boolean {
  return !el.matches(":disabled") && el.closest('[aria-disabled="true"]') === null;
}

/** The field an element stands for: itself, or the control of the <label> it is (or is in), as a user's click on it. */
export function fieldOf(el: Element): Element {
  if (el.matches("input, textarea, select") || (el as HTMLElement).isContentEditable) return el;
  return el.closest("label")?.control ?? el;
}

/** Where the focus goes for a field: the field, or for an element of a contenteditable, its editing host. */
export function focusTarget(field: Element): Element {
  let host = field;
  while ((host as HTMLElement).isContentEditable && (host.parentElement as HTMLElement | null)?.isContentEditable)
    host = host.parentElement as Element;
  return host;
}

/**
 * Whether a field takes typing: an enabled, non-readonly text input, textarea or contenteditable that shows and is not
 * inert (a label's control may be neither: the label shows, its field does not).
 */
export function takesTyping(el: Element): boolean {
  const tag = el.nodeName;
  const readOnly = (tag === "INPUT" || tag === "TEXTAREA") && (el as HTMLInputElement).readOnly;
  const locked = !isEnabled(el) || readOnly || el.getAttribute("aria-readonly") === "true";
  return isTextField(el) && !locked && isVisible(el) && el.closest("[inert]") === null;
}

/** Whether an element is a kind of field typing goes into (a text input, textarea or contenteditable), usable or not. */
export function isTextField(el: Element): boolean {
  // An input that takes no typing (a checkbox: a space would toggle it; a file, a button) is no text field.
  const keyless = ["checkbox", "radio", "file", "submit", "button", "reset", "image", "hidden"];
  const tag = el.nodeName;
  return (
    (tag === "INPUT" && !keyless.includes((el as HTMLInputElement).type)) ||
    tag === "TEXTAREA" ||
    (el as HTMLElement).isContentEditable
  );
}
