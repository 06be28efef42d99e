// src/browser/in-page/css.ts: how a CSS phrase's selector splits into compound selectors, combinators and the
// pseudo-classes Playwright evaluates itself, which the in-page matcher walks across open shadow roots (the matching
// itself runs in the browser: test/conformance/suite.ts, shadow-css.html).
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  isSelectorList,
  parseSelectorList,
  type ComplexSelector,
  type Compound,
  type PseudoClass,
} from "../../src/browser/in-page/css";

/** A complex selector from its parts: compounds (a string is CSS alone) and combinators, alternately. */
const one = (...parts: Array<string | Compound>): ComplexSelector => ({
  compounds: parts.filter((_, i) => i % 2 === 0).map((p) => (typeof p === "string" ? { css: p, pseudo: [] } : p)),
  combinators: parts.filter((_, i) => i % 2 === 1) as ComplexSelector["combinators"],
});
const compound = (css: string, ...pseudo: PseudoClass[]): Compound => ({ css, pseudo });
const SCOPE: PseudoClass = { name: "scope" };

test("compound selectors and the combinators between them, white space around a combinator or none", () => {
  const cases: Array<[string, ComplexSelector[]]> = [
    [".price", [one(".price")]],
    ["x-card .price", [one("x-card", " ", ".price")]],
    ["  x-card \n\t .price  ", [one("x-card", " ", ".price")]],
    ["x-card > .body>.price", [one("x-card", ">", ".body", ">", ".price")]],
    ["li.second ~ li + li", [one("li.second", "~", "li", "+", "li")]],
    ["body>section x-card", [one("body", ">", "section", " ", "x-card")]],
    ["div#a.b[c]:hover::before", [one("div#a.b[c]:hover::before")]],
    ["*", [one("*")]],
  ];
  for (const [selector, want] of cases) assert.deepEqual(parseSelectorList(selector), want, selector);
});

test("a selector list splits at its own commas only", () => {
  assert.deepEqual(parseSelectorList(".price, x-card .label"), [one(".price"), one("x-card", " ", ".label")]);
  assert.deepEqual(parseSelectorList('iframe[title="Pay, now"], frame[title="Pay, now"]'), [
    one('iframe[title="Pay, now"]'),
    one('frame[title="Pay, now"]'),
  ]);
  assert.equal(isSelectorList(":invalid:not(form):not(fieldset), [aria-invalid='true']"), true);
  assert.equal(isSelectorList(":is(a, b) c"), false);
  assert.equal(isSelectorList("not a list ["), false);
});

test("quotes, brackets, parentheses and escapes are kept whole", () => {
  const cases: Array<[string, ComplexSelector[]]> = [
    ['[title="a > b ~ c"] span', [one('[title="a > b ~ c"]', " ", "span")]],
    ["[title='it\\'s > here']", [one("[title='it\\'s > here']")]],
    ["[lang|=en] [class~=x]", [one("[lang|=en]", " ", "[class~=x]")]],
    ["li:nth-child(2n + 1) > a", [one("li:nth-child(2n + 1)", ">", "a")]],
    ["li:nth-child(2 of :is(.a .b))", [one("li:nth-child(2 of :is(.a .b))")]],
    ["::slotted(:is(.a)) b", [one("::slotted(:is(.a))", " ", "b")]],
    [".a\\ b .c", [one(".a\\ b", " ", ".c")]],
    ["#\\31 23 > p", [one("#\\31 23", ">", "p")]],
    [".a\\>b", [one(".a\\>b")]],
    ["\\:is(a) b", [one("\\:is(a)", " ", "b")]],
  ];
  for (const [selector, want] of cases) assert.deepEqual(parseSelectorList(selector), want, selector);
});

test("the pseudo-classes Playwright evaluates itself come out of their compound, with their selector lists", () => {
  const cases: Array<[string, ComplexSelector[]]> = [
    ["x-card:has(.price)", [one(compound("x-card", { name: "has", args: [one(".price")] }))]],
    [
      "a:NOT(.b .c, d)[href] > e",
      [one(compound("a[href]", { name: "not", args: [one(".b", " ", ".c"), one("d")] }), ">", "e")],
    ],
    [":is(h1, h2) > a", [one(compound("", { name: "is", args: [one("h1"), one("h2")] }), ">", "a")]],
    [":where([title=')'])", [one(compound("", { name: "where", args: [one("[title=')']")] }))]],
    [
      "li:not(:has(> img))",
      [
        one(
          compound("li", {
            name: "not",
            args: [one(compound("", { name: "has", args: [one(compound("", SCOPE), ">", "img")] }))],
          }),
        ),
      ],
    ],
    [":scope > p", [one(compound("", SCOPE), ">", "p")]],
    ["> p", [one(compound("", SCOPE), ">", "p")]],
    [":scoped p", [one(":scoped", " ", "p")]],
  ];
  for (const [selector, want] of cases) assert.deepEqual(parseSelectorList(selector), want, selector);
});

test("what does not split so is left to the browser (null)", () => {
  for (const selector of ["", " ", "p >", "a > > b", "a + ~ b", "a,", ", a", "a,,b", "a >> b", '[x="y]', ":is(a", "a)"])
    assert.equal(parseSelectorList(selector), null, JSON.stringify(selector));
});
