// The conformance server's download page and files: a link with `download`, Content-Disposition attachments (one
// slow, one that breaks off, one of 11 MiB), and a file a page script makes as a blob.
import type { IncomingMessage, ServerResponse } from "node:http";

/** What report.csv holds (the link with `download`). */
export const REPORT_CSV = "Invoice,Customer,Amount\nInvoice 42,Ada Lovelace,12.00\nInvoice 43,Grace Hopper,7.50\n";
/** What the export (Content-Disposition: attachment, filename="invoices-2024.csv") holds; it answers 300 ms late. */
export const EXPORT_CSV = "Invoice,Status\nInvoice 42,Paid\nInvoice 43,Open\n";
/** What the page's script saves as notes.txt (a blob: URL). */
export const NOTES_TXT = "Notes from the page: ünïcödé ✓";
/** slow.csv: its first half at once, the rest this much later. */
export const SLOW_MS = 1500;
export const SLOW_CSV = "Row,Value\n1,first half\n2,second half\n";
/** huge.txt: 11 MiB of lines, the last one saying "THE END" (beyond the steps' 10 MiB cap). */
export const HUGE_BYTES = 11 * 1024 * 1024;

const DOWNLOADS_PAGE = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Downloads</title></head>
<body><h1>Downloads</h1>
<a href="/files/report.csv" download>Download report</a>
<a href="/export?format=csv">Export CSV</a>
<button id="notes">Save notes</button>
<a href="/files/slow.csv">Slow export</a>
<a href="/files/broken.bin">Broken download</a>
<a href="/files/huge.txt">Huge export</a>
<a href="/files/invoice.pdf">Invoice PDF</a>
<script>
document.getElementById("notes").addEventListener("click", () => {
  const a = document.createElement("a");
  const token = new URLSearchParams(location.search).get("token");
  const text = ${JSON.stringify(NOTES_TXT)} + (token ? " " + token : "");
  a.href = URL.createObjectURL(new Blob([text], { type: "text/plain" }));
  a.download = "notes.txt";
  document.body.append(a);
  a.click();
  a.remove();
});
</script></body></html>`;

const attachment = (name: string, type: string, extra: Record<string, string | number> = {}) => ({
  "content-type": type,
  "content-disposition": `attachment; filename="${name}"`,
  "cache-control": "no-store",
  ...extra,
});

/** Answers /downloads.html and its files; false for any other path. */
export function answerDownloads(req: IncomingMessage, res: ServerResponse, path: string): boolean {
  switch (path) {
    case "/downloads.html":
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(DOWNLOADS_PAGE);
      return true;
    case "/files/report.csv":
      res.writeHead(200, { "content-type": "text/csv; charset=utf-8" }).end(REPORT_CSV);
      return true;
    case "/export":
      setTimeout(() => res.writeHead(200, attachment("invoices-2024.csv", "text/csv")).end(EXPORT_CSV), 300).unref();
      return true;
    case "/files/slow.csv": {
      const half = Math.floor(SLOW_CSV.length / 2);
      res.writeHead(200, attachment("slow.csv", "text/csv", { "content-length": Buffer.byteLength(SLOW_CSV) }));
      res.write(SLOW_CSV.slice(0, half));
      setTimeout(() => res.end(SLOW_CSV.slice(half)), SLOW_MS).unref();
      return true;
    }
    case "/files/broken.bin":
      // Promises 100 000 bytes, sends 1000 and hangs up: the browser gives the download up.
      res.writeHead(200, attachment("broken.bin", "application/octet-stream", { "content-length": 100_000 }));
      res.write(Buffer.alloc(1000, 0x61));
      setTimeout(() => res.destroy(), 200).unref();
      return true;
    case "/files/huge.txt": {
      res.writeHead(200, attachment("huge.txt", "text/plain", { "content-length": HUGE_BYTES }));
      // Lines of 1 KiB in chunks of 64 KiB; the last line ends "THE END".
      const chunk = Buffer.from(`${"x".repeat(1023)}\n`.repeat(64));
      const last = Buffer.concat([chunk.subarray(0, chunk.length - 8), Buffer.from("THE END\n")]);
      let left = HUGE_BYTES / chunk.length;
      const pump = () => {
        while (left > 0) {
          left--;
          if (!res.write(left === 0 ? last : chunk)) return void res.once("drain", pump);
        }
        res.end();
      };
      pump();
      return true;
    }
    case "/files/invoice.pdf":
      res
        .writeHead(200, attachment("invoice-42.pdf", "application/pdf"))
        .end("%PDF-1.4\n% Invoice 42 for Ada Lovelace: 12.00 EUR\n%%EOF\n");
      return true;
    default:
      void req;
      return false;
  }
}
