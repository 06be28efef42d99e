// The BrowserSession conformance suite: ONE spec, registered once per adapter × device
// (see test/e2e/browser-conformance.test.ts). Every expectation here is about the port, never about
// a driver, so a behaviour difference between Playwright and Selenium is a failing test.
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { after, afterEach, before, describe, test } from "node:test";
import type { DeviceEmulation } from "../../src/browser/devices";
import { DEFAULT_AUDIT_TAGS, type AccessibilityViolation } from "../../src/core/accessibility";
import { TestDefinitionError } from "../../src/core/errors";
import { categoryOfErrorType } from "../../src/core/failure-category";
import {
  AmbiguousLocatorError,
  BrowserCrashedError,
  ElementNotUsableError,
  FieldValueRefusedError,
  LocatorTimeoutError,
  NotCheckableError,
  NoNewTabError,
  NotADropdownError,
  PageStatusError,
  StagingError,
  RedirectLoopError,
  StagingServerError,
  describeLocator,
  type BrowserDriver,
  type BrowserSession,
  type Locator,
  type SessionTimeouts,
} from "../../src/browser/session";
import { isRunning, newBrowserMainProcess, ownedBrowserProcesses, type ProcessLedger } from "./processes";
import { startPageServer, type PageServer } from "./server";
import { cookieCases } from "./cookie-cases";
import { downloadCases } from "./download-cases";

/**
 * Whether a timeout's detail says an element matched and the page kept it from use (hidden, disabled, covered, inert,
 * moving, off the screen, the focus taken, an option disabled, hidden or taking no click); "does not take typing" says it of a read-only field
 * and of an element that is no field alike, so its caller says which.
 */
function keptBy(detail: string): boolean {
  assert.doesNotMatch(detail, /does not take typing/, "say whether the element is a read-only field (kept)");
  return [
    /^\d+ elements? match(?:es)? (?:on the page )?but /,
    /^it (?:is |stays off the screen|does not take the pointer)/,
    /^the option "[^"]*" (?:is disabled|is hidden|shows but did not take the click)/,
    /^its label "[^"]*" got no click/,
    /^the page moves the focus/,
    / covers (?:it|its frame) and would get /,
  ].some((re) => re.test(detail));
}

export interface ConformanceTarget {
  /** e.g. "selenium × Pixel 7" */
  label: string;
  /** The emulation the target must show (viewport, DPR, UA, touch). */
  emulation: DeviceEmulation;
  timeouts: SessionTimeouts;
  /** Starts a new driver for the target (the suite closes every driver it starts). */
  launch: () => Promise<BrowserDriver>;
  /** Filled with what this target observed, so drivers can be compared with each other afterwards. */
  observations?: Map<string, unknown>;
  /** Sampled after every test, to check later that no browser process outlives the suite. */
  processes?: ProcessLedger;
  /**
   * Absent: every case. Set: only the cases whose outcome depends on that aspect — for a second
   * device ("device") or a second isolation mode ("isolation") of a driver that already ran every case.
   */
  only?: Aspect;
}

/**
 * What a case's outcome can depend on besides the driver. Every case runs on both drivers; a case
 * listed without "device" behaves the same on a phone as on a desktop (no viewport, touch, user
 * agent or pixel ratio in what it does or checks), so it runs on one device; a case without
 * "isolation" does not depend on how a session gets a clean page, so it runs in the default mode only.
 */
export type Aspect = "device" | "isolation";

/** Locators with what they must find on page.html: visible match count and innerText of the first. */
export const LOCATOR_CASES: Array<{ l: Locator; count: number; text?: string }> = [
  // role (+ accessible name: case-insensitive substring, like Playwright's exact: false)
  { l: { by: "role", role: "button", name: "add one" }, count: 1, text: "Add one" },
  { l: { by: "role", role: "button", name: "SIGN" }, count: 1, text: "Sign in" },
  { l: { by: "role", role: "button", name: "Settings" }, count: 1 }, // name from <img alt> inside
  { l: { by: "role", role: "button", name: "Duplicate" }, count: 2 }, // a third one is display:none
  { l: { by: "role", role: "button", name: "Ghost" }, count: 0 }, // visibility:hidden
  { l: { by: "role", role: "button", name: "Decoration" }, count: 0 }, // aria-hidden ancestor
  { l: { by: "role", role: "link", name: "Next page" }, count: 1, text: "Next page" },
  { l: { by: "role", role: "link", name: "second page" }, count: 1, text: "2" }, // aria-label
  { l: { by: "role", role: "link" }, count: 2 },
  { l: { by: "role", role: "heading", name: "conformance" }, count: 1, text: "Conformance page" },
  { l: { by: "role", role: "heading" }, count: 5 },
  { l: { by: "role", role: "textbox", name: "Email address" }, count: 1 }, // <label for>
  { l: { by: "role", role: "textbox", name: "nickname" }, count: 1 }, // aria-labelledby
  { l: { by: "role", role: "textbox", name: "Notes" }, count: 1 },
  { l: { by: "role", role: "searchbox", name: "search site" }, count: 1 },
  { l: { by: "role", role: "checkbox", name: "Remember me" }, count: 1 }, // wrapping label
  { l: { by: "role", role: "radio", name: "pro" }, count: 1 },
  { l: { by: "role", role: "radio" }, count: 2 },
  { l: { by: "role", role: "combobox", name: "Country" }, count: 1 },
  { l: { by: "role", role: "img", name: "company logo" }, count: 1 },
  { l: { by: "role", role: "list" }, count: 1 },
  { l: { by: "role", role: "listitem" }, count: 3, text: "Apple" },
  { l: { by: "role", role: "navigation", name: "Primary" }, count: 1 },
  { l: { by: "role", role: "main" }, count: 1 },
  { l: { by: "role", role: "status" }, count: 1 },
  { l: { by: "role", role: "group", name: "Plan" }, count: 1 }, // fieldset + legend
  // label: <label for>, wrapping <label>, aria-label, aria-labelledby
  { l: { by: "label", text: "email address" }, count: 1 },
  { l: { by: "label", text: "Password" }, count: 1 },
  { l: { by: "label", text: "Search site" }, count: 1 },
  { l: { by: "label", text: "Nickname" }, count: 1 },
  { l: { by: "label", text: "remember" }, count: 1 },
  { l: { by: "label", text: "Country" }, count: 1 },
  { l: { by: "label", text: "No such label" }, count: 0 },
  // placeholder
  { l: { by: "placeholder", text: "YOU@example" }, count: 1 },
  { l: { by: "placeholder", text: "anything else" }, count: 1 },
  // text: the innermost element holding the whole string; hidden text is not found
  { l: { by: "text", text: "bold words" }, count: 1, text: "bold words" },
  { l: { by: "text", text: "nested BOLD" }, count: 1, text: "Nested bold words here" },
  { l: { by: "text", text: "count:" }, count: 1, text: "Count: 0" },
  { l: { by: "text", text: "Secret text" }, count: 0 },
  { l: { by: "text", text: "banana" }, count: 1, text: "Banana" },
  // test id and CSS
  { l: { by: "testId", id: "marker" }, count: 1, text: "Marked element" },
  { l: { by: "css", selector: "#fruits li" }, count: 3, text: "Apple" },
  { l: { by: "css", selector: "#hidden-div" }, count: 0 },
];

/** Narrowed locators on widgets.html: by text, inside a container, by position. */
const todo = (text: string): Locator => ({ by: "role", role: "listitem", hasText: text });
const todos: Locator = { by: "role", role: "region", name: "Todos" };
export const SCOPED_CASES: Array<{ l: Locator; count: number; text?: string }> = [
  { l: { by: "role", role: "listitem", hasText: "walk THE dog" }, count: 1 },
  { l: { by: "role", role: "checkbox", within: todo("Walk the dog") }, count: 1 },
  { l: { by: "role", role: "button", name: "Delete" }, count: 3 },
  { l: { by: "role", role: "button", name: "Delete", within: todo("Pay rent") }, count: 1 },
  { l: { by: "role", role: "button", name: "Delete", nth: 1 }, count: 1 },
  { l: { by: "role", role: "button", name: "Delete", nth: 3 }, count: 0 },
  {
    l: { by: "css", selector: "label", within: { by: "role", role: "listitem", nth: "last", within: todos } },
    count: 1,
    text: "Pay rent",
  },
  { l: { by: "css", selector: "label", within: { by: "role", role: "listitem", nth: 0 } }, count: 1, text: "Buy milk" },
  { l: { by: "role", role: "listitem", within: todos }, count: 3 },
  { l: { by: "role", role: "listitem", nth: 1 }, count: 1 },
  { l: { by: "label", text: "Card number" }, count: 2 },
  { l: { by: "label", text: "Card number", within: { by: "role", role: "dialog", name: "Shipping" } }, count: 1 },
  {
    l: { by: "role", role: "button", name: "Pay", within: { by: "role", role: "row", hasText: "Invoice 42" } },
    count: 1,
    text: "Pay",
  },
  {
    l: {
      by: "role",
      role: "button",
      within: { by: "role", role: "listitem", nth: 1, within: { by: "role", role: "region", name: "Todos" } },
    },
    count: 1,
  },
  { l: { by: "role", role: "checkbox", within: todo("No such item") }, count: 0 },
  { l: { by: "text", text: "Buy milk", within: { by: "role", role: "dialog" } }, count: 0 },
];

/**
 * CSS on shadow-css.html, with the texts of all its visible matches in order, as Playwright's CSS engine finds them:
 * a descendant or child combinator crosses into open shadow roots (a shadow root's top elements are its host's
 * children), and so do the selectors in `:has()`, `:is()` and `:not()`; a closed root is not entered; the matches of a
 * selector come a root at a time (the document's own, then each open shadow root's, depth first), those of a selector
 * list in the order the tree is drawn; in a container, every compound of the selector matches inside it. Plain CSS
 * with no shadow DOM finds what querySelectorAll finds.
 */
const shop: Locator = { by: "css", selector: "#shop" };
const plain: Locator = { by: "css", selector: "#plain" };
export const SHADOW_CSS_CASES: Array<{ l: Locator; texts: string[] }> = [
  // one open shadow root crossed, by a descendant and by child combinators
  { l: { by: "css", selector: "x-card .price" }, texts: ["9.99", "19.99", "29.99"] },
  { l: { by: "css", selector: "x-card > .body > .price" }, texts: ["9.99", "19.99", "29.99"] },
  { l: { by: "css", selector: "x-card > .price" }, texts: [] }, // its child is the root's div, not the price
  { l: { by: "css", selector: "#card-b .price" }, texts: ["19.99"] },
  { l: { by: "css", selector: "section x-card .price" }, texts: ["29.99"] },
  // two open shadow roots crossed
  { l: { by: "css", selector: "x-card x-badge .label" }, texts: ["Sale", "New", "Last one"] },
  { l: { by: "css", selector: "body > section > x-card > div > x-badge > b" }, texts: ["Last one"] },
  // a closed shadow root is entered by neither driver
  { l: { by: "css", selector: "closed-card .price" }, texts: [] },
  { l: { by: "css", selector: "closed-card .label" }, texts: [] },
  // the order of matches: the document's own first, then each open shadow root's; a list's as the tree is drawn
  { l: { by: "css", selector: ".price" }, texts: ["Light 1.00", "Light 2.00", "9.99", "19.99", "29.99"] },
  {
    l: { by: "css", selector: ".price, .label" },
    texts: ["Light 1.00", "9.99", "Sale", "19.99", "New", "Light 2.00", "29.99", "Last one"],
  },
  // in a container: every compound of the selector matches inside it
  { l: { by: "css", selector: ".price", within: shop }, texts: ["29.99"] },
  { l: { by: "css", selector: "x-card .price", within: shop }, texts: ["29.99"] },
  { l: { by: "css", selector: "section .price", within: shop }, texts: [] },
  // the pseudo-classes Playwright evaluates itself look across shadow roots too: :has() down into them, the selectors
  // in :is() and :not() up out of them; :scope is the document's root, or the container
  { l: { by: "css", selector: "x-card:has(.label) .price" }, texts: ["9.99", "19.99", "29.99"] },
  { l: { by: "css", selector: "x-card:has(> .body) > .body > .price" }, texts: ["9.99", "19.99", "29.99"] },
  { l: { by: "css", selector: "section:has(.price) .label" }, texts: ["Last one"] },
  { l: { by: "css", selector: "closed-card:has(.price), closed-card .label" }, texts: [] },
  { l: { by: "css", selector: ":is(x-card .price)" }, texts: ["9.99", "19.99", "29.99"] },
  { l: { by: "css", selector: ".price:not(x-card .price)" }, texts: ["Light 1.00", "Light 2.00"] },
  { l: { by: "css", selector: ":scope > body > h1" }, texts: ["Shadow CSS"] },
  { l: { by: "css", selector: ":scope .price", within: shop }, texts: ["29.99"] },
  { l: { by: "css", selector: ".price:not(section .price)" }, texts: ["Light 1.00", "Light 2.00", "9.99", "19.99"] },
  { l: { by: "css", selector: ".price:not(section .price)", within: shop }, texts: ["29.99"] },
  // plain CSS, no shadow DOM: as before
  { l: { by: "css", selector: "#plain li" }, texts: ["One", "Two", "Three"] },
  { l: { by: "css", selector: "#plain > li + li" }, texts: ["Two", "Three"] },
  { l: { by: "css", selector: "ul li.second ~ li" }, texts: ["Three"] },
  { l: { by: "css", selector: "li, h1" }, texts: ["Shadow CSS", "One", "Two", "Three"] },
  { l: { by: "css", selector: "li + li", within: plain }, texts: ["Two", "Three"] },
  { l: { by: "css", selector: "ul li", within: plain }, texts: [] }, // the ul is the container, not inside it
];

/** A table's data cells in the column whose header fits `column` (a row of them with `of`). */
const cell = (column: string, of?: Locator): Locator => ({ by: "column", column, ...(of ? { within: of } : {}) });
const row = (text: string, within?: Locator): Locator => ({
  by: "role",
  role: "row",
  hasText: text,
  ...(within ? { within } : {}),
});
const invoices: Locator = { by: "role", role: "table", name: "Invoices" };

/**
 * roles.html's visible elements per role, as Playwright's getByRole counts them: <p>, <strong>, <time>… have ARIA 1.2's
 * roles; a <th> beside data is a row header; a grid's <td> a gridcell; a layout table's parts presentational; a
 * password, date or colour field a textbox; <summary> no button; a header inside an article no banner.
 */
const ROLE_COUNTS: Readonly<Record<string, number>> = {
  banner: 1,
  paragraph: 2,
  strong: 1,
  emphasis: 1,
  code: 1,
  deletion: 1,
  insertion: 1,
  subscript: 1,
  superscript: 1,
  mark: 1,
  time: 1,
  term: 2,
  definition: 1,
  blockquote: 1,
  search: 1,
  meter: 1,
  button: 1,
  textbox: 6,
  caption: 1,
  columnheader: 3,
  rowheader: 2,
  cell: 2,
  gridcell: 2,
  row: 6,
  presentation: 4,
  switch: 1,
};

