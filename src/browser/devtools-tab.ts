// A direct DevTools (CDP) connection to the tab chromedriver drives: one WebSocket, commands pipelined, no chromedriver hop.
//
// Hand-written over `ws` (the WebSocket library selenium-webdriver itself uses): the CDP framing is only
// ids mapped to promises. selenium-webdriver's own CDPConnection parses every message once per pending
// command and keeps a 30 s timer each, and chrome-remote-interface would add a second client of the same
// protocol for the few commands the reset sends; neither tells a caller that a dialog now blocks the page.
import WebSocket from "ws";
import { within } from "./within";
import { httpGet } from "../core/http-get";
import type { PageLine } from "./busy-page";

/** The page showed a native dialog (alert, confirm, prompt, beforeunload): scripts wait until it is handled. */
export class DialogOpenError extends Error {
  override name = "DialogOpenError";
}

/** The connection is gone or a command got no answer in time. */
export class DevToolsGoneError extends Error {
  override name = "DevToolsGoneError";
}

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
  /** Rejected when a dialog opens: a script in a page that shows a dialog waits until it closes. */
  blockedByDialog: boolean;
  timer: NodeJS.Timeout;
}

interface CdpMessage {
  id?: number;
  method?: string;
  params?: Record<string, unknown>;
  result?: unknown;
  error?: { message?: string };
  sessionId?: string;
}

/** Another page's DevTools session on the same connection: its commands and its events. */
export interface PagePort {
  command<T = unknown>(method: string, params?: object): Promise<T>;
  on(method: string, handler: (params: Record<string, unknown>) => void): void;
}

type Waiter = { match: (m: CdpMessage) => boolean; resolve: () => void };

const COMMAND_TIMEOUT_MS = 10_000;

/** The events a main-frame navigation may start with: the browser's, and the page's own for a link or a form. */
const NAVIGATION_STARTS: ReadonlySet<string> = new Set([
  "Page.frameStartedNavigating",
  "Page.frameRequestedNavigation",
  "Page.frameStartedLoading",
]);

export class DevToolsTab {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly waiters = new Set<Waiter>();
  private readonly listeners: Array<{
    sessionId: string;
    method: string;
    handler: (params: Record<string, unknown>) => void;
  }> = [];
  /** Listeners to the browser's own session (events with no sessionId: Browser.download…). */
  private readonly browserListeners = new Set<{
    method: string;
    handler: (params: Record<string, unknown>) => void;
  }>();
  private sessionId = "";
  private gone = false;
  /** A native dialog is open in the tab (set by the page's own events, so it is known before any command). */
  dialogOpen = false;
  /** A document is on its way to the tab: from the navigation's start to its commit (or its end without one). */
  private navigating = false;
  /** The URL the tab's last main-frame navigation asked for, as its start event named it. */
  private lastNavigation: string | undefined;
  /** How many main-frame navigations the tab has started: a mark taken before an action (navigationMark). */
  private starts = 0;
  /** The type of the dialog open now ("alert", "beforeunload"…), as the page's event named it. */
  private dialogType: unknown;
  /** Who waits for the document on its way to be taken in (navigationArrived). */
  private readonly arrivals: Array<() => void> = [];
  /** Page targets other than the tab (popups, window.open), as the browser's target events report them. */
  readonly otherPages = new Set<string>();

  private constructor(
    private readonly ws: WebSocket,
    readonly targetId: string,
  ) {
    ws.on("message", (data) => {
      // Thrown in a socket handler it would end the process: a message that makes no sense ends the connection.
      try {
        this.onMessage(JSON.parse(String(data)) as CdpMessage);
      } catch (err) {
        this.fail(new DevToolsGoneError(`the DevTools connection sent a malformed message: ${(err as Error).message}`));
        ws.terminate();
      }
    });
    ws.on("close", () => this.fail(new DevToolsGoneError("the DevTools connection closed")));
    ws.on("error", (err) => this.fail(new DevToolsGoneError(`the DevTools connection failed: ${err.message}`)));
  }

