// Runs INSIDE the page: the checkbox or radio button a check step acts on, and the label it is clicked through when it is not drawn itself.
//
// Why: a CSS-only switch or a custom checkbox hides its native input (no size, opacity 0, clipped away by a
// "visually-hidden" class, or covered by what draws it) and draws the control in its <label>. A user clicks that
// label, and the browser toggles the input. Locators count visible elements only (Playwright's rule, locate.ts),
// so to them the input is hidden; the check steps count it as shown when a label of it is, as a user sees it.
import type { Explanation, Locator } from "../session";
import { normalizeName } from "../../core/name-match";
import { checkedState } from "./elements";
import { candidatesShownBy, explain, kept, pointerBlocked } from "./locate";
import { isEnabled, isVisible } from "./element-state";

/** What a check step acts on: the phrase's visible element itself, or a checkbox or radio through its visible label. */
export type InPageToggle =
  | { found: "none" }
  | { found: "ambiguous"; detail: string }
  | { found: "control"; control: Element; enabled: boolean; checked: boolean | null; radio: boolean }
  | {
      found: "label";
      control: Element;
      /** What is clicked: the label, or the control it draws where it holds a link (clickPartOf). */
      label: Element;
      /** The label's text as it shows, for a failure. */
      labelText: string;
      enabled: boolean;
      checked: boolean;
      radio: boolean;
    };

const isToggleInput = (el: Element): el is HTMLInputElement =>
  el instanceof HTMLInputElement && (el.type === "checkbox" || el.type === "radio");

/** The input's visible labels (a wrapping <label>, or one `for` it), in document order. */
const shownLabels = (el: HTMLInputElement): HTMLLabelElement[] =>
  Array.from(el.labels ?? []).filter((l) => isVisible(l));

/** Whether an element's ::before or ::after draws something: it has content, shows, and has a size (or is a glyph). */
function pseudoDraws(el: Element): boolean {
  for (const which of ["::before", "::after"]) {
    const s = getComputedStyle(el, which);
    if (s.content === "none" || s.content === "normal" || s.display === "none" || s.visibility !== "visible") continue;
    const w = parseFloat(s.width);
    const h = parseFloat(s.height);
    // An inline pseudo-element has no set size ("auto"): it draws when its content is some text (a glyph).
    if (w > 0 && h > 0) return true;
    if ((s.width === "auto" || s.height === "auto") && s.content !== '""' && s.content !== "''") return true;
  }
  return false;
}

/** Whether an element draws a control: a box with no text of its own (a slider, a tick box), or a drawn pseudo-element. */
function drawsABox(el: Element): boolean {
  if (pseudoDraws(el)) return true;
  return isVisible(el) && normalizeName(el.textContent ?? "") === "";
}

/**
 * Whether a label of a hidden input draws a control for it: a ::before/::after of the label or of an element in it,
 * an element in it (not the input) with a box and no text, or, for a `<label for>`, the input's next sibling drawn
 * so. Why: a hidden input whose label is plain text (a stylesheet failed, nothing drawn) is not shown to a user, so
 * checking or reading it must fail as for any hidden element, not pass through its words.
 */
function drawsAControl(control: HTMLInputElement, label: HTMLLabelElement): boolean {
  if (pseudoDraws(label)) return true;
  for (const el of Array.from(label.querySelectorAll("*"))) {
    if (el === control || el.contains(control)) continue;
    if (drawsABox(el)) return true;
  }
  const next = control.nextElementSibling;
  return (
    next !== null && next !== label && !next.contains(control) && !(next instanceof HTMLLabelElement) && drawsABox(next)
  );
}

/**
 * Whether a click at the element's centre goes to another element (it is clipped away, or what draws it covers it):
 * the point is looked at once it is in view (scrolled there, as a click would); false when it cannot tell.
 */
