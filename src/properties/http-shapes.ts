// Randomized HTTP requests of described shapes against staging: never a 5xx, never a hang past the
// limit, never a stack trace or internal path in the answer.
import * as http from "node:http";
import * as https from "node:https";
import * as fc from "fast-check";
import { CheckFailed, unreachable } from "./errors";
import { describeLeaks, findLeaks } from "./leaks";
import { formatElapsed, parseDurationMs } from "../core/duration";
import { cutToBytes, sizedBytes, sizedJoin, sizedString } from "./sizes";
import { cellError, listIn, readTable, type Cell } from "./table";
import { stagingHeadersFor, type StagingAccess } from "../core/staging-access";
import { httpGet, HttpTimeoutError } from "../core/http-get";

/** One generated request, JSON as it is stored in the counterexample store. */
export interface GeneratedRequest {
  method: string;
  /** Raw request path (already percent-encoded as it goes on the wire), starting with "/". */
  path: string;
  /** "" or "?..." raw. */
  query: string;
  headers: Array<[string, string]>;
  body?: { contentType: string; text?: string; base64?: string };
}

export interface RequestShape {
  arbitrary: fc.Arbitrary<GeneratedRequest>;
  timeLimitMs: number;
  /** The table, readable, for the property's title. */
  summary: string;
}

export const REQUEST_TABLE_NAMES = [
  "method",
  "methods",
  "path",
  "paths",
  "query",
  "headers",
  "header",
  "body",
  "time limit",
] as const;

const HTTP_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE"];
/** Headers that frame or route the request itself: generating them would test the client, not the server. */
const FRAMING_HEADERS = new Set([
  "host",
  "content-length",
  "transfer-encoding",
  "connection",
  "expect",
  "upgrade",
  "te",
  "trailer",
  "keep-alive",
  "proxy-connection",
]);
const COMMON_HEADERS = [
  "Accept",
  "Accept-Language",
  "Accept-Encoding",
  "Cookie",
  "Content-Type",
  "Referer",
  "User-Agent",
  "X-Forwarded-For",
  "X-Forwarded-Host",
  "Range",
  "If-None-Match",
  "If-Modified-Since",
  "Authorization",
  "Origin",
  "X-Requested-With",
];
const TCHARS = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ".split("");
/** Characters that may stand raw in a request path (Node sends 0x21-0x7e; "?" starts the query). */
const PATH_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&'()*+,;=:@".split("");
const PATH_SPECIALS = [
  "..",
  ".",
  "%2e%2e",
  "%2F",
  "%5C",
  "%00",
  "%",
  "%zz",
  "%E0%A4%A",
  "%C0%AF",
  "~",
  ".env",
  ".git",
  "index.php",
  "admin",
  "__proto__",
  "\\",
  "//",
  "%u0041",
  "{}",
  "[]",
  "<>",
  '"',
  "`",
  "^",
  "|",
];
const QUERY_SPECIALS = [
  "+",
  "%20",
  "[]",
  "=",
  ";",
  "%",
  "%%",
  "%u0041",
  "%zz",
  "%E0%A4%A",
  "%00",
  "&",
  "__proto__",
  "constructor",
  "[0]",
  "%5B%5D",
];

const hex2 = (b: number) => "%" + b.toString(16).toUpperCase().padStart(2, "0");
/** One percent-escaped byte: valid UTF-8 or not, a server must cope. */
const pctByte = fc.integer({ min: 0, max: 255 }).map(hex2);
/** A percent-encoded character (valid UTF-8). */
const pctChar = fc
  .integer({ min: 0x80, max: 0xfff0 })
  .filter((c) => c < 0xd800 || c > 0xdfff)
  .map((c) => encodeURIComponent(String.fromCharCode(c)));

