// `signoff report --open`: serves the generated report with sirv, on 127.0.0.1 only, and prints the URL.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { resolve } from "node:path";
import sirv from "sirv";

/**
 * sirv (not Allure's own `allure open`, which listens on every interface) serves only the files it
 * found under `dir` when it started, so no request path reaches outside the report.
 */
export async function serveReport(dir: string, port = 0): Promise<{ server: Server; url: string }> {
  const files = sirv(resolve(dir), {
    dev: false,
    etag: false,
    dotfiles: false,
    setHeaders: (res) => res.setHeader("cache-control", "no-store"),
    onNoMatch: (_req, res) => {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found\n");
    },
  });
  const server = createServer((req, res) => files(req, res));
  await new Promise<void>((ok, fail) => {
    server.once("error", fail);
    server.listen(port, "127.0.0.1", () => ok());
  });
  const { port: actual } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${actual}/` };
}
