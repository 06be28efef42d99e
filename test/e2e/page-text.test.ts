// The page's and an element's text as a reader reads it, on both drivers: boxes laid out apart read apart, inline runs inside a line stay one word.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { TargetSpec } from "../../src/config/types";
import { discoverBrowsers } from "../../src/browser/discovery";
import { launchPlaywrightDriver } from "../../src/browser/playwright";
import { launchSeleniumDriver } from "../../src/browser/selenium";
import type { BrowserSession, SessionTimeouts } from "../../src/browser/session";
import { outcomesOnBothDrivers } from "../helpers/step-outcomes";
import { listenLocal } from "../helpers/listen";

/** Text split into a box per letter (for animation, GSAP SplitText's way): drawn touching, one word. */
const letters = (word: string) => [...word].map((c) => `<div style="display:inline-block">${c}</div>`).join("");

/** No whitespace between the tags anywhere below but between words: what separates the words is the layout alone. */
const PAGE =
  `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Text</title><style>.chip{display:inline-block;padding:0 6px;margin:0 2px;border:1px solid #888}</style></head>
<body><nav id="nav" aria-label="Main" style="display:flex;gap:1rem"><a href="#o">Orders</a><a href="#s">Settings</a></nav>` +
  `<div id="grid" style="display:grid;grid-template-columns:1fr 1fr"><span>North</span><span>South</span></div>` +
  `<p id="word">H<b>ello</b> w<span>orld</span><span class="note">!</span></p>` +
  `<p id="buttons"><button>Save</button><button>Cancel</button></p>` +
  `<p data-testid="tags">Tags:<span class="chip">red</span><span class="chip">blue</span></p>` +
  `<nav data-testid="pages" aria-label="Pages"><button>1</button><button>2</button><button>3</button></nav>` +
  `<table><tr><td>Ada</td><td>€5.00</td></tr></table>` +
  `<details><summary>More</summary><span class="chip">Inside</span><span class="chip">closed</span></details>` +
  `<p id="hidden">Shown<span class="chip" style="visibility:hidden">Hidden</span><span class="chip">chip</span></p>` +
  `<h1 id="split">${letters("Sold")} ${letters("out")}</h1>` +
  `<p id="badge">Inbox (<span style="display:inline-block;padding:0 .4em">3</span>)</p>` +
  `<p id="list"><span class="chip">React</span>, Vue</p>` +
  `<p id="mark"><mark style="padding:0 .25em">Lon</mark>don</p>` +
  `<p id="between"><button>Edit</button><button hidden>Delete</button><button>Share</button><span hidden> More</span><button>Print</button></p>` +
  `<details id="faq"><summary><span class="chip">FAQ</span><span class="chip">New</span></summary>Refunds take 30 days</details>` +
  `<div id="found"><span class="chip">Find</span><span class="chip">me</span><div hidden="until-found">Secret answer</div></div>` +
  `<p id="cap" style="text-transform:capitalize"><span class="chip">new</span><span class="chip">old</span> h<b>ello</b></p>` +
  `<p id="size">Size <select><option>Small</option><option selected>Medium</option><option>Gigantic</option></select> per box</p>` +
  `<form id="pay">Total<input type="submit" value="Pay now"><input type="button" value="Cancel order"><input type="reset">` +
  `<input type="submit" value="Hidden" style="visibility:hidden"><input type="button"></form>` +
  `</body></html>`;

let server: Server;
let origin: string;
before(async () => {
  server = createServer((req, res) => {
    // The page at "/" too: the run's staging probe opens it.
    const known = req.url === "/" || req.url === "/text.html";
    res.writeHead(known ? 200 : 404, { "content-type": "text/html; charset=utf-8" });
    res.end(known ? PAGE : "not found");
  });
  origin = await listenLocal(server);
});
after(() => new Promise<void>((resolve) => server.close(() => resolve())));

const found = discoverBrowsers();
const timeouts: SessionTimeouts = { actionTimeoutMs: 2000, navigationTimeoutMs: 15_000 };