  /**
   * Connects to the browser at `debuggerAddress` (host:port, as chromedriver reports it) and attaches to
   * the tab whose target id is `targetId` (chromedriver's window handle). Rejects when there is no such tab
   * there, so a debugger address that names another browser is never used.
   */
  static async connect(debuggerAddress: string, targetId: string, timeoutMs = 5000): Promise<DevToolsTab> {
    const base = `http://${debuggerAddress.replace(/^localhost:/, "127.0.0.1:")}`;
    const answer = await httpGet(`${base}/json/version`, { timeoutMs });
    const version = JSON.parse(answer.body) as { webSocketDebuggerUrl?: string };
    if (!version.webSocketDebuggerUrl) throw new DevToolsGoneError(`no DevTools endpoint at ${debuggerAddress}`);
    const ws = new WebSocket(version.webSocketDebuggerUrl, { perMessageDeflate: false, handshakeTimeout: timeoutMs });
    await new Promise<void>((resolve, reject) => {
      ws.once("open", () => resolve());
      ws.once("error", reject);
    });
    const tab = new DevToolsTab(ws, targetId);
    try {
      await tab.send("Target.setDiscoverTargets", { discover: true }, false);
      const { sessionId } = await tab.send<{ sessionId: string }>(
        "Target.attachToTarget",
        { targetId, flatten: true },
        false,
      );
      tab.sessionId = sessionId;
      await tab.command("Page.enable"); // dialogs and navigations of the tab, as events
      return tab;
    } catch (err) {
      tab.close();
      throw err;
    }
  }

  /** A command to the tab. `blockedByDialog`: rejected with DialogOpenError when a dialog opens (scripts). */
  command<T = unknown>(method: string, params: object = {}, blockedByDialog = false): Promise<T> {
    if (blockedByDialog && this.dialogOpen) return Promise.reject(new DialogOpenError("a dialog is open"));
    return this.send<T>(method, params, blockedByDialog, this.sessionId);
  }

  /** Runs an expression in the tab's top document and returns its JSON value (promises awaited). */
  async evaluate<T>(expression: string): Promise<T> {
    const r = await this.command<{ result: { value?: T }; exceptionDetails?: { text?: string } }>(
      "Runtime.evaluate",
      { expression, returnByValue: true, awaitPromise: true },
      true,
    );
    if (r.exceptionDetails) throw new Error(`script failed in the page: ${r.exceptionDetails.text ?? "exception"}`);
    return r.result.value as T;
  }

  /** The tab's main thread, reached past chromedriver's command queue (busy-page.ts). */
  pageLine(): PageLine {
    return {
      // A dialog holds scripts but is no busy script: it counts as an answer.
      answers: () =>
        this.evaluate<number>("1").then(
          (v) => v === 1,
          (err: unknown) => err instanceof DialogOpenError,
        ),
      stopScript: async () => void (await this.command("Runtime.terminateExecution")),
      navigating: () => this.navigating,
    };
  }

  /** A mark of the tab's navigations so far, taken before an action (navigationArrived, navigationSince). */
  navigationMark(): number {
    return this.starts;
  }

  /**
   * After an action (a click, a key) that began at `mark`: waits up to `ms` for a document it started to be taken in
   * (its commit, or the end of its load); false when one is still on its way then. A round trip first, so that the
   * page's events of the action are in: the browser holds it while a document is on its way, and a dialog the action
   * opened ends it (a dialog holds the page, not a load). A navigation started before the action is not its own.
   */
  async navigationArrived(ms: number, mark: number): Promise<boolean> {
    const deadline = Date.now() + ms;
    await within(
      this.command("Page.enable", {}, true).catch(() => undefined),
      ms,
    );
    const waiting = () => this.starts !== mark && this.navigating && !this.dialogOpen;
    if (waiting()) await within(new Promise<void>((wake) => this.arrivals.push(wake)), deadline - Date.now());
    this.arrivals.length = 0; // a wait that ran out leaves its wake behind
    return !waiting();
  }

