// Generic steps: the cookies the browser sends to staging, set before or after a page opens and checked like every assertion (waiting).
import { Given, Then } from "@cucumber/cucumber";
import { CookiesUnavailableError, type Cookie } from "../../src/browser/session";
import { eventually, probeSays } from "../support/eventually";
import { settleOf } from "../support/settle";
import { expiryOf, namesOf, shownValue } from "../support/stored-values";
import type { SignoffWorld } from "../support/world";

function wait(world: SignoffWorld): number {
  return world.parameters.timeouts.actionMs;
}

/**
 * Where the steps' cookies are set and read: staging's base URL, as the browser would request it. A page of another
 * site open in the tab does not change which cookies a step means.
 */
function stagingUrl(world: SignoffWorld): string {
  return world.resolveUrl("");
}

/**
 * The cookies of that name the browser sends to staging, the longest path first: the browser sends that one first and
 * a server reads it (DevTools answers the cookie store in no particular order).
 */
const named = (cookies: readonly Cookie[], name: string) =>
  cookies.filter((c) => c.name === name).sort((a, b) => b.path.length - a.path.length);

/**
 * Polls the cookies sent to staging until `holds` for the first cookie of that name (the one a server reads), or
 * for none when there is none; its failure reads `expected the cookie "x" <wanted>, <found>`. `negative`: a check
 * that rules something out, which counts only once the page has settled (a logout's request may still be on its
 * way to clear the cookie).
 */
async function expectCookie(
  world: SignoffWorld,
  name: string,
  wanted: string,
  holds: (c: Cookie | undefined) => boolean,
  found: (c: Cookie) => string,
  negative = false,
): Promise<void> {
  const url = stagingUrl(world);
  const last = await eventually<Cookie[] | CookiesUnavailableError>(
    () =>
      world.session.cookies(url).catch((err: unknown) => {
        if (err instanceof CookiesUnavailableError) return err; // the target's limit: no waiting changes it
        throw err;
      }),
    (cookies) => cookies instanceof CookiesUnavailableError || holds(named(cookies, name)[0]),
    (cookies, e) => {
      const read = cookies instanceof CookiesUnavailableError ? undefined : cookies;
      const c = read && named(read, name)[0];
      return `expected the cookie "${name}" ${wanted}, ${c ? found(c) : notSent(url, read, e)}`;
    },
    wait(world),
    negative ? { settle: settleOf(world) } : {},
  );
  if (last instanceof CookiesUnavailableError) throw last;
}

/** The browser sends no cookie of the name: what it sends instead, names only (values may be secrets). */
function notSent(url: string, cookies: readonly Cookie[] | undefined, error: unknown): string {
  if (cookies === undefined) return error ? probeSays(error) : "its cookies could not be read";
  const names = namesOf(
    cookies.map((c) => c.name),
    "",
  );
  return `the browser sends no cookie of that name to ${url}; ${names ? `it sends ${names}` : "it sends no cookies"}`;
}

Given("the cookie {string} is set to {string}", async function (this: SignoffWorld, name: string, value: string) {
  await this.session.setCookie({ name, value, url: stagingUrl(this) });
});

Then("the cookie {string} should be set", async function (this: SignoffWorld, name: string) {
  await expectCookie(
    this,
    name,
    "to be set",
    (c) => c !== undefined,
    () => "",
  );
});

Then("the cookie {string} should not be set", async function (this: SignoffWorld, name: string) {
  const url = stagingUrl(this);
  await expectCookie(
    this,
    name,
    "not to be set",
    (c) => c === undefined,
    (c) => `the browser still sends it to ${url} (${expiryOf(c)}${c.httpOnly ? ", HttpOnly" : ""})`,
    true,
  );
});

Then(
  "the cookie {string} should have the value {string}",
  async function (this: SignoffWorld, name: string, value: string) {
    await expectCookie(
      this,
      name,
      `to have the value "${value}"`,
      (c) => c?.value === value,
      (c) => `it has ${shownValue(c.value, c.httpOnly)}`,
    );
  },
);

Then("the cookie {string} should be persistent", async function (this: SignoffWorld, name: string) {
  await expectCookie(
    this,
    name,
    "to be persistent",
    (c) => c !== undefined && c.expires !== null,
    () => "it is a session cookie (it has no Expires or Max-Age, so it ends with the browser)",
  );
});

Then("the cookie {string} should be a session cookie", async function (this: SignoffWorld, name: string) {
  await expectCookie(
    this,
    name,
    "to be a session cookie",
    (c) => c !== undefined && c.expires === null,
    (c) => `it ${expiryOf(c)}`,
  );
});

Then("the cookie {string} should be HttpOnly", async function (this: SignoffWorld, name: string) {
  await expectCookie(
    this,
    name,
    "to be HttpOnly",
    (c) => c?.httpOnly === true,
    () => "it is not: the page's scripts can read it (document.cookie)",
  );
});
