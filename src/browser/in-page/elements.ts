// Small element scripts both adapters run in the page (Playwright by evaluate or through the bundle, Selenium through it).
import type { FieldValidity, SelectOptions, ValueFieldState, ViewportMetrics } from "../session";
import { elementAt, screenRect, throughFrames, within, type AcrossOrigins } from "./pointer";
import { fieldOf, focusTarget, takesTyping } from "./element-state";

/** The layout viewport, device and touch support as the page sees them (the port's ViewportMetrics). */
export function viewportMetrics(): ViewportMetrics {
  return {
    viewportWidth: document.documentElement.clientWidth,
    viewportHeight: window.innerHeight,
    scrollWidth: document.documentElement.scrollWidth,
    devicePixelRatio: window.devicePixelRatio,
    userAgent: navigator.userAgent,
    touch: navigator.maxTouchPoints > 0,
  };
}

/**
 * Puts the caret after the text of the field `el` stands for (fieldOf), so typing appends; false when the field did not
 * take the focus (focusTaken).
 */
export function caretToEnd(el: Element): boolean {
  const field = fieldOf(el);
  if (!focusTaken(field)) return false;
  if (field instanceof HTMLInputElement || field instanceof HTMLTextAreaElement) {
    const n = field.value.length;
    try {
      field.setSelectionRange(n, n);
    } catch {
      // input types without a selection API (email, number): the browser keeps its own caret
    }
  }
  return true;
}

/**
 * Focuses `field` and answers whether the focus is on it now: the keys a driver types next go wherever the focus is,
 * so a field that takes none (hidden, inert) or hands it on (a focus handler, a field drawn anew on focus) must not be
 * typed "into" — the keys would reach another field, or nothing, and the step pass.
 */
function focusTaken(field: Element): boolean {
  // In a contenteditable, the focus goes to its editing host: an element inside it takes none of its own.
  const target = focusTarget(field);
  (target as HTMLElement).focus();
  return (target.getRootNode() as Document | ShadowRoot).activeElement === target;
}

/**
 * Focuses the text field (or contenteditable) `el` stands for (fieldOf) and selects all of its content, so typing
 * replaces it; answers whether it had any, or "not editable" (disabled, read-only, no field, or the focus not on it:
 * focusTaken) without typing anything.
 */
export function selectAll(el: Element): boolean | "not editable" {
  const field = fieldOf(el);
  if (!takesTyping(field) || !focusTaken(field)) return "not editable";
  if (field instanceof HTMLInputElement || field instanceof HTMLTextAreaElement) {
    const had = field.value !== "";
    field.select();
    return had;
  }
  const range = document.createRange();
  range.selectNodeContents(field);
  const selection = window.getSelection();
  selection?.removeAllRanges();
  selection?.addRange(range);
  return (field.textContent || "") !== "";
}

/**
 * For an <input> that takes its value whole rather than typed (date, time, datetime-local, month, week, color, range:
 * the types Playwright's fill sets the value of), what it holds and whether that is `value`, read at once (a page
 * that navigates on "change" may be gone a moment later). "set" first sets it as Playwright's fill does (the value
 * trimmed, the field focused, then "input" and "change"), through the native setter so a framework tracking the
 * property on the element (React's value tracker) sees the change; "set-if-editable" does so only when the field
 * takes typing now (takesTyping: it shows, enabled, not read-only), and answers "not editable" when not. Null for any
 * other element: it is typed into.
 */
export function valueField(
  el: Element,
  [value, mode]: [value: string, mode: "set" | "set-if-editable"],
): ValueFieldState | "not editable" | null {
  const types = ["date", "time", "datetime-local", "month", "week", "color", "range"];
  el = fieldOf(el); // a label (or text in one) stands for its field, as Playwright's fill retargets it
  if (!(el instanceof HTMLInputElement) || !types.includes(el.type.toLowerCase())) return null;
  const type = el.type.toLowerCase();
  const wanted = value.trim();
  if (mode === "set-if-editable" && !takesTyping(el)) return "not editable";
  el.focus();
  Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value")?.set?.call(el, wanted);
  el.dispatchEvent(new Event("input", { bubbles: true, composed: true }));
  el.dispatchEvent(new Event("change", { bubbles: true }));
  const holds = el.value;
  // The browser keeps a value it takes, in its own spelling (#FF0000 as #ff0000, 7.0 as 7, 09:30:00 as 09:30 in a
  // datetime-local), and turns one it refuses into "" (a date, a time…), the default (a range: also clamped to its
  // bounds and step) or black (a color).
  let took: boolean;
  if (type === "range") took = wanted !== "" && Number(wanted) === Number(holds);
  else if (type === "color") took = holds.toLowerCase() === wanted.toLowerCase();
  else took = (holds === "") === (wanted === "");
  return { type, holds, took, min: el.min || "0", max: el.max || "100", step: el.step || "1" };
}

