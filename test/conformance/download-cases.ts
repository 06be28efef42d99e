// The conformance suite's download cases: the port's downloads() and downloadContent(), and the download steps' checks, on every driver.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { SignoffAssertionError } from "../../src/core/errors";
import { categoryOfErrorType } from "../../src/core/failure-category";
import type { BrowserSession, Download } from "../../src/browser/session";
import { expectDownloadContains, expectDownloaded } from "../../steps/support/downloads";
import { EXPORT_CSV, NOTES_TXT, REPORT_CSV, SLOW_CSV, SLOW_MS } from "./download-server";
import type { CookieCaseContext } from "./cookie-cases";

/** Polls the session's downloads for up to 10 s until `holds`. */
async function downloadsUntil(s: BrowserSession, holds: (ds: Download[]) => boolean): Promise<Download[]> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const ds = await s.downloads();
    if (holds(ds) || Date.now() > deadline) return ds;
    await new Promise((r) => setTimeout(r, 50));
  }
}

const allOver = (n: number) => (ds: Download[]) => ds.length === n && ds.every((d) => d.state !== "in progress");
const text = async (s: BrowserSession, i: number) => (await s.downloadContent(i, 1 << 20)).bytes.toString("utf8");
const link = (name: string) => ({ by: "role", role: "link", name }) as const;

/**
 * The files under the temporary directories downloads go to (Signoff's for Selenium, Playwright's own) that hold
 * `token`: where a session's downloaded file is while it lasts.
 */
function filesHolding(token: string): string[] {
  const found: string[] = [];
  for (const dir of readdirSync(tmpdir())) {
    if (!/^(signoff-downloads-|playwright-artifacts-)/.test(dir)) continue;
    let names: string[];
    try {
      names = readdirSync(join(tmpdir(), dir));
    } catch {
      continue; // removed meanwhile
    }
    for (const name of names) {
      const path = join(tmpdir(), dir, name);
      try {
        if (statSync(path).isFile() && statSync(path).size < 1 << 20 && readFileSync(path, "utf8").includes(token))
          found.push(path);
      } catch {
        // removed meanwhile
      }
    }
  }
  return found;
}