const pathSegment = fc.oneof(
  { weight: 1, arbitrary: fc.constantFrom(...PATH_SPECIALS) },
  {
    weight: 4,
    arbitrary: fc
      .array(
        fc.oneof(
          { weight: 6, arbitrary: fc.constantFrom(...PATH_CHARS) },
          { weight: 1, arbitrary: pctByte },
          { weight: 1, arbitrary: pctChar },
        ),
        { minLength: 1, maxLength: 16 },
      )
      .map((a) => a.join("")),
  },
  { weight: 1, arbitrary: fc.integer({ min: 100, max: 2000 }).map((n) => "a".repeat(n)) },
);

function anyPath(under: string): fc.Arbitrary<string> {
  const prefix = under === "/" ? "" : under.replace(/\/$/, "");
  return fc.array(pathSegment, { minLength: 1, maxLength: 5 }).map((segs) => `${prefix}/${segs.join("/")}`);
}

const queryPart = fc
  .array(
    fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom(...PATH_CHARS.filter((c) => c !== "&" && c !== "=")) },
      { weight: 1, arbitrary: fc.constantFrom(...QUERY_SPECIALS) },
      { weight: 2, arbitrary: pctByte },
      { weight: 1, arbitrary: pctChar },
    ),
    { maxLength: 12 },
  )
  .map((a) => a.join(""));
const queryPair = fc
  .tuple(queryPart, fc.option(queryPart, { nil: undefined }))
  .map(([k, v]) => (v === undefined ? k : `${k}=${v}`));
const anyQuery = fc.oneof(
  { weight: 8, arbitrary: fc.array(queryPair, { minLength: 1, maxLength: 5 }).map((ps) => "?" + ps.join("&")) },
  { weight: 1, arbitrary: fc.constantFrom("?", "??", "?&&", "?=", "?a=1&a=2&a[]=3") },
);

const visibleAscii = fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c));
const headerValue = fc.oneof(
  { weight: 4, arbitrary: fc.array(visibleAscii, { maxLength: 60 }).map((a) => a.join("").trim()) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      "",
      "*/*",
      "bytes=0-0,-1",
      "bytes=9999999-",
      "../../etc/passwd",
      "%00",
      "() { :; }; echo",
      "${jndi:ldap://127.0.0.1/x}",
      "en-US,en;q=0.9,*;q=0.1",
      "a=1; b=%zz; c",
      '"',
      '{"a":',
    ),
  },
  { weight: 1, arbitrary: fc.integer({ min: 1000, max: 8000 }).map((n) => "x".repeat(n)) },
);
const headerName = fc
  .oneof(
    { weight: 3, arbitrary: fc.constantFrom(...COMMON_HEADERS) },
    {
      weight: 1,
      arbitrary: fc.array(fc.constantFrom(...TCHARS), { minLength: 1, maxLength: 20 }).map((a) => a.join("")),
    },
  )
  .filter((n) => !FRAMING_HEADERS.has(n.toLowerCase()));

function bodyArbitrary(kind: string, maxBytes: number): fc.Arbitrary<GeneratedRequest["body"]> {
  switch (kind) {
    case "text":
      return sizedString(fc.string({ unit: "binary", minLength: 1, maxLength: 1 }), 0, maxBytes).map((t) => ({
        contentType: "text/plain; charset=utf-8",
        text: cutToBytes(t, maxBytes),
      }));
    case "form body":
      return sizedJoin(queryPair, "&", maxBytes).map((text) => ({
        contentType: "application/x-www-form-urlencoded",
        text,
      }));
    case "json":
      if (maxBytes < 2) return fc.constant({ contentType: "application/json", text: "" });
      // A JSON array of generated values (or one value alone) stays JSON at every length.
      return fc
        .oneof(
          { weight: 1, arbitrary: fc.json({ maxDepth: 3 }).map((j) => (Buffer.byteLength(j) <= maxBytes ? j : "[]")) },
          {
            weight: 3,
            arbitrary: sizedJoin(fc.json({ maxDepth: 2 }), ",", Math.max(0, maxBytes - 2)).map((items) => `[${items}]`),
          },
        )
        .map((text) => ({ contentType: "application/json", text }));
    default:
      return sizedBytes(maxBytes).map((b) => ({
        contentType: "application/octet-stream",
        base64: b.toString("base64"),
      }));
  }
}

