// The text rules the steps share: contains ignores case and whitespace runs, exact ignores only whitespace runs.
import { test } from "node:test";
import assert from "node:assert/strict";
import { containsText, excerpt, sameText } from "../../steps/support/text";

test("contains: case-insensitive, whitespace as rendered", () => {
  assert.equal(containsText("You are visitor\n  number 7", "VISITOR NUMBER"), true);
  assert.equal(containsText("Hello", "Goodbye"), false);
});

test("exact: case counts, whitespace runs do not", () => {
  assert.equal(sameText("  Buy   milk\n", "Buy milk"), true);
  assert.equal(sameText("Buy milk", "buy milk"), false);
  assert.equal(sameText("Buy milk now", "Buy milk"), false);
});

test("excerpts are short and say when the page shows nothing", () => {
  assert.equal(excerpt("  a  b "), '"a b"');
  assert.equal(excerpt(""), "(no visible text)");
  assert.match(excerpt("x".repeat(500)), /^"x{160}…" \(500 characters\)$/);
});

test("a long text is quoted around the most of the expected words it has, else from its start", () => {
  const page = `${"Home About Contact ".repeat(20)}Thank you for your message, we will reply soon. ${"Footer ".repeat(30)}`;
  const quoted = excerpt(page, "Thank you for your order");
  assert.match(quoted, /^"….{40}Thank you for your message, we will reply soon\. Footer.*…" \(\d+ characters\)$/);
  assert.equal(quoted.slice(1, quoted.indexOf('" (')).length, 1 + 160 + 1, "an ellipsis, 160 characters, an ellipsis");
  // Nothing of it on the page (or only a word too short to find anything by): the start.
  assert.match(excerpt(page, "Goodbye"), /^"Home About Contact .{141}…" \(\d+ characters\)$/);
  assert.match(excerpt(page, "Ok"), /^"Home About/);
  // A letter whose lower case is longer ("İ" → "i̇") before it does not shift the quote off it.
  const turkish = `${"İ".repeat(300)} Stokta yok ${"x".repeat(300)}`;
  assert.match(excerpt(turkish, "Stokta yok"), /^"…İ{39} Stokta yok x+…"/);
  // The part found near the end: the quote ends with the text, no trailing ellipsis.
  assert.match(excerpt(`${"a ".repeat(100)}the end`, "the end"), /^"….{40}the end" \(207 characters\)$/);
});
