// The port's downloads: reading a downloaded file's head within a cap, and a Selenium tab's downloads over DevTools.
//
// Chromium reports the downloads of a browser context on the browser's DevTools session (Browser.downloadWillBegin
// names the file as it would be saved, Browser.downloadProgress says when it is whole or was given up) to the client
// that asked with Browser.setDownloadBehavior's eventsEnabled, and "allowAndName" saves each file under its guid in
// the directory named there. Playwright asks the same of Chromium for each context it makes, and reports it through
// its Download objects (playwright-downloads.ts); a Selenium driver asks it once over its tab's own DevTools connection.
// Its tab is in an incognito profile, which Browser.setDownloadBehavior cannot name (it knows the contexts DevTools
// made only): the tab's own Page.setDownloadBehavior sets the behaviour of the tab's profile (the tabs it opens too),
// and the browser's, with eventsEnabled, sends the events of every download.
import { randomUUID } from "node:crypto";
import { rmSync } from "node:fs";
import { open } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Readable } from "node:stream";
import type { Download, DownloadContent } from "./session";

/** The first `maxBytes` of a file, reading at most one byte more (to tell whether there is more). */
export async function readFileHead(path: string, maxBytes: number): Promise<DownloadContent> {
  const file = await open(path, "r");
  try {
    const buf = Buffer.alloc(maxBytes + 1);
    let read = 0;
    for (;;) {
      const { bytesRead } = await file.read(buf, read, buf.length - read, read);
      if (bytesRead === 0) break;
      read += bytesRead;
      if (read === buf.length) break;
    }
    return { bytes: buf.subarray(0, Math.min(read, maxBytes)), whole: read <= maxBytes };
  } finally {
    await file.close();
  }
}

/** The first `maxBytes` of a stream; it is destroyed as soon as more than that has come. */
export async function readStreamHead(stream: Readable, maxBytes: number): Promise<DownloadContent> {
  const chunks: Buffer[] = [];
  let read = 0;
  try {
    for await (const chunk of stream) {
      const b = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
      chunks.push(b);
      read += b.length;
      if (read > maxBytes) break;
    }
  } finally {
    stream.destroy();
  }
  const all = Buffer.concat(chunks);
  return { bytes: all.subarray(0, Math.min(read, maxBytes)), whole: read <= maxBytes };
}

/** The browser's DevTools session: its commands and its events; and the tab's commands. */
export interface BrowserDevTools {
  command<T = unknown>(method: string, params?: object): Promise<T>;
  tabCommand(method: string, params?: object): Promise<unknown>;
  /** Calls `handler` with every `method` event of the browser's session until the returned function is called. */
  on(method: string, handler: (params: Record<string, unknown>) => void): () => void;
}

interface Seen extends Download {
  guid: string;
}

/**
 * Where a tab's downloads go: set once per DevTools connection (a scenario opening no download pays nothing for it),
 * each saved under its guid in a temporary directory of the tab's, which remove() deletes with the tab.
 */
export class DownloadsDirectory {
  readonly dir = join(tmpdir(), `signoff-downloads-${randomUUID()}`);
  private readonly ready: Promise<void>;

  constructor(readonly browser: BrowserDevTools) {
    const behavior = { behavior: "allowAndName", downloadPath: this.dir };
    this.ready = Promise.all([
      browser.command("Browser.setDownloadBehavior", { ...behavior, eventsEnabled: true }),
      browser.tabCommand("Page.setDownloadBehavior", behavior),
    ]).then(() => undefined);
    this.ready.catch(() => undefined); // start() reports it
  }

  /** One session's record of the downloads from now on. */
  async start(): Promise<DevToolsDownloads> {
    await this.ready;
    return new DevToolsDownloads(this);
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * One session's downloads in a browser driven over DevTools: the downloads of the tab's profile that begin during
 * the session, recorded from the browser's events. close() cancels what is still in progress and removes the
 * session's files; a download that began in an earlier session is never this one's.
 */
export class DevToolsDownloads {
  private readonly seen: Seen[] = [];
  private readonly stopListening: Array<() => void>;
  private closed = false;

  constructor(private readonly where: DownloadsDirectory) {
    const browser = where.browser;
    this.stopListening = [
      browser.on("Browser.downloadWillBegin", (p) => {
        if (this.closed) return;
        this.seen.push({
          guid: String(p.guid),
          fileName: String(p.suggestedFilename ?? ""),
          url: String(p.url ?? ""),
          state: "in progress",
        });
      }),
      browser.on("Browser.downloadProgress", (p) => {
        const d = this.seen.find((s) => s.guid === p.guid);
        if (!d || d.state !== "in progress") return;
        if (p.state === "completed") d.state = "completed";
        else if (p.state === "canceled") d.state = "canceled";
        // Closed while it was under way: the browser writes its file as it ends, so that goes too.
        if (this.closed && d.state !== "in progress") this.removeOnceOver();
      }),
    ];
  }

  list(): Download[] {
    return this.seen.map(({ fileName, url, state }) => ({ fileName, url, state }));
  }

  async content(index: number, maxBytes: number): Promise<DownloadContent> {
    const d = this.seen[index];
    if (!d || d.state !== "completed") throw new Error(`download ${index} is not a completed download`);
    return readFileHead(this.fileOf(d), maxBytes);
  }

  private fileOf(d: Seen): string {
    // The guid comes from the browser's event: only a plain one names a file in the directory.
    return join(this.where.dir, /^[\w-]+$/.test(d.guid) ? d.guid : "-");
  }

  /**
   * Cancels the downloads still in progress and removes the session's files. Chromium cancels no download of an
   * incognito profile over DevTools (it finds none by its guid): one still under way goes on, and its file is
   * removed when it ends. No DevTools call when the session downloaded nothing.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all(
      this.seen
        .filter((d) => d.state === "in progress")
        .map((d) => this.where.browser.command("Browser.cancelDownload", { guid: d.guid }).catch(() => undefined)),
    );
    this.removeOnceOver();
  }

  /** Removes the session's files; stops listening once no download is under way (the browser would write it still). */
  private removeOnceOver(): void {
    for (const d of this.seen) rmSync(this.fileOf(d), { force: true });
    if (this.seen.every((d) => d.state !== "in progress")) this.dispose();
  }

  /** Stops listening and removes the session's files at once (the browser may be gone). */
  dispose(): void {
    this.closed = true;
    for (const stop of this.stopListening.splice(0)) stop();
    for (const d of this.seen) rmSync(this.fileOf(d), { force: true });
  }
}
