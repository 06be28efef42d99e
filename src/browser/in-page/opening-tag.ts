// How a failure names an element of the page: its opening tag, as a reader of the page's HTML spots it.

/** `<div id="overlay" class="modal-backdrop">`. */
export function openingTag(el: Element): string {
  const cls = (el.getAttribute("class") || "").trim().replace(/\s+/g, " ");
  const id = el.getAttribute("id");
  return `<${el.localName}${id ? ` id="${id}"` : ""}${cls ? ` class="${cls.length > 60 ? cls.slice(0, 60) + "…" : cls}"` : ""}>`;
}
