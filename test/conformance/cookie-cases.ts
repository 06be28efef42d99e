// The conformance suite's cookie and Web Storage cases: the port's cookies(), setCookie(), storage() and setStorageItem() on every driver.
import assert from "node:assert/strict";
import { TestDefinitionError } from "../../src/core/errors";
import { categoryOfErrorType } from "../../src/core/failure-category";
import {
  CookieRefusedError,
  NoPageForStorageError,
  type BrowserSession,
  type Cookie,
  type CookieToSet,
} from "../../src/browser/session";
import { SESSION_TOKEN } from "./cookie-server";
import type { PageServer } from "./server";
import type { Aspect } from "./suite";

/** What the suite lends these cases: its registration, its sessions, its server and its observations. */
export interface CookieCaseContext {
  conformanceCase: (name: string, dependsOn: Aspect[], fn: () => Promise<void>) => void;
  withSession: <T>(fn: (s: BrowserSession) => Promise<T>) => Promise<T>;
  server: () => PageServer;
  observe: (key: string, value: unknown) => void;
}

const sent: { by: "testId"; id: string } = { by: "testId", id: "sent" };
const state: { by: "testId"; id: string } = { by: "testId", id: "state" };
/** The cookies' names, sorted: the browser's own order is no part of the port. */
const names = (cookies: Cookie[]) => cookies.map((c) => c.name).sort();

/** Polls `read` for up to 5 s until it holds (a cookie an API's answer sets arrives after the click returned). */
async function until<T>(read: () => Promise<T>, holds: (v: T) => boolean): Promise<T> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const v = await read();
    if (holds(v) || Date.now() > deadline) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
}

