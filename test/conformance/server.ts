// Serves the conformance test page (and a second page to navigate to) on 127.0.0.1.
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { answerCookies } from "./cookie-server";
import { answerDownloads } from "./download-server";

export interface PageServer {
  /** e.g. http://127.0.0.1:43123 (no trailing slash) */
  origin: string;
  /** The conformance page's URL. */
  pageUrl: string;
  /** The second page's URL (for links, back and forward). */
  nextUrl: string;
  /** The widgets page: scoping, the interactions and assertions beyond the basics. */
  widgetsUrl: string;
  /** The name rule: exact names beside names containing them, words that fit several, a covered button. */
  namesUrl: string;
  /** Tables whose cells are found by their column header: native, with colspan and rowspan, ARIA grid and table. */
  tablesUrl: string;
  /** HTML elements whose roles Playwright reads by ARIA 1.2 and HTML-AAM (a <p> is a paragraph, a <th> a row header). */
  rolesUrl: string;
  /** Form fields: drop-downs (their options, the selected one) and an ARIA combobox beside them. */
  formsUrl: string;
  /** ARIA drop-downs as component libraries draw them: comboboxes of four kinds and two listboxes (see the page's comment). */
  dropdownsUrl: string;
  /** Web components: open shadow roots (one nested, one with slotted light content), a closed one. */
  componentsUrl: string;
  /**
   * CSS across shadow roots (shadow-css.html): three x-cards with a price in an open shadow root and a badge whose
   * label is in a second one inside it, light prices around them, a closed-card keeping its price in a closed root,
   * a plain list.
   */
  shadowCssUrl: string;
  /** Accessibility: a clean region, a region breaking three WCAG rules, an iframe breaking one of its own. */
  a11yUrl: string;
  /**
   * Cookies and storage (cookie-server.ts): the page sets an HttpOnly session cookie `sid` and shows the Cookie header
   * its load sent; its buttons' requests set `consent`, a persistent HttpOnly `remember_me`, and clear `sid`.
   */
  cookiesUrl: string;
  /** Downloads (download-server.ts): a link with `download`, attachments (a slow one, a broken one, 11 MiB), a blob. */
  downloadsUrl: string;
  /** A page that throws, logs a console error, and loads a missing script and a failing API. */
  unhealthyUrl: string;
  /**
   * A page whose "Leave late" link leaves for nextUrl?late after the click, then keeps the page busy for 4 s; its
   * "Leave soon" link leaves for nextUrl?soon a moment after the click (and stays idle); its "Answer nothing" link
   * is answered 204 (no document comes). At `?big-state` it keeps a 1 MiB history.state, which makes the browser
   * slower to record the next document once the page has taken it in.
   */
  lateUrl: string;
  /**
   * Single-page-app pages that load their data after the load event, from an API that answers 600 ms later:
   * `spa.html` shows "Loading…", then (fetch) "Error: the items could not be loaded" as the API answers 500;
   * its "Save" button sends a POST that fails the same way. `spa-ok.html` (XMLHttpRequest) shows the items.
   * `spa-live.html` keeps an EventSource and a fetch that is never answered open, and shows "Live". `spa-busy.html`
   * always has a request in flight (a new one every 100 ms, each answered after 250 ms).
   */
  spaUrl: string;
  spaOkUrl: string;
  spaLiveUrl: string;
  spaBusyUrl: string;
  /**
   * `spa-later.html` waits 500 ms after the load event (`?ms=N`: N ms), then fetches /api/later, which answers at
   * once (200, JSON), and shows "Error: the items could not be loaded". `spa-spinner.html` keeps busy with no end
   * but never waits on anything: a spinner that sets its next 100 ms timer from each one, a setInterval, animation
   * frames, a loop awaiting 100 ms delays, and a poll of /api/later every 600 ms; it shows "Working" and counts the
   * spinner's turns. `spa-search.html`: a spinner whose timer fires every 30 ms, and a Search field looked up 400 ms
   * after typing stops (a debounce): "Results for <what was typed>"; a Country select ("Shipping to <country>.") and a
   * Max price range field ("Under <price>.", waited on with an interval as RxJS does) answered 400 ms later.
   */
  spaLaterUrl: string;
  spaSpinnerUrl: string;
  spaSearchUrl: string;
  /**
   * What goes away by itself, and a list that loads (see transient.html): a toast that hides itself after 2 s, items
   * deleted after a request (one with a 700 ms fade-out), 2 placeholders replaced by 3 items and a wrong count.
   */
  transientUrl: string;
  /**
   * What an open overlay does to the rest of the page (see overlays.html), by its query: `?aria` a dialog open and the
   * page's root aria-hidden (MUI's Dialog), `?inert` the same with inert, `?modal` a native <dialog> opened with
   * showModal(), `?stray` the root aria-hidden with no dialog open, `?combo` comboboxes whose popup, with no option to
   * list, drops its listbox and aria-controls and shows a note (MUI's Autocomplete).
   */
  overlaysUrl: string;
  /** Resolves once the server has finished answering the next request for `path` (made after this call). */
  answered(path: string): Promise<void>;
  close(): Promise<void>;
}