/**
 * The labels of the options a <select> shows (selectOptions), in order, a disabled one marked (it cannot be chosen);
 * null for any other element.
 */
export function optionLabels(el: Element): string[] | null {
  const found = selectOptions(el);
  if (!("options" in found)) return null;
  return found.options.filter((o) => !o.hidden).map((o) => (o.disabled ? `${o.label} (disabled)` : o.label));
}

/** Why a <select> has no option `label` a user can choose now: none so labelled, or one the list does not show. */
export type NativeChoiceRefused = "missing" | "hidden";

/**
 * Chooses the option labelled `label` of a <select>, as a user's pick in its list does (its "input" and "change"
 * events): one the list shows and that is enabled, in an enabled <select>. A hidden one ("Choose…", the placeholder
 * a list does not show) no user can choose: Playwright's selectOption and WebDriver's picked it.
 */
export function selectByLabel(el: Element, label: string): "ok" | "not-select" | NativeChoiceRefused {
  const found = selectOptions(el);
  if (!("options" in found)) return "not-select";
  const select = el as HTMLSelectElement;
  const wanted = label.replace(/\s+/g, " ").trim();
  const i = found.options.findIndex((o) => o.label === wanted && !o.disabled && !o.hidden);
  if (i < 0 || select.matches(":disabled"))
    return found.options.some((o) => o.label === wanted && !o.disabled && o.hidden) ? "hidden" : "missing";
  select.options[i].selected = true;
  select.dispatchEvent(new Event("input", { bubbles: true, composed: true }));
  select.dispatchEvent(new Event("change", { bubbles: true }));
  return "ok";
}

/**
 * A native drop-down's options as a user sees them, or the element's opening tag when it is none (an ARIA combobox is
 * made of other elements). Self-contained: Playwright runs it by its source.
 */
export function selectOptions(el: Element): SelectOptions {
  if (!(el instanceof HTMLSelectElement)) {
    const type = el instanceof HTMLInputElement ? ` type="${el.type}"` : "";
    const clip = (t: string) => (t.length <= 40 ? t : `${t.slice(0, 39)}…`); // a role attribute may be any text
    const role = el.hasAttribute("role") ? ` role="${clip(el.getAttribute("role") ?? "")}"` : "";
    return { notASelect: `<${el.localName}${type}${role}>` };
  }
  const options = Array.from(el.options).map((o) => {
    const group = o.parentElement instanceof HTMLOptGroupElement ? o.parentElement : null;
    return {
      label: o.label.replace(/\s+/g, " ").trim(),
      selected: o.selected,
      disabled: o.disabled || (group !== null && group.disabled),
      hidden:
        o.hidden !== false || getComputedStyle(o).display === "none" || (group !== null && group.hidden !== false),
    };
  });
  return { options, multiple: el.multiple };
}

/** What a drop-down step may do with an element: dropdownKind's answer. */
export type DropdownKind = "select" | "combobox" | "listbox" | null;

/**
 * What kind of drop-down an element is, with its opening tag: a native <select>; an ARIA combobox (role combobox, a
 * button that pops up a listbox by aria-haspopup="listbox" as Headless UI's Listbox draws it, or the text field an
 * ARIA 1.1 combobox wraps, which is what its label names); an ARIA listbox; null for anything else. A role is the
 * role attribute's first word. Self-contained: Playwright runs it by its source.
 */