/** Cells by their column header on tables.html: a native table, group headers with spans, an ARIA grid and table. */
export const COLUMN_CASES: Array<{ l: Locator; count: number; text?: string }> = [
  { l: cell("Price", row("Invoice 42")), count: 1, text: "€12.00" }, // named exactly: not "Unit price" before it
  { l: cell("PRICE", row("Invoice 42")), count: 1, text: "€12.00" },
  { l: cell("Unit", row("Invoice 42")), count: 1, text: "€4.00" }, // part of one header's name
  { l: cell("Pric", row("Invoice 42")), count: 2 }, // part of two: both count (an action on one is ambiguous)
  { l: cell("Status", row("Total")), count: 1, text: "2 invoices" }, // a cell spanning two columns is in each
  { l: cell("Actions", row("Total")), count: 1, text: "2 invoices" },
  { l: cell("Invoice", row("Total")), count: 1, text: "Total" }, // a data row's <th scope=row>
  { l: cell("Price", invoices), count: 3, text: "€9.00" }, // data cells only, not the header
  { l: cell("Quantity", row("Apples")), count: 2, text: "12" }, // a header spanning two columns names both
  { l: { ...cell("Quantity", row("Apples")), nth: 1 }, count: 1, text: "3" },
  { l: cell("In stock", row("Second crate")), count: 1, text: "7" }, // after a cell spanning rows from above
  { l: cell("Notes", row("Second crate")), count: 1, text: "Second crate" },
  { l: cell("Item", row("Second crate")), count: 0 }, // that cell belongs to the row above
  { l: cell("Item", row("Apples")), count: 1, text: "Apples" }, // a header in the second header row
  { l: cell("Email", row("Grace")), count: 1, text: "grace@example.com" }, // ARIA grid
  { l: cell("Role", row("Linus")), count: 1, text: "Viewer" }, // aria-colindex
  { l: cell("Monthly fee", row("Team")), count: 1, text: "€20" }, // role=table, rowgroups
  { l: cell("Amount"), count: 0 }, // a header, no rows
  { l: cell("Prise", row("Invoice 42")), count: 0 },
  { l: cell("Archived"), count: 0 }, // a hidden table
  { l: cell("Region", row("Leeds")), count: 0 }, // a hidden column
];