const NEXT_PAGE = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Next page</title></head>
<body><h1>The next page</h1><a href="/page.html">Back to the conformance page</a></body></html>`;

/** A sign-in form whose POST the server refuses (a missing CSRF token, QA13 #3): the check after it is on a 403 page. */
const SIGN_IN_PAGE = `<!DOCTYPE html>
<html><head><title>Sign in</title></head><body>
<form method="post" action="/sign-in"><label>User <input name="user"></label><button>Sign in</button></form>
</body></html>`;

/** A payment form whose POST staging's gateway fails (502): what the step after it looks for is not on that page. */
const PAY_PAGE = `<!DOCTYPE html>
<html><head><title>Pay</title></head><body>
<form method="post" action="/pay"><button>Pay</button></form>
</body></html>`;

/** A drop-down the page keeps from use (disabled): choosing in it is the product's defect on both drivers. */
const DISABLED_SELECT_PAGE = `<!DOCTYPE html>
<html><head><title>Plan</title></head><body>
<label>Plan <select disabled><option>Free</option><option>Pro</option></select></label>
</body></html>`;

/**
 * A form whose Save shows its error `?after=` ms late (QA13 #1), and a field that comes 1.5 s after the load: what a
 * `within …` bound is for.
 */
const LATE_ERROR_PAGE = `<!DOCTYPE html>
<html><head><title>Late error</title></head><body>
<form><label>Name <input id="name"></label> <button type="button" id="save">Save</button></form>
<p role="alert" id="error"></p>
<div id="later"></div>
<script>
  const after = Number(new URLSearchParams(location.search).get("after") ?? 0);
  document.getElementById("save").addEventListener("click", () => {
    setTimeout(() => { document.getElementById("error").textContent = "Name is required"; }, after);
  });
  setTimeout(() => { document.getElementById("later").innerHTML = '<label>Code <input value="42"></label>'; }, 1500);
</script>
</body></html>`;

/** A Cancel that keeps the appointment, or with `?late=` ms removes it that much later (QA14 #1): a `for` time's case. */
const KEEP_PAGE = `<!DOCTYPE html>
<html><head><title>Appointments</title></head><body>
<ul><li id="baker">Dr. Baker, 10:30</li></ul>
<button type="button" id="keep">Keep it</button>
<script>
  const late = Number(new URLSearchParams(location.search).get("late") ?? 0);
  document.getElementById("keep").addEventListener("click", () => {
    if (late > 0) setTimeout(() => document.getElementById("baker").remove(), late);
  });
</script>
</body></html>`;

/** Tabs whose panels are named by their tabs (aria-labelledby), the way a tab widget names them (QA14 #4). */
const TABS_PAGE = `<!DOCTYPE html>
<html><head><title>Help</title></head><body>
<div role="tablist"><button role="tab" id="t-faq" aria-selected="true" aria-controls="p-faq">FAQ</button>
<button role="tab" id="t-contact" aria-selected="false" aria-controls="p-contact">Contact</button></div>
<div role="tabpanel" id="p-faq" aria-labelledby="t-faq">Questions and answers</div>
<div role="tabpanel" id="p-contact" aria-labelledby="t-contact" hidden>Call us on 0800 123</div>
<script>
  for (const tab of document.querySelectorAll("[role=tab]"))
    tab.addEventListener("click", () => {
      for (const t of document.querySelectorAll("[role=tab]")) {
        t.setAttribute("aria-selected", String(t === tab));
        document.getElementById(t.getAttribute("aria-controls")).hidden = t !== tab;
      }
    });
</script>
</body></html>`;

const UNHEALTHY_PAGE = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Unhealthy page</title><script src="/missing.js"></script></head>
<body><p>An unhealthy page</p>
<script>
console.error("console says no");
fetch("/api/fail").then((r) => { document.body.dataset.fetched = String(r.status); });
setTimeout(() => { throw new Error("boom from the page"); }, 0);
if (location.search === "?late") setTimeout(() => console.error("late from the page"), 300);
</script></body></html>`;

const SPA_PAGE = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Items</title></head>
<body><h1>Items</h1><p id="state" data-testid="state">Loading…</p><button id="save">Save</button>
<script>
const show = (text) => { document.getElementById("state").textContent = text; };
window.addEventListener("load", () => {
  fetch("/api/slow-fail").then(async (r) => {
    const text = await r.text();
    show(r.ok ? text : "Error: the items could not be loaded");
  });
});
document.getElementById("save").addEventListener("click", () => {
  fetch("/api/slow-fail?save", { method: "POST" }).then((r) => show(r.ok ? "Saved" : "Error: not saved"));
});
</script></body></html>`;

const SPA_OK_PAGE = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Items</title></head>
<body><h1>Items</h1><p id="state" data-testid="state">Loading…</p>
<script>
window.addEventListener("load", () => {
  const x = new XMLHttpRequest();
  x.open("GET", "/api/slow-items");
  x.onload = () => { document.getElementById("state").textContent = JSON.parse(x.responseText).join(", "); };
  x.send();
});
</script></body></html>`;

const SPA_LIVE_PAGE = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Live</title></head>
<body><h1>Live</h1><p id="state">Connecting…</p>
<script>
const events = new EventSource("/api/events");
events.onopen = () => { document.getElementById("state").textContent = "Live"; };
fetch("/api/hang").then(() => { document.getElementById("state").textContent = "Error: the long poll ended"; });
</script></body></html>`;

const SPA_BUSY_PAGE = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Busy</title></head>
<body><h1>Busy</h1>
<script>
setInterval(() => fetch("/api/tick").then((r) => r.text()), 100);
fetch("/api/tick");
</script></body></html>`;

