// Whether the browser reads a CSS phrase's selector, asked once per selector and browser, so both drivers refuse the same selectors in the same words.
import { clearTimeout, setTimeout } from "node:timers";
import { UnreadableSelectorError, type Locator } from "./session";

/**
 * Runs in a page, sent by its source: for each selector, whether the browser's own CSS parser reads it; null for all
 * when the page answers two control questions wrongly (it replaced querySelector or DOMException: its answers would
 * be the page's, not the parser's). Playwright parses CSS itself and reads its own syntax (`:has-text()`, `text=`,
 * `>>`) where Selenium's browser refuses it; a typo was Playwright's raw parse error and Selenium's in-page failure.
 */
export function readsSelectors(selectors: string[]): boolean[] | null {
  const probe = document.createDocumentFragment();
  const reads = (selector: string): boolean | null => {
    try {
      probe.querySelector(selector);
      return true;
    } catch (e) {
      return e instanceof DOMException && e.name === "SyntaxError" ? false : null;
    }
  };
  if (reads("*") !== true || reads("[") !== false) return null;
  const answers: boolean[] = [];
  for (const s of selectors) {
    const read = reads(s);
    if (read === null) return null;
    answers.push(read);
  }
  return answers;
}

/** The CSS selectors of a locator: its own, then its containers'. */
function selectorsOf(l: Locator): string[] {
  const own = l.by === "css" ? [l.selector] : [];
  return l.within ? [...own, ...selectorsOf(l.within)] : own;
}

/** One browser's answers, kept: the parser is the browser's, the same in every page and frame it shows. */
export class CssReadability {
  private readonly readable = new Set<string>();

  /**
   * `ask` runs readsSelectors in a page of the browser and answers what it returns; `ready` opens that page where it
   * is one of its own (not timed: opened once, it is not what a slow answer says about the page under test).
   */
  constructor(
    private readonly ask: (selectors: string[]) => Promise<unknown>,
    private readonly ready: () => Promise<unknown> = async () => undefined,
  ) {}

  /**
   * Throws UnreadableSelectorError for the first CSS selector of `l` the browser refuses. A page that gives no answer
   * within `ms` (between two documents, busy, or answering wrongly) decides nothing: the action goes on, and the
   * selector is asked again next time.
   */
  async check(l: Locator, ms: number): Promise<void> {
    const unasked = selectorsOf(l).filter((s) => !this.readable.has(s));
    if (unasked.length === 0) return;
    const ready = await this.ready().then(
      () => true,
      () => false,
    );
    if (!ready) return;
    let timer: NodeJS.Timeout | undefined;
    const answers = await Promise.race([
      this.ask(unasked).catch(() => undefined),
      new Promise<undefined>((resolve) => {
        timer = setTimeout(() => resolve(undefined), ms);
      }),
    ]);
    clearTimeout(timer);
    if (!Array.isArray(answers) || answers.length !== unasked.length) return;
    for (const [i, s] of unasked.entries()) {
      if (answers[i] === true) this.readable.add(s);
      else if (answers[i] === false) throw new UnreadableSelectorError(s);
    }
  }
}