export function downloadCases({ conformanceCase, withSession, server, observe }: CookieCaseContext): void {
  conformanceCase(
    "downloads: a link with `download`, a Content-Disposition attachment and a script's blob, by the names the browser gives them, with their text",
    [],
    async () => {
      await withSession(async (s) => {
        assert.deepEqual(await s.downloads(), [], "no download before the page");
        await s.goto(server().downloadsUrl);
        await s.click(link("Download report"));
        await s.click(link("Export CSV"));
        await s.click({ by: "role", role: "button", name: "Save notes" });
        const ds = await downloadsUntil(s, allOver(3));
        // The export answers 300 ms late, after the blob: order by file name, not by arrival.
        const byName = ds.map((d, i) => ({ ...d, i })).sort((a, b) => a.fileName.localeCompare(b.fileName));
        assert.deepEqual(
          byName.map(({ fileName, state }) => `${fileName} ${state}`),
          ["invoices-2024.csv completed", "notes.txt completed", "report.csv completed"],
        );
        const origin = server().origin;
        assert.equal(byName[0].url, `${origin}/export?format=csv`);
        assert.match(byName[1].url, new RegExp(`^blob:${origin}/`));
        assert.equal(byName[2].url, `${origin}/files/report.csv`);
        assert.deepEqual(
          await Promise.all(byName.map((d) => text(s, d.i))),
          [EXPORT_CSV, NOTES_TXT, REPORT_CSV],
          "the files' text, UTF-8 included",
        );
        observe(
          "downloads",
          byName.map(({ fileName, state }) => ({ fileName, state })),
        );
      });
    },
  );

  conformanceCase(
    "downloads: one still under way is in progress until the browser has it whole; one whose transfer breaks is canceled; a file's head is read within a cap",
    [],
    async () => {
      await withSession(async (s) => {
        await s.goto(server().downloadsUrl);
        const started = Date.now();
        await s.click(link("Slow export"));
        const under = await downloadsUntil(s, (ds) => ds.length === 1);
        assert.deepEqual(under, [
          { fileName: "slow.csv", url: `${server().origin}/files/slow.csv`, state: "in progress" },
        ]);
        // The steps wait for it: the check passes once the rest has come.
        await expectDownloaded(s, "slow.csv", 10_000);
        assert.ok(Date.now() - started >= SLOW_MS - 100, "the check waited for the download to complete");
        assert.equal(await text(s, 0), SLOW_CSV);
        assert.deepEqual(await s.downloadContent(0, 8), { bytes: Buffer.from(SLOW_CSV.slice(0, 8)), whole: false });
        const exact = Buffer.byteLength(SLOW_CSV);
        assert.equal((await s.downloadContent(0, exact)).whole, true, "a file of exactly the cap is whole");

        await s.click(link("Broken download"));
        const ds = await downloadsUntil(s, allOver(2));
        assert.deepEqual(
          ds.map((d) => `${d.fileName} ${d.state}`),
          ["slow.csv completed", "broken.bin canceled"],
        );
        // A check of the file fails at once, as the product's failure, saying the browser gave it up.
        const checked = Date.now();
        await assert.rejects(expectDownloaded(s, "broken.bin", 10_000), (err: unknown) => {
          assert.ok(err instanceof SignoffAssertionError, String(err));
          assert.equal(
            err.message,
            'expected the file "broken.bin" to have been downloaded, the browser canceled it (the download was cancelled, or its transfer failed); the files downloaded in this scenario are "slow.csv", "broken.bin" (canceled)',
          );
          return true;
        });
        assert.ok(Date.now() - checked < 5000, "no waiting for a download the browser gave up");
        observe(
          "downloads in progress and broken",
          ds.map(({ fileName, state }) => ({ fileName, state })),
        );
      });
    },
  );

  conformanceCase(
    "downloads: a session sees only its own; its files are kept in a temporary directory and gone once it closes",
    ["isolation"],
    async () => {
      const token = randomUUID();
      const downloadDirs = () => readdirSync(tmpdir()).filter((d) => d.startsWith("signoff-downloads-"));
      const before = new Set(downloadDirs());
      await withSession(async (s) => {
        await s.goto(`${server().downloadsUrl}?token=${token}`);
        await s.click({ by: "role", role: "button", name: "Save notes" });
        await s.click(link("Slow export")); // still in progress as the session closes
        await downloadsUntil(s, (ds) => ds.length === 2 && ds[0].state === "completed");
        assert.ok(filesHolding(token).length === 1, "the file is in a temporary directory while the session lasts");
      });
      assert.deepEqual(filesHolding(token), [], "the session's files are gone once it closed");
      for (const dir of [join(homedir(), "Downloads"), process.cwd()])
        assert.ok(!existsSync(join(dir, "notes.txt")), `nothing was saved in ${dir}`);
      await withSession(async (s) => {
        await s.goto(server().downloadsUrl);
        await new Promise((r) => setTimeout(r, SLOW_MS + 300)); // the last session's slow download would be over
        assert.deepEqual(await s.downloads(), [], "the last session's downloads are not this one's");
        await s.click(link("Download report"));
        const ds = await downloadsUntil(s, allOver(1));
        assert.deepEqual(
          ds.map((d) => `${d.fileName} ${d.state}`),
          ["report.csv completed"],
        );
        assert.equal(await text(s, 0), REPORT_CSV);
      });
      // Signoff's own directory (Selenium: one per tab, removed with the browser) holds no file of the sessions, the
      // one a download under way at the close wrote when it ended included.
      const left = downloadDirs()
        .filter((d) => !before.has(d))
        .flatMap((d) => (existsSync(join(tmpdir(), d)) ? readdirSync(join(tmpdir(), d)) : []));
      assert.deepEqual(left, []);
    },
  );

  conformanceCase(
    "downloads: a failing check names the files downloaded in the session, or says there were none",
    [],
    async () => {
      const said: string[] = [];
      const fails = async (check: Promise<void>, message: string) => {
        await assert.rejects(check, (err: unknown) => {
          assert.ok(err instanceof Error);
          assert.equal(categoryOfErrorType(err.constructor.name), "product defect", String(err));
          assert.equal(err.message, message);
          said.push(err.message);
          return true;
        });
      };
      await withSession(async (s) => {
        await s.goto(server().downloadsUrl);
        await fails(
          expectDownloaded(s, undefined, 500),
          "expected a file to have been downloaded, no file was downloaded in this scenario (waited 500 ms)",
        );
        await s.click(link("Download report"));
        await s.click(link("Invoice PDF"));
        await downloadsUntil(s, allOver(2));
        await expectDownloaded(s, undefined, 500);
        await expectDownloaded(s, "invoice-42.pdf", 500);
        await expectDownloadContains(s, "report.csv", "Invoice 43,Grace Hopper", 500);
        await expectDownloadContains(s, undefined, "Invoice 42 for Ada Lovelace", 500);
        await fails(
          expectDownloaded(s, "report.xlsx", 500),
          'expected the file "report.xlsx" to have been downloaded, the files downloaded in this scenario are "report.csv", "invoice-42.pdf" (waited 500 ms)',
        );
        let attached: string | undefined;
        await assert.rejects(
          expectDownloadContains(
            s,
            "report.csv",
            "Invoice 44",
            500,
            (d, c) => (attached = `${d.fileName} ${c.bytes.length}`),
          ),
          (err: unknown) => {
            assert.ok(err instanceof SignoffAssertionError);
            assert.equal(
              err.message,
              `expected the downloaded file "report.csv" to contain "Invoice 44", "report.csv" does not (${REPORT_CSV.length} bytes): ${JSON.stringify(REPORT_CSV.slice(0, 80))}… (waited 500 ms)`,
            );
            said.push(err.message);
            return true;
          },
        );
        assert.equal(attached, `report.csv ${REPORT_CSV.length}`, "the file is handed over to be attached");
      });
      observe("download failures", said);
    },
  );
}