const SPA_LATER_PAGE = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Items</title></head>
<body><h1>Items</h1><p id="state" data-testid="state">Loading…</p>
<script>
const wait = Number(new URLSearchParams(location.search).get("ms") || 500);
window.addEventListener("load", () => {
  setTimeout(() => {
    fetch("/api/later")
      .then((r) => r.json())
      .then((d) => { document.getElementById("state").textContent = "Error: " + d.error; });
  }, wait);
});
</script></body></html>`;

/**
 * A cart whose "Cancel removal" button still removes its line after a request (/api/slow-items, 600 ms): a state an
 * action must not change, that a first look right after the click still sees. At `?ok` the request changes nothing;
 * at `?gone` it removes the whole table.
 */
const CANCELLED_PAGE = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Your cart</title></head>
<body><h1>Your cart</h1>
<table aria-label="Cart"><tr><th>Item</th><th>Price</th></tr>
<tr id="matcha"><td>Matcha Whisk</td><td>€15.75</td></tr><tr><td>Sencha 100g</td><td>€8.90</td></tr></table>
<p role="status" aria-label="Cart total" id="total">€24.65</p>
<button id="cancel">Cancel removal</button>
<script>
document.getElementById("cancel").addEventListener("click", async () => {
  await (await fetch("/api/slow-items")).json();
  if (location.search === "?ok") return;
  if (location.search === "?gone") return document.querySelector("table").remove();
  document.getElementById("matcha").remove();
  document.getElementById("total").textContent = "€8.90";
});
</script></body></html>`;

// A single-page app's link: the route renders, then (a stray redirect) a timer sends the user home; `?ok` stays.
const BOUNCE_PAGE = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Shop</title></head>
<body><nav><a href="/app/about" id="about">About us</a></nav><main><h1>Home</h1></main>
<script>
const stays = location.search === "?ok";
const render = () => {
  document.querySelector("h1").textContent = location.pathname === "/app/about" ? "About us" : "Home";
};
document.getElementById("about").addEventListener("click", (e) => {
  e.preventDefault();
  history.pushState(null, "", "/app/about");
  render();
  if (!stays) setTimeout(() => { history.pushState(null, "", "/app/home"); render(); }, 400);
});
</script></body></html>`;

// A toast the save's answer brings (600 ms after the click), hidden 1.5 s later; `?stuck`: never hidden.
const TOAST_PAGE = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Settings</title></head>
<body><h1>Settings</h1><button id="save">Save</button><p role="status" aria-label="Notice" id="toast" hidden></p>
<script>
document.getElementById("save").addEventListener("click", async () => {
  await (await fetch("/api/slow-items")).json();
  const toast = document.getElementById("toast");
  toast.textContent = "Settings saved";
  toast.hidden = false;
  if (location.search !== "?stuck") setTimeout(() => { toast.hidden = true; }, 1500);
});
</script></body></html>`;

const SPA_SPINNER_PAGE = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Working</title></head>
<body><h1>Working</h1><p id="turns" data-testid="turns">0</p><p id="clock"></p>
<script>
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
let turns = 0;
const spin = () => { document.getElementById("turns").textContent = String(++turns); setTimeout(spin, 100); };
setTimeout(spin, 100);
setInterval(() => { document.getElementById("clock").textContent = new Date().toISOString(); }, 100);
const frame = () => { document.body.dataset.frame = String(performance.now()); requestAnimationFrame(frame); };
requestAnimationFrame(frame);
(async () => { for (;;) { await sleep(100); document.body.dataset.slept = String(performance.now()); } })();
(async () => { for (;;) { await (await fetch("/api/later")).json(); await sleep(600); } })();
</script></body></html>`;

const SPA_SEARCH_PAGE = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Search</title></head>
<body><h1>Search</h1><label>Search <input id="search"></label><p id="found" data-testid="found"></p>
<label>Country <select id="country"><option>France</option><option>Japan</option></select></label>
<label>Max price <input id="price" type="range" min="0" max="100" value="100"></label><p id="shown"></p>
<script>
// The country's shipping is looked up after a moment; the price filter waits as RxJS's debounceTime does, with an
// interval cleared at its first round.
let ship;
document.getElementById("country").addEventListener("change", (e) => {
  clearTimeout(ship);
  ship = setTimeout(() => { document.getElementById("shown").textContent += "Shipping to " + e.target.value + ". "; }, 400);
});
let filter;
document.getElementById("price").addEventListener("input", (e) => {
  clearInterval(filter);
  filter = setInterval(() => {
    clearInterval(filter);
    document.getElementById("shown").textContent += "Under " + e.target.value + ". ";
  }, 400);
});
const spin = () => setTimeout(spin, 30);
setTimeout(spin, 30);
let lookup;
document.getElementById("search").addEventListener("input", (e) => {
  clearTimeout(lookup);
  lookup = setTimeout(() => { document.getElementById("found").textContent = "Results for " + e.target.value; }, 400);
});
</script></body></html>`;

/** How long the single-page apps' API takes to answer. */
const API_DELAY_MS = 600;