export function dropdownKind(el: Element): { kind: DropdownKind; tag: string } {
  const roleOf = (e: Element) => (e.getAttribute("role") ?? "").trim().toLowerCase().split(/\s+/)[0];
  const type = el instanceof HTMLInputElement ? ` type="${el.type}"` : "";
  const clip = (t: string) => (t.length <= 40 ? t : `${t.slice(0, 39)}…`); // a role attribute may be any text
  const role = el.hasAttribute("role") ? ` role="${clip(el.getAttribute("role") ?? "")}"` : "";
  const tag = `<${el.localName}${type}${role}>`;
  if (el instanceof HTMLSelectElement) return { kind: "select", tag };
  const own = roleOf(el);
  if (own === "listbox") return { kind: "listbox", tag };
  if (own === "combobox" || el.getAttribute("aria-haspopup") === "listbox") return { kind: "combobox", tag };
  const field = el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement;
  if (field && el.parentElement?.closest('[role="combobox"]')) return { kind: "combobox", tag };
  return { kind: null, tag };
}

/**
 * Whether a field is invalid, as assistive technology and Testing Library's toBeInvalid read it: the constraint
 * validation API's verdict (validity, never the locale's validationMessage), or the page marking it aria-invalid (what
 * an app that validates in script sets, and what a screen reader announces); on a form or fieldset, its fields
 * together. The opening tag of an element neither judges (no form field, no widget role, no aria-invalid).
 * Self-contained: Playwright runs it by its source.
 */
export function fieldValidity(el: Element): FieldValidity {
  const constraints = [
    "valueMissing",
    "typeMismatch",
    "patternMismatch",
    "tooLong",
    "tooShort",
    "rangeUnderflow",
    "rangeOverflow",
    "stepMismatch",
    "badInput",
    "customError",
  ] as const;
  type Field = Element & { validity: ValidityState; willValidate: boolean; labels?: NodeListOf<HTMLLabelElement> };
  const isField = (e: Element): e is Field => "validity" in e && (e as Field).validity instanceof ValidityState;
  // ARIA: an absent or empty aria-invalid is "false" (a token, read as the accessibility tree reads it: trimmed, in any
  // case); "true", "grammar", "spelling" or any other value mark the element invalid.
  const mark = (e: Element) => {
    const value = (e.getAttribute("aria-invalid") ?? "").trim();
    return ["", "false"].includes(value.toLowerCase())
      ? []
      : [`aria-invalid="${value.length <= 20 ? value : `${value.slice(0, 19)}…`}"`];
  };
  const failed = (f: Field) => [...constraints.filter((c) => f.validity[c]), ...mark(f)];
  if (el instanceof HTMLFormElement || el instanceof HTMLFieldSetElement) {
    const nameOf = (f: Field) => {
      const text = f.labels?.[0]?.textContent ?? f.getAttribute("aria-label") ?? f.getAttribute("name") ?? f.id;
      return (text || `<${f.localName}>`).replace(/\s+/g, " ").trim();
    };
    const invalid = Array.from(el.elements).filter(
      (f): f is Field => isField(f) && ((f.willValidate && !f.validity.valid) || mark(f).length > 0),
    );
    // A widget the page draws inside it (a <div role="combobox">) is no form element: its mark counts all the same.
    const drawn = Array.from(el.querySelectorAll("[aria-invalid]")).filter((w) => !isField(w) && mark(w).length > 0);
    const drawnName = (w: Element) => w.getAttribute("aria-label") || `<${w.localName}>`;
    return {
      valid: invalid.length === 0 && drawn.length === 0 && mark(el).length === 0,
      failing: [
        ...mark(el),
        ...invalid.map((f) => `"${nameOf(f)}" (${failed(f).join(", ")})`),
        ...drawn.map((w) => `"${drawnName(w)}" (${mark(w).join(", ")})`),
      ],
      notValidated: "",
    };
  }
  // A widget the page draws (a <div role="textbox">) is invalid only by its aria-invalid, which it may leave out while valid.
  // ARIA's roles that take aria-invalid (WAI-ARIA 1.2), and radio, whose group a page may mark on each button.
  const widgets =
    "textbox searchbox combobox listbox spinbutton slider checkbox radio radiogroup switch grid gridcell tree treegrid columnheader rowheader".split(
      " ",
    );
  const roleOf = (e: Element | null) => (e?.getAttribute("role") ?? "").trim().toLowerCase().split(/\s+/)[0];
  // A <td>/<th> of a table drawn as a grid is a gridcell (or header) without a role attribute of its own (HTML-AAM).
  const cellOfGrid =
    !el.hasAttribute("role") &&
    (el.localName === "td" || el.localName === "th") &&
    ["grid", "treegrid"].includes(roleOf(el.closest("table")));
  if (!isField(el) && (el.hasAttribute("aria-invalid") || widgets.includes(roleOf(el)) || cellOfGrid))
    return { valid: mark(el).length === 0, failing: mark(el), notValidated: "" };
  if (!isField(el)) {
    const clip = (t: string) => (t.length <= 40 ? t : `${t.slice(0, 39)}…`); // a role attribute may be any text
    const role = el.hasAttribute("role") ? ` role="${clip(el.getAttribute("role") ?? "")}"` : "";
    return { notAField: `<${el.localName}${role}>` };
  }
  const readOnly = (el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement) && el.readOnly;
  const barred = el.willValidate
    ? ""
    : el.matches(":disabled")
      ? "disabled"
      : readOnly
        ? "read-only"
        : el instanceof HTMLInputElement
          ? `type="${el.type}"`
          : `<${el.localName}>`;
  return { valid: el.validity.valid && mark(el).length === 0, failing: failed(el), notValidated: barred };
}

