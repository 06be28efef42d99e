// The in-page bundle called on an element from Playwright: installed once per document, as the Selenium adapter does (selenium-locators.ts).
//
// Why not each call with the bundle's source, as the explanations do: a drop-down is looked at every 50 ms while it
// opens, and compiling 60 kB per look would cost more than the look.
import type { ElementHandle } from "playwright-core";
import { IN_PAGE_KEY, INSTALL_SCRIPT, NOT_INSTALLED } from "./in-page-bundle";
import type { InPageApi } from "./in-page/index";

type Call = [key: string, fn: string, args: unknown[], missing: string];

/** Runs in the page: the installed API's `fn` on the element, or `missing` where it is not installed. Sent by its source. */
const call = (el: Element, [key, fn, args, missing]: Call): unknown => {
  const api = (window as unknown as Record<string, Record<string, (...a: unknown[]) => unknown> | undefined>)[key];
  return api ? api[fn](el, ...args) : missing;
};

let installer: (() => void) | undefined;
/** Installs the bundle in the element's document: a function whose body is the bundle (no eval in the page). */
const install = (h: ElementHandle) => h.evaluate((installer ??= new Function(INSTALL_SCRIPT) as () => void));

/** What `fn` of the in-page API answers about the element (JSON), the bundle installed first where it is missing. */
export async function callOn<T>(h: ElementHandle, fn: keyof InPageApi, ...args: unknown[]): Promise<T> {
  const request: Call = [IN_PAGE_KEY, fn, args, NOT_INSTALLED];
  let out = await h.evaluate(call, request);
  if (out === NOT_INSTALLED) {
    await install(h);
    out = await h.evaluate(call, request);
    if (out === NOT_INSTALLED) throw new Error("could not install Signoff's in-page script in the page");
  }
  return out as T;
}

/** The element `fn` of the in-page API answers with (null when it answers none), the bundle installed first where missing. */
export async function elementOn(
  h: ElementHandle,
  fn: keyof InPageApi,
  ...args: unknown[]
): Promise<ElementHandle | null> {
  const request: Call = [IN_PAGE_KEY, fn, args, NOT_INSTALLED];
  for (let tries = 0; tries < 2; tries++) {
    const out = await h.evaluateHandle(call, request);
    const el = out.asElement();
    if (el) return el as ElementHandle;
    const value = await out.jsonValue();
    void out.dispose().catch(() => undefined);
    if (value !== NOT_INSTALLED) return null;
    await install(h);
  }
  throw new Error("could not install Signoff's in-page script in the page");
}