/**
 * The link leaves a moment after the click (so the click has returned), and the page's main thread is then busy:
 * the browser gets the next page's answer at once, but the renderer takes it in only when the loop ends. Steps
 * that run meanwhile meet a browser that is between two pages.
 */
/** A page too large to audit for accessibility within a few seconds: a table of 8000 rows, each with a link and a field. */
const BIG_PAGE = `<!DOCTYPE html><html lang="en"><head><title>Big</title></head><body><main><h1>Big</h1><table>${Array.from(
  { length: 8000 },
  (_, i) => `<tr><td><a href="#r${i}">Row ${i}</a></td><td><input aria-label="Note ${i}"></td></tr>`,
).join("")}</table></main></body></html>`;

const LATE_PAGE = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Late page</title></head>
<body><a href="/next.html?late" id="late">Leave late</a> <a href="/next.html?soon" id="soon">Leave soon</a>
<a href="/no-content">Answer nothing</a>
<script>
document.getElementById("late").addEventListener("click", (e) => {
  e.preventDefault();
  setTimeout(() => {
    location.href = "/next.html?late";
    const end = Date.now() + 4000;
    while (Date.now() < end) {}
  }, 300);
});
document.getElementById("soon").addEventListener("click", (e) => {
  e.preventDefault();
  setTimeout(() => (location.href = "/next.html?soon"), 50);
});
if (location.search === "?big-state") history.replaceState({ big: "x".repeat(1 << 20) }, "");
</script></body></html>`;

/**
 * Numbers as locales write them (the number steps): a balance with U+2212 MINUS SIGN as sv-SE writes it, amounts the
 * browser's own Intl.NumberFormat writes for he-IL (bidi marks around the sign), fa-IR, fy and de-DE, and "1.234", which
 * is 1234 in de-DE and 1.234 in en-US.
 */
const NUMBERS_PAGE = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Numbers</title></head>
<body><p data-testid="sv">Balance: \u221242</p><p data-testid="ascii">Balance: -42</p>
<p data-testid="he"></p><p data-testid="fa"></p><p data-testid="fy"></p><p data-testid="de"></p>
<p data-testid="dots">1.234 Besucher</p>
<script>
const money = (locale, value) => new Intl.NumberFormat(locale, { style: "currency", currency: "EUR" }).format(value);
for (const [id, locale, value] of [["he", "he-IL", -42], ["fa", "fa-IR", -42], ["fy", "fy", -42], ["de", "de-DE", 1234.5]])
  document.querySelector(\`[data-testid="\${id}"]\`).textContent = "Balance: " + money(locale, value);
</script></body></html>`;

/**
 * A page wider than a phone (QA5 #6): a 900 px row with a button at its right end, then buttons below the fold, one
 * of them under a modal's backdrop, and a button in an inert panel. On a Pixel 7 the browser's layout viewport is then 908 px wide and the screen
 * shows 412 px of it. Each button says in the "Result" status that it was clicked (double-clicked, right-clicked).
 */
const WIDE_PAGE = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Wide</title></head>
<body><h1>Wide page</h1><p role="status" aria-label="Result" id="result">nothing yet</p>
<div id="panel" inert><button>Behind an inert panel</button></div>
<div style="width: 900px; height: 50px; position: relative"><button style="position: absolute; right: 0">Far right</button></div>
<div style="height: 1500px"></div>
<button>Below the fold</button> <button>Second below</button>
<div style="position: relative"><button>Covered below</button><div id="backdrop" class="modal-backdrop" style="position: absolute; inset: 0"></div></div>
<button id="hover">Hover below</button> <input type="checkbox" id="sub"><label for="sub">Subscribe below</label>
<p><input type="checkbox" id="nb" style="position: absolute; opacity: 0; width: 0; height: 0"><label for="nb"><span style="display: inline-block; width: 30px; height: 16px; background: #888"></span> Notify below</label></p>
<p id="size-label">Size below</p><ul id="size" role="listbox" aria-labelledby="size-label"><li role="option" aria-selected="true">Small</li><li role="option" aria-selected="false">Medium</li></ul>
<script>
const said = (text) => () => { document.getElementById("result").textContent = text; };
// Once: the mouse a hover left over it enters it again after a tap elsewhere (Chromium's hover state, not a step).
document.getElementById("hover").addEventListener("mouseenter", said("Hover below hovered"), { once: true });
const sub = document.getElementById("sub");
sub.addEventListener("change", () => said("Subscribe below " + (sub.checked ? "checked" : "unchecked"))());
const nb = document.getElementById("nb");
nb.addEventListener("change", () => said("Notify below " + (nb.checked ? "checked" : "unchecked"))());
for (const o of document.querySelectorAll("#size [role=option]"))
  o.addEventListener("click", () => {
    for (const other of document.querySelectorAll("#size [role=option]")) other.setAttribute("aria-selected", String(other === o));
    said("Size below: " + o.textContent)();
  });