  /** The URL the last main-frame navigation started after `mark` asked for (a load that timed out names it). */
  navigationSince(mark: number): string | undefined {
    return this.starts !== mark ? this.lastNavigation : undefined;
  }

  /** Closes every other page (popups) through the browser; answers how many there were. */
  async closeOtherPages(): Promise<number> {
    const ids = [...this.otherPages];
    await Promise.all(ids.map((targetId) => this.send("Target.closeTarget", { targetId }, false)));
    return ids.length;
  }

  /** Resolves on the first event of the tab that `match` accepts (register before causing it). */
  nextEvent(method: string, match: (params: Record<string, unknown>) => boolean = () => true): Promise<void> {
    return new Promise((resolve) => {
      const w: Waiter = {
        match: (m) => m.method === method && m.sessionId === this.sessionId && match(m.params ?? {}),
        resolve: () => {
          this.waiters.delete(w);
          resolve();
        },
      };
      this.waiters.add(w);
    });
  }

  /** Calls `handler` with every `method` event of the tab, for as long as the connection lasts. */
  on(method: string, handler: (params: Record<string, unknown>) => void): void {
    this.listeners.push({ sessionId: this.sessionId, method, handler });
  }

  /** A command to the browser's own session (Browser.*, Target.*), not the tab's. */
  browserCommand<T = unknown>(method: string, params: object = {}): Promise<T> {
    return this.send<T>(method, params, false);
  }

  /** Calls `handler` with every `method` event of the browser's own session until the returned function is called. */
  onBrowser(method: string, handler: (params: Record<string, unknown>) => void): () => void {
    const listener = { method, handler };
    this.browserListeners.add(listener);
    return () => this.browserListeners.delete(listener);
  }

  /**
   * Runs `prepare` on every other page of the browser (a tab the page opens, and any open already) before that page
   * sends its next request: the browser holds each new page until it has run.
   */
  async prepareNewPages(prepare: (page: PagePort) => Promise<void>): Promise<void> {
    this.newPages = prepare;
    // Browser-wide: a page's own auto-attach does not reach the tabs it opens. flatten: commands carry the sessionId.
    await this.send(
      "Target.setAutoAttach",
      {
        autoAttach: true,
        waitForDebuggerOnStart: true,
        flatten: true,
        filter: [{ type: "page", exclude: false }],
      },
      false,
    );
  }

  private newPages: ((page: PagePort) => Promise<void>) | undefined;

  /** A page the browser attached this connection to: prepared (other pages only), then let go on. */
  private attached(params: Record<string, unknown>): void {
    const sessionId = params.sessionId as string;
    const info = params.targetInfo as { targetId?: string } | undefined;
    const run = () => this.send("Runtime.runIfWaitingForDebugger", {}, false, sessionId).catch(() => undefined);
    const prepare = this.newPages;
    if (!prepare || info?.targetId === this.targetId) {
      // The tab itself: set up on its own session already.
      void run().then(() => this.send("Target.detachFromTarget", { sessionId }, false).catch(() => undefined));
      return;
    }
    const port: PagePort = {
      command: (method, p = {}) => this.send(method, p, false, sessionId),
      on: (method, handler) => this.listeners.push({ sessionId, method, handler }),
    };
    // Let go on even if preparing failed: a page held forever would hang the scenario; staging refuses it instead.
    void prepare(port)
      .catch(() => undefined)
      .then(run);
  }

  /** Forgets every pending nextEvent() (their promises never settle; callers race them with a timeout). */
  dropWaiters(): void {
    this.waiters.clear();
  }

  isGone(): boolean {
    return this.gone;
  }

  close(): void {
    this.fail(new DevToolsGoneError("the DevTools connection was closed"));
    this.ws.terminate();
  }

