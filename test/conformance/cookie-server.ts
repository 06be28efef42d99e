// The conformance server's cookie pages: one that shows the Cookie header its own load sent, and APIs whose answers set and clear cookies.
import { readFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { join } from "node:path";

/** What the page's session cookie holds: long, as a real session token is (so a failure must not print it). */
export const SESSION_TOKEN = "s3cr3t-session-token-0123456789abcdef0123456789abcdef";

/** How long the APIs take: a cookie their answer sets arrives after the click that asked for it returned. */
const API_DELAY_MS = 300;

/** The Set-Cookie header each API answers with. */
const API_COOKIES: Record<string, string> = {
  "/api/cookies/consent": "consent=accepted; Path=/",
  "/api/cookies/remember": "remember_me=yes; Max-Age=86400; Path=/; HttpOnly",
  "/api/cookies/logout": "sid=; Max-Age=0; Path=/",
};

const escape = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * Answers /cookies.html (it sets an HttpOnly session cookie, `sid`, and shows the Cookie header its load sent) and
 * the cookie APIs; false for any other path.
 */
export function answerCookies(req: IncomingMessage, res: ServerResponse, path: string): boolean {
  if (path === "/cookies.html") {
    const page = readFileSync(join(__dirname, "cookies.html"), "utf8");
    res
      .writeHead(200, {
        "content-type": "text/html; charset=utf-8",
        "cache-control": "no-store",
        "set-cookie": `sid=${SESSION_TOKEN}; Path=/; HttpOnly; SameSite=Lax`,
      })
      .end(page.replace("{{COOKIE_HEADER}}", escape(req.headers.cookie ?? "(none)")));
    return true;
  }
  const cookie = API_COOKIES[path];
  if (cookie === undefined) return false;
  const timer = setTimeout(
    () => res.writeHead(204, { "set-cookie": cookie, "cache-control": "no-store" }).end(),
    API_DELAY_MS,
  );
  res.on("close", () => clearTimeout(timer));
  return true;
}