for (const b of document.querySelectorAll("button")) {
  b.addEventListener("click", said(b.textContent + " clicked"));
  b.addEventListener("dblclick", said(b.textContent + " double-clicked"));
  b.addEventListener("contextmenu", (e) => { e.preventDefault(); said(b.textContent + " right-clicked")(); });
}
</script></body></html>`;

/**
 * A page as wide as a phone (review of QA5 #6's fix): a button a sticky header covers as the page opens (scrolled to
 * it). A click must scroll it out from under the header, as Playwright's own click and WebDriver's do.
 */
const STICKY_PAGE = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sticky</title></head>
<body style="margin: 0"><header style="position: sticky; top: 0; height: 80px; background: #eee; z-index: 1">
<p role="status" aria-label="Result" id="result" style="margin: 0">nothing yet</p></header>
<div style="height: 600px"></div><button id="under">Under the header</button><div style="height: 3000px"></div>
<script>
const b = document.getElementById("under");
b.addEventListener("click", () => { document.getElementById("result").textContent = "Under the header clicked"; });
// Scrolled so that the button sits under the header: in view, but the header gets a click at its centre.
addEventListener("load", () => window.scrollTo(0, b.getBoundingClientRect().top + window.scrollY - 30));
</script></body></html>`;

/**
 * A page wider than a phone that reloads itself every 250 ms: a click's looks at the button run into a navigation
 * ("Execution context was destroyed"), which a click tries again past, as Playwright's own does (review F12). Each
 * click counts in sessionStorage, which the reloads keep.
 */
const RELOADING_PAGE = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Reloading</title></head>
<body><p role="status" aria-label="Clicks" id="clicks">0</p>
<div style="width: 900px; height: 20px"></div><button>Count</button>
<script>
const clicks = () => Number(sessionStorage.getItem("clicks") || 0);
document.getElementById("clicks").textContent = String(clicks());
document.querySelector("button").addEventListener("click", () => {
  sessionStorage.setItem("clicks", String(clicks() + 1));
  document.getElementById("clicks").textContent = String(clicks());
});
setTimeout(() => location.reload(), 250);
</script></body></html>`;

/** An iframe a fixed cookie banner covers in the page that holds it: its "Pay" button gets no click. */
const COVERED_FRAME_PAGE = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Covered frame</title></head>
<body><h1>Checkout</h1><p role="status" aria-label="Result" id="result">nothing yet</p>
<iframe data-testid="pay" title="Payment" src="/pay-frame.html" style="width: 300px; height: 120px"></iframe>
<div id="cookie-banner" style="position: fixed; inset: 0; background: rgba(0, 0, 0, 0.3)">Accept our cookies</div>
</body></html>`;

/** The frame of COVERED_FRAME_PAGE and OFFSET_FRAME_PAGE: its buttons write what they got in the parent page. */
const FRAME_BUTTONS_PAGE = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Frame</title></head>
<body style="margin: 0"><button>Pay</button>
<script>
const said = (text) => () => { parent.document.getElementById("result").textContent = text; };
const b = document.querySelector("button");
b.addEventListener("click", said("Pay clicked"));
b.addEventListener("dblclick", said("Pay double-clicked"));
b.addEventListener("contextmenu", (e) => { e.preventDefault(); said("Pay right-clicked")(); });
</script></body></html>`;

/** An iframe away from the page's top-left corner (and with a border and padding): frame coordinates are not the page's. */
const OFFSET_FRAME_PAGE = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Offset frame</title></head>
<body><h1>Offset</h1><p role="status" aria-label="Result" id="result">nothing yet</p>
<iframe data-testid="offset" title="Offset" src="/pay-frame.html"
  style="position: absolute; left: 300px; top: 250px; width: 90px; height: 60px; border: 3px solid; padding: 2px"></iframe>
</body></html>`;

/** Loads the page's `.other-origin` iframes from the same server under another name: another origin, whose frames cannot see the page. */
const OTHER_ORIGIN_FRAMES = `<script>
for (const f of document.querySelectorAll(".other-origin"))
  f.src = location.origin.replace("127.0.0.1", "localhost") + "/foreign-frame.html";
</script>`;

/**
 * A page wider than a phone with frames below the fold, beside a button to hover over (the screen then moves within
 * the page): a tap in the frame must land where the screen shows the frame's button; a frame the page covers gets none.
 */
const WIDE_FRAME_PAGE = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Wide frame</title></head>
<body><h1>Wide frame</h1><p role="status" aria-label="Result" id="result">nothing yet</p>
<div style="width: 900px; height: 50px"></div>
<div style="height: 1500px"></div>
<button id="hover" style="margin-left: 500px">Hover below</button>
<iframe data-testid="below" title="Below" src="/pay-frame.html" style="margin-left: 300px; width: 120px; height: 60px"></iframe>
<div style="position: relative; margin-left: 300px; width: 120px"><iframe data-testid="covered" title="Covered" src="/pay-frame.html" style="width: 120px; height: 60px"></iframe>
<div class="cookie-banner" style="position: absolute; inset: 0"></div></div>
<iframe data-testid="foreign" title="Foreign" class="other-origin" style="display: block; margin-left: 300px; width: 160px; height: 80px"></iframe>
<div style="position: relative; margin-left: 300px; width: 160px"><iframe data-testid="foreign-covered" title="Foreign covered" class="other-origin" style="width: 160px; height: 80px"></iframe>
<div class="cookie-banner" style="position: absolute; inset: 0"></div></div>
<div style="height: 600px"></div>
${OTHER_ORIGIN_FRAMES}
</body></html>`;

/** A page as wide as the phone with a frame of another origin far below the fold (a checkout's payment frame). */
const FAR_FOREIGN_FRAME_PAGE = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Far frame</title></head>
<body><h1>Checkout</h1><div style="height: 3000px"></div>
<iframe data-testid="far" title="Far" class="other-origin" style="width: 160px; height: 80px"></iframe>
<div style="height: 600px"></div>
${OTHER_ORIGIN_FRAMES}
</body></html>`;