  private send<T>(method: string, params: object, blockedByDialog: boolean, sessionId?: string): Promise<T> {
    if (this.gone) return Promise.reject(new DevToolsGoneError("the DevTools connection is gone"));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new DevToolsGoneError(`no answer to ${method} within ${COMMAND_TIMEOUT_MS} ms`));
      }, COMMAND_TIMEOUT_MS);
      timer.unref();
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, blockedByDialog, timer });
      this.ws.send(JSON.stringify(sessionId ? { id, method, params, sessionId } : { id, method, params }));
    });
  }

  private onMessage(m: CdpMessage): void {
    if (m.id !== undefined) {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      clearTimeout(p.timer);
      if (m.error) p.reject(new Error(`DevTools: ${m.error.message ?? "command failed"}`));
      else p.resolve(m.result);
      return;
    }
    this.track(m);
    for (const w of [...this.waiters]) if (w.match(m)) w.resolve();
    if (m.method === "Target.attachedToTarget" && !m.sessionId && this.newPages) this.attached(m.params ?? {});
    for (const l of this.listeners) if (l.sessionId === m.sessionId && l.method === m.method) l.handler(m.params ?? {});
    if (!m.sessionId) for (const l of [...this.browserListeners]) if (l.method === m.method) l.handler(m.params ?? {});
  }

  private track(m: CdpMessage): void {
    const info = m.params?.targetInfo as { targetId?: string; type?: string } | undefined;
    if (m.method === "Target.targetCreated" && info?.type === "page" && info.targetId !== this.targetId) {
      this.otherPages.add(info.targetId!);
    } else if (m.method === "Target.targetDestroyed") {
      this.otherPages.delete(m.params?.targetId as string);
    } else if (m.method === "Target.detachedFromTarget" && m.params?.sessionId === this.sessionId) {
      this.fail(new DevToolsGoneError("the tab went away"));
    } else if (m.method === "Target.detachedFromTarget") {
      // A page prepared by prepareNewPages closed: its listeners go with it.
      for (let i = this.listeners.length - 1; i >= 0; i--)
        if (this.listeners[i].sessionId === m.params?.sessionId) this.listeners.splice(i, 1);
    } else if (m.method === "Inspector.targetCrashed" && m.sessionId === this.sessionId) {
      this.fail(new DevToolsGoneError("the tab crashed")); // WebDriver finds the crash and reports it
    } else if (m.sessionId === this.sessionId && m.method === "Page.javascriptDialogOpening") {
      this.dialogOpen = true;
      this.dialogType = m.params?.type;
      for (const [id, p] of this.pending) {
        if (!p.blockedByDialog) continue;
        this.pending.delete(id);
        clearTimeout(p.timer);
        p.reject(new DialogOpenError("a dialog opened"));
      }
    } else if (m.sessionId === this.sessionId && m.method === "Page.javascriptDialogClosed") {
      this.dialogOpen = false;
      // A "leave this page?" prompt answered no: the page stays, the navigation that asked is dropped without an event.
      if (this.dialogType === "beforeunload" && m.params?.result === false) this.arrived();
    } else if (m.sessionId === this.sessionId && m.params?.frameId === this.targetId) {
      // The tab's main frame has the target's id.
      // A link opened in a new tab or window, or as a download, is no document of this tab's.
      const elsewhere = m.method === "Page.frameRequestedNavigation" && m.params.disposition !== "currentTab";
      if (NAVIGATION_STARTS.has(m.method ?? "") && !elsewhere) {
        this.navigating = true;
        this.starts++;
        if (typeof m.params.url === "string") this.lastNavigation = m.params.url;
      } else if (m.method === "Page.frameStoppedLoading") this.arrived();
      // A move within the page ends the navigation to it, not one to another document (a history call meanwhile).
      else if (m.method === "Page.navigatedWithinDocument" && m.params.url === this.lastNavigation) this.arrived();
    } else if (m.sessionId === this.sessionId && m.method === "Page.frameNavigated") {
      if (!(m.params?.frame as { parentId?: string } | undefined)?.parentId) this.arrived();
    }
  }

  /** The document on its way was taken in, or is no longer loaded. */
  private arrived(): void {
    this.navigating = false;
    for (const wake of this.arrivals.splice(0)) wake();
  }

  private fail(err: Error): void {
    if (this.gone) return;
    this.gone = true;
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.reject(err);
    }
    this.pending.clear();
  }
}