/** Registers the whole suite for one target. */
export function conformanceSuite(t: ConformanceTarget): void {
  const { timeouts, emulation } = t;
  describe(`BrowserSession conformance: ${t.label}`, () => {
    let server: PageServer;
    let driver: BrowserDriver;
    const observe = (key: string, value: unknown) => t.observations?.set(key, value);
    /** Registers a case on this target unless the target runs only another aspect's cases (see Aspect). */
    const conformanceCase = (name: string, dependsOn: Aspect[], fn: () => Promise<void>) => {
      if (t.only === undefined || dependsOn.includes(t.only)) test(name, fn);
    };

    /** A fresh session from the shared driver, closed afterwards whatever happens. */
    /** State reads are async in the page: poll until the text settles on the expected value. */
    async function eventuallyEqual(read: () => Promise<string>, expected: string): Promise<void> {
      const deadline = Date.now() + 3000;
      let last = await read();
      while (last !== expected && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
        last = await read();
      }
      assert.equal(last, expected);
    }

    async function withSession<T>(fn: (s: BrowserSession) => Promise<T>): Promise<T> {
      const s = await driver.newSession();
      try {
        return await fn(s);
      } finally {
        await s.close();
      }
    }
    /**
     * Expects a LocatorTimeoutError naming the locator; `detail` is what it must say the page has instead. Its type
     * says whose the failure is: ElementNotUsableError (a product defect) where an element matched and the page kept
     * it from use, as `kept` says or, without it, as the detail's words do (keptBy); else LocatorTimeoutError itself.
     */
    async function expectTimeout(
      p: Promise<unknown>,
      l: Locator,
      what: string,
      detail?: string | RegExp,
      kept?: boolean,
    ): Promise<string> {
      let said = "";
      await assert.rejects(p, (err: unknown) => {
        assert.ok(err instanceof LocatorTimeoutError, `expected LocatorTimeoutError, got ${String(err)}`);
        said = err.detail;
        const matched = kept ?? keptBy(err.detail);
        assert.equal(err.name, matched ? "ElementNotUsableError" : "LocatorTimeoutError", err.detail);
        assert.equal(err instanceof ElementNotUsableError, matched);
        if (typeof detail === "string") assert.equal(err.detail, detail);
        else if (detail) assert.match(err.detail, detail);
        assert.equal(
          err.message,
          `timed out after ${timeouts.actionTimeoutMs} ms waiting for ${describeLocator(l)} ${what}${err.detail ? `: ${err.detail}` : ""}`,
        );
        assert.deepEqual(err.locator, l);
        return true;
      });
      // That it waits (rather than giving up at once) is the "appears or becomes enabled later" test.
      return said;
    }

    /** Expects an AmbiguousLocatorError naming the locator and saying `detail`: a test defect, by its type. */
    async function expectAmbiguous(p: Promise<unknown>, l: Locator, detail: string): Promise<string> {
      let said = "";
      await assert.rejects(p, (err: unknown) => {
        assert.ok(err instanceof AmbiguousLocatorError, `expected AmbiguousLocatorError, got ${String(err)}`);
        assert.ok(err instanceof TestDefinitionError);
        assert.equal(categoryOfErrorType(err.constructor.name), "test defect");
        assert.equal(err.detail, detail);
        assert.equal(
          err.message,
          `${describeLocator(l)} is ambiguous: ${detail}; write more of its words, or a position`,
        );
        assert.deepEqual(err.locator, l);
        said = err.message;
        return true;
      });
      return said;
    }

    before(async () => {
      server = await startPageServer();
      driver = await t.launch();
    });
    afterEach(() => t.processes?.sample());
    after(async () => {
      t.processes?.sample();
      await driver?.close();
      await server?.close();
    });

    conformanceCase("browserVersion names chromium and its version", [], async () => {
      assert.match(await driver.browserVersion(), /^chromium \d+\.\d+/);
    });

    conformanceCase("a new session starts on about:blank", ["device", "isolation"], async () => {
      await withSession(async (s) => assert.equal(await s.url(), "about:blank"));
    });

    conformanceCase(
      "locators: role+name, label, placeholder, text, test id, css — visible matches only",
      [],
      async () => {
        await withSession(async (s) => {
          await s.goto(server.pageUrl);
          const seen: Array<[string, number, string | null]> = [];
          for (const c of LOCATOR_CASES) {
            const n = await s.count(c.l);
            const text = c.text === undefined ? null : await s.textOf(c.l);
            seen.push([describeLocator(c.l), n, text]);
            assert.equal(n, c.count, `count of ${describeLocator(c.l)}`);
            assert.equal(await s.isVisible(c.l), c.count > 0, `isVisible(${describeLocator(c.l)})`);
            if (c.text !== undefined) assert.equal(text, c.text, `textOf(${describeLocator(c.l)})`);
          }
          observe("locators", seen);
        });
      },
    );

    conformanceCase("scoped locators: inside a container, containing a text, by position", [], async () => {
      await withSession(async (s) => {
        await s.goto(server.widgetsUrl);
        const seen: Array<[string, number, string | null]> = [];
        for (const c of SCOPED_CASES) {
          const n = await s.count(c.l);
          const text = c.text === undefined ? null : await s.textOf(c.l);
          seen.push([describeLocator(c.l), n, text]);
          assert.equal(n, c.count, `count of ${describeLocator(c.l)}`);
          if (c.text !== undefined) assert.equal(text, c.text, `textOf(${describeLocator(c.l)})`);
        }
        observe("scoped", seen);
        const status = () => s.textOf({ by: "role", role: "status" });
        await s.setChecked({ by: "role", role: "checkbox", within: todo("Walk the dog") }, true);
        assert.equal(await status(), "Walk the dog: done");
        await s.fill(
          { by: "label", text: "Card number", within: { by: "role", role: "dialog", name: "Shipping" } },
          "4242",
        );
        assert.equal(await s.valueOf({ by: "css", selector: "#shipping-card" }), "4242");
        assert.equal(await s.valueOf({ by: "css", selector: "#billing-card" }), "");
        await s.click({
          by: "role",
          role: "button",
          name: "Save",
          within: { by: "role", role: "dialog", name: "Shipping" },
        });
        assert.equal(await status(), "Saved Shipping");
        await s.click({
          by: "role",
          role: "button",
          name: "Pay",
          within: { by: "role", role: "row", hasText: "Invoice 42" },
        });
        assert.equal(await status(), "Paid Invoice 42");
        await s.click({ by: "role", role: "button", name: "Delete", nth: "last" });
        assert.equal(await status(), "Deleted Pay rent");
        await s.click({ by: "role", role: "button", name: "Delete", nth: 1 });
        assert.equal(await status(), "Deleted Walk the dog");
        assert.equal(await s.count({ by: "role", role: "listitem", within: todos }), 1);
        const gone: Locator = { by: "role", role: "button", name: "Delete", nth: 1 };
        await expectTimeout(s.click(gone), gone, "to be clickable");
      });
    });

    conformanceCase(
      "roles: HTML's own elements have the roles Playwright reads (ARIA 1.2, HTML-AAM), found alike on both drivers",
      [],
      async () => {
        await withSession(async (s) => {
          await s.goto(server.rolesUrl);
          const counts: Record<string, number> = {};
          for (const role of Object.keys(ROLE_COUNTS)) counts[role] = await s.count({ by: "role", role });
          assert.deepEqual(counts, ROLE_COUNTS);
          assert.equal(await s.textOf({ by: "role", role: "rowheader", name: "Emma" }), "Emma");
          assert.equal(await s.textOf({ by: "role", role: "gridcell", name: "1B" }), "1B");
          assert.equal(await s.count({ by: "role", role: "treeitem", name: "Tea" }), 1, "named by its own text");
          assert.equal(await s.count({ by: "role", role: "treeitem", name: "Green tea" }), 1);
          assert.equal(await s.count({ by: "role", role: "treeitem", name: "Tools" }), 1);
          // A caption takes no name: found by what it contains.
          assert.equal(await s.count({ by: "role", role: "caption", name: "Fines" }), 0);
          assert.equal(await s.textOf({ by: "role", role: "caption", hasText: "Fines" }), "Fines");
        });
      },
    );

    conformanceCase(
      "the name rule: an exact name beats an earlier one containing it; a position counts among the exact ones",
      [],
      async () => {
        await withSession(async (s) => {
          await s.goto(server.namesUrl);
          const status = () => s.textOf({ by: "role", role: "status" });
          // "Add to cart" comes first and contains "add"; the button named "Add" is meant.
          await s.click({ by: "role", role: "button", name: "add" });
          assert.equal(await status(), "Added");
          // One button contains "Sign in": it is the one meant.
          await s.click({ by: "role", role: "button", name: "Sign in" });
          assert.equal(await status(), "Signed in");
          // "Delete all" comes first; the 2nd "Delete" button is the 2nd of those named "Delete".
          await s.click({ by: "role", role: "button", name: "Delete", nth: 1 });
          assert.equal(await status(), "Deleted two");
          await s.click({ by: "role", role: "button", name: "Delete" });
          assert.equal(await status(), "Deleted one");
          await s.click({ by: "role", role: "button", name: "Delete", nth: "last" });
          assert.equal(await status(), "Deleted two");
          // Labels, placeholders and texts by the same rule.
          await s.fill({ by: "label", text: "email" }, "a@example.com");
          assert.equal(await s.valueOf({ by: "css", selector: "#email-one" }), "a@example.com");
          assert.equal(await s.valueOf({ by: "css", selector: "#email-two" }), "");
          await s.fill({ by: "placeholder", text: "City" }, "Lyon");
          assert.equal(await s.valueOf({ by: "css", selector: "#city" }), "Lyon");
          assert.equal(await s.valueOf({ by: "css", selector: "#city-of-birth" }), "");
          assert.equal(await s.textOf({ by: "text", text: "total" }), "Total");
          // A container by the same rule.
          await s.click({
            by: "role",
            role: "button",
            name: "Buy",
            within: { by: "role", role: "region", name: "shop two" },
          });
          assert.equal(await status(), "Bought in shop two");
        });
      },
    );

    conformanceCase(
      "the name rule: words that fit several names only in part are refused for an action on one element",
      [],
      async () => {
        await withSession(async (s) => {
          await s.goto(server.namesUrl);
          const status = () => s.textOf({ by: "role", role: "status" });
          const ad: Locator = { by: "role", role: "button", name: "Ad" };
          const said = [
            await expectAmbiguous(
              s.click(ad),
              ad,
              '3 buttons contain "Ad" ("Remove Bread", "Add to cart", "Add") and none is named exactly "Ad"',
            ),
          ];
          assert.equal(await status(), "Nothing yet", "nothing was clicked");
          // A position picks among them.
          await s.click({ ...ad, nth: 1 });
          assert.equal(await status(), "Added to cart");
          // A read or an action on each kind of name, each refused the same way.
          const ambiguous: Array<[Locator, (l: Locator) => Promise<unknown>, string]> = [
            [
              { by: "role", role: "button", name: "save" },
              (l) => s.textOf(l),
              '2 buttons contain "save" ("Save draft", "Save all") and none is named exactly "save"',
            ],
            [
              { by: "label", text: "Emai" },
              (l) => s.fill(l, "x"),
              '2 fields have a label containing "Emai" ("Email", "Email again") and none is labelled exactly "Emai"',
            ],
            [
              { by: "placeholder", text: "cit" },
              (l) => s.fill(l, "x"),
              '2 fields have a placeholder containing "cit" ("City", "City of birth") and none has exactly "cit"',
            ],
            [
              { by: "text", text: "Tot" },
              (l) => s.textOf(l),
              '2 elements contain the text "Tot" ("Total", "Total due") and none has exactly that text',
            ],
          ];
          for (const [l, use, detail] of ambiguous) said.push(await expectAmbiguous(use(l), l, detail));
          // What an element shows, at one look, is refused the same way as reading its text.
          const save: Locator = { by: "role", role: "button", name: "save" };
          said.push(
            await expectAmbiguous(
              s.shownText(save),
              save,
              '2 buttons contain "save" ("Save draft", "Save all") and none is named exactly "save"',
            ),
          );
          // A container whose words fit several, when that leaves more than one element to choose from.
          const buy: Locator = {
            by: "role",
            role: "button",
            name: "Buy",
            within: { by: "role", role: "region", name: "Shop" },
          };
          said.push(
            await expectAmbiguous(
              s.click(buy),
              buy,
              '2 regions contain "Shop" ("Shop one", "Shop two") and none is named exactly "Shop"',
            ),
          );
          assert.equal(await status(), "Added to cart", "nothing else was clicked");
          observe("ambiguity", said);
        });
      },
    );

    conformanceCase(
      "the name rule in checks: counts and visibility count the candidates, a name that only contains the words still counts",
      [],
      async () => {
        await withSession(async (s) => {
          await s.goto(server.namesUrl);
          const cases: Array<[Locator, number]> = [
            [{ by: "role", role: "button", name: "Delete" }, 2], // "Delete all" does not count beside two named so
            [{ by: "role", role: "button", name: "Ad" }, 3], // none named "Ad": every button containing it
            [{ by: "role", role: "button", name: "Ad", nth: 2 }, 1],
            // What `I should not see the "Save" button` asks while "Save draft" shows: it is seen (fail-closed).
            [{ by: "role", role: "button", name: "Save" }, 2],
            [{ by: "role", role: "button", name: "Save draft" }, 1],
            [{ by: "role", role: "button", name: "Publish" }, 0],
            [{ by: "label", text: "Email" }, 1],
            [{ by: "placeholder", text: "city" }, 1],
            [{ by: "text", text: "Total" }, 1],
            [{ by: "text", text: "Tot" }, 2],
            [{ by: "role", role: "button", name: "Buy", within: { by: "role", role: "region", name: "Shop" } }, 2],
            // `containing` stays a part of the text.
            [{ by: "role", role: "button", hasText: "Delete" }, 3],
          ];
          const seen: Array<[string, number, boolean]> = [];
          for (const [l, n] of cases) {
            const count = await s.count(l);
            const visible = await s.isVisible(l);
            seen.push([describeLocator(l), count, visible]);
            assert.equal(count, n, `count of ${describeLocator(l)}`);
            assert.equal(visible, n > 0, `isVisible(${describeLocator(l)})`);
          }
          observe("nameRuleCounts", seen);
        });
      },
    );

    conformanceCase(
      "accessible names: hidden labels, aria-labelledby with a hidden part, open shadow roots",
      [],
      async () => {
        await withSession(async (s) => {
          await s.goto(server.widgetsUrl);
          const status = () => s.textOf({ by: "role", role: "status" });
          const toggleAll: Locator = { by: "role", role: "checkbox", name: "Mark all as complete" };
          assert.equal(
            await s.count(toggleAll),
            1,
            "TodoMVC's toggle-all: a 1px transparent checkbox, its label's text at font-size 0",
          );
          await s.setChecked(toggleAll, true);
          assert.equal(await status(), "All complete");
          const terms: Locator = { by: "role", role: "checkbox", name: "accept the terms" };
          assert.equal(await s.count(terms), 1, "a visually hidden (clipped, 1px) label names its checkbox");
          assert.equal(await s.count({ by: "label", text: "Accept the terms" }), 1);
          await s.setChecked(terms, true);
          assert.equal(await status(), "Terms accepted");
          const delivery: Locator = { by: "role", role: "textbox", name: "Delivery street address" };
          assert.equal(await s.count(delivery), 1, "aria-labelledby joins its parts, a hidden one too");
          assert.equal(await s.count({ by: "label", text: "Delivery" }), 1);
          await s.fill(delivery, "1 Main St");
          assert.equal(await status(), "Delivery: 1 Main St");
          const shadowButton: Locator = { by: "role", role: "button", name: "Shadow action" };
          assert.equal(await s.count(shadowButton), 1, "open shadow roots are searched");
          await s.click(shadowButton);
          assert.equal(await status(), "Shadow clicked");
          await s.fill({ by: "label", text: "Shadow field" }, "deep");
          assert.equal(await status(), "Shadow typed deep");
          assert.equal(await s.count({ by: "text", text: "Shadow action" }), 1);
        });
      },
    );

    conformanceCase(
      "re-rendering pages: typing into a field replaced on every keystroke, acting on a list rebuilt on every change",
      [],
      async () => {
        await withSession(async (s) => {
          await s.goto(server.widgetsUrl);
          const search: Locator = { by: "role", role: "textbox", name: "Live search" };
          await s.fill(search, "milk and honey");
          assert.equal(await s.valueOf(search), "milk and honey");
          assert.equal(await s.textOf({ by: "css", selector: "#search-echo" }), "Typed: milk and honey");
          const item: Locator = { by: "role", role: "checkbox", name: "Churning item" };
          await s.setChecked(item, true);
          await eventuallyEqual(
            () => s.textOf({ by: "role", role: "listitem", within: { by: "role", role: "list", name: "Churning" } }),
            "Churning item (done)",
          );
          await s.setChecked(item, false);
          assert.equal(await s.textOf({ by: "role", role: "status" }), "Churning item open");
          await s.setChecked(item, true);
          await s.setChecked(item, true);
          assert.equal(await s.textOf({ by: "role", role: "status" }), "Churning item done");
        });
      },
    );

    conformanceCase(
      "interactions: double-click, right-click, hover, focus and blur, typing without clearing, scrolling into view",
      ["device"],
      async () => {
        await withSession(async (s) => {
          await s.goto(server.widgetsUrl);
          const status = () => s.textOf({ by: "role", role: "status" });
          await s.doubleClick({ by: "role", role: "button", name: "Edit by double-click" });
          await eventuallyEqual(status, "Double-clicked");
          await s.rightClick({ by: "role", role: "button", name: "Options" });
          await eventuallyEqual(status, "Context menu opened");
          const tip: Locator = { by: "text", text: "Tooltip text" };
          assert.equal(await s.isVisible(tip), false);
          // What it shows, at one look: hidden, not on the page (saying why, as explain does), or its text.
          assert.deepEqual(await s.shownText(tip), { hidden: true }, "hidden, it shows nothing");
          const noButton: Locator = { by: "role", role: "button", name: "No such button" };
          assert.deepEqual(await s.shownText(noButton), { absent: await s.explain(noButton) });
          assert.match(await s.explain(noButton), /^the page has \d+ buttons, named /);
          await s.hover({ by: "text", text: "Hover me" });
          assert.equal(await s.isVisible(tip), true, "what appears on hover is visible");
          assert.deepEqual(await s.shownText(tip), { shows: await s.textOf(tip) });
          assert.equal(await s.textOf(tip), "Tooltip text");
          const field: Locator = { by: "label", text: "Focus field" };
          await s.focus(field);
          await eventuallyEqual(status, "Focus field focused");
          assert.equal(await s.stateOf(field, "focused"), true);
          await s.blur(field);
          await eventuallyEqual(status, "Focus field blurred");
          assert.equal(await s.stateOf(field, "focused"), false);
          const greeting: Locator = { by: "label", text: "Greeting" };
          await s.typeText(greeting, ", world");
          assert.equal(await s.valueOf(greeting), "Hello, world");
          await s.fill(greeting, "");
          assert.equal(await s.valueOf(greeting), "", "clearing a field is filling it with nothing");
          const far: Locator = { by: "role", role: "button", name: "Far away button" };
          const vp = await s.viewport();
          assert.ok((await s.boundingBox(far)).y > vp.viewportHeight, "starts below the fold");
          await s.scrollIntoView(far);
          const box = await s.boundingBox(far);
          assert.ok(box.y >= 0 && box.y + box.height <= vp.viewportHeight, `scrolled into view: y=${box.y}`);
        });
      },
    );

    conformanceCase("a field's description: its helper text, and its error message while invalid", [], async () => {
      await withSession(async (s) => {
        await s.goto(`${server.origin}/described.html`);
        assert.equal(await s.descriptionOf({ by: "label", text: "Email" }), "Email is required");
        assert.equal(
          await s.descriptionOf({ by: "label", text: "Password" }),
          "Use 8 characters or more Too short",
          "the helper text, then the error message of an invalid field",
        );
        assert.equal(
          await s.descriptionOf({ by: "label", text: "Username" }),
          "",
          "an error message counts only while invalid",
        );
        assert.equal(await s.descriptionOf({ by: "label", text: "Name" }), "", "nothing describes it");
        assert.equal(await s.descriptionOf({ by: "label", text: "Nickname" }), "", 'aria-invalid="" is not invalid');
        assert.equal(await s.descriptionOf({ by: "label", text: "Code" }), "", "an error message no user sees");
      });
    });

    conformanceCase("a fill types key by key: the page's key handlers see each key, as a user's", [], async () => {
      await withSession(async (s) => {
        await s.goto(`${server.origin}/typing.html`);
        // Playwright's fill inserted the text in one go: the mask and the filter saw no key, and the field that takes
        // no typing was filled (a false pass on Playwright only).
        const phone: Locator = { by: "label", text: "Phone" };
        await s.fill(phone, "12ab34");
        assert.equal(await s.valueOf(phone), "1234", "the mask drops the letters as they are typed");
        const quantity: Locator = { by: "label", text: "Quantity" };
        await s.fill(quantity, "12ab34");
        assert.equal(await s.valueOf(quantity), "1234", "the filter sees one character at a time");
        await s.fill(quantity, "7");
        assert.equal(await s.valueOf(quantity), "7", "typed over what it held");
        const coupon: Locator = { by: "label", text: "Coupon" };
        await s.fill(coupon, "SPRING");
        assert.equal(await s.valueOf(coupon), "", "no key reaches a field that takes no typing");
        // A checkbox takes no typing: a space typed into it toggled it.
        const box: Locator = { by: "role", role: "checkbox", name: "Keep typing" };
        await expectTimeout(
          s.fill(box, "a b"),
          box,
          "to be editable",
          "it does not take typing (read-only, or not a text field)",
          false,
        );
        assert.equal(await s.stateOf(box, "checked"), false, "left unchecked");
        // A label stands for its field, as a user's click on it does (Playwright's fill followed it; selectAll did not).
        // Every key is typed as written: a letter with a combining mark, an emoji beyond the 16-bit range, letters
        // Unicode normalization would split in two (U+0958, U+0FA7) or replace (U+F900), which selenium-webdriver's
        // own key actions refused or changed.
        const nickname = "Zoe\u0308 😀 \u0958\u0fa7\uf900";
        await s.fill({ by: "text", text: "Nickname" }, nickname);
        assert.equal(await s.valueOf({ by: "label", text: "Nickname" }), nickname, "typed through its label");
        // aria-readonly: no typing, on Playwright as on Selenium.
        const note: Locator = { by: "label", text: "Note" };
        await expectTimeout(
          s.fill(note, "x"),
          note,
          "to be editable",
          "it does not take typing (read-only, or not a text field)",
          true,
        );
        assert.equal(await s.valueOf(note), "", "nothing typed into a read-only field");
        await s.typeText({ by: "text", text: "Nickname" }, "!\u0fa7");
        assert.equal(
          await s.valueOf({ by: "label", text: "Nickname" }),
          `${nickname}!\u0fa7`,
          "appended through its label",
        );
        // The keys go where the focus is: a field that does not take it is not typed "into" (the keys reached the
        // field focused before, and the step passed).
        const search: Locator = { by: "label", text: "Search" };
        await s.fill(search, "shoes");
        const hiddenName: Locator = { by: "text", text: "Hidden name" };
        await expectTimeout(
          s.fill(hiddenName, "Bob"),
          hiddenName,
          "to be editable",
          "it does not take typing (read-only, or not a text field)",
          true,
        );
        const handsOn: Locator = { by: "label", text: "Hands on" };
        await expectTimeout(
          s.fill(handsOn, "hello"),
          handsOn,
          "to be editable",
          'the page moves the focus from it to <input id="receiver">',
        );
        // An element of a contenteditable takes the focus through its editing host (it has none of its own).
        await s.fill(search, "shoes");
        const para: Locator = { by: "testId", id: "para" };
        await s.fill(para, "New text");
        assert.equal(await s.textOf(para), "New text", "typed into the editor's paragraph");
        // A value field marked aria-readonly is not set (Playwright's own fill set it).
        const delivery: Locator = { by: "label", text: "Delivery" };
        await expectTimeout(
          s.fill(delivery, "2026-12-24"),
          delivery,
          "to be editable",
          "it does not take typing (read-only, or not a text field)",
          true,
        );
        assert.deepEqual(
          [await s.valueOf(search), await s.valueOf({ by: "label", text: "Receiver" })],
          ["shoes", ""],
          "no key typed elsewhere",
        );
        // A capital letter is pressed as a user does, with Shift; in a chord with Control, the small letter (WebDriver
        // sent Shift with both, Playwright with neither: QA9 #5).
        const shortcut: Locator = { by: "label", text: "Shortcut" };
        for (const key of ["Control+A", "A", "Control+Shift+Z", "b"]) await s.press(key, shortcut);
        assert.equal(await s.textOf({ by: "css", selector: "#keys" }), "Ctrl+a Shift+A Ctrl+Shift+Z b");
        // No field at all: Playwright answered its raw "Element is not an <input>, <textarea>…" error.
        const body: Locator = { by: "css", selector: "body" };
        const said = await expectTimeout(
          s.fill(body, "x"),
          body,
          "to be editable",
          "it does not take typing (read-only, or not a text field)",
          false,
        );
        observe("typedKeys", [await s.valueOf(phone), await s.valueOf(quantity), await s.valueOf(coupon), said]);
      });
    });

    conformanceCase(
      "table cells by their column header: native and ARIA tables, spans, the name rule, a missing column",
      [],
      async () => {
        await withSession(async (s) => {
          await s.goto(server.tablesUrl);
          const seen: Array<[string, number, string | null]> = [];
          for (const c of COLUMN_CASES) {
            const n = await s.count(c.l);
            const text = c.text === undefined ? null : await s.textOf(c.l);
            seen.push([describeLocator(c.l), n, text]);
            assert.equal(n, c.count, `count of ${describeLocator(c.l)}`);
            if (c.text !== undefined) assert.equal(text, c.text, `textOf(${describeLocator(c.l)})`);
          }
          observe("columns", seen);
          await s.click({ by: "role", role: "button", name: "Edit", within: cell("Actions", row("Invoice 42")) });
          assert.equal(await s.textOf({ by: "role", role: "status" }), "Editing Invoice 42");
          const pric = cell("Pric", row("Invoice 42"));
          const said = [
            await expectAmbiguous(
              s.textOf(pric),
              pric,
              '2 cells are in columns whose header contains "Pric" ("Unit price", "Price") and none is headed exactly "Pric"',
            ),
          ];
          // Words that two rows contain pick neither for a read or an action (not the first row's price); a
          // position, or more of the words, picks one; a count counts both.
          const price4 = cell("Price", row("Invoice 4"));
          const twoRows =
            '2 rows contain the text "Invoice 4" ("Invoice 41 Ada €3.00 €9.00 Paid Edit", "Invoice 42 Grace €4.00 €12.00 Open Edit")';
          said.push(await expectAmbiguous(s.textOf(price4), price4, twoRows));
          const edit4: Locator = { by: "role", role: "button", name: "Edit", within: row("Invoice 4") };
          await expectAmbiguous(s.click(edit4), edit4, twoRows);
          assert.equal(await s.count(price4), 2);
          assert.equal(await s.textOf(cell("Price", { ...row("Invoice 4"), nth: 1 })), "€12.00");
          const prise = cell("Prise", row("Invoice 42"));
          said.push(
            await expectTimeout(
              s.textOf(prise),
              prise,
              "to be visible",
              'there is no "Prise" column: the column headers are "Invoice", "Customer", "Unit price", "Price", "Status", "Actions"',
            ),
          );
          // The row's table is where the column is looked for: the grid's "Email" column is not the invoices'.
          const email = cell("Email", row("Ada", invoices));
          said.push(
            await expectTimeout(
              s.textOf(email),
              email,
              "to be visible",
              'there is no "Email" column: the column headers are "Invoice", "Customer", "Unit price", "Price", "Status", "Actions"',
            ),
          );
          const item = cell("Item", row("Second crate"));
          said.push(
            await expectTimeout(
              s.textOf(item),
              item,
              "to be visible",
              "2 elements match without the narrowing, none inside the container",
            ),
          );
          const hidden = "1 element matches but it is hidden";
          const cases: [Locator, string][] = [
            [cell("Archived"), `${hidden} (it has no size or an ancestor hides it)`],
            // A live region not filled yet.
            [
              { by: "role", role: "status", name: "Archive notes" },
              `${hidden} (it is empty: no text or content gives it a size)`,
            ],
            // Toasts drawn outside their region's box.
            [
              { by: "role", role: "status", name: "Toasts" },
              `${hidden} (it has no size of its own: what it holds shows outside its box (position: fixed or absolute, floats); name what shows, or check the text with I should see)`,
            ],
            // A collapsed panel clips what it holds.
            [
              { by: "role", role: "region", name: "Refund rules" },
              `${hidden} (it has no size or an ancestor hides it)`,
            ],
            // Its content is in its shadow root, not shown: of no size, yet not empty.
            [
              { by: "role", role: "status", name: "Shipping notes" },
              `${hidden} (it has no size or an ancestor hides it)`,
            ],
            [cell("Amount"), 'no cell of the page is in the "Amount" column'],
          ];
          for (const [loc, why] of cases) said.push(await expectTimeout(s.textOf(loc), loc, "to be visible", why));
          observe("columnFailures", said);
          // The header names of the tables there (a row's, a table itself, those inside a region), or the page's.
          // A row group holds no headers of its own: those of the table it is in count, drawn or not (an emptied
          // <tbody> or rowgroup has no size; a hidden table still has its columns).
          const headers = [
            await s.columnHeaders(row("Invoice 42")),
            await s.columnHeaders(invoices),
            await s.columnHeaders({ by: "role", role: "table", name: "Stock" }),
            await s.columnHeaders({ by: "role", role: "grid", name: "Users" }),
            await s.columnHeaders({ by: "role", role: "table", name: "No such table" }),
            await s.columnHeaders({ by: "css", selector: 'table[aria-label="Invoices"] > tbody' }),
            await s.columnHeaders({ by: "testId", id: "refund-rows" }),
            await s.columnHeaders({ by: "testId", id: "retired-plans" }),
            await s.columnHeaders({ by: "role", role: "table", name: "Archive" }),
            await s.columnHeaders({ by: "role", role: "table", name: "Depots" }),
            await s.columnHeaders(),
          ];
          const invoiceHeaders = ["Invoice", "Customer", "Unit price", "Price", "Status", "Actions"];
          const stockHeaders = ["Item", "Quantity", "In stock", "Ordered", "Notes"];
          assert.deepEqual(headers, [
            invoiceHeaders,
            invoiceHeaders,
            stockHeaders,
            ["Name", "Email", "Role"],
            [],
            invoiceHeaders,
            ["Refund", "Amount"],
            ["Plan", "Monthly fee"],
            ["Archived"],
            ["Depot", "Region"], // a header the page hides still names its column (it was "")
            // The page's: its visible tables only.
            [
              ...invoiceHeaders,
              ...stockHeaders,
              ...["Name", "Email", "Role", "Plan", "Monthly fee", "Refund", "Amount", "Depot", "Region"],
            ],
          ]);
          observe("columnHeaders", headers);
        });
      },
    );

    conformanceCase(
      "drop-downs: the options a native select offers and the selected ones, by label; other elements say what they are",
      [],
      async () => {
        await withSession(async (s) => {
          await s.goto(server.formsUrl);
          const option = (label: string, more: { selected?: boolean; disabled?: boolean; hidden?: boolean } = {}) => ({
            label,
            selected: false,
            disabled: false,
            hidden: false,
            ...more,
          });
          const topic: Locator = { by: "label", text: "Topic" };
          const read = [await s.optionsOf(topic)];
          assert.deepEqual(read[0], {
            multiple: false,
            options: [
              option("Choose a topic", { hidden: true }),
              option("Question"),
              option("Bug report", { selected: true }), // its text's whitespace runs as one
              option("Praise"), // its label attribute, not its text
              option("Complaint", { disabled: true }),
            ],
          });
          await s.selectOption(topic, "Question");
          read.push(await s.optionsOf({ by: "role", role: "combobox", name: "Topic" }));
          assert.deepEqual("options" in read[1] && read[1].options.filter((o) => o.selected).map((o) => o.label), [
            "Question",
          ]);
          read.push(await s.optionsOf({ by: "label", text: "Country" }));
          assert.deepEqual(read[2], {
            multiple: false,
            options: [option("France", { selected: true }), option("Spain"), option("Peru", { disabled: true })],
          });
          read.push(await s.optionsOf({ by: "label", text: "Toppings" }));
          assert.deepEqual(read[3], {
            multiple: true,
            options: [option("Cheese", { selected: true }), option("Ham"), option("Olives", { selected: true })],
          });
          read.push(await s.optionsOf({ by: "role", role: "combobox", name: "Colour" }));
          assert.deepEqual(read[4], {
            combobox: {
              shows: "Red",
              editable: false,
              options: null,
              notShown: "it names no popup (no aria-controls or aria-owns)",
            },
          });
          read.push(await s.optionsOf({ by: "label", text: "Nickname" }));
          assert.deepEqual(read[5], { notASelect: '<input type="text">' });
          const missing: Locator = { by: "label", text: "Flavour" };
          await expectTimeout(s.optionsOf(missing), missing, "to be visible", /^the fields' labels are "Topic", /);
          // A disabled <select>: on the page, kept from use by it (Playwright's own selectOption said only "timed out").
          await s.goto(`${server.origin}/disabled-select.html`);
          const plan: Locator = { by: "label", text: "Plan" };
          const disabled = await expectTimeout(
            s.selectOption(plan, "Pro"),
            plan,
            'to offer the option "Pro"',
            /disabled/,
            true,
          );
          observe("selectOptions", [...read, disabled]);
        });
      },
    );

    /** An ARIA option as optionsOf reads it. */
    const ariaOption = (label: string, more: { selected?: boolean; disabled?: boolean } = {}) => ({
      label,
      selected: false,
      disabled: false,
      hidden: false,
      ...more,
    });
    const combobox = (name: string): Locator => ({ by: "role", role: "combobox", name });
    const listbox = (name: string): Locator => ({ by: "role", role: "listbox", name });
    const topicOptions = (selected: string) =>
      ["Question", "Bug report", "Praise", "Complaint", "Feature request", "Billing", "Security", "Other"].map((l) =>
        ariaOption(l, { selected: l === selected, disabled: l === "Complaint" }),
      );

    conformanceCase(
      "ARIA drop-downs: what a combobox shows, what a listbox selects; a closed popup is opened to read and closed again",
      [],
      async () => {
        await withSession(async (s) => {
          await s.goto(server.dropdownsUrl);
          const topic = combobox("Topic");
          const read: unknown[] = [await s.optionsOf(topic)];
          // Closed, its listbox is not on the page (rendered into a portal only while open): nothing to read, no click.
          assert.deepEqual(read[0], {
            combobox: {
              shows: "Question",
              editable: false,
              options: null,
              notShown: 'its popup "topic-list" is not on the page',
            },
          });
          read.push(await s.optionsOf(topic, { show: true }));
          assert.deepEqual(read[1], {
            combobox: { shows: "Question", editable: false, options: topicOptions("Question"), notShown: "" },
          });
          // Closed again (Escape), so the page reads as before: the popup gone, the combobox found by its role again.
          assert.deepEqual(await s.optionsOf(topic), read[0]);
          assert.equal(await s.count({ by: "css", selector: "#topic-list" }), 0);

          // ARIA 1.1: the wrapper owns the listbox (aria-owns); a click does not open it, ArrowDown does. Nothing typed.
          read.push(await s.optionsOf(combobox("Fruit"), { show: true }));
          const fruits = ["Apple", "Banana", "Cherry", "Date", "Elderberry"].map((l) => ariaOption(l));
          assert.deepEqual(read[2], { combobox: { shows: "", editable: true, options: fruits, notShown: "" } });
          assert.equal(await s.valueOf({ by: "css", selector: "#fruit-input" }), "");
          assert.equal(await s.count(listbox("Fruit")), 0, "closed again");

          // Its popup 300 ms after the click: waited for.
          read.push(await s.optionsOf(combobox("Priority"), { show: true }));
          const priorities = ["Low", "Medium", "High"].map((l) => ariaOption(l, { selected: l === "Low" }));
          assert.deepEqual(read[3], { combobox: { shows: "Low", editable: false, options: priorities, notShown: "" } });

          // A button popping up a listbox names its popup only while open; its arrow icon (aria-hidden) is not shown text.
          const sortBy: Locator = { by: "role", role: "button", name: "Sort by" };
          read.push(await s.optionsOf(sortBy));
          assert.deepEqual(read[4], {
            combobox: {
              shows: "Newest",
              editable: false,
              options: null,
              notShown: "it names no popup (no aria-controls or aria-owns)",
            },
          });

          read.push(await s.optionsOf(listbox("Size")), await s.optionsOf(listbox("Extras"), { show: true }));
          assert.deepEqual(read.slice(5), [
            {
              listbox: true,
              multiple: false,
              options: [
                ariaOption("Small", { selected: true }),
                ariaOption("Medium"),
                ariaOption("Large", { disabled: true }),
              ],
            },
            {
              listbox: true,
              multiple: true,
              options: [ariaOption("Cheese", { selected: true }), ariaOption("Olives"), ariaOption("Ham")],
            },
          ]);
          observe("ariaOptions", read);
        });
      },
    );

    conformanceCase(
      "ARIA drop-downs: selectOption opens the combobox and clicks the option as a user does, typing only when needed",
      ["device"],
      async () => {
        await withSession(async (s) => {
          await s.goto(server.dropdownsUrl);
          const status = () => s.textOf({ by: "css", selector: "#dd-status" });
          const shows = async (l: Locator) => {
            const o = await s.optionsOf(l);
            return "combobox" in o ? o.combobox.shows : o;
          };
          const topic = combobox("Topic");
          await s.selectOption(topic, "Bug report");
          assert.equal(await status(), "Topic: Bug report");
          assert.equal(await shows(topic), "Bug report");
          await s.selectOption(topic, "Other"); // below the fold of its scrolling list
          assert.equal(await status(), "Topic: Other");
          await s.selectOption(topic, "Feature request"); // its text has runs of whitespace
          assert.equal(await status(), "Topic: Feature request");
          assert.equal(await shows(topic), "Feature request");

          // ARIA 1.1, by the textbox it wraps: a click does not open it, so the label is typed to show the option.
          await s.selectOption({ by: "role", role: "textbox", name: "Fruit" }, "Cherry");
          assert.equal(await status(), "Fruit: Cherry");
          assert.equal(await shows(combobox("Fruit")), "Cherry");

          // An editable combobox: a shown option is clicked with nothing typed; one not among the four shown is typed.
          const city = combobox("City");
          await s.selectOption(city, "Berlin");
          assert.equal(await status(), "City: Berlin (0 keystrokes)");
          await s.selectOption(city, "Florence");
          assert.equal(await status(), "City: Florence (8 keystrokes)", "typed key by key");
          assert.equal(await shows(city), "Florence");

          await s.selectOption(combobox("Priority"), "High"); // its popup comes 300 ms after the click
          assert.equal(await status(), "Priority: High");
          const sortBy: Locator = { by: "role", role: "button", name: "Sort by" };
          await s.selectOption(sortBy, "Price");
          assert.equal(await status(), "Sort by: Price");
          assert.equal(await shows(sortBy), "Price");

          await s.selectOption(listbox("Size"), "Medium");
          assert.equal(await status(), "size: Medium");
          await s.selectOption(listbox("Extras"), "Olives");
          assert.equal(await status(), "extras: Cheese, Olives");
          await s.selectOption(listbox("Extras"), "Cheese"); // selected already: not clicked (that would unselect it)
          assert.equal(await status(), "extras: Cheese, Olives");
          const extras = await s.optionsOf(listbox("Extras"));
          assert.deepEqual("options" in extras && extras.options.filter((o) => o.selected).map((o) => o.label), [
            "Cheese",
            "Olives",
          ]);
        });
      },
    );

    conformanceCase(
      "ARIA drop-downs: an option not offered is named with the options offered; a disabled one, a popup that never shows",
      [],
      async () => {
        await withSession(async (s) => {
          const offer = (label: string) => `to offer the option "${label}"`;
          const topicOffers =
            'it offers "Question", "Bug report", "Praise", "Complaint (disabled)", "Feature request", "Billing", "Security", "Other"';
          const said: string[] = [];
          const topic = combobox("Topic");
          await s.goto(server.dropdownsUrl);
          said.push(await expectTimeout(s.selectOption(topic, "Narnia"), topic, offer("Narnia"), topicOffers));
          await s.goto(server.dropdownsUrl);
          said.push(
            await expectTimeout(
              s.selectOption(topic, "Complaint"),
              topic,
              offer("Complaint"),
              `the option "Complaint" is disabled; ${topicOffers}`,
            ),
          );
          await s.goto(server.dropdownsUrl);
          // Case kept: "bug report" is no option of it.
          said.push(await expectTimeout(s.selectOption(topic, "bug report"), topic, offer("bug report"), topicOffers));
          await s.goto(server.dropdownsUrl);
          const city = combobox("City");
          said.push(
            await expectTimeout(
              s.selectOption(city, "Narnia"),
              city,
              offer("Narnia"),
              'it offers "Amsterdam", "Berlin", "Copenhagen", "Dublin"; with "Narnia" typed into it, it offers no option',
            ),
          );
          const size = listbox("Size");
          said.push(
            await expectTimeout(
              s.selectOption(size, "Large"),
              size,
              offer("Large"),
              'the option "Large" is disabled; it offers "Small", "Medium", "Large (disabled)"',
            ),
          );
          said.push(
            await expectTimeout(
              s.selectOption(size, "XL"),
              size,
              offer("XL"),
              'it offers "Small", "Medium", "Large (disabled)"',
            ),
          );

          await s.goto(server.formsUrl);
          const colour = combobox("Colour");
          const noPopup = await expectTimeout(
            s.selectOption(colour, "Blue"),
            colour,
            offer("Blue"),
            /^its options did not show after a click(?: and ArrowDown)?: it names no popup \(no aria-controls or aria-owns\)$/,
          );
          // On a loaded machine the action's time can run out before ArrowDown is tried: how far it got is the
          // machine's; what it says of the page is compared across drivers.
          said.push(noPopup.replace(" and ArrowDown", ""));
          const nickname: Locator = { by: "label", text: "Nickname" };
          await assert.rejects(s.selectOption(nickname, "Ada"), (err: unknown) => {
            assert.ok(err instanceof NotADropdownError, `expected NotADropdownError, got ${String(err)}`);
            assert.equal(categoryOfErrorType(err.constructor.name), "test defect");
            assert.equal(
              err.message,
              'the field labelled "Nickname" is <input type="text">, not a drop-down (a <select>, or an element with role combobox or listbox): it has no option "Ada" to choose',
            );
            said.push(err.message);
            return true;
          });
          observe("ariaSelectFailures", said);
        });
      },
    );

    conformanceCase(
      "ARIA drop-downs: aria-checked choices, an empty listbox mounted while closed, a listbox inside its combobox",
      ["device"],
      async () => {
        await withSession(async (s) => {
          await s.goto(server.dropdownsUrl);
          const status = () => s.textOf({ by: "css", selector: "#dd-status" });
          const read: unknown[] = [];
          // A multi-select listbox marking its choices with aria-checked: the checked one is selected, and not clicked.
          const toppings = listbox("Toppings");
          await s.selectOption(toppings, "Mushrooms");
          assert.equal(await status(), "Nothing yet", "checked already: a click would uncheck it");
          await s.selectOption(toppings, "Onions");
          assert.equal(await status(), "toppings: Mushrooms, Onions");
          read.push(await s.optionsOf(toppings));
          assert.deepEqual(read[0], {
            listbox: true,
            multiple: true,
            options: [
              ariaOption("Mushrooms", { selected: true }),
              ariaOption("Peppers"),
              ariaOption("Onions", { selected: true }),
            ],
          });

          // Closed (aria-expanded="false") while its empty listbox stays on the page: read as closed, clicked open.
          const flavour = combobox("Flavour");
          read.push(await s.optionsOf(flavour));
          assert.deepEqual(read[1], {
            combobox: {
              shows: "Vanilla",
              editable: false,
              options: null,
              notShown: 'it is closed (aria-expanded="false")',
            },
          });
          read.push(await s.optionsOf(flavour, { show: true }));
          const flavours = ["Vanilla", "Chocolate", "Strawberry"];
          assert.deepEqual(read[2], {
            combobox: {
              shows: "Vanilla",
              editable: false,
              options: flavours.map((f) => ariaOption(f, { selected: f === "Vanilla" })),
              notShown: "",
            },
          });
          await s.selectOption(flavour, "Chocolate");
          assert.equal(await status(), "Flavour: Chocolate");

          // Its listbox drawn inside it while open: what it shows is its value, not the options' text.
          const shape = combobox("Shape");
          read.push(await s.optionsOf(shape, { show: true }));
          const shapes = ["Circle", "Square", "Triangle"];
          assert.deepEqual(read[3], {
            combobox: {
              shows: "Circle",
              editable: false,
              options: shapes.map((f) => ariaOption(f, { selected: f === "Circle" })),
              notShown: "",
            },
          });
          await s.selectOption(shape, "Square");
          assert.equal(await status(), "Shape: Square");
          observe("ariaDropdownEdges", read);
        });
      },
    );

    conformanceCase(
      "ARIA drop-downs: an option click that does nothing, a combobox drawn anew, a disabled one fail the same on both",
      [],
      async () => {
        await withSession(async (s) => {
          const offer = (label: string) => `to offer the option "${label}"`;
          const said: string[] = [];
          await s.goto(server.dropdownsUrl);
          // Typed into, its option shown and clicked, the click does nothing: the typed text is no choice.
          const town = combobox("Town");
          said.push(
            await expectTimeout(
              s.selectOption(town, "Cardiff"),
              town,
              offer("Cardiff"),
              'the option "Cardiff" shows but did not take the click',
            ),
          );
          assert.equal(await s.valueOf(town), "Cardiff", "typed, and left so");
          const t0 = Date.now();
          const mood = combobox("Mood");
          said.push(
            await expectTimeout(
              s.selectOption(mood, "Happy"),
              mood,
              offer("Happy"),
              "it left the page after it was found (removed or drawn anew), so nothing was chosen",
            ),
          );
          assert.ok(Date.now() - t0 < timeouts.actionTimeoutMs, "failed at once");
          const region = combobox("Region");
          said.push(await expectTimeout(s.selectOption(region, "South"), region, offer("South"), "it is disabled"));
          observe("ariaDropdownFailures", said);
        });
      },
    );

    conformanceCase(
      "validation: a field's and a form's validity by the constraint API and aria-invalid, what fails by name",
      [],
      async () => {
        await withSession(async (s) => {
          await s.goto(server.formsUrl);
          const field = (text: string): Locator => ({ by: "label", text });
          const signUp: Locator = { by: "role", role: "form", name: "Sign up" };
          const read = [
            await s.validityOf(field("Email")),
            await s.validityOf(field("Username")),
            await s.validityOf(field("Member ID")),
            await s.validityOf(signUp),
            await s.validityOf({ by: "role", role: "form", name: "Feedback" }),
            await s.validityOf({ by: "role", role: "textbox", name: "Bio" }),
            await s.validityOf(field("Card number")),
            await s.validityOf({ by: "role", role: "textbox", name: "Motto" }),
            await s.validityOf({ by: "role", role: "note", name: "Fine print" }),
            await s.validityOf({ by: "role", role: "gridcell", name: "Seat 1A" }),
            await s.validityOf({ by: "role", role: "gridcell", name: "Seat 1B" }),
            await s.validityOf({ by: "role", role: "gridcell", name: "Seat 2A" }),
            await s.validityOf(field("Street")),
            await s.validityOf({ by: "role", role: "form", name: "Delivery" }),
          ];
          assert.deepEqual(read, [
            { valid: false, failing: ["valueMissing"], notValidated: "" },
            { valid: true, failing: [], notValidated: "" },
            { valid: true, failing: [], notValidated: "disabled" },
            {
              valid: false,
              failing: ['"Email" (valueMissing)', '"Code" (patternMismatch)'],
              notValidated: "",
            },
            { valid: true, failing: [], notValidated: "" },
            { valid: false, failing: ['aria-invalid="true"'], notValidated: "" },
            { valid: false, failing: ['aria-invalid="true"'], notValidated: "" },
            { valid: true, failing: [], notValidated: "" },
            { notAField: '<div role="note">' },
            { valid: false, failing: ['aria-invalid="true"'], notValidated: "" },
            { valid: true, failing: [], notValidated: "" },
            { valid: true, failing: [], notValidated: "" },
            { valid: true, failing: [], notValidated: "" },
            { valid: false, failing: ['"Slot" (aria-invalid="TRUE")'], notValidated: "" },
          ]);
          await s.fill(field("Email"), "ada");
          await s.fill(field("Age"), "12");
          read.push(await s.validityOf(field("Email")), await s.validityOf(field("Age")));
          assert.deepEqual(read.slice(-2), [
            { valid: false, failing: ["typeMismatch"], notValidated: "" },
            { valid: false, failing: ["rangeUnderflow"], notValidated: "" },
          ]);
          await s.fill(field("Email"), "ada@example.com");
          await s.fill(field("Age"), "42");
          await s.fill(field("Code"), "ABC");
          read.push(await s.validityOf(signUp));
          assert.deepEqual(read.at(-1), { valid: true, failing: [], notValidated: "" });
          observe("validity", read);
        });
      },
    );

    conformanceCase(
      "value fields: a fill sets a date, time, month, week, datetime-local, color or range field whole; one it refuses fails the step",
      [],
      async () => {
        await withSession(async (s) => {
          await s.goto(server.formsUrl);
          const field = (text: string): Locator => ({ by: "label", text });
          const fills: Array<[label: string, id: string, value: string, holds: string]> = [
            ["Start date", "start-date", "2026-12-24", "2026-12-24"],
            ["Start time", "start-time", "09:30", "09:30"],
            ["Billing month", "billing-month", "2026-12", "2026-12"],
            ["Sprint week", "sprint-week", "2026-W05", "2026-W05"],
            ["Meeting at", "meeting-at", "2026-12-24T09:30", "2026-12-24T09:30"],
            ["Accent", "accent", "#FF8800", "#ff8800"], // in the browser's spelling
            ["Volume", "volume", " 7 ", "7"], // trimmed, as Playwright fills it
          ];
          const held: string[] = [];
          for (const [label, , value] of fills) {
            await s.fill(field(label), value);
            held.push(await s.valueOf(field(label)));
          }
          assert.deepEqual(
            held,
            fills.map(([, , , holds]) => holds),
          );
          // A field not editable yet is waited for, as any field is.
          await s.fill(field("Due date"), "2027-01-31");
          held.push(await s.valueOf(field("Due date")));
          assert.equal(held.at(-1), "2027-01-31");
          // The page saw each fill as one "input" then one "change", the value already whole; a framework tracking
          // the value property on the element (React's value tracker) saw the change too.
          const events = fills
            .map(
              ([, id, , holds]) =>
                `${id} input ${holds};${id === "start-date" ? `tracker saw ${holds};` : ""}${id} change ${holds};`,
            )
            .join("");
          assert.equal(await s.textOf({ by: "testId", id: "schedule-log" }), events);

          // A value a field does not take fails the step, saying what it takes and what it holds: a test defect.
          const refused: Array<[label: string, value: string, says: string]> = [
            ["Start date", "12242026", 'a date field takes YYYY-MM-DD (it holds "")'],
            ["Start time", "9:30am", 'a time field takes HH:MM (it holds "")'],
            ["Billing month", "December 2026", 'a month field takes YYYY-MM (it holds "")'],
            ["Sprint week", "2026-05", 'a week field takes YYYY-Www (it holds "")'],
            ["Meeting at", "24/12/2026 09:30", 'a datetime-local field takes YYYY-MM-DDTHH:MM (it holds "")'],
            ["Accent", "not a colour", 'a color field takes #rrggbb (it holds "#000000")'],
            ["Volume", "11", 'a range field takes a number from 0 to 10 (it holds "10")'],
            ["Volume", "loud", 'a range field takes a number from 0 to 10 (it holds "5")'],
          ];
          const messages: string[] = [];
          for (const [label, value, says] of refused) {
            const type = (await s.attributeOf(field(label), "type")) ?? "";
            await assert.rejects(s.fill(field(label), value), (err: unknown) => {
              assert.ok(err instanceof FieldValueRefusedError, `expected FieldValueRefusedError, got ${String(err)}`);
              assert.ok(err instanceof TestDefinitionError);
              assert.equal(categoryOfErrorType(err.constructor.name), "test defect");
              assert.equal(
                err.message,
                `the field labelled "${label}" (type=${type}) does not take "${value}": ${says}`,
              );
              messages.push(err.message);
              return true;
            });
          }
          // Emptying one clears it.
          await s.fill(field("Start date"), "2026-12-24");
          await s.fill(field("Start date"), "");
          assert.equal(await s.valueOf(field("Start date")), "");
          observe("valueFields", { held, events, messages });
        });
      },
    );

    conformanceCase(
      "accessibility: axe's WCAG A and AA violations of the page, of an element, rules left out; frames audited once entered",
      ["device"],
      async () => {
        await withSession(async (s) => {
          await s.goto(server.a11yUrl);
          const audit = (skipRules: string[] = [], within?: Locator) =>
            s.accessibilityViolations({ tags: DEFAULT_AUDIT_TAGS, skipRules }, within);
          const brief = (vs: AccessibilityViolation[]) =>
            vs.map((v) => `${v.rule} (${v.impact}): ${v.nodes.map((n) => n.target).join(", ")}`).sort();
          const broken = [
            "button-name (critical): #icon",
            "color-contrast (serious): .faint",
            "image-alt (critical): #logo",
          ];
          const region = (name: string): Locator => ({ by: "role", role: "region", name });
          const seen = {
            page: brief(await audit()),
            clean: brief(await audit([], region("Clean"))),
            broken: brief(await audit([], region("Broken"))),
            skipped: brief(await audit(["color-contrast", "image-alt"])),
            again: brief(await audit()),
          };
          assert.deepEqual(seen, { page: broken, clean: [], broken, skipped: [broken[0]], again: broken });
          const first = (await audit()).find((v) => v.rule === "image-alt")!;
          assert.match(first.helpUrl, /^https:\/\/dequeuniversity\.com\/rules\/axe\/[\d.]+\/image-alt/);
          assert.match(first.nodes[0].html, /^<img id="logo"/);
          await s.enterFrame({ by: "css", selector: "iframe" });
          const framed = brief(await audit());
          await s.leaveFrame();
          assert.deepEqual(framed, ["image-alt (critical): #inner"]);
          const missing = region("Missing");
          await expectTimeout(audit([], missing), missing, "to be visible", /./);
          observe("accessibility", { ...seen, framed });
        });
      },
    );

    conformanceCase(
      "web components: the page's and an element's text include open shadow roots and slotted content, as drawn",
      [],
      async () => {
        await withSession(async (s) => {
          await s.goto(server.componentsUrl);
          const flat = (t: string) => t.replace(/\s+/g, " ").trim();
          const seen = {
            body: await s.bodyText(),
            card: await s.textOf({ by: "css", selector: "#card" }),
            outer: await s.textOf({ by: "css", selector: "#outer" }),
          };
          assert.deepEqual(
            { body: flat(seen.body), card: flat(seen.card), outer: flat(seen.outer) },
            {
              body: "Before the card Member Name: Ada Lovelace Joined 1843 Between Outer Deep inside end Visible part After",
              card: "Member Name: Ada Lovelace Joined 1843",
              outer: "Outer Deep inside end",
            },
          );
          // Block boxes stay on lines of their own, as innerText puts them.
          assert.match(
            seen.body,
            /^Before the card\n+Member\n+Name: Ada Lovelace\n+Joined 1843\n+Between\n+Outer Deep inside end\n+Visible part\n+After$/,
          );
          observe("componentsText", seen);
        });
      },
    );

    conformanceCase(
      "CSS phrases cross open shadow roots as Playwright's CSS does: combinators, :has(), :is(), :not(), in its order",
      [],
      async () => {
        await withSession(async (s) => {
          await s.goto(server.shadowCssUrl);
          const seen: Array<[string, number, string[]]> = [];
          for (const c of SHADOW_CSS_CASES) {
            const n = await s.count(c.l);
            // Every match's text, by position: the order of matches is what `the 2nd element matching …` picks by.
            const texts: string[] = [];
            for (let i = 0; i < n; i++) texts.push(await s.textOf({ ...c.l, nth: i }));
            seen.push([describeLocator(c.l), n, texts]);
            assert.equal(n, c.texts.length, `count of ${describeLocator(c.l)}`);
            assert.deepEqual(texts, c.texts, `texts of ${describeLocator(c.l)}, in order`);
            assert.equal(await s.isVisible(c.l), c.texts.length > 0, `isVisible(${describeLocator(c.l)})`);
          }
          // The host of a closed root is an element like any other; what its root holds is out of reach.
          const sealed: Locator = { by: "css", selector: "closed-card" };
          assert.equal(await s.count(sealed), 1);
          // What a step reads and acts on through such a phrase is the element in the shadow root.
          const price: Locator = { by: "css", selector: "#card-b .price" };
          assert.equal(await s.textOf(price), "19.99");
          await s.click({ by: "css", selector: "#card-b .buy" });
          assert.equal(await s.textOf({ by: "role", role: "status" }), "Bought card-b");
          const buy: Locator = { by: "css", selector: "x-card .buy" };
          await s.click({ ...buy, nth: "last" });
          assert.equal(await s.textOf({ by: "role", role: "status" }), "Bought card-c");
          const closedPrice: Locator = { by: "css", selector: "closed-card .price" };
          await expectTimeout(s.click(closedPrice), closedPrice, "to be clickable");
          observe("shadowCss", seen);
        });
      },
    );

    conformanceCase("drag and drop, file upload", ["device"], async () => {
      await withSession(async (s) => {
        await s.goto(server.widgetsUrl);
        const status = () => s.textOf({ by: "role", role: "status" });
        await s.dragTo({ by: "css", selector: "#card" }, { by: "text", text: "Drop here" });
        await eventuallyEqual(status, "Dropped Card");
        await s.uploadFiles({ by: "label", text: "Attachment" }, [
          join(__dirname, "..", "fixtures", "upload", "hello.txt"),
        ]);
        await eventuallyEqual(status, "Uploaded hello.txt (13 bytes)");
      });
    });

    conformanceCase(
      "native dialogs: dismissed by default, accepted when asked, a prompt answered; their text kept",
      ["isolation"],
      async () => {
        await withSession(async (s) => {
          await s.goto(server.widgetsUrl);
          const status = () => s.textOf({ by: "role", role: "status" });
          await s.click({ by: "role", role: "button", name: "Confirm me" });
          await eventuallyEqual(status, "Confirmed: false");
          await s.handleDialogs("accept");
          await s.click({ by: "role", role: "button", name: "Confirm me" });
          await eventuallyEqual(status, "Confirmed: true");
          await s.click({ by: "role", role: "button", name: "Alert me" });
          await eventuallyEqual(status, "Alert closed");
          await s.handleDialogs("accept", "Ada");
          await s.click({ by: "role", role: "button", name: "Prompt me" });
          await eventuallyEqual(status, "Prompted: Ada");
          await s.handleDialogs("dismiss");
          await s.click({ by: "role", role: "button", name: "Prompt me" });
          await eventuallyEqual(status, "Prompted: null");
          assert.deepEqual(await s.dialogs(), [
            { message: "Really delete?", action: "dismiss" },
            { message: "Really delete?", action: "accept" },
            { message: "Hello from an alert", action: "accept" },
            { message: "Your name?", action: "accept" },
            { message: "Your name?", action: "dismiss" },
          ]);
        });
      },
    );

    conformanceCase("iframes: acting inside one, then back in the page", [], async () => {
      await withSession(async (s) => {
        await s.goto(server.widgetsUrl);
        const inside: Locator = { by: "role", role: "button", name: "Frame button" };
        assert.equal(await s.count(inside), 0, "the page does not see into the frame");
        await s.enterFrame({ by: "css", selector: "iframe[title='Embedded form']" });
        assert.match(await s.bodyText(), /Inside the frame/);
        // What is missing is missing from the frame, not the page (whose fields the steps do not see from here).
        const field: Locator = { by: "label", text: "Card number" };
        await expectTimeout(
          s.fill(field, "4242"),
          field,
          "to be editable",
          'no field in the frame titled "Embedded form" has a label',
        );
        const box: Locator = { by: "role", role: "checkbox" };
        await expectTimeout(
          s.click(box),
          box,
          "to be clickable",
          'there is no visible checkbox in the frame titled "Embedded form"',
        );
        await s.click(inside);
        assert.equal(await s.textOf({ by: "role", role: "button", name: "Clicked inside" }), "Clicked inside");
        await s.leaveFrame();
        assert.equal(await s.count({ by: "role", role: "button", name: "Clicked inside" }), 0);
        assert.equal(await s.textOf({ by: "role", role: "status" }), "Nothing yet");
      });
    });

    conformanceCase("element state: checked, enabled, focused, attributes and computed style", [], async () => {
      await withSession(async (s) => {
        await s.goto(server.widgetsUrl);
        const box: Locator = {
          by: "role",
          role: "checkbox",
          within: { by: "role", role: "listitem", hasText: "Buy milk" },
        };
        assert.equal(await s.stateOf(box, "checked"), false);
        await s.setChecked(box, true);
        assert.equal(await s.stateOf(box, "checked"), true);
        const item: Locator = { by: "role", role: "listitem", hasText: "Buy milk" };
        assert.equal(await s.attributeOf(item, "class"), "completed");
        assert.equal(await s.attributeOf(item, "data-nothing"), null);
        assert.equal(
          await s.styleOf({ by: "css", selector: "label", within: item }, "text-decoration-line"),
          "line-through",
        );
        assert.equal(await s.stateOf({ by: "role", role: "button", name: "Unavailable" }, "enabled"), false);
        assert.equal(await s.stateOf({ by: "role", role: "button", name: "Alert me" }, "enabled"), true);
        assert.equal(await s.stateOf({ by: "label", text: "Greeting" }, "editable"), true);
        // Refused at once, in Signoff's words (Playwright answered its raw "locator.isChecked: Error: Not a checkbox").
        await assert.rejects(s.stateOf({ by: "role", role: "button", name: "Alert me" }, "checked"), NotCheckableError);
      });
    });

    conformanceCase(
      "page health: uncaught errors, console errors and failed requests are reported; page loads check their status",
      ["isolation"],
      async () => {
        await withSession(async (s) => {
          await s.goto(server.unhealthyUrl);
          const expected = [
            // The script that threw or logged: here the page's own (an error of an earlier page is told apart).
            { kind: "console error", message: "console says no", script: server.unhealthyUrl },
            {
              kind: "failed request",
              message: `404 ${server.origin}/missing.js`,
              url: `${server.origin}/missing.js`,
              status: 404,
            },
            {
              kind: "failed request",
              message: `500 ${server.origin}/api/fail`,
              url: `${server.origin}/api/fail`,
              status: 500,
            },
            { kind: "page error", message: "boom from the page", script: server.unhealthyUrl },
          ];
          const sorted = (ps: Array<{ kind: string; message: string; url?: string; script?: string }>) =>
            [...ps].sort((a, b) => (a.kind + a.message).localeCompare(b.kind + b.message));
          await eventually(async () => assert.deepEqual(sorted(await s.pageProblems()), expected));
          observe(
            "pageProblems",
            sorted(await s.pageProblems()).map((p) => ({
              ...p,
              message: p.message.replace(server.origin, "<origin>"),
              ...(p.url === undefined ? {} : { url: p.url.replace(server.origin, "<origin>") }),
              ...(p.script === undefined ? {} : { script: p.script.replace(server.origin, "<origin>") }),
            })),
          );
          const missing = `${server.origin}/nothing-here`;
          await assert.rejects(
            s.goto(missing),
            (err: unknown) =>
              err instanceof PageStatusError && err.status === 404 && err.message === `${missing} answered 404`,
          );
          await s.goto(missing, 404);
          await assert.rejects(
            s.goto(server.pageUrl, 404),
            (err: unknown) =>
              err instanceof PageStatusError &&
              err.message === `expected ${server.pageUrl} to answer 404, it answered 200`,
          );
          // A 5xx is the server's answer (StagingServerError), not staging unreachable (StagingError).
          await assert.rejects(
            s.goto(`${server.origin}/server-error`),
            (err: unknown) =>
              err instanceof StagingServerError &&
              !(err instanceof StagingError) &&
              err.status === 500 &&
              err.message === `staging error: GET ${server.origin}/server-error answered 500`,
          );
          await s.goto(`${server.origin}/server-error`, 500);
        });
        await withSession(async (s) => {
          // An error the page logs after the scenario's last command is still this scenario's.
          await s.goto(`${server.unhealthyUrl}?late`);
          await new Promise((r) => setTimeout(r, 600));
        });
        await withSession(async (s) => {
          await s.goto(server.pageUrl);
          assert.deepEqual(await s.pageProblems(), [], "a new session starts with no problems from the last one");
        });
      },
    );

    conformanceCase(
      "documentAnswer: the document the page shows and its HTTP status, a form's refused POST included",
      [],
      async () => {
        await withSession(async (s) => {
          await s.goto(server.pageUrl);
          assert.deepEqual(await s.documentAnswer(), { url: server.pageUrl, status: 200 });
          await s.goto(`${server.origin}/sign-in.html`);
          await s.click({ by: "role", role: "button", name: "Sign in" });
          const refused = { url: `${server.origin}/sign-in`, status: 403 };
          await eventually(async () => assert.deepEqual(await s.documentAnswer(), refused));
          // Moved by its script to another URL, the document's status is no longer that URL's.
          await s.click({ by: "role", role: "button", name: "Orders" });
          await eventually(async () =>
            assert.deepEqual(await s.documentAnswer(), { url: `${server.origin}/orders`, status: 0 }),
          );
          // A status a step asked for says so.
          await s.goto(`${server.origin}/no-such-page`, 404);
          assert.deepEqual(await s.documentAnswer(), {
            url: `${server.origin}/no-such-page`,
            status: 404,
            expected: true,
          });
        });
      },
    );

    conformanceCase(
      "settle: a page that loads its data after the load event is judged once the answer is in, its failed request too",
      ["isolation"],
      async () => {
        await withSession(async (s) => {
          let answered = false;
          void server.answered("/api/slow-fail").then(() => (answered = true));
          await s.goto(server.spaUrl);
          const loaded = await s.settle(10_000);
          assert.equal(answered, true, "settle waited until the page's request was answered");
          assert.deepEqual(loaded, { quiet: true, open: [] });
          assert.match(await s.bodyText(), /Error: the items could not be loaded/);
          assert.deepEqual(await s.pageProblems(), [
            {
              kind: "failed request",
              message: `500 ${server.origin}/api/slow-fail`,
              url: `${server.origin}/api/slow-fail`,
              status: 500,
            },
          ]);
          // A request a click sends: settle waits for it too, so its failure is there to be blamed on the click.
          let saved = false;
          void server.answered("/api/slow-fail").then(() => (saved = true));
          await s.click({ by: "role", role: "button", name: "Save" });
          const clicked = await s.settle(10_000);
          assert.equal(saved, true, "settle waited for the request the click sent");
          assert.match(await s.bodyText(), /Error: not saved/);
          assert.deepEqual((await s.pageProblems()).slice(1), [
            {
              kind: "failed request",
              message: `500 ${server.origin}/api/slow-fail?save`,
              url: `${server.origin}/api/slow-fail?save`,
              status: 500,
            },
          ]);
          // XMLHttpRequest counts like fetch; a page that never shows the error settles with its data.
          await s.goto(server.spaOkUrl);
          const ok = await s.settle(10_000);
          assert.match(await s.bodyText(), /Apple, Pear/);
          assert.doesNotMatch(await s.bodyText(), /Error/);
          observe("settle: data after load", [loaded, clicked, ok]);
        });
      },
    );

    conformanceCase(
      "settle: an event stream and a long poll that is never answered are not waited for; a page never quiet is judged at the deadline",
      [],
      async () => {
        await withSession(async (s) => {
          await s.goto(server.spaLiveUrl);
          const live = await s.settle(10_000);
          assert.deepEqual(live, { quiet: true, open: [`GET ${server.origin}/api/hang`] }, "the long poll, named");
          assert.match(await s.bodyText(), /Live/);
          await s.goto(server.spaBusyUrl);
          const busy = await s.settle(1000);
          assert.equal(busy.quiet, false);
          assert.match(busy.open.join(), new RegExp(`^GET ${server.origin}/api/tick`));
          observe("settle: long-lived and never quiet", [
            live.open.map((o) => o.replace(server.origin, "<origin>")),
            busy.quiet,
          ]);
        });
      },
    );

    conformanceCase(
      "settle: a timer the page set counts until it fires, one typing started too; a spinner, an interval, animation frames and a poll do not",
      [],
      async () => {
        await withSession(async (s) => {
          // Nothing in flight for the 500 ms after the load: the timer holds the page, then the request it sends.
          let answered = false;
          void server.answered("/api/later").then(() => (answered = true));
          await s.goto(server.spaLaterUrl);
          const later = await s.settle(10_000);
          assert.equal(answered, true, "settle waited for the timer, then for the request it sent");
          assert.deepEqual(later, { quiet: true, open: [] });
          assert.match(await s.bodyText(), /Error: the items could not be loaded/);
          // Judged at the deadline, the pending timer is named (a timer of 1 s, the longest that counts).
          await s.goto(`${server.spaLaterUrl}?ms=1000`);
          const pending = await s.settle(200);
          assert.deepEqual(pending, { quiet: false, open: ["a timer (1000 ms)"] });
          assert.match(await s.bodyText(), /Loading…/);
          // Busy for ever, but only with what a timer set, an interval, animation frames and a poll's next rounds.
          await s.goto(server.spaSpinnerUrl);
          const spinning = await s.settle(10_000);
          assert.deepEqual(spinning, { quiet: true, open: [] }, "a page that only spins and polls settles");
          assert.ok(Number(await s.textOf({ by: "testId", id: "turns" })) > 1, "the spinner kept turning");
          assert.doesNotMatch(await s.bodyText(), /Error/);
          // What typing starts (a debounce) counts, however recently a spinner's timer fired.
          await s.goto(server.spaSearchUrl);
          await s.settle(10_000); // quiet since: only the debounce can hold the page now
          await s.fill({ by: "label", text: "Search" }, "shoes");
          const typed = await s.settle(10_000);
          assert.match(await s.bodyText(), /Results for shoes/, "settle waited for the debounce");
          // So does what a choice from a select or a value field starts, though the steps dispatch their events.
          await s.selectOption({ by: "label", text: "Country" }, "Japan");
          assert.equal((await s.settle(10_000)).quiet, true);
          assert.match(await s.bodyText(), /Shipping to Japan/, "settle waited for the country's debounce");
          await s.fill({ by: "label", text: "Max price" }, "10");
          assert.equal((await s.settle(10_000)).quiet, true);
          assert.match(await s.bodyText(), /Under 10\./, "settle waited for the interval's first round");
          observe("settle: short timers", [later, pending, spinning, typed]);
        });
      },
    );

    conformanceCase(
      "settle: nothing the last scenario left in flight is waited for in the next one",
      ["isolation"],
      async () => {
        await withSession(async (s) => {
          await s.goto(server.spaLiveUrl);
          await s.goto(server.spaBusyUrl);
        });
        await withSession(async (s) => {
          assert.deepEqual(await s.settle(10_000), { quiet: true, open: [] }, "a new session's about:blank is quiet");
          await s.goto(server.pageUrl);
          assert.deepEqual(await s.settle(10_000), { quiet: true, open: [] });
        });
      },
    );

    conformanceCase("a page load staging refuses is a StagingError naming the net error and the URL", [], async () => {
      // A port nothing listens on: staging gone mid-run.
      const closed = createServer();
      await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
      const { port } = closed.address() as AddressInfo;
      await new Promise<void>((resolve) => closed.close(() => resolve()));
      const gone = `http://127.0.0.1:${port}/login`;
      await withSession(async (s) => {
        await assert.rejects(
          s.goto(gone),
          (err: unknown) =>
            err instanceof StagingError && err.message === `staging error: ERR_CONNECTION_REFUSED loading ${gone}`,
        );
        await s.goto(server.pageUrl);
        assert.equal(await s.url(), server.pageUrl, "the session goes on after it");
      });
    });

    conformanceCase(
      "a page load the app redirects in a loop is the product's RedirectLoopError, naming the URL opened",
      [],
      async () => {
        // Staging answers every request: it is the app that sends the browser round (QA17 F2: it read as unreachable).
        const loop = `${server.origin}/loop?from=here`;
        await withSession(async (s) => {
          await assert.rejects(
            s.goto(loop),
            (err: unknown) =>
              err instanceof RedirectLoopError &&
              categoryOfErrorType(err.name) === "product defect" &&
              err.message ===
                `${loop} redirects in a loop (ERR_TOO_MANY_REDIRECTS): staging answers, but every answer sends the browser on`,
          );
          await s.goto(server.pageUrl);
          assert.equal(await s.url(), server.pageUrl, "the session goes on after it");
        });
      },
    );

    conformanceCase(
      "switchToNewTab: steps act in the tab a target=_blank link opened, by title too; the next session is back in its own",
      [],
      async () => {
        await withSession(async (s) => {
          await s.goto(`${server.pageUrl}?new-tab-link`);
          await assert.rejects(
            s.switchToNewTab(),
            (err: unknown) =>
              err instanceof NoNewTabError &&
              err.message ===
                `timed out after ${timeouts.actionTimeoutMs} ms waiting for a new tab: the page opened no other tab (this one shows ${server.pageUrl}?new-tab-link)`,
            "no tab opened yet: it waits, then fails, naming what this tab shows",
          );
          await s.click({ by: "role", role: "link", name: "Terms in a new tab" });
          await assert.rejects(
            s.switchToNewTab("Checkout"),
            (err: unknown) =>
              err instanceof NoNewTabError &&
              err.message ===
                `timed out after ${timeouts.actionTimeoutMs} ms waiting for a tab titled "Checkout": the other tabs are titled "Next page"`,
          );
          await s.switchToNewTab("next PAGE");
          assert.equal(await s.url(), server.nextUrl);
          assert.equal(await s.title(), "Next page");
          assert.equal(await s.count({ by: "role", role: "link", name: "Terms in a new tab" }), 0);
          await s.goto(`${server.pageUrl}`); // navigation happens in the new tab
          assert.equal(await s.url(), server.pageUrl);
        });
        await withSession(async (s) => {
          assert.equal(await s.url(), "about:blank", "the next session starts in its own tab, the other one closed");
          await s.goto(server.pageUrl);
          await assert.rejects(s.switchToNewTab(), NoNewTabError, "the tab the last scenario opened is gone");
        });
      },
    );

    conformanceCase("title, url, goto, link navigation, back and reload", [], async () => {
      await withSession(async (s) => {
        await s.goto(server.pageUrl);
        assert.equal(await s.url(), server.pageUrl);
        assert.equal(await s.title(), "Signoff conformance page");
        await s.click({ by: "role", role: "link", name: "Next page" });
        // Link navigation is not awaited by click (same on both drivers); poll like steps do.
        await eventually(async () => assert.equal(await s.url(), server.nextUrl));
        assert.equal(await s.title(), "Next page");
        await s.back();
        assert.equal(await s.url(), server.pageUrl);
        assert.equal(await s.textOf({ by: "text", text: "Count:" }), "Count: 0");
        await s.click({ by: "role", role: "button", name: "Add one" });
        assert.equal(await s.textOf({ by: "css", selector: "#counter" }), "Count: 1");
        await s.reload();
        assert.equal(await s.url(), server.pageUrl);
        assert.equal(await s.textOf({ by: "css", selector: "#counter" }), "Count: 0");
        await s.goto(server.nextUrl);
        await s.back();
        assert.equal(await s.url(), server.pageUrl);
      });
    });

    conformanceCase(
      "back and reload while the browser is still taking in the page a link led to: from that page",
      [],
      async () => {
        // The late page leaves after the click has returned and then blocks its renderer for 4 s: the browser
        // has the next page's answer (1 s is ample for it to get there) but the page has not taken it in yet.
        const leaveLate = async (s: BrowserSession) => {
          await s.goto(server.lateUrl);
          const answered = server.answered("/next.html");
          await s.click({ by: "role", role: "link", name: "Leave late" });
          await answered;
          await new Promise((r) => setTimeout(r, 1000));
        };
        await withSession(async (s) => {
          await leaveLate(s);
          await s.back();
          assert.equal(await s.url(), server.lateUrl, "back went back from the page the link led to");
          await leaveLate(s);
          await s.reload();
          assert.equal(await s.url(), `${server.nextUrl}?late`, "reload reloaded the page the link led to");
          assert.equal(await s.title(), "Next page");
          // A link answered 204 asks for a document that never comes: back does not wait for it.
          await s.goto(server.pageUrl);
          await s.goto(server.lateUrl);
          const none = server.answered("/no-content");
          await s.click({ by: "role", role: "link", name: "Answer nothing" });
          await none;
          await s.back();
          assert.equal(await s.url(), server.pageUrl, "back went back from the page the 204 link is on");
        });
      },
    );

    conformanceCase(
      "back and reload the moment the page has taken in the document a link led to: from that document",
      [],
      async () => {
        // The soon link leaves a moment after the click has returned. The URL is read until it is the next page's
        // (as a step checking the URL does), and the history step is sent at once: the page reports the next
        // document before the browser's history has recorded it, and a back or reload acting on the history as it
        // was then went back from, or reloaded, the page the link was on. The page left keeps a large history
        // state, which makes the browser slower to record the next document: the window is met on most tries.
        const soonUrl = `${server.nextUrl}?soon`;
        const bigStateUrl = `${server.lateUrl}?big-state`;
        const leaveSoon = async (s: BrowserSession) => {
          await s.goto(bigStateUrl);
          await s.click({ by: "role", role: "link", name: "Leave soon" });
          const deadline = Date.now() + timeouts.navigationTimeoutMs;
          while ((await s.url()) !== soonUrl) {
            assert.ok(Date.now() < deadline, "the soon link led to the next page");
            await new Promise((r) => setImmediate(r));
          }
        };
        await withSession(async (s) => {
          for (let i = 1; i <= 3; i++) {
            await leaveSoon(s);
            await s.back();
            assert.equal(await s.url(), bigStateUrl, `try ${i}: back went back from the page the link led to`);
            await leaveSoon(s);
            await s.reload();
            assert.equal(await s.url(), soonUrl, `try ${i}: reload reloaded the page the link led to`);
          }
        });
      },
    );

    conformanceCase(
      "click, fill, setChecked on/off, selectOption, press Enter submits the form",
      ["device"],
      async () => {
        await withSession(async (s) => {
          await s.goto(server.pageUrl);
          await s.click({ by: "role", role: "button", name: "Add one" });
          await s.click({ by: "text", text: "add one" });
          assert.equal(await s.textOf({ by: "css", selector: "#counter" }), "Count: 2");

          const email: Locator = { by: "label", text: "Email address" };
          await s.fill(email, "first@example.com");
          await s.fill(email, "qa@example.com");
          assert.equal(await s.valueOf(email), "qa@example.com", "a second fill replaces the first");
          const nick: Locator = { by: "role", role: "textbox", name: "Nickname" };
          assert.equal(await s.valueOf(nick), "prefilled");
          await s.fill(nick, "Zoë «ünïcode» 🚀");
          assert.equal(await s.valueOf(nick), "Zoë «ünïcode» 🚀", "fill replaces the old value, any characters");
          await s.fill(nick, "");
          assert.equal(await s.valueOf(nick), "");
          await s.fill({ by: "placeholder", text: "Anything else" }, "line one");
          assert.equal(await s.valueOf({ by: "label", text: "Notes" }), "line one");

          const remember: Locator = { by: "role", role: "checkbox", name: "Remember me" };
          await s.setChecked(remember, true);
          await s.setChecked(remember, true); // already on: no change
          await s.setChecked({ by: "role", role: "radio", name: "Pro" }, true);
          await s.selectOption({ by: "label", text: "Country" }, "Germany");
          assert.equal(await s.valueOf({ by: "role", role: "combobox", name: "Country" }), "de");
          assert.equal(
            await s.textOf({ by: "role", role: "status" }),
            "Country changed to de",
            "selectOption fires change",
          );

          await s.press("Enter", email);
          assert.equal(
            await s.textOf({ by: "role", role: "status" }),
            "Signed in as qa@example.com (plan pro, remember true, country de)",
          );

          await s.setChecked(remember, false);
          await s.setChecked({ by: "role", role: "radio", name: "Free" }, true);
          await s.selectOption({ by: "label", text: "Country" }, "New Zealand");
          await s.click({ by: "role", role: "button", name: "Sign in" });
          assert.equal(
            await s.textOf({ by: "role", role: "status" }),
            "Signed in as qa@example.com (plan free, remember false, country nz)",
          );
        });
      },
    );

    conformanceCase(
      "selectOption of an option the field lacks names it and lists what the field offers",
      [],
      async () => {
        await withSession(async (s) => {
          await s.goto(server.pageUrl);
          const country: Locator = { by: "label", text: "Country" };
          await expectTimeout(
            s.selectOption(country, "Narnia"),
            country,
            'to offer the option "Narnia"',
            'it offers "Choose…", "France", "Germany", "New Zealand"',
          );
        });
      },
    );

    conformanceCase(
      "press Tab moves focus, on the page and on an element; first match in document order",
      [],
      async () => {
        await withSession(async (s) => {
          await s.goto(server.pageUrl);
          await s.click({ by: "label", text: "Email address" });
          assert.equal(await s.textOf({ by: "css", selector: "#focus-status" }), "Focused: email");
          await s.press("Tab");
          assert.equal(await s.textOf({ by: "css", selector: "#focus-status" }), "Focused: password");
          await s.press("Tab", { by: "label", text: "Nickname" });
          assert.equal(await s.textOf({ by: "css", selector: "#focus-status" }), "Focused: notes");
          await s.press("Shift+Tab");
          assert.equal(await s.textOf({ by: "css", selector: "#focus-status" }), "Focused: nick");

          await s.click({ by: "role", role: "button", name: "Duplicate" });
          assert.equal(await s.textOf({ by: "css", selector: "#dup-status" }), "Duplicates: first clicked");
          await s.click({ by: "role", role: "button", name: "settings" });
          assert.equal(await s.textOf({ by: "role", role: "status" }), "Settings opened");
        });
      },
    );

    conformanceCase("queries: isVisible, count, textOf, valueOf, bodyText, boundingBox", ["device"], async () => {
      await withSession(async (s) => {
        await s.goto(server.pageUrl);
        assert.equal(await s.isVisible({ by: "css", selector: "#hidden-div" }), false);
        assert.equal(await s.isVisible({ by: "text", text: "Ghost button" }), false);
        assert.equal(await s.isVisible({ by: "text", text: "Marked element" }), true);
        assert.equal(await s.count({ by: "css", selector: "button" }), 11, "visible buttons only");
        assert.equal(await s.textOf({ by: "role", role: "list" }), "Apple\nBanana\nCherry");
        assert.equal(await s.valueOf({ by: "label", text: "Read only field" }), "fixed");
        const body = await s.bodyText();
        assert.match(body, /Conformance page/);
        assert.match(body, /Nested bold words here/);
        assert.doesNotMatch(body, /Secret text/);
        const box = await s.boundingBox({ by: "css", selector: "#box" });
        assert.deepEqual(box, {
          x: emulation.viewport.width - 20 - 100,
          y: emulation.viewport.height - 30 - 40,
          width: 100,
          height: 40,
        });
        const heading = await s.boundingBox({ by: "role", role: "heading", name: "Conformance page" });
        assert.ok(heading.width > 0 && heading.height > 0);
        observe("bodyText", body);
        observe("headingBox", heading);
      });
    });

    conformanceCase("viewport metrics equal the device descriptor", ["device", "isolation"], async () => {
      await withSession(async (s) => {
        await s.goto(server.pageUrl);
        const m = await s.viewport();
        assert.deepEqual(m, {
          viewportWidth: emulation.viewport.width,
          viewportHeight: emulation.viewport.height,
          scrollWidth: emulation.viewport.width,
          devicePixelRatio: emulation.deviceScaleFactor,
          userAgent: emulation.userAgent,
          touch: emulation.hasTouch,
        });
        observe("viewport", m);
      });
    });

    conformanceCase("screenshot is a PNG of the viewport; pageSource is the serialized DOM", ["device"], async () => {
      await withSession(async (s) => {
        await s.goto(server.pageUrl);
        const png = await s.screenshot();
        assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], "PNG signature");
        const size = { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
        observe("screenshotSize", size);
        assert.deepEqual(size, {
          width: Math.round(emulation.viewport.width * emulation.deviceScaleFactor),
          height: Math.round(emulation.viewport.height * emulation.deviceScaleFactor),
        });
        const source = await s.pageSource();
        assert.ok(source.startsWith("<!DOCTYPE html><html"), source.slice(0, 60));
        assert.match(source, /<div id="conformance-root">/);
        assert.match(source, /<title>Signoff conformance page<\/title>/);
      });
    });

    conformanceCase("actions wait for an element that appears or becomes enabled later", [], async () => {
      await withSession(async (s) => {
        await s.goto(server.pageUrl);
        await s.click({ by: "role", role: "button", name: "Load more" });
        assert.equal(
          await s.count({ by: "role", role: "button", name: "Late button" }),
          0,
          "queries answer immediately",
        );
        await s.click({ by: "role", role: "button", name: "Late button" });
        assert.equal(await s.textOf({ by: "css", selector: "#timing-status" }), "Timing: late clicked");
        await s.click({ by: "role", role: "button", name: "Unlock" });
        await s.click({ by: "role", role: "button", name: "Slow button" });
        assert.equal(await s.textOf({ by: "css", selector: "#timing-status" }), "Timing: slow clicked");
      });
    });

    conformanceCase(
      "what an open dialog hides is named as hidden by it: aria-hidden or inert around it, or a modal <dialog>",
      [],
      async () => {
        await withSession(async (s) => {
          const orders: Locator = { by: "role", role: "heading", name: "Orders" };
          const del: Locator = { by: "role", role: "button", name: "Delete" };
          const said: string[] = [];
          // MUI's Dialog: the page's root aria-hidden. It still does not match (getByRole leaves it out), but the
          // failure said "the page has 1 heading, named "Delete order?"", as if the heading were gone.
          await s.goto(`${server.overlaysUrl}?aria`);
          assert.equal(await s.isVisible(orders), false);
          assert.equal(await s.count(del), 0);
          const byDialog =
            '1 element matches on the page but it is hidden from users by the open dialog "Delete order?" (aria-hidden="true" on <div id="root"> around it); close the dialog first';
          said.push(await expectTimeout(s.textOf(orders), orders, "to be visible", byDialog));
          said.push(await expectTimeout(s.click(del), del, "to be clickable", byDialog));
          assert.equal(await s.explain(orders), byDialog);
          // There, and kept from users by the page: an absent answer that says so (a product defect's, not a typo's).
          assert.deepEqual(await s.shownText(orders), { absent: byDialog, matched: true });
          // Inside the container it names, as a phrase with a container finds it.
          const inMain: Locator = { ...del, within: { by: "css", selector: "#root" } };
          said.push(await expectTimeout(s.click(inMain), inMain, "to be clickable", byDialog));
          // The same attribute with no dialog open: hidden from assistive technology, no dialog to blame.
          await s.goto(`${server.overlaysUrl}?stray`);
          said.push(
            await expectTimeout(
              s.textOf(orders),
              orders,
              "to be visible",
              '1 element matches on the page but it is hidden from assistive technology (aria-hidden="true" on <div id="root"> around it)',
            ),
          );
          // Hidden deep in the page (a carousel's slide) while a non-modal banner dialog shows: not the dialog's doing.
          await s.goto(`${server.overlaysUrl}?slide`);
          said.push(
            await expectTimeout(
              s.textOf(orders),
              orders,
              "to be visible",
              '1 element matches on the page but it is hidden from assistive technology (aria-hidden="true" on <div> around it)',
            ),
          );
          // Inert, and a modal <dialog>: the phrase matches (as Playwright's getByRole does), the pointer does not reach it.
          await s.goto(`${server.overlaysUrl}?inert`);
          assert.equal(await s.isVisible(orders), true);
          said.push(
            await expectTimeout(
              s.click(del),
              del,
              "to be clickable",
              'it is on the page but hidden from users by the open dialog "Delete order?" (inert on <div id="root"> around it); close the dialog first',
            ),
          );
          await s.goto(`${server.overlaysUrl}?modal`);
          said.push(
            await expectTimeout(
              s.click(del),
              del,
              "to be clickable",
              'it is on the page but hidden from users by the open dialog "Delete order?" (a modal <dialog> makes the rest of the page inert); close the dialog first',
            ),
          );
          observe("hiddenByDialog", said);
        });
      },
    );

    conformanceCase(
      "a combobox whose popup lists no option (no listbox, no aria-controls) says what the popup shows",
      [],
      async () => {
        await withSession(async (s) => {
          const city: Locator = { by: "role", role: "combobox", name: "City" };
          const country: Locator = { by: "role", role: "combobox", name: "Country" };
          const said: string[] = [];
          // MUI's Autocomplete: typing what no option has drops the listbox and aria-controls; "No cities found" shows.
          await s.goto(`${server.overlaysUrl}?combo`);
          said.push(
            await expectTimeout(
              s.selectOption(city, "Atlantis"),
              city,
              'to offer the option "Atlantis"',
              'it offers "Rome", "Paris", "Oslo"; with "Atlantis" typed into it, it shows no options ("No cities found")',
            ),
          );
          // One with no options at all: it said "it did not open after a click …: it names no popup".
          await s.goto(`${server.overlaysUrl}?combo`);
          const read = await s.optionsOf(country, { show: true });
          assert.deepEqual(read, {
            combobox: {
              shows: "",
              editable: true,
              options: null,
              notShown: 'it shows no options ("No countries yet")',
            },
          });
          said.push(
            await expectTimeout(
              s.selectOption(country, "Norway"),
              country,
              'to offer the option "Norway"',
              'with "Norway" typed into it, it shows no options ("No countries yet")',
            ),
          );
          observe("comboboxShowsNoOptions", { said, read });
        });
      },
    );

    conformanceCase("timeouts name the locator: missing, hidden, disabled and read-only elements", [], async () => {
      await withSession(async (s) => {
        await s.goto(server.pageUrl);
        const missing: Locator = { by: "role", role: "button", name: "No such button" };
        const said = [
          await expectTimeout(
            s.click(missing),
            missing,
            "to be clickable",
            /^the page has 10 buttons, named "Add one", "Settings", "Sign in", "Duplicate", /,
          ),
        ];
        const hidden: Locator = { by: "text", text: "Secret text" };
        said.push(
          await expectTimeout(
            s.textOf(hidden),
            hidden,
            "to be visible",
            "1 element matches but it is hidden (not displayed)",
          ),
        );
        // By the name it would show: it said "the page has 10 buttons, named …", as if there were no such button.
        const ghost: Locator = { by: "role", role: "button", name: "Ghost button" };
        said.push(
          await expectTimeout(
            s.click(ghost),
            ghost,
            "to be clickable",
            "1 element matches but it is hidden (visibility: hidden)",
          ),
        );
        const disabled: Locator = { by: "role", role: "button", name: "Slow button" };
        said.push(await expectTimeout(s.click(disabled), disabled, "to be clickable", "it is disabled"));
        const readOnly: Locator = { by: "label", text: "Read only field" };
        said.push(
          await expectTimeout(
            s.fill(readOnly, "x"),
            readOnly,
            "to be editable",
            "it does not take typing (read-only, or not a text field)",
            true,
          ),
        );
        const noLabel: Locator = { by: "label", text: "Shoe size" };
        said.push(
          await expectTimeout(
            s.fill(noLabel, "x"),
            noLabel,
            "to be editable",
            /^the fields' labels are "Email address", "Password", /,
          ),
        );
        const third: Locator = { by: "role", role: "button", name: "Duplicate", nth: 2 };
        said.push(await expectTimeout(s.click(third), third, "to be clickable", "there are only 2 matches"));
        const inList: Locator = { by: "role", role: "button", name: "Add one", within: { by: "role", role: "list" } };
        said.push(
          await expectTimeout(
            s.click(inList),
            inList,
            "to be clickable",
            "1 element matches without the narrowing, none inside the container",
          ),
        );
        // A text the page does not show: the page is quoted where the phrase's words come closest.
        const absentText: Locator = { by: "text", text: "Sign in to continue" };
        said.push(
          await expectTimeout(s.click(absentText), absentText, "to be clickable", /^the page shows "[^"]*Sign in/),
        );
        // Hidden counts where the phrase looks, and only when no visible match misses the position: a hidden "Ghost
        // button" is not one in the form, and a hidden third "Duplicate" is not the 3rd of two shown.
        const ghostInForm: Locator = { ...ghost, within: { by: "css", selector: "form" } };
        assert.deepEqual(await s.shownText(ghostInForm), { absent: await s.explain(ghostInForm) });
        assert.doesNotMatch(await s.explain(ghostInForm), /hidden/);
        assert.deepEqual(await s.shownText(third), { absent: "there are only 2 matches" });
        observe("timeoutDetails", said);
      });
    });

    conformanceCase("a click on an element something covers times out naming what covers it", [], async () => {
      await withSession(async (s) => {
        await s.goto(server.namesUrl);
        const covered: Locator = { by: "role", role: "button", name: "Covered" };
        const said = await expectTimeout(
          s.click(covered),
          covered,
          "to be clickable",
          '<div id="overlay" class="modal-backdrop"> covers it and would get the click',
        );
        assert.equal(await s.textOf({ by: "role", role: "status" }), "Nothing yet", "the click reached nothing");
        // A hover said only that it waited "to be visible", with no reason.
        const hovered = await expectTimeout(
          s.hover(covered),
          covered,
          "to be hovered over",
          '<div id="overlay" class="modal-backdrop"> covers it and would get the pointer',
        );
        observe("covered", [said, hovered]);
      });
    });

    cookieCases({ conformanceCase, withSession, server: () => server, observe });
    downloadCases({ conformanceCase, withSession, server: () => server, observe });

    conformanceCase(
      "state isolation: the next session starts from a clean slate (cookies, storage, window.name, history)",
      ["isolation"],
      async () => {
        const stored =
          "State: cookie=[visited=yes] local=[yes] session=[yes] name=[visited] indexedDB=[visits] caches=[visits]";
        // history=2: a new page's about:blank, then the page (what a brand-new context shows too).
        const clean = "State: cookie=[] local=[] session=[] name=[] indexedDB=[] caches=[] history=2";
        const state = () => s.textOf({ by: "css", selector: "#state" });
        let s: BrowserSession;
        await withSession(async (first) => {
          s = first;
          await s.goto(server.pageUrl);
          await s.click({ by: "role", role: "button", name: "Store state" });
          await eventuallyEqual(state, `${stored} history=2`);
          await s.goto(`${server.pageUrl}?again`); // a different URL: the same one would replace the entry
          await s.click({ by: "role", role: "button", name: "Show state" });
          await eventuallyEqual(state, `${stored} history=3`);
        });
        // Twice: the reset must hold for every later scenario, not only the second.
        for (let round = 0; round < 2; round++) {
          await withSession(async (next) => {
            s = next;
            assert.equal(await s.url(), "about:blank");
            await s.goto(server.pageUrl);
            await s.click({ by: "role", role: "button", name: "Show state" });
            await eventuallyEqual(state, clean);
            await s.back();
            assert.equal(
              await s.url(),
              "about:blank",
              "no history from the previous session: back leads to about:blank only",
            );
            await s.goto(server.pageUrl); // leave state behind again for the next round
            await s.click({ by: "role", role: "button", name: "Store state" });
            await eventuallyEqual(state, `${stored} history=2`);
          });
        }
      },
    );

    conformanceCase(
      "state isolation: nothing from an origin only the previous scenario visited, nothing its unload handlers wrote",
      ["isolation"],
      async () => {
        const stored =
          "State: cookie=[visited=yes] local=[yes] session=[yes] name=[visited] indexedDB=[visits] caches=[visits] history=2";
        const clean = "State: cookie=[] local=[] session=[] name=[] indexedDB=[] caches=[] history=2";
        // Another origin on the same server: a reset that cleared only the next scenario's origins would leak it.
        const otherOrigin = server.pageUrl.replace("127.0.0.1", "localhost");
        await withSession(async (s) => {
          await s.goto(otherOrigin);
          await s.click({ by: "role", role: "button", name: "Store state" });
          await eventuallyEqual(() => s.textOf({ by: "css", selector: "#state" }), stored);
          await s.goto(`${server.pageUrl}?store-on-leave`);
          assert.equal(await s.title(), "Signoff conformance page");
        });
        await withSession(async (s) => {
          await s.goto(server.pageUrl);
          await s.click({ by: "role", role: "button", name: "Show state" });
          await eventuallyEqual(() => s.textOf({ by: "css", selector: "#state" }), clean);
        });
        await withSession(async (s) => {
          await s.goto(otherOrigin);
          await s.click({ by: "role", role: "button", name: "Show state" });
          await eventuallyEqual(() => s.textOf({ by: "css", selector: "#state" }), clean);
        });
      },
    );

    conformanceCase(
      "state isolation: a popup the scenario opened is closed with it, however long it would have kept writing",
      ["isolation"],
      async () => {
        const clean = "State: cookie=[] local=[] session=[] name=[] indexedDB=[] caches=[] history=2";
        await withSession(async (s) => {
          await s.goto(`${server.pageUrl}?open-popup`);
          // The popup is up once what it writes shows here (same origin).
          await eventually(async () =>
            assert.match(await s.textOf({ by: "css", selector: "#state" }), /cookie=\[visited=yes\] local=\[yes\]/),
          );
        });
        await withSession(async (s) => {
          await s.goto(server.pageUrl);
          await new Promise((r) => setTimeout(r, 300)); // a popup left open writes every 20 ms
          await s.click({ by: "role", role: "button", name: "Show state" });
          await eventuallyEqual(() => s.textOf({ by: "css", selector: "#state" }), clean);
        });
      },
    );

    conformanceCase(
      "state isolation: a scenario that ends inside an iframe leaves the next one on a clean top-level page",
      ["isolation"],
      async () => {
        const stored =
          "State: cookie=[visited=yes] local=[yes] session=[yes] name=[visited] indexedDB=[visits] caches=[visits] history=2";
        const clean = "State: cookie=[] local=[] session=[] name=[] indexedDB=[] caches=[] history=2";
        await withSession(async (s) => {
          await s.goto(server.pageUrl);
          await s.click({ by: "role", role: "button", name: "Store state" });
          await eventuallyEqual(() => s.textOf({ by: "css", selector: "#state" }), stored);
          await s.goto(server.widgetsUrl);
          // Ends in the frame: a reset that acted in the current frame would unload only the frame.
          await s.enterFrame({ by: "css", selector: "iframe[title='Embedded form']" });
          assert.match(await s.bodyText(), /Inside the frame/);
        });
        await withSession(async (s) => {
          assert.equal(await s.url(), "about:blank");
          await s.goto(server.pageUrl);
          await s.click({ by: "role", role: "button", name: "Show state" });
          await eventuallyEqual(() => s.textOf({ by: "css", selector: "#state" }), clean);
        });
      },
    );

    conformanceCase(
      "a crashed tab (its renderer killed): the next scenario still gets a clean, working session",
      ["isolation"],
      async () => {
        const before = new Set(ownedBrowserProcesses().map((p) => p.pid));
        let driver = await t.launch();
        try {
          const session = await driver.newSession();
          await session.goto(server.pageUrl);
          await session.click({ by: "role", role: "button", name: "Add one" });
          t.processes?.sample();
          // Renderers started since this test began: this driver's (Chromium rewrites its command line
          // into one string, so search the joined arguments).
          const renderers = ownedBrowserProcesses().filter(
            (p) => !before.has(p.pid) && p.args.join(" ").includes("--type=renderer"),
          );
          assert.ok(renderers.length > 0, "found the page's renderer process");
          for (const r of renderers) process.kill(r.pid, "SIGKILL");
          await session.close().catch(() => undefined);
          // What the world does between scenarios: a driver that reports itself dead is replaced.
          const next = await driver.newSession().catch(async (err) => {
            if (!driver.isDead()) throw err;
            await driver.close();
            driver = await t.launch();
            return driver.newSession();
          });
          await next.goto(server.pageUrl);
          assert.equal(await next.textOf({ by: "css", selector: "#counter" }), "Count: 0");
          await next.close();
        } finally {
          await driver.close();
        }
      },
    );

    conformanceCase(
      "a killed browser: the next call throws BrowserCrashedError and isDead() turns true",
      ["isolation"],
      async () => {
        const before = new Set(ownedBrowserProcesses().map((p) => p.pid));
        const doomed = await t.launch();
        let started: number[] = [];
        try {
          const session = await doomed.newSession();
          await session.goto(server.pageUrl);
          assert.equal(doomed.isDead(), false);
          t.processes?.sample();
          const main = newBrowserMainProcess(before);
          assert.ok(main, "found the browser's main process");
          // Everything this driver started: the browser's processes (they share its profile dir) and,
          // for Selenium, the chromedriver that is the browser's parent.
          const profile = main.args.find((a) => a.startsWith("--user-data-dir="));
          started = ownedBrowserProcesses()
            .filter(
              (p) =>
                !before.has(p.pid) &&
                (p.pid === main.pid || p.pid === main.ppid || (profile !== undefined && p.args.includes(profile))),
            )
            .map((p) => p.pid);
          process.kill(main.pid, "SIGKILL");
          await assert.rejects(
            (async () => {
              // The first call may still be answered from a cache; a few calls must hit the dead browser.
              for (let i = 0; i < 20; i++) {
                await session.count({ by: "role", role: "button" });
                await new Promise((r) => setTimeout(r, 100));
              }
            })(),
            (err: unknown) => {
              assert.ok(err instanceof BrowserCrashedError, `expected BrowserCrashedError, got ${String(err)}`);
              assert.match(err.message, /^browser crashed: /);
              return true;
            },
            `the session kept answering after pid ${main.pid} (${main.args.slice(0, 2).join(" ").slice(0, 120)}, parent ${main.ppid}) was killed`,
          );
          assert.equal(doomed.isDead(), true);
          await assert.rejects(doomed.newSession(), BrowserCrashedError);
        } finally {
          await doomed.close();
        }
        await eventually(async () => {
          const left = started.filter(isRunning);
          assert.deepEqual(left, [], "every process the crashed driver started has ended");
        });
      },
    );
  });
}

/** Retries an assertion for up to 5 s (what steps/support/eventually does for steps). */
async function eventually(fn: () => Promise<void>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