/** A frame of another origin its page draws anew when asked (a framework re-rendering it), beside a "Pay" of the page's own. */
const REDRAWN_FRAME_PAGE = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Redrawn frame</title></head>
<body><p role="status" aria-label="Page result" id="result">nothing yet</p>
<button onclick="document.getElementById('result').textContent = 'The page\\'s own Pay clicked'">Pay</button>
<iframe title="Checkout" class="other-origin" style="width: 200px; height: 100px"></iframe>
${OTHER_ORIGIN_FRAMES}
<script>
addEventListener("message", (e) => {
  const f = document.querySelector("iframe");
  if (e.data === "remove") f.remove();
  if (e.data !== "redraw") return;
  const anew = f.cloneNode();
  anew.src = f.src + "?anew";
  // A moment after the frame's button asked: a frame gone while chromedriver's click in it still runs answered "target
  // frame detached" (a click that removes its own frame is a case of its own, not this page's).
  setTimeout(() => f.replaceWith(anew), 300);
});
</script>
</body></html>`;

/**
 * A checkout whose payment frames give way to a receipt when paid, as a payment provider's do: one of the page's
 * origin, replaced in its own click handler, and one of another origin, which asks the page to replace it.
 */
const CLOSING_FRAMES_PAGE = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Closing frames</title></head>
<body><p role="status" aria-label="Page result" id="result">nothing yet</p>
<iframe title="Own payment" src="/closing-frame.html" style="width: 200px; height: 100px"></iframe>
<iframe title="Foreign payment" class="other-origin" style="width: 200px; height: 100px"></iframe>
${OTHER_ORIGIN_FRAMES.replace("/foreign-frame.html", "/closing-frame.html")}
<script>
/**
 * The frame gives way to the receipt, a page of its own, once the payment went through (a moment later: a frame
 * replaced while chromedriver's click in it still runs can answer "target frame detached", which Selenium steps then
 * fail as an element that left the page, not knowing whether the click reached it).
 */
function receipt(frame) {
  const next = frame.cloneNode();
  next.src = frame.src + "?receipt";
  setTimeout(() => frame.replaceWith(next), 300);
}
addEventListener("message", (e) => {
  if (e.data !== "paid") return;
  document.getElementById("result").textContent = "Paid in the foreign frame";
  receipt(document.querySelector("iframe.other-origin"));
});
</script>
</body></html>`;

/** CLOSING_FRAMES_PAGE's frame: paid, it has itself replaced (same origin) or asks its page to (another origin). */
const CLOSING_FRAME_PAGE = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Payment</title></head>
<body style="margin: 0"><button>Pay</button>
<script>
document.querySelector("button").addEventListener("click", () => {
  let own = false;
  try { own = Boolean(parent.document); } catch {}
  if (!own) return parent.postMessage("paid", "*");
  parent.document.getElementById("result").textContent = "Paid in the own frame";
  parent.receipt(frameElement);
});
</script></body></html>`;

/** Fields whose page acts on the keys typed: an input mask, a filter of what is typed, one that takes no typing. */
const TYPING_PAGE = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Typing</title></head>
<body><label>Phone <input id="phone" inputmode="numeric"></label>
<label>Quantity <input id="qty"></label>
<label>Coupon <input id="coupon"></label>
<label><input type="checkbox"> Keep typing</label>
<p><label for="nick">Nickname</label> <input id="nick"></p>
<label>Note <input id="note" aria-readonly="true"></label>
<p><input aria-label="Search"> <label for="hidden-name">Hidden name</label><input id="hidden-name" style="display:none"></p>
<p><input aria-label="Hands on" onfocus="document.getElementById('receiver').focus()">
<input id="receiver" aria-label="Receiver"></p>
<div contenteditable="true" aria-label="Editor"><p data-testid="para">Old text</p></div>
<label>Delivery <input type="date" id="delivery" aria-readonly="true"></label>
<label>Shortcut <input id="shortcut"></label><p id="keys"></p>
<script>
// What a shortcut handler sees of each key pressed (modifiers held: Ctrl+, Shift+).
document.getElementById("shortcut").addEventListener("keydown", (e) => {
  if (["Control", "Shift", "Alt", "Meta"].includes(e.key)) return;
  document.getElementById("keys").textContent += (e.ctrlKey ? "Ctrl+" : "") + (e.shiftKey ? "Shift+" : "") + e.key + " ";
});
document.getElementById("phone").addEventListener("keydown", (e) => {
  if (e.key.length === 1 && !/[0-9]/.test(e.key)) e.preventDefault();
});
document.getElementById("qty").addEventListener("beforeinput", (e) => {
  if (e.data && /[^0-9]/.test(e.data)) e.preventDefault();
});
document.getElementById("coupon").addEventListener("keydown", (e) => e.preventDefault());
</script>
</body></html>`;

