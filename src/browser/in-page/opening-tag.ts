// How a failure names an element of the page: its opening tag, as a reader of the page's HTML spots it.

/** An attribute's value as a failure quotes it: a page's own value may be any length. */
const clip = (text: string) => (text.length > 60 ? text.slice(0, 60) + "…" : text);

/** `<div id="overlay" class="modal-backdrop">`. */
export function openingTag(el: Element): string {
  const cls = (el.getAttribute("class") || "").trim().replace(/\s+/g, " ");
  const id = el.getAttribute("id");
  return `<${el.localName}${id ? ` id="${clip(id)}"` : ""}${cls ? ` class="${clip(cls)}"` : ""}>`;
}
