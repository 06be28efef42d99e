// The download checks on a session: which download a step means, the wait for it, its text within a cap, and what a failure names.
import {
  DownloadsUnavailableError,
  type BrowserSession,
  type Download,
  type DownloadContent,
} from "../../src/browser/session";
import { SignoffAssertionError } from "../../src/core/errors";
import { eventually } from "./eventually";

/**
 * How much of a downloaded file a content check reads: an export or an invoice is far smaller, and a file of
 * gigabytes is not read whole into memory to look for a row. A longer file is judged by its first this many bytes.
 */
export const CONTENT_CAP_BYTES = 10 * 1024 * 1024;

/** How many downloads a failure lists: enough to spot a misnamed one, short enough for one line. */
const LISTED = 10;

/** "10 MiB", "512 KiB", "300 bytes". */
export function sizeOf(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}

/** One download as a failure names it: `"report.csv"`, `"big.zip" (still in progress)`, `"x.bin" (canceled)`. */
function named(d: Download): string {
  const name = d.fileName === "" ? `(no name, from ${d.url})` : `"${d.fileName}"`;
  return d.state === "completed" ? name : `${name} (${d.state === "canceled" ? "canceled" : "still in progress"})`;
}

/** What the scenario downloaded, for a failure: `the files downloaded in this scenario are "a.csv", "b.pdf" (canceled)`. */
export function downloadedSoFar(downloads: readonly Download[]): string {
  if (downloads.length === 0) return "no file was downloaded in this scenario";
  const shown = downloads.slice(0, LISTED).map(named);
  const more = downloads.length - shown.length;
  const list = `${shown.join(", ")}${more > 0 ? ` and ${more} more` : ""}`;
  return downloads.length === 1
    ? `the file downloaded in this scenario is ${list}`
    : `the files downloaded in this scenario are ${list}`;
}

/** Why a download the browser gave up on failed, as a failure says it. */
const GIVEN_UP = "the browser canceled it (the download was cancelled, or its transfer failed)";

/** The downloads a step means: every one, or those the browser would save under `fileName`. */
const meant = (downloads: readonly Download[], fileName: string | undefined) =>
  downloads.map((d, index) => ({ d, index })).filter(({ d }) => fileName === undefined || d.fileName === fileName);

/** The session's downloads, or the target's limit as a value (no waiting changes it). */
const listed = (session: BrowserSession) =>
  session.downloads().catch((err: unknown) => {
    if (err instanceof DownloadsUnavailableError) return err;
    throw err;
  });

/**
 * Waits up to `timeoutMs` until a download (named `fileName`, when given) of the session has completed: one the
 * browser is still receiving is waited for, and so is one that has not started yet. When every such download ended
 * without completing, it fails at once, saying so.
 */
export async function expectDownloaded(
  session: BrowserSession,
  fileName: string | undefined,
  timeoutMs: number,
): Promise<void> {
  const what = fileName === undefined ? "a file" : `the file "${fileName}"`;
  const completed = (ds: Download[]) => meant(ds, fileName).some(({ d }) => d.state === "completed");
  const last = await eventually<Download[] | DownloadsUnavailableError>(
    () => listed(session),
    (ds) => {
      if (ds instanceof DownloadsUnavailableError || completed(ds)) return true;
      const found = meant(ds, fileName);
      return found.length > 0 && found.every(({ d }) => d.state === "canceled"); // no waiting changes that
    },
    (ds) => `expected ${what} to have been downloaded, ${whyNot(ds, fileName)}`,
    timeoutMs,
  );
  if (last instanceof DownloadsUnavailableError) throw last;
  if (!completed(last))
    throw new SignoffAssertionError(`expected ${what} to have been downloaded, ${whyNot(last, fileName)}`);
}

/** Why no download (of that name) completed. */
function whyNot(ds: Download[] | DownloadsUnavailableError | undefined, fileName: string | undefined): string {
  if (ds === undefined) return "the downloads could not be read";
  if (ds instanceof DownloadsUnavailableError) return ds.message;
  const found = meant(ds, fileName).map(({ d }) => d);
  if (found.some((d) => d.state === "in progress")) return `it is still in progress; ${downloadedSoFar(ds)}`;
  if (found.length > 0) return `${GIVEN_UP}; ${downloadedSoFar(ds)}`;
  return downloadedSoFar(ds);
}

