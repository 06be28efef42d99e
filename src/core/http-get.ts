// One small HTTP(S) GET over node:http for the probes on the start-up path (staging, a browser's DevTools address).
//
// Why not fetch(): Node 20's fetch is undici, and loading it (its JavaScript and its WebAssembly HTTP parser)
// costs ≈ 0.1 s of CPU in every process that calls it first; the runner and a Selenium target's process call it
// while the browser starts on the same cores (bench/RESULTS.md, "Start-up, third pass"). These probes need a
// status, a few headers and a short body; node:http is already loaded by everything else in those processes.
import { request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from "node:http";
import { stagingHeadersFor, type StagingAccess } from "./staging-access";

export interface HttpGetOptions {
  /** For the whole exchange, body included. */
  timeoutMs: number;
  /** Follow up to this many redirects (default 0: a 3xx is the answer). */
  maxRedirects?: number;
  /** Follow a redirect only to the origin of the URL asked for: one elsewhere is the answer. */
  sameOrigin?: boolean;
  /** A longer body is cut here (default 1 MiB): a probe never needs more, and a hostile server cannot make it hold more. */
  maxBodyBytes?: number;
  /** Staging's headers: sent with each request (redirects included) whose origin is staging's, and with no other. */
  access?: StagingAccess;
}

export interface HttpAnswer {
  status: number;
  /** Header names in lower case. */
  headers: IncomingHttpHeaders;
  /** The body as UTF-8, at most maxBodyBytes of it. */
  body: string;
  /** The URL that answered (after redirects). */
  url: string;
}

/** No answer within the timeout (a type of its own: callers tell it from a refused connection by class). */
export class HttpTimeoutError extends Error {
  override name = "HttpTimeoutError";
}

/** Rejects with HttpTimeoutError, or with node's own error (its `code`, e.g. ECONNREFUSED) when the request fails. */
export async function httpGet(url: string, opts: HttpGetOptions): Promise<HttpAnswer> {
  const deadline = Date.now() + opts.timeoutMs;
  let current = new URL(url);
  for (let redirects = 0; ; redirects++) {
    const answer = await getOnce(
      current,
      Math.max(1, deadline - Date.now()),
      opts.maxBodyBytes ?? 1 << 20,
      stagingHeadersFor(opts.access, current),
    );
    const location = answer.headers.location;
    if (answer.status < 300 || answer.status > 399 || !location || redirects >= (opts.maxRedirects ?? 0)) return answer;
    const next = new URL(location, current);
    if (opts.sameOrigin && next.origin !== new URL(url).origin) return answer;
    current = next;
  }
}

function getOnce(
  url: URL,
  timeoutMs: number,
  maxBodyBytes: number,
  headers: Record<string, string>,
): Promise<HttpAnswer> {
  if (url.protocol !== "http:" && url.protocol !== "https:")
    return Promise.reject(new TypeError(`not an http(s) URL: ${url.href}`));
  // node:https (and TLS with it) only for an https URL: the local probes never need it.
  const request =
    url.protocol === "https:" ? (require("node:https") as typeof import("node:https")).request : httpRequest;
  return new Promise((resolve, reject) => {
    let timedOut = false;
    // agent: false, a connection of its own: a kept-alive socket the server has since closed would fail the next
    // probe with ECONNRESET though nothing is wrong (and staging that went away must read as refusing).
    const req = request(url, { method: "GET", headers: { ...headers, accept: "*/*" }, agent: false });
    const timer = setTimeout(() => {
      timedOut = true;
      req.destroy();
    }, timeoutMs);
    // Whatever node reports after the timer destroyed the request ("socket hang up", "aborted"), it is the timeout.
    const fail = (err: Error) => {
      clearTimeout(timer);
      reject(timedOut ? new HttpTimeoutError(`no answer within ${timeoutMs} ms`) : err);
    };
    req.on("error", fail);
    req.on("response", (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on("data", (chunk: Buffer) => {
        if (size < maxBodyBytes) chunks.push(chunk.subarray(0, maxBodyBytes - size));
        size += chunk.length;
        if (size >= maxBodyBytes) res.destroy(); // enough: the rest is never read
      });
      res.on("error", fail);
      res.on("close", () => {
        if (timedOut || (!res.complete && size < maxBodyBytes))
          return fail(new Error("the connection closed before the whole answer came"));
        clearTimeout(timer);
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString("utf8"),
          url: url.href,
        });
      });
    });
    req.end();
  });
}
