// The text rules the steps share: contains ignores case and whitespace runs, exact ignores only whitespace runs.
import { test } from "node:test";
import assert from "node:assert/strict";
import { containsText, excerpt, sameText } from "../../src/core/text-quote";

test("contains: case-insensitive, whitespace as rendered", () => {
  assert.equal(containsText("You are visitor\n  number 7", "VISITOR NUMBER"), true);
  assert.equal(containsText("Hello", "Goodbye"), false);
});

test("exact: case counts, whitespace runs do not", () => {
  assert.equal(sameText("  Buy   milk\n", "Buy milk"), true);
  assert.equal(sameText("Buy milk", "buy milk"), false);
  assert.equal(sameText("Buy milk now", "Buy milk"), false);
});

test("excerpts say when the page shows nothing, quote a short page whole and a long one in part, with its length", () => {
  assert.equal(excerpt("  a  b "), '"a b"');
  assert.equal(excerpt(""), "(no visible text)");
  // The QA report's page (196 characters): it was cut at 160, just before the wrong date, the evidence.
  const review =
    "Acme Billing Menu Create your account Step 3 of 3 Review Plan Pro — €29 Billing Yearly Company Initech Starts 2 February 1224 Back Create account";
  assert.equal(excerpt(review, "24 December 2026"), `"${review}"`);
  const fourHundred = "word ".repeat(80).trim();
  assert.equal(excerpt(fourHundred), `"${fourHundred}"`);
  assert.match(excerpt("x".repeat(500)), /^"x{280}…" \(500 characters\)$/);
});

test("a long text is quoted around the longest run of the expected words it has, else from its start", () => {
  const page = `${"Home About Contact ".repeat(20)}Thank you for your message, we will reply soon. ${"Footer ".repeat(30)}`;
  const quoted = excerpt(page, "Thank you for your order");
  assert.match(
    quoted,
    /^"…Home .{80,}Thank you for your message, we will reply soon\. Footer.*Footer…" \(637 characters\)$/,
  );
  const inside = quoted.slice(2, quoted.indexOf('…" ('));
  assert.ok(inside.length <= 280, "at most 280 characters");
  // Its ends fall between words.
  assert.match(inside, /^Home .* Footer$/);
  // Any run of the words, not only the first ones: what differs is the start here.
  const failed = `${"Nav ".repeat(100)}Your order failed: card declined. ${"Footer ".repeat(100)}`;
  assert.match(
    excerpt(failed, "Thanks, your order is confirmed"),
    /^"…(Nav )+Your order failed: card declined\. (Footer )+Footer…"/,
  );
  // The longest run wins over an earlier shorter one.
  const two = `Order ${"Nav ".repeat(150)}Order total: €12 ${"Footer ".repeat(100)}`;
  assert.match(excerpt(two, "Order total: €13"), /^"….{60,}Order total: €12 Footer/);
  // No run as written, but one of its words without the punctuation around it (QA17 F6): quoted around that.
  const upload = `${"Hotel Lutetia 1 234,50 € ".repeat(20)}Passport scan: No passport uploaded ${"Footer ".repeat(60)}`;
  assert.match(excerpt(upload, "Uploaded: passport.png"), /^"….{60,}No passport uploaded (Footer )+Footer…"/);
  // A whole word only: "png" is not found inside "shopping".
  const shop = `${"Home ".repeat(60)}Your shopping list ${"Footer ".repeat(60)}`;
  assert.match(excerpt(shop, "Saved: x.png"), /^"Home Home/);
  // Nothing of it on the page (or only a word too short to find anything by): the start.
  assert.match(excerpt(page, "Goodbye"), /^"Home About Contact .*About…" \(637 characters\)$/);
  assert.match(excerpt(page, "Ok"), /^"Home About/);
  // A letter whose lower case is longer ("İ" → "i̇") before it does not shift the quote off it.
  const turkish = `${"İ".repeat(600)} Stokta yok ${"x".repeat(300)}`;
  assert.match(excerpt(turkish, "Stokta yok"), /^"…İ{99} Stokta yok x+…"/);
  // The part found near the end: the quote ends with the text, and holds the full length before it.
  assert.match(excerpt(`${"a ".repeat(300)}the end`, "the end"), /^"…(a ){136}the end" \(607 characters\)$/);
});
