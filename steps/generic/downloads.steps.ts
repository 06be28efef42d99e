// Generic steps: the files the scenario had the browser download (an export, an invoice), waited for and checked by name and text.
import { Then } from "@cucumber/cucumber";
import type { Download, DownloadContent } from "../../src/browser/session";
import { expectDownloadContains, expectDownloaded } from "../support/downloads";
import type { SignoffWorld } from "../support/world";

/**
 * How long a download check waits for the download to come and to complete: a download is a page load of a file, so
 * the navigation timeout, or the action timeout when that is longer.
 */
function wait(world: SignoffWorld): number {
  const { actionMs, navigationMs } = world.parameters.timeouts;
  return Math.max(actionMs, navigationMs);
}

/** A downloaded file up to this size is attached to the failed step's report (evidence); a larger one is not. */
const ATTACHED_MAX_BYTES = 256 * 1024;

/**
 * Media types of the files an export or an invoice usually is, by extension; anything else as bytes. An HTML or XML
 * file is shown as its text: the report must not run what staging sent.
 */
const MEDIA_TYPES: Record<string, string> = {
  csv: "text/csv",
  txt: "text/plain",
  json: "application/json",
  xml: "text/plain",
  html: "text/plain",
  pdf: "application/pdf",
};

/** Attaches a small downloaded file to the failed step, so the report shows what was downloaded. */
function attachDownload(world: SignoffWorld) {
  return (d: Download, content: DownloadContent) => {
    if (!content.whole || content.bytes.length > ATTACHED_MAX_BYTES) return;
    const ext = /\.([a-z0-9]+)$/i.exec(d.fileName)?.[1]?.toLowerCase() ?? "";
    world.attach(content.bytes, {
      mediaType: MEDIA_TYPES[ext] ?? "application/octet-stream",
      fileName: d.fileName || "download",
    });
  };
}

Then("a file should have been downloaded", async function (this: SignoffWorld) {
  await expectDownloaded(this.session, undefined, wait(this));
});

Then("the file {string} should have been downloaded", async function (this: SignoffWorld, fileName: string) {
  await expectDownloaded(this.session, fileName, wait(this));
});

Then("the downloaded file should contain {string}", async function (this: SignoffWorld, text: string) {
  await expectDownloadContains(this.session, undefined, text, wait(this), attachDownload(this));
});

Then(
  "the downloaded file {string} should contain {string}",
  async function (this: SignoffWorld, fileName: string, text: string) {
    await expectDownloadContains(this.session, fileName, text, wait(this), attachDownload(this));
  },
);