/** The element has focus, inside shadow roots too. */
export function isFocused(el: Element): boolean {
  return (el.getRootNode() as Document | ShadowRoot).activeElement === el;
}

/** Checked state of a checkbox/radio (native or ARIA), or null when the element cannot be checked. */
export function checkedState(el: Element): boolean | null {
  if (el instanceof HTMLInputElement && (el.type === "checkbox" || el.type === "radio")) return el.checked;
  const role = el.getAttribute("role");
  if (role && ["checkbox", "radio", "switch", "menuitemcheckbox", "menuitemradio"].includes(role))
    return el.getAttribute("aria-checked") === "true";
  return null;
}

export function computedStyle(el: Element, property: string): string {
  return getComputedStyle(el).getPropertyValue(property);
}

/**
 * HTML5 drag and drop from a draggable element onto a target, as the browser would dispatch it
 * (dragstart, dragenter, dragover, drop when the target accepts, dragend, one DataTransfer).
 * Why synthetic: the drivers' native drags differ by driver and device (chromedriver under mobile
 * emulation sends touches; Playwright's drag interception is not dispatched on every device), so
 * both adapters run this one script for draggable sources. False when the source is not draggable.
 */
export function html5DragAndDrop(source: Element, target: Element): boolean {
  const dragged = source.closest('[draggable="true"]');
  if (!dragged) return false;
  const data = new DataTransfer();
  const centre = (el: Element) => {
    const r = el.getBoundingClientRect();
    return { clientX: r.x + r.width / 2, clientY: r.y + r.height / 2 };
  };
  const fire = (el: Element, type: string) =>
    el.dispatchEvent(
      new DragEvent(type, { bubbles: true, cancelable: true, composed: true, dataTransfer: data, ...centre(el) }),
    );
  fire(dragged, "dragstart");
  fire(target, "dragenter");
  const accepted = !fire(target, "dragover"); // a drop target calls preventDefault() on dragover
  if (accepted) fire(target, "drop");
  fire(dragged, "dragend");
  return true;
}

/**
 * The centre of an element on the screen (input events' coordinates, the top-level page's), after scrolling it into
 * the middle of the viewport; "covered" when something else would get a pointer there (in its document, or of a page
 * around its frame: an input sent there would reach that instead, and the step pass without it). Inside a frame whose
 * place in the page it cannot see (a parent of another origin), the centre in the frame's own coordinates, which the
 * driver carries up (across-frames.ts).
 */
export function centreOf(
  el: Element,
): { x: number; y: number } | "covered" | (AcrossOrigins & { at: { x: number; y: number } }) {
  el.scrollIntoView({ block: "center", inline: "center", behavior: "instant" });
  const r = el.getBoundingClientRect();
  const x = r.x + r.width / 2;
  const y = r.y + r.height / 2;
  const hit = elementAt(x, y);
  if (!hit || !within(hit, el)) return "covered";
  // Input events take the top-level page's coordinates; getBoundingClientRect measures from the frame's own.
  const up = throughFrames(x, y);
  if (!up) return { acrossOrigins: true, at: { x, y } };
  if (up.blocker) return "covered";
  // In the screen's coordinates: on a phone showing part of a page wider than it, the screen (the visual viewport) is
  // scrolled within the layout viewport getBoundingClientRect measures from.
  const s = screenRect(window.top!);
  return { x: up.top.x - s.left, y: up.top.y - s.top };
}
