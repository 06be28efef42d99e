// The origin of each frame's document in one page, kept from the page's own DevTools session (both drivers).
//
// Fetch.requestPaused names the frame a request comes from (frameId), not the origin that made it: this map says
// whether that frame's document is staging's, which decides whether a subresource request may carry staging's
// access headers (staging-fetch.ts). What Chromium reports, and what follows from it:
// - frameNavigated comes when a frame commits a new document. A navigation request is paused before it; the
//   document's own requests after it: the renderer reports the commit before it parses the document or runs a
//   script of it (so a page's scripts and fetches find its origin here, right after a navigation or a redirect too).
// - securityOrigin is computed from the document's URL: "://" for about:blank, about:srcdoc and data: documents,
//   whatever origin they really have. A srcdoc document has its parent's origin (only the parent's own document
//   can give a frame one; the browser refuses any other navigation to about:srcdoc). An about:blank document has
//   the origin of whoever navigated there, which can be another origin's frame (a sibling that may navigate it):
//   it stays unknown. A frame's initial about:blank document needs no entry: Chromium sends its requests under
//   the parent's frameId.
// - An out-of-process iframe (another site) leaves this session ("swap"): its requests are its own target's,
//   never paused here, except its navigations.
// - A sandboxed iframe (the sandbox attribute, or its document's `Content-Security-Policy: sandbox`) has an opaque
//   origin, yet securityOrigin is its URL's. It is safe here only because Chromium puts sandboxed iframes in a
//   process of their own (their requests are not paused in this session); a sandboxed document kept in process (a
//   top-level staging page served with CSP sandbox) is reported as staging's, and what covers it is the Origin
//   check of staging-fetch.ts: its CORS requests say `Origin: null` and go without the headers.
// - A dedicated worker's requests carry the frameId of the document that started it.
// A frame this map does not know has no origin: its subresource requests go without the headers (fail closed).

/** What a frame's document is, as Page.frameNavigated and Page.getFrameTree describe it (the part read here). */
export interface FrameInfo {
  id: string;
  parentId?: string;
  url: string;
  securityOrigin?: string;
}

/** Page.getFrameTree's answer, the part read here. */
export interface FrameTree {
  frame: FrameInfo;
  childFrames?: FrameTree[];
}

/** One page's DevTools session: a command, and the events of one method. */
export interface DevToolsPort {
  send(method: string, params: object): Promise<unknown>;
  on(method: string, handler: (params: Record<string, unknown>) => void): void;
}

/**
 * The origin of `frame`'s document ("https://staging.example.com"), or undefined when it is opaque or unknown.
 * `parentOrigin`: the origin of the parent frame's document, which a srcdoc document has.
 */
export function documentOrigin(frame: FrameInfo, parentOrigin: string | undefined): string | undefined {
  if (frame.url === "about:srcdoc") return parentOrigin;
  try {
    const origin = new URL(frame.securityOrigin || frame.url).origin;
    return origin === "null" ? undefined : origin;
  } catch {
    return undefined; // "://": about:blank, data:, and anything else without an origin of its own
  }
}

/** Each frame's current document origin in one page. Fed by the page's events; read when a request is paused. */
export class FrameOrigins {
  private readonly frames = new Map<string, { parentId?: string; origin: string | undefined; told: number }>();
  /** The events so far, numbered: each frame keeps the number of the last one about it (see changedSince). */
  private told = 0;
  /**
   * Until the frame tree is read: the frames an event has told about. Their event is at least as new as the tree
   * (any later change before the tree was read came as an event too), so the tree does not overwrite them.
   */
  private toldBeforeTree: Set<string> | undefined = new Set();
  /** Resolves once the frame tree has been read, or could not be (then only the events tell). */
  readonly known: Promise<void>;
  private settle!: () => void;

  constructor() {
    this.known = new Promise((resolve) => (this.settle = resolve));
  }

  /** Whether every frame the page had when tracking started is known (see `known`). */
  isKnown(): boolean {
    return this.toldBeforeTree === undefined;
  }

  /** A mark of what has been told so far, for changedSince. */
  now(): number {
    return this.told;
  }

  /** Whether an event has told about frame `frameId` since `mark` (its document then may not be its document now). */
  changedSince(frameId: string | undefined, mark: number): boolean {
    return frameId !== undefined && (this.frames.get(frameId)?.told ?? 0) > mark;
  }

  /** The origin of the document in frame `frameId`; undefined for a frame not known (fail closed). */
  originOf(frameId: string | undefined): string | undefined {
    return frameId ? this.frames.get(frameId)?.origin : undefined;
  }

  /** Page.frameNavigated: `frame` committed a new document (its own frames are gone with the old one). */
  navigated(frame: FrameInfo): void {
    this.told++;
    this.toldBeforeTree?.add(frame.id);
    this.dropDescendants(frame.id);
    this.set(frame, this.told);
  }

  /** Page.frameDetached: removed, or moved to another process (an out-of-process iframe, not seen here any more). */
  detached(frameId: string): void {
    this.told++;
    this.toldBeforeTree?.add(frameId);
    this.dropDescendants(frameId);
    this.frames.delete(frameId);
  }

  /** Page.getFrameTree's answer (undefined: there is none): every frame no event has told about yet. Once. */
  seed(tree: FrameTree | undefined): void {
    const told = this.toldBeforeTree;
    if (!told) return;
    this.toldBeforeTree = undefined;
    const visit = (node: FrameTree) => {
      if (!told.has(node.frame.id)) this.set(node.frame, 0);
      for (const child of node.childFrames ?? []) visit(child);
    };
    if (tree) visit(tree);
    this.settle();
  }

  private set(frame: FrameInfo, told: number): void {
    const parentOrigin = frame.parentId ? this.originOf(frame.parentId) : undefined;
    this.frames.set(frame.id, { parentId: frame.parentId, origin: documentOrigin(frame, parentOrigin), told });
  }

  private dropDescendants(frameId: string): void {
    for (const [id, entry] of this.frames)
      if (entry.parentId === frameId) {
        this.dropDescendants(id);
        this.frames.delete(id);
      }
  }
}

/**
 * Starts keeping `port`'s page's frame origins: at once from the page's events, and from its frame tree once the
 * page answers (`known`). Nothing here is awaited: a page the browser holds before its first request (a new tab on
 * Selenium) answers Page.enable only once it is let go.
 */
export function trackFrameOrigins(port: DevToolsPort): FrameOrigins {
  const origins = new FrameOrigins();
  port.on("Page.frameNavigated", (p) => origins.navigated(p.frame as FrameInfo));
  port.on("Page.frameDetached", (p) => origins.detached(p.frameId as string));
  port
    .send("Page.enable", {})
    .then(() => port.send("Page.getFrameTree", {}))
    .then(
      (answer) => origins.seed((answer as { frameTree: FrameTree }).frameTree),
      // The page is gone or refused: the frames its events name are known, any other is not (fail closed).
      () => origins.seed(undefined),
    );
  return origins;
}