/** Fields and the texts tied to them: a helper (aria-describedby), an error message (aria-errormessage) while invalid. */
const DESCRIBED_PAGE = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Described</title></head>
<body><form>
<label>Email <input id="email" aria-describedby="email-help"></label><p id="email-help">Email is   required</p>
<label>Password <input id="pw" type="password" aria-invalid="true" aria-describedby="pw-help" aria-errormessage="pw-err"></label>
<p id="pw-help">Use 8 characters or more</p><p id="pw-err">Too short</p>
<label>Username <input id="user" aria-errormessage="user-err"></label><p id="user-err">Taken</p>
<label>Nickname <input id="nick" aria-invalid="" aria-errormessage="nick-err"></label><p id="nick-err">Too long</p>
<label>Code <input id="code" aria-invalid="true" aria-errormessage="code-err"></label><p id="code-err" hidden>Wrong code</p>
<label>Name <input id="name"></label>
</form></body></html>`;

/** A cart whose table goes with its last line ("Your cart is empty."), as many shops draw it. */
const CART_PAGE = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Cart</title></head>
<body><p>Items: <span data-testid="cart-count">1</span></p>
<div id="lines"><table aria-label="Cart"><thead><tr><th>Product</th><th>Actions</th></tr></thead>
<tbody><tr><td>Blue Mug</td><td><button>Remove</button></td></tr></tbody></table></div>
<script>
document.querySelector("button").addEventListener("click", () => {
  document.getElementById("lines").innerHTML = "<p>Your cart is empty.</p>";
  document.querySelector("[data-testid=cart-count]").textContent = "0";
});
</script>
</body></html>`;

