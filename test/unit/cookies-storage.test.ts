// The cookie and storage rules no browser is needed for: which cookies a browser takes, what a failure may print, a document with no site.
import { test } from "node:test";
import assert from "node:assert/strict";
import { setCookieParams } from "../../src/browser/cookies";
import { storageFrom } from "../../src/browser/web-storage";
import { CookieRefusedError, NoPageForStorageError, type CookieToSet } from "../../src/browser/session";
import { TestDefinitionError } from "../../src/core/errors";
import { expiryOf, namesOf, shownValue } from "../../steps/support/stored-values";

const cookie = (change: Partial<CookieToSet> = {}): CookieToSet => ({
  name: "consent",
  value: "accepted",
  url: "https://staging.example.com/shop/",
  ...change,
});

test("a cookie is set for its URL's host and the whole site unless a path is given; its attributes only when given", () => {
  assert.deepEqual(setCookieParams(cookie()), {
    name: "consent",
    value: "accepted",
    url: "https://staging.example.com/shop/",
    path: "/",
  });
  assert.deepEqual(
    setCookieParams(cookie({ path: "/shop", expires: 2_000_000_000, httpOnly: true, sameSite: "Lax" })),
    {
      name: "consent",
      value: "accepted",
      url: "https://staging.example.com/shop/",
      path: "/shop",
      expires: 2_000_000_000,
      httpOnly: true,
      sameSite: "Lax",
    },
  );
  // A value with spaces inside, quotes or "=" travels in a Cookie header as it is.
  assert.equal(setCookieParams(cookie({ value: 'a b="c"' })).value, 'a b="c"');
});

test("a cookie no browser would send as written is refused as a test defect, saying why", () => {
  const refused: Array<[Partial<CookieToSet>, string]> = [
    [{ name: "" }, "its name is empty"],
    [{ name: "my cookie" }, 'a name may not contain spaces, "=", ";", "," or control characters'],
    [{ name: "a=b" }, 'a name may not contain spaces, "=", ";", "," or control characters'],
    [{ value: "a;b" }, 'a value may not contain ";" or control characters'],
    [{ value: "a\nb" }, 'a value may not contain ";" or control characters'],
    [{ value: " padded" }, "a value may not start or end with a space (the browser would drop it)"],
    [{ url: "/relative" }, '"/relative" is no URL'],
    [{ url: "file:///tmp/x" }, "cookies belong to web addresses (http or https), not file:///tmp/x"],
  ];
  for (const [change, why] of refused) {
    const c = cookie(change);
    assert.throws(
      () => setCookieParams(c),
      (err: unknown) =>
        err instanceof CookieRefusedError &&
        err instanceof TestDefinitionError &&
        err.message === `the cookie "${c.name}" cannot be set: ${why}`,
      JSON.stringify(change),
    );
  }
});

test("a failure quotes a short value, gives a long one's length, and never an HttpOnly cookie's", () => {
  assert.equal(shownValue("dark"), '"dark"');
  assert.equal(shownValue("x".repeat(12)), `"${"x".repeat(12)}"`);
  // A session id (a UUID) is never printed.
  assert.equal(shownValue("0f8fad5b-d9cb-469f-a165-70867728950e"), "a value of 36 characters (not shown)");
  assert.equal(shownValue("dark", true), "a value that is not shown (the cookie is HttpOnly)");
  assert.equal(namesOf([], "none"), "none");
  assert.equal(namesOf(["a", "b"], "none"), '"a", "b"');
  assert.equal(
    namesOf(
      Array.from({ length: 12 }, (_, i) => `c${i}`),
      "",
    ),
    `${Array.from({ length: 10 }, (_, i) => `"c${i}"`).join(", ")} and 2 more`,
  );
  const base = { name: "x", value: "", domain: "h", path: "/", httpOnly: false, secure: false, sameSite: "" as const };
  assert.equal(expiryOf({ ...base, expires: null }), "a session cookie");
  assert.equal(expiryOf({ ...base, expires: 1_800_000_000.4 }), "expires 2027-01-15T08:00:00Z");
});

test("storage read in a document with no site's origin is NoPageForStorageError, saying to open a page first", () => {
  assert.deepEqual(storageFrom("local", { origin: "https://a.example", items: [] }), {
    origin: "https://a.example",
    items: [],
  });
  assert.throws(
    () => storageFrom("session", { noPage: "about:blank" }),
    (err: unknown) =>
      err instanceof NoPageForStorageError &&
      err instanceof TestDefinitionError &&
      err.message ===
        'session storage belongs to the site of the open page, and no page is open yet (about:blank): open a page of the site first, e.g. Given I open "/"',
  );
  assert.throws(
    () => storageFrom("local", { noPage: "data:text/html,hi" }),
    /^NoPageForStorageError: local storage belongs to the site of the open page, and data:text\/html,hi is no page of a site: open/,
  );
});
