// A Playwright session's downloads: its context's pages' Download objects, recorded as the port reports downloads.
//
// Playwright has Chromium save every download of a context under its guid in a temporary directory of the browser's
// own (removed when the browser closes; never the user's Downloads folder); a session deletes its files when it
// closes, so the next scenario, on the same context (isolation: reset), neither sees nor keeps them. The content is
// read through the download's stream, which works for a browser on another machine too (a Playwright server).
import type { BrowserContext, Download as PwDownload, Page } from "playwright-core";
import { readStreamHead } from "./downloads";
import type { Download, DownloadContent } from "./session";

interface Seen extends Download {
  download: PwDownload;
}

export class PlaywrightDownloads {
  private readonly seen: Seen[] = [];
  private readonly pages = new Set<Page>();
  private closed = false;

  private readonly onDownload = (download: PwDownload) => {
    if (this.closed) {
      void download.cancel().catch(() => undefined);
      return;
    }
    const d: Seen = { download, fileName: download.suggestedFilename(), url: download.url(), state: "in progress" };
    this.seen.push(d);
    // failure() answers once the download is over: null when the browser has the whole file, else why not.
    download.failure().then(
      (why) => (d.state = why === null ? "completed" : "canceled"),
      () => (d.state = "canceled"),
    );
  };
  private readonly onPage = (page: Page) => this.watch(page);

  constructor(private readonly context: BrowserContext) {
    for (const page of context.pages()) this.watch(page);
    context.on("page", this.onPage);
  }

  private watch(page: Page): void {
    if (this.pages.has(page)) return;
    this.pages.add(page);
    page.on("download", this.onDownload);
  }

  list(): Download[] {
    return this.seen.map(({ fileName, url, state }) => ({ fileName, url, state }));
  }

  async content(index: number, maxBytes: number): Promise<DownloadContent> {
    const d = this.seen[index];
    if (!d || d.state !== "completed") throw new Error(`download ${index} is not a completed download`);
    return readStreamHead(await d.download.createReadStream(), maxBytes);
  }

  /** Stops listening, cancels the downloads still in progress and deletes every file of the session's. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.context.off("page", this.onPage);
    for (const page of this.pages) page.off("download", this.onDownload);
    this.pages.clear();
    await Promise.all(
      this.seen.map(async ({ download, state }) => {
        if (state === "in progress") await download.cancel().catch(() => undefined);
        await download.delete().catch(() => undefined);
      }),
    );
  }
}