/** The frame of WIDE_FRAME_PAGE from another origin: its button says what it got in the frame itself. */
const FOREIGN_FRAME_PAGE = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Foreign frame</title></head>
<body style="margin: 0"><button>Pay</button><p role="status" aria-label="Frame result">nothing yet</p>
<button onclick="parent.postMessage('redraw', '*')">Redraw</button>
<button onclick="parent.postMessage('remove', '*')">Remove</button>
<script>
const said = (text) => () => { document.querySelector("p").textContent = text; };
const b = document.querySelector("button");
b.addEventListener("click", said("Pay clicked"));
b.addEventListener("dblclick", said("Pay double-clicked"));
b.addEventListener("contextmenu", (e) => { e.preventDefault(); said("Pay right-clicked")(); });
b.addEventListener("mouseover", said("Pay hovered"));
if (location.search === "?anew") document.body.insertAdjacentHTML("beforeend", "<p>Drawn anew</p>");
</script></body></html>`;

export async function startPageServer(): Promise<PageServer> {
  const page = readFileSync(join(__dirname, "page.html"), "utf8");
  const widgets = readFileSync(join(__dirname, "widgets.html"), "utf8");
  const names = readFileSync(join(__dirname, "names.html"), "utf8");
  const tables = readFileSync(join(__dirname, "tables.html"), "utf8");
  const roles = readFileSync(join(__dirname, "roles.html"), "utf8");
  const forms = readFileSync(join(__dirname, "forms.html"), "utf8");
  const dropdowns = readFileSync(join(__dirname, "dropdowns.html"), "utf8");
  const a11y = readFileSync(join(__dirname, "a11y.html"), "utf8");
  const components = readFileSync(join(__dirname, "components.html"), "utf8");
  const shadowCss = readFileSync(join(__dirname, "shadow-css.html"), "utf8");
  const transient = readFileSync(join(__dirname, "transient.html"), "utf8");
  const overlays = readFileSync(join(__dirname, "overlays.html"), "utf8");
  const waiters = new Map<string, Array<() => void>>();
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    const waiting = waiters.get(path) ?? [];
    waiters.delete(path);
    res.on("finish", () => waiting.forEach((w) => w()));
    const body =
      path === "/" || path === "/page.html"
        ? page
        : path === "/next.html"
          ? NEXT_PAGE
          : path === "/widgets.html"
            ? widgets
            : path === "/names.html"
              ? names
              : path === "/tables.html"
                ? tables
                : path === "/roles.html"
                  ? roles
                  : path === "/forms.html"
                    ? forms
                    : path === "/dropdowns.html"
                      ? dropdowns
                      : path === "/a11y.html"
                        ? a11y
                        : path === "/components.html"
                          ? components
                          : path === "/shadow-css.html"
                            ? shadowCss
                            : path === "/transient.html"
                              ? transient
                              : path === "/overlays.html"
                                ? overlays
                                : path === "/big.html"
                                  ? BIG_PAGE
                                  : path === "/late.html"
                                    ? LATE_PAGE
                                    : undefined;
    if (answerCookies(req, res, path)) return;
    if (answerDownloads(req, res, path)) return;
    if (path === "/unhealthy.html") {
      res
        .writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" })
        .end(UNHEALTHY_PAGE);
      return;
    }
    const spa: Record<string, string> = {
      "/spa.html": SPA_PAGE,
      "/spa-ok.html": SPA_OK_PAGE,
      "/spa-live.html": SPA_LIVE_PAGE,
      "/spa-busy.html": SPA_BUSY_PAGE,
      "/spa-later.html": SPA_LATER_PAGE,
      "/cancelled.html": CANCELLED_PAGE,
      "/bounce.html": BOUNCE_PAGE,
      "/toast.html": TOAST_PAGE,
      "/spa-spinner.html": SPA_SPINNER_PAGE,
      "/spa-search.html": SPA_SEARCH_PAGE,
      "/numbers.html": NUMBERS_PAGE,
      "/wide.html": WIDE_PAGE,
      // No viewport meta tag: a phone lays the page out 980 px wide and shows it zoomed out (visualViewport.scale < 1).
      "/zoomed.html": WIDE_PAGE.replace('<meta name="viewport" content="width=device-width, initial-scale=1">', ""),
      "/sticky.html": STICKY_PAGE,
      "/reloading.html": RELOADING_PAGE,
      "/covered-frame.html": COVERED_FRAME_PAGE,
      "/pay-frame.html": FRAME_BUTTONS_PAGE,
      "/foreign-frame.html": FOREIGN_FRAME_PAGE,
      "/far-foreign-frame.html": FAR_FOREIGN_FRAME_PAGE,
      "/redrawn-frame.html": REDRAWN_FRAME_PAGE,
      "/closing-frames.html": CLOSING_FRAMES_PAGE,
      "/cart.html": CART_PAGE,
      "/typing.html": TYPING_PAGE,
      "/described.html": DESCRIBED_PAGE,
      "/closing-frame.html": CLOSING_FRAME_PAGE,
      "/offset-frame.html": OFFSET_FRAME_PAGE,
      "/wide-frame.html": WIDE_FRAME_PAGE,
      "/sign-in.html": SIGN_IN_PAGE,
      "/pay.html": PAY_PAGE,
      "/disabled-select.html": DISABLED_SELECT_PAGE,
      "/late-error.html": LATE_ERROR_PAGE,
      "/keep.html": KEEP_PAGE,
      "/tabs.html": TABS_PAGE,
    };
    if (spa[path] !== undefined) {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" }).end(spa[path]);
      return;
    }
    if (path === "/api/slow-fail" || path === "/api/slow-items") {
      const timer = setTimeout(() => {
        if (path === "/api/slow-fail") res.writeHead(500, { "content-type": "text/plain" }).end("internal error");
        else res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(["Apple", "Pear"]));
      }, API_DELAY_MS);
      res.on("close", () => clearTimeout(timer));
      return;
    }
    if (path === "/api/later") {
      res
        .writeHead(200, { "content-type": "application/json", "cache-control": "no-store" })
        .end(JSON.stringify({ error: "the items could not be loaded" }));
      return;
    }
    if (path === "/api/tick") {
      const timer = setTimeout(() => res.writeHead(200, { "content-type": "text/plain" }).end("tick"), 250);
      res.on("close", () => clearTimeout(timer));
      return;
    }
    if (path === "/api/events") {
      // An event stream that stays open: one comment now, then nothing until the page goes away.
      res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-store" }).write(": open\n\n");
      return;
    }
    if (path === "/no-content") {
      res.writeHead(204).end(); // a link to it leaves the browser on the page it was on
      return;
    }
    if (path === "/sign-in") {
      res.writeHead(403, { "content-type": "text/html; charset=utf-8" }).end(
        "<!DOCTYPE html><title>Forbidden</title><h1>Forbidden</h1><p>Invalid or missing CSRF token</p>" +
          // A route of a script's own: the URL it moves to was never answered 403.
          `<button onclick="history.pushState({}, '', '/orders')">Orders</button>`,
      );
      return;
    }
    if (path === "/pay") {
      res.writeHead(502, { "content-type": "text/html; charset=utf-8" }).end("<!DOCTYPE html><h1>Bad Gateway</h1>");
      return;
    }
    if (path === "/loop") {
      // A sign-in that sends the browser back to itself: the browser gives up after 20 redirects.
      res.writeHead(302, { location: "/loop?again" }).end();
      return;
    }
    if (path === "/api/hang") return; // a long poll that is never answered (closeAllConnections ends it)
    if (path === "/api/fail" || path === "/server-error") {
      res.writeHead(500, { "content-type": "text/plain" }).end("internal error");
      return;
    }
    if (body === undefined) {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found");
      return;
    }
    res.writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" }).end(body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    pageUrl: `${origin}/page.html`,
    nextUrl: `${origin}/next.html`,
    widgetsUrl: `${origin}/widgets.html`,
    namesUrl: `${origin}/names.html`,
    tablesUrl: `${origin}/tables.html`,
    rolesUrl: `${origin}/roles.html`,
    formsUrl: `${origin}/forms.html`,
    dropdownsUrl: `${origin}/dropdowns.html`,
    a11yUrl: `${origin}/a11y.html`,
    componentsUrl: `${origin}/components.html`,
    shadowCssUrl: `${origin}/shadow-css.html`,
    cookiesUrl: `${origin}/cookies.html`,
    downloadsUrl: `${origin}/downloads.html`,
    unhealthyUrl: `${origin}/unhealthy.html`,
    lateUrl: `${origin}/late.html`,
    spaUrl: `${origin}/spa.html`,
    spaOkUrl: `${origin}/spa-ok.html`,
    spaLiveUrl: `${origin}/spa-live.html`,
    spaBusyUrl: `${origin}/spa-busy.html`,
    spaLaterUrl: `${origin}/spa-later.html`,
    spaSpinnerUrl: `${origin}/spa-spinner.html`,
    spaSearchUrl: `${origin}/spa-search.html`,
    transientUrl: `${origin}/transient.html`,
    overlaysUrl: `${origin}/overlays.html`,
    answered: (path) => new Promise<void>((resolve) => waiters.set(path, [...(waiters.get(path) ?? []), resolve])),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
