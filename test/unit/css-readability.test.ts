// CssReadability: which CSS phrases are refused, asked once per selector, and what an unanswered question decides (nothing).
import { test } from "node:test";
import assert from "node:assert/strict";
import { CssReadability } from "../../src/browser/css-readability";
import { UnreadableSelectorError, type Locator } from "../../src/browser/session";

/** A browser whose parser refuses `refused`, counting what it was asked. */
function browser(refused: string[]) {
  const asked: string[][] = [];
  return {
    asked,
    ask: async (selectors: string[]) => {
      asked.push(selectors);
      return selectors.map((s) => !refused.includes(s));
    },
  };
}

const css = (selector: string, within?: Locator): Locator => ({ by: "css", selector, within });

test("a selector the browser reads is asked about once; one it refuses is refused every time", async () => {
  const b = browser(["[["]);
  const css1 = new CssReadability(b.ask);
  await css1.check(css("h1"), 1000);
  await css1.check(css("h1"), 1000);
  await assert.rejects(css1.check(css("[["), 1000), UnreadableSelectorError);
  await assert.rejects(css1.check(css("[["), 1000), UnreadableSelectorError);
  assert.deepEqual(b.asked, [["h1"], ["[["], ["[["]]);
});

test("containers' CSS is asked in the same question, and a refused container refuses the phrase", async () => {
  const b = browser([":has-text(x)"]);
  const phrase: Locator = { by: "role", role: "button", name: "Buy", within: css("main", css(":has-text(x)")) };
  const err = await new CssReadability(b.ask).check(phrase, 1000).catch((e: unknown) => e);
  assert.ok(err instanceof UnreadableSelectorError);
  assert.equal(err.selector, ":has-text(x)");
  assert.deepEqual(b.asked, [["main", ":has-text(x)"]]);
  // No CSS anywhere: no question.
  await new CssReadability(b.ask).check({ by: "text", text: "Hi" }, 1000);
  assert.equal(b.asked.length, 1);
});

test("no answer decides nothing: the phrase goes on, and is asked again next time", async () => {
  const noAnswers: Array<[string, (selectors: string[]) => Promise<unknown>]> = [
    ["the page threw", async () => Promise.reject(new Error("Execution context was destroyed"))],
    ["the page answered the control questions wrongly", async () => null],
    ["an answer of another shape", async () => [false, false]],
    ["no answer in time", () => new Promise(() => undefined)],
  ];
  for (const [why, ask] of noAnswers) {
    let asked = 0;
    const css1 = new CssReadability((s: string[]) => (asked++, ask(s)));
    await css1.check(css("[["), 20);
    await css1.check(css("[["), 20);
    assert.equal(asked, 2, why);
  }
});

test("the page to ask in is opened untimed; one that cannot be opened decides nothing", async () => {
  const b = browser(["[["]);
  // Opening takes longer than the answer may: an answer still comes, and is taken.
  const slowToOpen = new CssReadability(b.ask, () => new Promise((resolve) => setTimeout(resolve, 60)));
  await assert.rejects(slowToOpen.check(css("[["), 20), UnreadableSelectorError);
  const neverOpens = new CssReadability(b.ask, async () => Promise.reject(new Error("browser gone")));
  await neverOpens.check(css("[["), 20);
  assert.deepEqual(b.asked, [["[["]]);
});