function parseMethods(cell: Cell): fc.Arbitrary<string> {
  const items = listIn(cell);
  const out: fc.Arbitrary<string>[] = [];
  for (const item of items) {
    if (/^any method$/i.test(item)) {
      out.push(
        fc.constantFrom(...HTTP_METHODS),
        fc
          .array(fc.constantFrom(..."ABCDEFGHIJKLMNOPQRSTUVWXYZ".split("")), { minLength: 1, maxLength: 10 })
          .map((a) => a.join("")),
      );
    } else if (/^[A-Za-z]+$/.test(item) && item.toUpperCase() !== "CONNECT") out.push(fc.constant(item.toUpperCase()));
    else throw cellError(cell, `names "${item}", which is not an HTTP method (write e.g. "GET, POST, any method")`);
  }
  return fc.oneof(...out);
}

function parsePaths(cell: Cell): fc.Arbitrary<string> {
  const out: fc.Arbitrary<string>[] = [];
  for (const item of listIn(cell)) {
    let m: RegExpExecArray | null;
    if (/^any path$/i.test(item)) out.push(anyPath("/"));
    else if ((m = /^any path under (\/\S*)$/i.exec(item))) out.push(anyPath(m[1]));
    else if (/^\/[\x21-\x7e]*$/.test(item) && !item.includes("?")) out.push(fc.constant(item));
    else
      throw cellError(
        cell,
        `has "${item}", which is neither a path starting with "/" (no query) nor "any path" / "any path under /x"`,
      );
  }
  return fc.oneof(...out);
}

function parseQuery(cell: Cell): fc.Arbitrary<string> {
  const v = cell.value;
  if (/^none$/i.test(v)) return fc.constant("");
  if (/^any query string$/i.test(v))
    return fc.oneof({ weight: 1, arbitrary: fc.constant("") }, { weight: 5, arbitrary: anyQuery });
  throw cellError(cell, `is not a query shape; write "any query string" or "none"`);
}