function missesItsCentre(el: Element): boolean {
  const centre = () => {
    const r = el.getBoundingClientRect();
    return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
  };
  const inView = ({ x, y }: { x: number; y: number }) =>
    x >= 0 && y >= 0 && x < window.innerWidth && y < window.innerHeight;
  let at = centre();
  if (!inView(at)) {
    el.scrollIntoView({ block: "center", inline: "center", behavior: "instant" });
    at = centre();
    if (!inView(at)) return false;
  }
  // In its own root: a shadow root's elementFromPoint answers inside it.
  const root = el.getRootNode();
  const hit = (root instanceof ShadowRoot ? root : document).elementFromPoint(at.x, at.y);
  return hit !== null && hit !== el;
}

/** What a label holds that takes a click itself, which the label then does not pass to its control (HTML's rule). */
const INTERACTIVE = "a[href], button, input, select, textarea, summary, [tabindex]:not([tabindex='-1'])";

/**
 * Where a click on a label reaches its control: the label, unless it holds a link or a button (terms and conditions
 * in an "I agree" switch), which would take a click at its centre; then the control it draws (the switch's slider),
 * where there is one.
 */
function clickPartOf(control: HTMLInputElement, label: HTMLLabelElement): Element {
  const takesItsOwn = (el: Element) => el !== control && el.matches(INTERACTIVE);
  if (!Array.from(label.querySelectorAll("*")).some(takesItsOwn)) return label;
  const drawn = Array.from(label.querySelectorAll("*")).find(
    (el) => !el.contains(control) && !el.closest(INTERACTIVE) && drawsABox(el),
  );
  return drawn ?? label;
}

function throughLabel(control: HTMLInputElement, label: HTMLLabelElement): InPageToggle {
  const text = normalizeName(label.innerText);
  return {
    found: "label",
    control,
    label: clickPartOf(control, label),
    labelText: text.length > 60 ? text.slice(0, 60) + "…" : text,
    enabled: isEnabled(control),
    checked: control.checked,
    radio: control.type === "radio",
  };
}

/**
 * The element a check step acts on, as the page is now. The phrase's first visible match is the control, unless
 * (with `act`, for a click) it is a checkbox or radio whose centre gets another element's click while a label of it
 * shows: then that label. With no visible match, a checkbox or radio the phrase names that is not drawn but has a
 * visible label that draws a control (drawsAControl) counts (by the same name rule and position), through that label.
 * A truly hidden one (no label shows, or one shows only words) is none: it cannot be checked, nor read, as before.
 */
export function toggleTarget(loc: Locator, act: boolean): InPageToggle {
  const seen = candidatesShownBy(loc, isVisible);
  if (seen.ambiguity) return { found: "ambiguous", detail: seen.ambiguity };
  const first = seen.found[0];
  if (first) {
    const labels = isToggleInput(first) ? shownLabels(first) : [];
    if (act && labels.length > 0 && missesItsCentre(first)) return throughLabel(first as HTMLInputElement, labels[0]);
    const radio = (isToggleInput(first) && first.type === "radio") || first.getAttribute("role") === "radio";
    return { found: "control", control: first, enabled: isEnabled(first), checked: checkedState(first), radio };
  }
  const drawingLabels = (el: HTMLInputElement) => shownLabels(el).filter((label) => drawsAControl(el, label));
  const drawnByLabel = candidatesShownBy(loc, (el) => isToggleInput(el) && drawingLabels(el).length > 0);
  if (drawnByLabel.ambiguity) return { found: "ambiguous", detail: drawnByLabel.ambiguity };
  const control = drawnByLabel.found[0] as HTMLInputElement | undefined;
  return control ? throughLabel(control, drawingLabels(control)[0]) : { found: "none" };
}

/**
 * Why a check step could not act on the phrase, about what the step would click (a control its own drawing covers is
 * clicked through its label): of a control through its label, that it is disabled, or why no click reached the label
 * (a click that reached it and changed nothing is said by the step: labelClickNotTaken); else explain()'s.
 */
export function explainToggle(loc: Locator): Explanation {
  const t = toggleTarget(loc, true);
  if (t.found !== "label") return explain(loc, "clickable");
  if (!t.enabled) return kept("it is disabled");
  return kept(`its label "${t.labelText}" got no click in time: ${pointerBlocked(t.label)}`);
}
