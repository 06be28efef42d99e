// The cookie and storage steps end to end: the real CLI runs their feature on Playwright and Selenium against a real page.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { startPageServer, type PageServer } from "../conformance/server";
import { failedAs, outcomesOnBothDrivers } from "../helpers/step-outcomes";

let server: PageServer;
before(async () => {
  server = await startPageServer();
});
after(() => server.close());

/** Each scenario's outcome on both drivers; a time a message names (a cookie's expiry) differs between the two runs. */
const outcomes = (feature: string) =>
  outcomesOnBothDrivers(feature, server.origin, {
    errorLine: (line) => line.replace(/\d{4}-\d\d-\d\dT[\d:]+Z/g, "<time>"),
  });

test("cookies and storage: set before and after a page, checked with waiting; failures name what is there, never a secret", async () => {
  const [pw] = await outcomes("test/fixtures/steps/cookies.feature");
  const site = `${server.origin}/`;
  const passed = (name: string) => assert.equal(pw.get(name)?.status, "passed", `${name}: ${pw.get(name)?.error}`);
  const failed = failedAs(pw);
  passed("A cookie set before the first page is sent with it; the cookies the site sets are checked");
  passed("A cookie set after the page opened is sent with its next load");
  passed("Local and session storage are set and checked, what the page writes after a request too");
  passed("Every scenario starts with no cookie and no storage");
  failed(
    "A cookie that is not set names the cookies there are",
    "SignoffAssertionError",
    `AssertionError: expected the cookie "sesion" to be set, the browser sends no cookie of that name to ${site}; it sends "sid" (waited 3000 ms)`,
  );
  failed(
    "Another value of a cookie is quoted",
    "SignoffAssertionError",
    'AssertionError: expected the cookie "consent" to have the value "accepted", it has "rejected" (waited 3000 ms)',
  );
  failed(
    "An HttpOnly cookie's value is never shown",
    "SignoffAssertionError",
    'AssertionError: expected the cookie "sid" to have the value "anything", it has a value that is not shown (the cookie is HttpOnly) (waited 3000 ms)',
  );
  failed(
    "A cookie still sent fails should not be set",
    "SignoffAssertionError",
    `AssertionError: expected the cookie "sid" not to be set, the browser still sends it to ${site} (a session cookie, HttpOnly) (still so 1000 ms after the page settled)`,
  );
  failed(
    "A session cookie is not persistent",
    "SignoffAssertionError",
    'AssertionError: expected the cookie "sid" to be persistent, it is a session cookie (it has no Expires or Max-Age, so it ends with the browser) (waited 3000 ms)',
  );
  failed(
    "A cookie no browser takes is a test defect",
    "CookieRefusedError",
    'CookieRefusedError: the cookie "my cookie" cannot be set: a name may not contain spaces, "=", ";", "," or control characters',
  );
  failed(
    "A cookie the page's scripts can read is not HttpOnly",
    "SignoffAssertionError",
    `AssertionError: expected the cookie "consent" to be HttpOnly, it is not: the page's scripts can read it (document.cookie) (waited 3000 ms)`,
  );
  failed(
    "A persistent cookie is no session cookie",
    "SignoffAssertionError",
    'AssertionError: expected the cookie "remember_me" to be a session cookie, it expires <time> (waited 3000 ms)',
  );
  const openFirst =
    'storage belongs to the site of the open page, and no page is open yet (about:blank): open a page of the site first, e.g. Given I open "/"';
  failed(
    "Storage before any page is opened says to open one first",
    "NoPageForStorageError",
    `NoPageForStorageError: local ${openFirst}`,
  );
  failed(
    "A storage check before any page is opened fails at once, saying so",
    "NoPageForStorageError",
    `NoPageForStorageError: session ${openFirst}`,
  );
  failed(
    "A missing storage item names the items there are",
    "SignoffAssertionError",
    `AssertionError: expected the local storage item "tuor" to be set, local storage of ${server.origin} has no item of that key; its items are "tour" (waited 3000 ms)`,
  );
  failed(
    "A long storage value is not shown",
    "SignoffAssertionError",
    'AssertionError: expected the local storage item "token" to have the value "expected", it has a value of 52 characters (not shown) (waited 3000 ms)',
  );
});
