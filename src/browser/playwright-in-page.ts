// The in-page bundle called from Playwright, on an element or in a frame's document: installed once per document, as the Selenium adapter does (selenium-locators.ts).
//
// Why not each call with the bundle's source, as the explanations do: a drop-down is looked at every 50 ms while it
// opens, and compiling 60 kB per look would cost more than the look.
import type { ElementHandle, Frame, JSHandle, Locator as PwLocator } from "playwright-core";
import { IN_PAGE_KEY, INSTALL_SCRIPT, NOT_INSTALLED, THREW, throwIfThrew } from "./in-page-bundle";
import type { InPageApi } from "./in-page/index";

type Call = [key: string, fn: string, args: unknown[], missing: string, threw: string];

/**
 * Runs in the page: the installed API's `fn` (on the element, when called on one), or `missing` where it is not
 * installed; an exception of the bundle comes back as `{[threw]: text}` (in-page-bundle.ts THREW). Sent by its source,
 * so one function for both forms: an element handle's evaluate passes (element, request), a frame's (request).
 */
const call = (...given: [Call] | [Node, Call]): unknown => {
  const [el, [key, fn, args, missing, threw]] = given.length === 1 ? [undefined, given[0]] : given;
  const api = (window as unknown as Record<string, Record<string, (...a: unknown[]) => unknown> | undefined>)[key];
  if (!api) return missing;
  try {
    return el === undefined ? api[fn](...args) : api[fn](el, ...args);
  } catch (e) {
    return { [threw]: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
  }
};

let installer: (() => void) | undefined;
/** Installs the bundle in the element's or frame's document: a function whose body is the bundle (no eval in the page). */
const installIn = (where: ElementHandle | Frame): Promise<void> => {
  installer ??= new Function(INSTALL_SCRIPT) as () => void;
  return "ownerFrame" in where ? where.evaluate(installer) : where.evaluate(installer);
};

/** What `fn` of the in-page API answers about the element (JSON), the bundle installed first where it is missing. */
export async function callOn<T>(h: ElementHandle, fn: keyof InPageApi, ...args: unknown[]): Promise<T> {
  const request: Call = [IN_PAGE_KEY, fn, args, NOT_INSTALLED, THREW];
  let out = await h.evaluate(call, request);
  if (out === NOT_INSTALLED) {
    await installIn(h);
    out = await h.evaluate(call, request);
    if (out === NOT_INSTALLED) throw new Error("could not install Signoff's in-page script in the page");
  }
  throwIfThrew(fn, out);
  return out as T;
}

/**
 * As callOn, on the element a Playwright locator finds now (it waits up to `timeout` for one): one round trip where the
 * bundle is in its document already.
 */
export async function callOnMatch<T>(
  el: PwLocator,
  timeout: number,
  fn: keyof InPageApi,
  ...args: unknown[]
): Promise<T> {
  const request: Call = [IN_PAGE_KEY, fn, args, NOT_INSTALLED, THREW];
  let out = await el.evaluate(call, request, { timeout });
  if (out === NOT_INSTALLED) {
    installer ??= new Function(INSTALL_SCRIPT) as () => void;
    await el.evaluate(installer, undefined, { timeout });
    out = await el.evaluate(call, request, { timeout });
    if (out === NOT_INSTALLED) throw new Error("could not install Signoff's in-page script in the page");
  }
  throwIfThrew(fn, out);
  return out as T;
}

/** The element `fn` of the in-page API answers with (null when it answers none), the bundle installed first where missing. */
export async function elementOn(
  h: ElementHandle,
  fn: keyof InPageApi,
  ...args: unknown[]
): Promise<ElementHandle | null> {
  const request: Call = [IN_PAGE_KEY, fn, args, NOT_INSTALLED, THREW];
  for (let tries = 0; tries < 2; tries++) {
    const out = await h.evaluateHandle(call, request);
    const el = out.asElement();
    if (el) return el as ElementHandle;
    const value = await out.jsonValue();
    void out.dispose().catch(() => undefined);
    throwIfThrew(fn, value);
    if (value !== NOT_INSTALLED) return null;
    await installIn(h);
  }
  throw new Error("could not install Signoff's in-page script in the page");
}

/** What `fn` of the in-page API answers in the frame's document (JSON), the bundle installed first where it is missing. */
export async function callIn<T>(frame: Frame, fn: keyof InPageApi, ...args: unknown[]): Promise<T> {
  const request: Call = [IN_PAGE_KEY, fn, args, NOT_INSTALLED, THREW];
  let out = await frame.evaluate(call, request);
  if (out === NOT_INSTALLED) {
    await installIn(frame);
    out = await frame.evaluate(call, request);
    if (out === NOT_INSTALLED) throw new Error("could not install Signoff's in-page script in the page");
  }
  throwIfThrew(fn, out);
  return out as T;
}

/**
 * What `fn` answers in the frame's document, for answers holding elements: `use` gets the answer's JSON with each of
 * its element fields null, and the answer's handle to take those from; the handle is disposed once `use` is done.
 */
export async function withAnswerIn<T>(
  frame: Frame,
  fn: keyof InPageApi,
  args: unknown[],
  use: (data: unknown, answer: JSHandle) => Promise<T>,
): Promise<T> {
  const request: Call = [IN_PAGE_KEY, fn, args, NOT_INSTALLED, THREW];
  for (let tries = 0; tries < 2; tries++) {
    const h = await frame.evaluateHandle(call, request);
    try {
      const data = await h.evaluate((answer) =>
        typeof answer === "object" && answer !== null && !Array.isArray(answer)
          ? Object.fromEntries(Object.entries(answer).map(([k, v]) => [k, v instanceof Node ? null : v]))
          : answer,
      );
      if (data === NOT_INSTALLED) {
        await installIn(frame);
        continue;
      }
      throwIfThrew(fn, data);
      return await use(data, h);
    } finally {
      void h.dispose().catch(() => undefined);
    }
  }
  throw new Error("could not install Signoff's in-page script in the page");
}
