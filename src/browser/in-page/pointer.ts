// Where a click on an element lands: the centre of its part the screen shows (the visual viewport), and what gets it there.
//
// Why the visual viewport: on a phone, a page wider than the screen makes the browser's layout viewport as wide as the
// page (and as tall, in proportion: 908×1850 on a Pixel 7, whose screen is 412×839), while the screen shows a 412×839
// part of it. innerWidth and innerHeight are the layout viewport's; a point inside it can be off the screen, where no
// tap lands.

/** The part of the page the screen shows, in the page's client coordinates (getBoundingClientRect's). */
export interface ScreenRect {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/** The client coordinates the screen shows: the visual viewport where the browser has one, else the layout viewport. */
export function screenRect(): ScreenRect {
  const v = window.visualViewport;
  if (!v) return { left: 0, top: 0, right: window.innerWidth, bottom: window.innerHeight };
  return { left: v.offsetLeft, top: v.offsetTop, right: v.offsetLeft + v.width, bottom: v.offsetTop + v.height };
}

/**
 * Where a click on `el` lands, in client coordinates: the centre of the part of its first box the screen shows (the
 * "in-view centre point" of WebDriver's element click; Playwright clicks the centre of its first box cut to the
 * viewport too). Null when the screen shows none of it.
 */
export function landingPoint(el: Element): { x: number; y: number } | null {
  // Its first box, as both drivers take: a link wrapped over two lines is clicked on its first line, not between them.
  const r = el.getClientRects()[0] ?? el.getBoundingClientRect();
  const s = screenRect();
  const left = Math.max(r.left, s.left);
  const right = Math.min(r.right, s.right);
  const top = Math.max(r.top, s.top);
  const bottom = Math.min(r.bottom, s.bottom);
  if (right - left < 1 || bottom - top < 1) return null;
  return { x: (left + right) / 2, y: (top + bottom) / 2 };
}

/** The element a pointer at the client point (x, y) reaches, into open shadow roots, where it really is. */
export function elementAt(x: number, y: number): Element | null {
  let hit = document.elementFromPoint(x, y);
  while (hit && hit.shadowRoot) {
    const inner = hit.shadowRoot.elementFromPoint(x, y);
    if (!inner || inner === hit) break;
    hit = inner;
  }
  return hit;
}

/** `el` is `container` or inside it, through shadow roots and the slots content is drawn in. */
export function within(el: Element, container: Element): boolean {
  for (let n: Node | null = el; n; n = n instanceof ShadowRoot ? n.host : (n as Element).assignedSlot || n.parentNode) {
    if (n === container) return true;
  }
  return false;
}

/**
 * The screen shows only part of the layout viewport: a phone showing a page wider than itself (or zoomed in). Only
 * then does Playwright's own check of what gets a click look in other coordinates than its click uses (module comment).
 */
export function shownInPart(): boolean {
  const v = window.visualViewport;
  if (!v) return false;
  return (
    v.width < window.innerWidth - 1 ||
    v.height < window.innerHeight - 1 ||
    Math.abs(v.offsetLeft) >= 1 ||
    Math.abs(v.offsetTop) >= 1 ||
    Math.abs(v.scale - 1) > 0.001
  );
}

/**
 * Where on `el` a click lands that it gets itself, for a driver whose own check of that cannot be trusted because the
 * screen shows part of the page (shownInPart): the point, from the top-left corner of its padding box (Playwright's
 * `position`), null when the screen shows none of it or something else would get the click there. `partial: false`
 * when the screen shows the whole layout viewport: the driver's own check holds, and goes further (it re-scrolls a
 * covered element, and checks the hit in the parent page of a frame).
 */
export function pointerLanding(
  el: Element,
): { partial: false } | { partial: true; position: { x: number; y: number } | null } {
  if (!shownInPart()) return { partial: false };
  const at = landingPoint(el);
  const hit = at && elementAt(at.x, at.y);
  if (!at || !hit || !within(hit, el)) return { partial: true, position: null };
  const r = el.getBoundingClientRect();
  const style = getComputedStyle(el);
  return {
    partial: true,
    position: {
      x: at.x - r.left - (parseFloat(style.borderLeftWidth) || 0),
      y: at.y - r.top - (parseFloat(style.borderTopWidth) || 0),
    },
  };
}

/** What screenLanding answers: `partial: false` where the driver's own click holds, else the point to tap, if any. */
export type ScreenLanding = { partial: false } | { partial: true; at: { x: number; y: number } | null };

/**
 * pointerLanding for a driver that taps at a point of the screen (WebDriver actions, whose viewport origin is the
 * screen's corner): the point in the screen's coordinates. `partial: false` in a frame too: the frame's own
 * visual viewport says nothing of the page's, and the driver's element click goes by the frame.
 */
export function screenLanding(el: Element): ScreenLanding {
  if (window !== window.top || !shownInPart()) return { partial: false };
  const at = landingPoint(el);
  const hit = at && elementAt(at.x, at.y);
  if (!at || !hit || !within(hit, el)) return { partial: true, at: null };
  const s = screenRect();
  return { partial: true, at: { x: at.x - s.left, y: at.y - s.top } };
}
