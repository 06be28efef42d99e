// The port's cookies over Chromium's DevTools protocol: the one way both adapters read and set them, by URL.
//
// Network.getCookies with `urls` answers what the browser's cookie store would send to those URLs (HttpOnly
// cookies included), and Network.setCookie with `url` sets one as that URL's Set-Cookie would, without a page of
// the site open: WebDriver's cookie commands reach only the open document's cookies, and Playwright's
// context.cookies() filters the store by its own copy of the matching rules. Asking the store itself on both
// drivers keeps their answers the same.
import { CookieRefusedError, type Cookie, type CookieToSet } from "./session";

/** Sends one DevTools command to the session's page and resolves with its result. */
export type DevToolsSend = (method: string, params: Record<string, unknown>) => Promise<unknown>;

/** A cookie as Network.getCookies answers it (the fields read here). */
interface CdpCookie {
  name: string;
  value: string;
  domain: string;
  path: string;
  expires: number;
  httpOnly: boolean;
  secure: boolean;
  session: boolean;
  sameSite?: "Strict" | "Lax" | "None";
}

export async function readCookies(send: DevToolsSend, url: string): Promise<Cookie[]> {
  const { cookies } = (await send("Network.getCookies", { urls: [url] })) as { cookies: CdpCookie[] };
  return cookies.map((c) => ({
    name: c.name,
    value: c.value,
    domain: c.domain,
    path: c.path,
    expires: c.session ? null : c.expires,
    httpOnly: c.httpOnly,
    secure: c.secure,
    sameSite: c.sameSite ?? "",
  }));
}

/** Sets a cookie from setCookieParams' parameters (checked by the caller first, so a refusal is never a browser's error). */
export async function writeCookie(send: DevToolsSend, params: Record<string, unknown>): Promise<void> {
  const answer = (await send("Network.setCookie", params)) as { success?: boolean } | undefined;
  // Older Chromium answers a refused cookie with success: false, newer ones with an error (checked before sending).
  if (answer?.success === false) throw new CookieRefusedError(String(params.name), "the browser refused it");
}

/**
 * Network.setCookie's parameters, once the cookie is one a browser takes: Chromium drops (or, by version, refuses)
 * a name or value that could not travel in a Cookie header, and a cookie set for anything but a web address.
 */
export function setCookieParams(c: CookieToSet): Record<string, unknown> {
  const refuse = (why: string) => new CookieRefusedError(c.name, why);
  if (c.name === "") throw refuse("its name is empty");
  if (/[\s=;,\p{Cc}]/u.test(c.name)) throw refuse('a name may not contain spaces, "=", ";", "," or control characters');
  if (/[;\p{Cc}]/u.test(c.value)) throw refuse('a value may not contain ";" or control characters');
  if (c.value !== c.value.trim()) throw refuse("a value may not start or end with a space (the browser would drop it)");
  let url: URL;
  try {
    url = new URL(c.url);
  } catch {
    throw refuse(`"${c.url}" is no URL`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw refuse(`cookies belong to web addresses (http or https), not ${c.url}`);
  return {
    name: c.name,
    value: c.value,
    url: url.toString(),
    path: c.path ?? "/",
    ...(c.expires === undefined ? {} : { expires: c.expires }),
    ...(c.httpOnly === undefined ? {} : { httpOnly: c.httpOnly }),
    ...(c.secure === undefined ? {} : { secure: c.secure }),
    ...(c.sameSite === undefined ? {} : { sameSite: c.sameSite }),
  };
}
