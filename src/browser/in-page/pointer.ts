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

/**
 * The client coordinates the screen shows of `win`: its visual viewport where the browser has one, else its layout
 * viewport (in a frame: the part of the frame's document the frame shows).
 */
export function screenRect(win: Window = window): ScreenRect {
  const v = win.visualViewport;
  if (!v) return { left: 0, top: 0, right: win.innerWidth, bottom: win.innerHeight };
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

/** The element a pointer at the client point (x, y) of `doc` reaches, into open shadow roots, where it really is. */
export function elementAt(x: number, y: number, doc: Document = document): Element | null {
  let hit = doc.elementFromPoint(x, y);
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
export function shownInPart(win: Window = window): boolean {
  const v = win.visualViewport;
  if (!v) return false;
  return (
    v.width < win.innerWidth - 1 ||
    v.height < win.innerHeight - 1 ||
    Math.abs(v.offsetLeft) >= 1 ||
    Math.abs(v.offsetTop) >= 1 ||
    Math.abs(v.scale - 1) > 0.001
  );
}

/** Where a tap on an element lands: in its own document's client coordinates, and in the top-level page's. */
interface Landing {
  own: { x: number; y: number };
  top: { x: number; y: number };
}

/**
 * A client point of this document carried up to the top-level page through the frames it is in (frameStep at each),
 * and the first thing that stops a tap there on the way. Undefined when a frame's parent is of another origin: it hides
 * the frame element, and with it what covers the frame (the driver climbs there itself: across-frames.ts).
 */
export function throughFrames(
  x: number,
  y: number,
): { top: { x: number; y: number }; blocker: Element | "off screen" | null } | undefined {
  let blocker: Element | "off screen" | null = null;
  for (let w: Window = window; w !== w.top; w = w.parent) {
    const frame = w.frameElement;
    if (!frame) return undefined;
    const step = frameStep(frame, x, y);
    ({ x, y } = step);
    blocker ??= step.blocker;
  }
  return { top: { x, y }, blocker };
}

/**
 * A client point of `frame`'s document in the coordinates of the document holding `frame` (the frame's content box
 * added: inside its border and padding), and what there stops a tap: an element that gets it instead of the frame, or
 * "off screen" where that document does not show the point.
 */
export function frameStep(
  frame: Element,
  x: number,
  y: number,
): { x: number; y: number; blocker: Element | "off screen" | null } {
  const parent = frame.ownerDocument.defaultView!;
  const f = frame.getBoundingClientRect();
  const style = parent.getComputedStyle(frame);
  x += f.left + frame.clientLeft + (parseFloat(style.paddingLeft) || 0);
  y += f.top + frame.clientTop + (parseFloat(style.paddingTop) || 0);
  const s = screenRect(parent);
  if (x < s.left || x >= s.right || y < s.top || y >= s.bottom) return { x, y, blocker: "off screen" };
  const hit = elementAt(x, y, frame.ownerDocument);
  if (hit === frame || (hit && shadowHostsOf(frame).includes(hit))) return { x, y, blocker: null };
  return { x, y, blocker: hit ?? "off screen" };
}

/** The hosts of the shadow roots `el` is in, innermost first: a closed one is as far as elementFromPoint reaches. */
function shadowHostsOf(el: Element): Element[] {
  const hosts: Element[] = [];
  for (let root = el.getRootNode(); root instanceof ShadowRoot; root = root.host.getRootNode()) hosts.push(root.host);
  return hosts;
}

/**
 * Where a tap on `el` lands that it gets itself: the centre of its part its document shows, in its document's and in
 * the top-level page's coordinates, each frame up to the page showing it there uncovered (throughFrames). Null when
 * the screen shows none of it there or something else would get the tap. Only where the page is of its origin.
 */
function landingThroughFrames(el: Element): Landing | null {
  const own = ownLanding(el);
  const up = own && throughFrames(own.x, own.y);
  return up && !up.blocker ? { own: own!, top: up.top } : null;
}

/** Where a tap on `el` lands in its own document (landingPoint) if `el` gets it there itself, else null. */
function ownLanding(el: Element): { x: number; y: number } | null {
  const own = landingPoint(el);
  const hit = own && elementAt(own.x, own.y);
  return own && hit && within(hit, el) ? own : null;
}

/**
 * For a driver that carries the point up through a parent of another origin itself (across-frames.ts): where a tap on
 * `el` lands in its own document if it gets it there itself (`at`, client coordinates; `position`, from its padding
 * box), else null.
 */
export function landingInFrame(
  el: Element,
): { at: { x: number; y: number }; position: { x: number; y: number } } | null {
  const at = ownLanding(el);
  return at && { at, position: paddingBoxPosition(el, at) };
}

/** Whether the top-level page is of this document's origin all the way up (each frame's parent shows its element). */
export function topReachable(): boolean {
  for (let w: Window = window; w !== w.top; w = w.parent) if (!w.frameElement) return false;
  return true;
}

/** A driver climbs the frames itself (across-frames.ts): a parent of another origin hides what this one would see. */
export interface AcrossOrigins {
  acrossOrigins: true;
}

/**
 * Where on `el` a click lands that it gets itself, for a driver whose own check of that cannot be trusted because the
 * screen shows part of the page (shownInPart of the top-level page): the point, from the top-left corner of its
 * padding box (Playwright's `position`), null when the screen shows none of it or something else would get the click
 * there, in a frame too. `partial: false` when the screen shows the whole layout viewport: the driver's own check
 * holds there, and goes further (it re-scrolls a covered element).
 */
export function pointerLanding(
  el: Element,
): { partial: false } | { partial: true; position: { x: number; y: number } | null } | AcrossOrigins {
  if (!topReachable()) return { acrossOrigins: true };
  if (!shownInPart(window.top!)) return { partial: false };
  const landing = landingThroughFrames(el);
  if (!landing) return { partial: true, position: null };
  return { partial: true, position: paddingBoxPosition(el, landing.own) };
}

/** A client point of `el`'s document from the top-left corner of `el`'s padding box (Playwright's `position`). */
function paddingBoxPosition(el: Element, at: { x: number; y: number }): { x: number; y: number } {
  const r = el.getBoundingClientRect();
  const style = getComputedStyle(el);
  return {
    x: at.x - r.left - (parseFloat(style.borderLeftWidth) || 0),
    y: at.y - r.top - (parseFloat(style.borderTopWidth) || 0),
  };
}

/** What screenLanding answers: `partial: false` where the driver's own click holds, else the point to tap, if any. */
export type ScreenLanding = { partial: false } | { partial: true; at: { x: number; y: number } | null } | AcrossOrigins;

/**
 * pointerLanding for a driver that taps at a point of the screen (WebDriver actions, whose viewport origin is the
 * top-level screen's corner, in a frame too): the point in the screen's coordinates.
 */
export function screenLanding(el: Element): ScreenLanding {
  if (!topReachable()) return { acrossOrigins: true };
  if (!shownInPart(window.top!)) return { partial: false };
  const landing = landingThroughFrames(el);
  if (!landing) return { partial: true, at: null };
  const s = screenRect(window.top!);
  return { partial: true, at: { x: landing.top.x - s.left, y: landing.top.y - s.top } };
}