function parseHeaders(cell: Cell): fc.Arbitrary<Array<[string, string]>> {
  const parts: fc.Arbitrary<Array<[string, string]>>[] = [];
  for (const item of listIn(cell)) {
    let m: RegExpExecArray | null;
    if (/^none$/i.test(item)) parts.push(fc.constant([]));
    else if (/^any headers?$/i.test(item)) parts.push(fc.array(fc.tuple(headerName, headerValue), { maxLength: 4 }));
    else if ((m = /^any value of ([!#$%&'*+\-.^_`|~0-9A-Za-z]+)$/i.exec(item))) {
      if (FRAMING_HEADERS.has(m[1].toLowerCase()))
        throw cellError(cell, `names ${m[1]}, a header that frames the request itself; it cannot be randomized here`);
      const name = m[1];
      parts.push(headerValue.map((v) => [[name, v] as [string, string]]));
    } else throw cellError(cell, `has "${item}"; write "any headers", "any value of <Header-Name>" or "none"`);
  }
  return fc.tuple(...parts).map((lists) => lists.flat());
}

function parseBody(cell: Cell): fc.Arbitrary<GeneratedRequest["body"]> {
  const v = cell.value;
  if (/^none$/i.test(v)) return fc.constant(undefined);
  const m = /^any (text|form body|json|bytes) up to (\d+) (bytes|KB|kB|MB)$/i.exec(v);
  if (!m)
    throw cellError(cell, `is not a body shape; write "any text|form body|JSON|bytes up to <n> bytes|KB" or "none"`);
  const max = Number(m[2]) * (/^kb$/i.test(m[3]) ? 1024 : /^mb$/i.test(m[3]) ? 1024 * 1024 : 1);
  if (max < 1 || max > 4 * 1024 * 1024) throw cellError(cell, `asks for up to ${max} bytes; the limit is 4 MB`);
  return fc.option(bodyArbitrary(m[1].toLowerCase(), max), { nil: undefined, freq: 4 });
}

/** Reads the step's table: | method | path | query | headers | body | time limit | rows, all optional. */
export function parseRequestShape(raw: readonly (readonly string[])[] | undefined): RequestShape {
  const t = readTable(raw, REQUEST_TABLE_NAMES, "the request property");
  const cell = (a: string, b?: string) => t.get(a) ?? (b ? t.get(b) : undefined);
  const methodCell = cell("method", "methods");
  const pathCell = cell("path", "paths");
  const queryCell = t.get("query");
  const headerCell = cell("headers", "header");
  const bodyCell = t.get("body");
  const limitCell = t.get("time limit");
  let timeLimitMs = 5000;
  if (limitCell) {
    const ms = parseDurationMs(limitCell.value);
    if (ms === undefined || ms > 120_000)
      throw cellError(limitCell, `is not a time limit like "2 s" or "500 ms" (at most 2 min)`);
    timeLimitMs = ms;
  }
  const arbitrary = fc
    .record({
      method: methodCell ? parseMethods(methodCell) : fc.constant("GET"),
      path: pathCell ? parsePaths(pathCell) : fc.constant("/"),
      query: queryCell ? parseQuery(queryCell) : fc.constant(""),
      headers: headerCell ? parseHeaders(headerCell) : fc.constant([] as Array<[string, string]>),
      body: bodyCell ? parseBody(bodyCell) : fc.constant(undefined),
    })
    .map((r) => {
      const out: GeneratedRequest = { method: r.method, path: r.path, query: r.query, headers: r.headers };
      // GET and HEAD carry no body.
      if (r.body && r.method !== "GET" && r.method !== "HEAD") out.body = r.body;
      return out;
    });
  const summary = [...t.values()].map((c) => `${c.name}: ${c.value}`).join("; ");
  return { arbitrary, timeLimitMs, summary };
}

function truncate(s: string, n = 120): string {
  return s.length > n ? `${s.slice(0, n)}… (${s.length} chars)` : s;
}

export function showRequest(r: GeneratedRequest): string {
  const lines = [`${r.method} ${truncate(r.path + r.query, 200)}`];
  for (const [k, v] of r.headers) lines.push(`  ${k}: ${truncate(JSON.stringify(v).slice(1, -1))}`);
  if (r.body) {
    const size =
      r.body.text !== undefined ? Buffer.byteLength(r.body.text) : Buffer.from(r.body.base64 ?? "", "base64").length;
    const content =
      r.body.text !== undefined ? JSON.stringify(truncate(r.body.text)) : `base64 ${truncate(r.body.base64 ?? "", 80)}`;
    lines.push(`  body (${r.body.contentType}, ${size} bytes): ${content}`);
  }
  return lines.join("\n");
}

/** Validates a stored request (it came from a file a person may have edited). */
export function decodeRequest(json: unknown): GeneratedRequest {
  const r = json as GeneratedRequest;
  const ok =
    r &&
    typeof r === "object" &&
    typeof r.method === "string" &&
    typeof r.path === "string" &&
    r.path.startsWith("/") &&
    typeof r.query === "string" &&
    Array.isArray(r.headers) &&
    r.headers.every(
      (h) => Array.isArray(h) && h.length === 2 && typeof h[0] === "string" && typeof h[1] === "string",
    ) &&
    (r.body === undefined || (typeof r.body === "object" && typeof r.body.contentType === "string"));
  if (!ok) throw new Error("not a request {method, path, query, headers, body}");
  return { method: r.method, path: r.path, query: r.query, headers: r.headers, ...(r.body ? { body: r.body } : {}) };
}

export interface Answer {
  status: number;
  statusText: string;
  /** A redirect's Location header, as sent. */
  location?: string;
  body: string;
  ms: number;
}

/**
 * Sends one raw request to the staging origin; rejects with a readable reason on hang or broken connection. Staging's
 * access headers go first: a header the shape generates under the same name is the one under test and replaces it.
 */
export function sendRequest(
  baseUrl: string,
  r: GeneratedRequest,
  timeLimitMs: number,
  access?: StagingAccess,
): Promise<Answer> {
  const base = new URL(baseUrl);
  const prefix = base.pathname.replace(/\/$/, "");
  const lib = base.protocol === "https:" ? https : http;
  const payload = r.body
    ? r.body.text !== undefined
      ? Buffer.from(r.body.text, "utf8")
      : Buffer.from(r.body.base64 ?? "", "base64")
    : undefined;
  const headers: Record<string, string> = stagingHeadersFor(access, base);
  for (const [k, v] of r.headers) headers[k] = v; // node's setHeader: a name in any case replaces staging's
  if (payload) {
    headers["content-type"] ??= r.body!.contentType;
    headers["content-length"] = String(payload.length);
  }
  const started = Date.now();
  return new Promise<Answer>((resolve, reject) => {
    let settled = false;
    const done = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      fn();
    };
    let req: http.ClientRequest;
    try {
      req = lib.request({
        protocol: base.protocol,
        hostname: base.hostname,
        port: base.port,
        method: r.method,
        path: prefix + r.path + r.query,
        headers,
        agent: false,
        // Self-signed staging certificates are common; this is a robustness probe, not a TLS check.
        ...(base.protocol === "https:" ? { rejectUnauthorized: false } : {}),
      });
    } catch (err) {
      reject(
        new CheckFailed(
          `the request could not be sent as generated (${(err as Error).message}); this is a bug in the generator, please report it`,
        ),
      );
      return;
    }
    const timer = setTimeout(() => {
      done(() =>
        reject(
          new CheckFailed(`no complete answer within ${formatElapsed(timeLimitMs)} (the server hangs on this request)`),
        ),
      );
      req.destroy();
    }, timeLimitMs);
    req.on("response", (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on("data", (c: Buffer) => {
        size += c.length;
        if (size <= 2 * 1024 * 1024) chunks.push(c);
      });
      res.on("end", () =>
        done(() =>
          resolve({
            status: res.statusCode ?? 0,
            statusText: res.statusMessage ?? "",
            location: res.headers.location,
            body: Buffer.concat(chunks).toString("utf8"),
            ms: Date.now() - started,
          }),
        ),
      );
      res.on("error", (err) =>
        done(() =>
          reject(new CheckFailed(`the answer broke off: ${(err as NodeJS.ErrnoException).code ?? err.message}`)),
        ),
      );
    });
    req.on("error", (err) =>
      done(() =>
        reject(
          unreachable(err, base.origin) ??
            new CheckFailed(
              `the connection failed before a complete answer (${(err as NodeJS.ErrnoException).code ?? err.message}); the server may have crashed or dropped the request`,
            ),
        ),
      ),
    );
    req.end(payload);
  });
}

/** Strings the client sent that a page may legitimately repeat back. */
function echoedBy(r: GeneratedRequest): string[] {
  const out = [r.path, r.query, ...r.headers.map(([, v]) => v)];
  for (const s of [r.path, r.query.slice(1), ...(r.body?.text ? [r.body.text] : [])]) {
    out.push(s);
    try {
      out.push(decodeURIComponent(s.replace(/\+/g, " ")));
    } catch {
      // not decodable: the raw form is already there
    }
    for (const part of s.split(/[&=/;]/)) {
      out.push(part);
      try {
        out.push(decodeURIComponent(part.replace(/\+/g, " ")));
      } catch {
        // ditto
      }
    }
  }
  return out.filter((s) => s.length >= 3).sort((a, b) => b.length - a.length);
}

/** How many redirects within staging a request's answer is followed through (a browser gives up after 20). */
const MAX_REDIRECTS = 10;

/**
 * The property for one request: below 500, in time, nothing leaked — judged on the answer a browser ends on: a
 * redirect within staging is followed (GET), so an error handler that redirects to a page that fails or shows a
 * stack trace (`302 → /error`) does not pass as "answered 302".
 */
export async function checkRequest(
  baseUrl: string,
  r: GeneratedRequest,
  timeLimitMs: number,
  access?: StagingAccess,
): Promise<void> {
  const a = await sendRequest(baseUrl, r, timeLimitMs, access);
  const end = await redirectedTo(requestUrl(baseUrl, r), a, timeLimitMs - a.ms, access);
  const answer = end ? { ...end, via: `answered ${a.status}, redirected to ${end.url}, which ` } : { ...a, via: "" };
  const problems: string[] = [];
  if (answer.status >= 500) problems.push(`${answer.via}answered ${answer.status} ${answer.statusText}`.trim());
  const leaks = findLeaks(answer.body, echoedBy(r));
  if (leaks.length > 0)
    problems.push(`${answer.via ? `${answer.via}shows` : "the answer shows"} ${describeLeaks(leaks)}`);
  if (problems.length > 0) throw new CheckFailed(`${problems.join(", and ")} (after ${end?.ms ?? a.ms} ms)`);
}

/**
 * Where redirects within staging's origin end (followed as GETs by httpGet, staging's headers on each hop), or
 * undefined for an answer that is no redirect within staging. A hop to another site ends the chain there: its answer
 * is not staging's to judge, and may not even be reachable from here.
 */
async function redirectedTo(
  url: string,
  a: Answer,
  leftMs: number,
  access?: StagingAccess,
): Promise<{ url: string; status: number; statusText: string; body: string; ms: number } | undefined> {
  const origin = new URL(url).origin;
  const to = withinStaging({ ...a, url }, origin);
  if (!to) return undefined;
  if (leftMs <= 0) throw new CheckFailed(`answered ${a.status}, then no time was left to follow it to ${to}`);
  const started = Date.now();
  let end;
  try {
    end = await httpGet(to, { timeoutMs: leftMs, access, maxRedirects: MAX_REDIRECTS - 1, sameOrigin: true });
  } catch (err) {
    if (err instanceof HttpTimeoutError)
      throw new CheckFailed(`answered ${a.status}, redirected to ${to}, which gave no complete answer in time`);
    const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    throw unreachable(err, origin) ?? new CheckFailed(`answered ${a.status}, redirected to ${to}: ${code}`);
  }
  // A browser ends such a chain with an error page of its own ("too many redirects"): nothing usable.
  if (withinStaging({ ...end, location: firstHeader(end.headers.location) }, origin))
    throw new CheckFailed(`answered ${a.status}, then redirected more than ${MAX_REDIRECTS} times within staging`);
  return { url: end.url, status: end.status, statusText: "", body: end.body, ms: a.ms + Date.now() - started };
}

/** The URL the request went to (relative Locations resolve against it); staging's base URL when it reads as none. */
function requestUrl(baseUrl: string, r: GeneratedRequest): string {
  const base = new URL(baseUrl);
  // Written after the origin, never resolved against it: a generated path "//host/…" is a path on staging, which
  // resolving would read as a network-path reference to another host (and follow its redirects there).
  try {
    return new URL(`${base.origin}${base.pathname.replace(/\/$/, "")}${r.path}${r.query}`).href;
  } catch {
    return baseUrl;
  }
}

/** The absolute URL a redirect answer points to when it stays on staging's origin; undefined otherwise. */
function withinStaging(answer: { status: number; location?: string; url: string }, origin: string): string | undefined {
  if (answer.status < 300 || answer.status > 399 || !answer.location) return undefined;
  try {
    const to = new URL(answer.location, answer.url);
    return to.origin === origin ? to.href : undefined;
  } catch {
    return undefined; // a Location no browser can follow: the 3xx is the answer
  }
}

const firstHeader = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