export function cookieCases({ conformanceCase, withSession, server, observe }: CookieCaseContext): void {
  const site = () => `${server().origin}/`;

  conformanceCase(
    "cookies: an HttpOnly cookie the server set is read with its attributes; a persistent one with its expiry",
    [],
    async () => {
      await withSession(async (s) => {
        assert.deepEqual(await s.cookies(site()), [], "no cookie before the page");
        await s.goto(server().cookiesUrl);
        const sid: Cookie = {
          name: "sid",
          value: SESSION_TOKEN,
          domain: "127.0.0.1",
          path: "/",
          expires: null,
          httpOnly: true,
          secure: false,
          sameSite: "Lax",
        };
        assert.deepEqual(await s.cookies(site()), [sid]);
        await s.click({ by: "role", role: "button", name: "Remember me" });
        const cookies = await until(
          () => s.cookies(site()),
          (cs) => cs.length === 2,
        );
        const remember = cookies.find((c) => c.name === "remember_me");
        assert.ok(remember, `remember_me among ${names(cookies).join(", ")}`);
        const inADay = Date.now() / 1000 + 86_400;
        assert.ok(Math.abs(remember.expires! - inADay) < 120, `expires in a day: ${remember.expires}`);
        assert.equal(remember.httpOnly, true);
        await s.click({ by: "role", role: "button", name: "Log out" });
        const left = await until(
          () => s.cookies(site()),
          (cs) => cs.length === 1,
        );
        assert.deepEqual(names(left), ["remember_me"], "the logout's answer cleared sid");
        observe("cookies from the server", [sid, { ...remember, expires: "in a day" }]);
      });
    },
  );

  conformanceCase(
    "cookies: one set before the first page load is sent with that load, one set after it with the next",
    [],
    async () => {
      await withSession(async (s) => {
        await s.setCookie({ name: "consent", value: "accepted", url: site() });
        const consent: Cookie = {
          name: "consent",
          value: "accepted",
          domain: "127.0.0.1",
          path: "/",
          expires: null,
          httpOnly: false,
          secure: false,
          sameSite: "",
        };
        assert.deepEqual(await s.cookies(site()), [consent], "set with no page open");
        await s.goto(server().cookiesUrl);
        assert.equal(await s.textOf(sent), "Sent: consent=accepted", "the server saw it with the first load");
        const expires = Math.round(Date.now() / 1000) + 3600;
        await s.setCookie({ name: "theme", value: "dark", url: server().cookiesUrl, expires });
        await s.reload();
        const header = await s.textOf(sent);
        assert.match(header, /consent=accepted/);
        assert.match(header, /theme=dark/);
        assert.match(header, /sid=s3cr3t/);
        const theme = (await s.cookies(site())).find((c) => c.name === "theme");
        assert.deepEqual(theme, { ...consent, name: "theme", value: "dark", expires });
        // The page's own scripts see what was set like any cookie of theirs (not the HttpOnly one).
        await s.click({ by: "role", role: "button", name: "Show storage" });
        assert.equal(await s.textOf(state), "local=[] session=[] script=[consent=accepted; theme=dark]");
        observe("cookies set", {
          header: header.replace(/sid=\S+/, "sid=…"),
          theme: { ...theme, expires: "in an hour" },
        });
      });
    },
  );

  conformanceCase("cookies: only those the browser would send to the URL, by host and path", [], async () => {
    await withSession(async (s) => {
      const other = site().replace("127.0.0.1", "localhost");
      await s.setCookie({ name: "admin", value: "1", url: site(), path: "/admin" });
      await s.setCookie({ name: "elsewhere", value: "1", url: other });
      const seen = {
        site: names(await s.cookies(site())),
        admin: names(await s.cookies(`${server().origin}/admin/users`)),
        other: names(await s.cookies(other)),
      };
      assert.deepEqual(seen, { site: [], admin: ["admin"], other: ["elsewhere"] });
      observe("cookies by URL", seen);
    });
  });

  conformanceCase("cookies: one no browser takes is refused as a test defect, saying why", [], async () => {
    await withSession(async (s) => {
      const refused: Array<[Partial<CookieToSet>, string]> = [
        [
          { name: "a b" },
          'the cookie "a b" cannot be set: a name may not contain spaces, "=", ";", "," or control characters',
        ],
        [{ value: "a;b" }, 'the cookie "flag" cannot be set: a value may not contain ";" or control characters'],
        [
          { url: "about:blank" },
          'the cookie "flag" cannot be set: cookies belong to web addresses (http or https), not about:blank',
        ],
      ];
      for (const [change, message] of refused) {
        await assert.rejects(s.setCookie({ name: "flag", value: "on", url: site(), ...change }), (err: unknown) => {
          assert.ok(err instanceof CookieRefusedError, `expected CookieRefusedError, got ${String(err)}`);
          assert.ok(err instanceof TestDefinitionError);
          assert.equal(categoryOfErrorType(err.constructor.name), "test defect");
          assert.equal(err.message, message);
          return true;
        });
      }
      assert.deepEqual(await s.cookies(site()), [], "nothing was set");
    });
  });

  conformanceCase(
    "storage: local and session storage of the page's origin are read and set; the page sees them",
    [],
    async () => {
      await withSession(async (s) => {
        await s.goto(server().cookiesUrl);
        const origin = server().origin;
        assert.deepEqual(await s.storage("local"), { origin, items: [] });
        await s.setStorageItem("local", "onboarding", "done");
        await s.setStorageItem("session", "step", "2");
        await s.setStorageItem("session", "step", "3"); // set again: replaced
        const seen = { local: await s.storage("local"), session: await s.storage("session") };
        assert.deepEqual(seen, {
          local: { origin, items: [{ key: "onboarding", value: "done" }] },
          session: { origin, items: [{ key: "step", value: "3" }] },
        });
        await s.click({ by: "role", role: "button", name: "Show storage" });
        assert.match(await s.textOf(state), /^local=\[onboarding=done\] session=\[step=3\] script=\[/);
        // What the page writes after its request's answer, read as the page left it.
        await s.click({ by: "role", role: "button", name: "Log out" });
        const after = await until(
          () => s.storage("local"),
          (st) => st.items.length === 0,
        );
        assert.deepEqual(after, { origin, items: [] });
        observe("storage", {
          ...seen,
          local: { ...seen.local, origin: "…" },
          session: { ...seen.session, origin: "…" },
        });
      });
    },
  );

  conformanceCase("storage: before any page is opened, a test defect saying to open a page first", [], async () => {
    await withSession(async (s) => {
      const said: string[] = [];
      for (const [area, attempt] of [
        ["local", () => s.storage("local")],
        ["session", () => s.setStorageItem("session", "step", "2")],
      ] as const) {
        await assert.rejects(attempt(), (err: unknown) => {
          assert.ok(err instanceof NoPageForStorageError, `expected NoPageForStorageError, got ${String(err)}`);
          assert.ok(err instanceof TestDefinitionError);
          assert.equal(categoryOfErrorType(err.constructor.name), "test defect");
          assert.equal(
            err.message,
            `${area} storage belongs to the site of the open page, and no page is open yet (about:blank): open a page of the site first, e.g. Given I open "/"`,
          );
          said.push(err.message);
          return true;
        });
      }
      observe("storage before a page", said);
    });
  });

  conformanceCase(
    "state isolation: cookies and storage items set through the port are gone in the next session",
    ["isolation"],
    async () => {
      await withSession(async (s) => {
        await s.setCookie({ name: "consent", value: "accepted", url: site() });
        await s.setCookie({ name: "theme", value: "dark", url: site(), expires: Math.round(Date.now() / 1000) + 3600 });
        await s.goto(server().cookiesUrl);
        await s.setStorageItem("local", "onboarding", "done");
        await s.setStorageItem("session", "step", "2");
        assert.deepEqual(names(await s.cookies(site())), ["consent", "sid", "theme"]);
      });
      // Twice: the reset must hold for every later scenario, not only the second.
      for (let round = 0; round < 2; round++) {
        await withSession(async (s) => {
          assert.deepEqual(await s.cookies(site()), [], "no cookie from the previous session");
          await s.goto(server().cookiesUrl);
          assert.equal(await s.textOf(sent), "Sent: (none)", "its first load sent no cookie");
          assert.deepEqual((await s.storage("local")).items, []);
          assert.deepEqual((await s.storage("session")).items, []);
          await s.setCookie({ name: "consent", value: "accepted", url: site() });
          await s.setStorageItem("local", "onboarding", "done");
        });
      }
    },
  );
}