/** The newest download a content check means, with its text once it completed. */
interface Look {
  downloads: Download[];
  /** The newest download meant (of that name, when one is given); undefined when there is none yet. */
  newest?: { d: Download; index: number };
  content?: DownloadContent;
}

/**
 * Waits up to `timeoutMs` until the newest download (named `fileName`, when given) has completed and its text
 * (UTF-8; the first CONTENT_CAP_BYTES of a longer file) contains `text`. A newer download that comes meanwhile is the
 * one judged. `onFailure` sees the last download looked at and its content before the check fails (to attach it).
 */
export async function expectDownloadContains(
  session: BrowserSession,
  fileName: string | undefined,
  text: string,
  timeoutMs: number,
  onFailure: (d: Download, content: DownloadContent) => void = () => undefined,
): Promise<void> {
  const read = new Map<number, DownloadContent>();
  const what = fileName === undefined ? "the downloaded file" : `the downloaded file "${fileName}"`;
  let lastLook: Look | undefined;
  const look = async (): Promise<Look | DownloadsUnavailableError> => {
    const downloads = await listed(session);
    if (downloads instanceof DownloadsUnavailableError) return downloads;
    const newest = meant(downloads, fileName).at(-1);
    lastLook = { downloads, newest };
    if (newest?.d.state !== "completed") return lastLook;
    let content = read.get(newest.index);
    if (!content) {
      content = await session.downloadContent(newest.index, CONTENT_CAP_BYTES);
      read.set(newest.index, content);
    }
    lastLook = { downloads, newest, content };
    return lastLook;
  };
  const says = (l: Look | DownloadsUnavailableError | undefined) =>
    `expected ${what} to contain "${text}", ${lookSays(l, fileName)}`;
  const attachLast = () => {
    if (lastLook?.newest && lastLook.content) onFailure(lastLook.newest.d, lastLook.content);
  };
  const last = await eventually<Look | DownloadsUnavailableError>(
    look,
    (l) => l instanceof DownloadsUnavailableError || l.newest?.d.state === "canceled" || contains(l.content, text),
    says,
    timeoutMs,
  ).catch((err: unknown) => {
    attachLast();
    throw err;
  });
  if (last instanceof DownloadsUnavailableError) throw last;
  if (last.newest?.d.state === "canceled") throw new SignoffAssertionError(says(last));
}

/** The text of a download's head: UTF-8, a byte-order mark left out. */
export function textOf(content: DownloadContent): string {
  return content.bytes.toString("utf8").replace(/^\uFEFF/, "");
}

const contains = (content: DownloadContent | undefined, text: string) =>
  content !== undefined && textOf(content).includes(text);

/** How much of a file's text a failure quotes: its first line or so, to tell which file it was. */
const QUOTED_CHARS = 80;

function lookSays(l: Look | DownloadsUnavailableError | undefined, fileName: string | undefined): string {
  if (l === undefined) return "the downloads could not be read";
  if (l instanceof DownloadsUnavailableError) return l.message;
  const { newest, content, downloads } = l;
  if (!newest) return fileName === undefined ? downloadedSoFar(downloads) : `none is; ${downloadedSoFar(downloads)}`;
  const name = named({ ...newest.d, state: "completed" });
  if (newest.d.state === "in progress") return `${name} is still in progress; ${downloadedSoFar(downloads)}`;
  if (newest.d.state === "canceled") return `${GIVEN_UP.replace("it", name)}; ${downloadedSoFar(downloads)}`;
  if (!content) return `${name} could not be read`;
  const body = textOf(content);
  const quoted = body.length > QUOTED_CHARS ? `${JSON.stringify(body.slice(0, QUOTED_CHARS))}…` : JSON.stringify(body);
  if (!content.whole)
    return `the first ${sizeOf(CONTENT_CAP_BYTES)} of ${name} do not contain it (the file is larger, and only that much of it is read); it begins ${quoted}`;
  return `${name} does not (${content.bytes.length} bytes): ${quoted}`;
}