/** What each driver reads on the page: the body's text and some elements' texts. */
async function readOn(driver: "playwright" | "selenium"): Promise<Record<string, string>> {
  const target: TargetSpec = { name: `${driver}-desktop`, driver, browser: "chromium", device: "Desktop Chrome" };
  const chromiumPath = found.chromium?.path ?? "/usr/bin/chromium";
  const launched =
    driver === "playwright"
      ? await launchPlaywrightDriver(target, { chromiumPath, timeouts })
      : await launchSeleniumDriver(target, {
          chromiumPath,
          chromedriverPath: found.chromedriver?.path ?? "/usr/bin/chromedriver",
          timeouts,
        });
  try {
    const s: BrowserSession = await launched.newSession();
    await s.goto(`${origin}/text.html`);
    const css = (selector: string) => s.textOf({ by: "css", selector });
    return {
      body: await s.bodyText(),
      nav: await css("#nav"),
      word: await css("#word"),
      buttons: await css("#buttons"),
      tags: await css('[data-testid="tags"]'),
      hidden: await css("#hidden"),
      split: await css("#split"),
      badge: await css("#badge"),
      list: await css("#list"),
      mark: await css("#mark"),
      between: await css("#between"),
      faq: await css("#faq"),
      found: await css("#found"),
      cap: await css("#cap"),
      size: await css("#size"),
      sizeField: await css("#size select"),
      pay: await css("#pay"),
      payButton: await css('#pay [type="submit"]'),
    };
  } finally {
    await launched.close();
  }
}

test("both drivers read the same text, with boxes laid out apart read apart", { timeout: 120_000 }, async () => {
  const pw = await readOn("playwright");
  const se = await readOn("selenium");
  assert.deepEqual(se, pw, "the same text on both drivers");
  const { body: _body, ...elements } = pw;
  assert.deepEqual(elements, {
    nav: "Orders\nSettings", // flex items: block boxes, on lines of their own as innerText puts them
    word: "Hello world!", // inline elements inside a word stay in it
    buttons: "Save Cancel", // inline-block boxes side by side
    tags: "Tags: red blue",
    hidden: "Shown chip", // a hidden box shows no text, and the text beside it still reads apart
    split: "Sold out", // a box per letter, drawn touching: one word
    badge: "Inbox (3)", // a badge apart by its padding, but no space inside parentheses
    list: "React, Vue", // nor before a comma
    mark: "London", // a highlight's padding is the highlight going on, not a space
    between: "Edit Share Print", // a hidden box between two does not join them
    faq: "FAQ New", // a closed <details> shows its summary only, though its summary is read by hand
    found: "Find me", // nor is `hidden="until-found"` content shown
    cap: "New Old Hello", // text-transform: capitalize, on text read by hand too, not inside a word
    size: "Size Medium per box", // a closed drop-down shows its chosen option, not every option (QA6 F1)
    sizeField: "Medium",
    pay: "Total Pay now Cancel order Reset", // a button input shows its label, the browser's own when it has none (QA9 #4)
    payButton: "Pay now",
  });
  assert.equal(
    pw.body,
    "Orders\nSettings\nNorth\nSouth\n\nHello world!\n\nSave Cancel\n\nTags: red blue\n\n1 2 3\nAda\t€5.00\nMore\n\nShown chip\n\n" +
      "Sold out\n\nInbox (3)\n\nReact, Vue\n\nLondon\n\nEdit Share Print\n\nFAQ New\nFind me\n\nNew Old Hello\n\nSize Medium per box\n\n" +
      "Total Pay now Cancel order Reset",
  );
});

test("the steps read the page so: seen apart, quoted apart, a number not run into the next", async () => {
  const [pw, se] = await outcomesOnBothDrivers("test/fixtures/steps/page-text.feature", origin);
  assert.deepEqual(se, pw, "the same outcomes on both drivers");
  assert.equal(pw.get("Boxes laid out apart read apart, inline runs inside a line stay one word")?.status, "passed");
  const number = pw.get("A number in a box of its own is not run into the next box's");
  assert.equal(number?.status, "failed");
  assert.match(number?.error ?? "", /to show at least 2, it shows 1 \(/); // not 123
  const split = pw.get("Text split into a box per letter reads as the words it draws");
  assert.equal(split?.status, "failed"); // "Sold out" is seen
  const quoted = pw.get("A failure quotes the page as it reads");
  assert.equal(quoted?.status, "failed");
  assert.match(quoted?.error ?? "", /it shows "Orders Settings North South Hello world! Save Cancel/);
});
