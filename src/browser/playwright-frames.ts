// A point of an element in a frame carried up to the page by Playwright, where a parent frame is of another origin.
import type { ElementHandle, Frame } from "playwright-core";
import { callOn } from "./playwright-in-page";
import type { FrameStep, PointerInput } from "./in-page/across-frames";
import type { AcrossOrigins } from "./in-page/pointer";

/** In-page pointerLanding's answer where the driver's own click holds (`partial: false`), else the point, if any. */
export type PointerLanding = { partial: false } | { partial: true; position: { x: number; y: number } | null };

/**
 * In-page pointerLanding; where a parent of the element's frame is of another origin (which hides the frame's place
 * and what covers it from inside), the element's own landing carried up (carryUp).
 */
export async function pointerLandingOf(h: ElementHandle): Promise<PointerLanding> {
  const landing = await callOn<PointerLanding | AcrossOrigins>(h, "pointerLanding");
  if (!("acrossOrigins" in landing)) return landing;
  type Own = { at: { x: number; y: number }; position: { x: number; y: number } } | null;
  const own = await callOn<Own>(h, "landingInFrame");
  const frame = await h.ownerFrame();
  const up = frame && (await carryUp(frame, own?.at ?? null));
  if (!up?.partial) return { partial: false };
  return { partial: true, position: own && !up.blocker ? own.position : null };
}

/**
 * Waits until the page has drawn two frames (at most 250 ms: a page the browser does not draw). A scroll the frame
 * asked for reaches a parent of another origin by way of the browser, not at once: measured before it lands, the
 * frame's place (and what covers it there) is the old one.
 */
const twoFrames = () =>
  new Promise<void>((done) => {
    const timer = setTimeout(done, 250);
    requestAnimationFrame(() => requestAnimationFrame(() => (clearTimeout(timer), done())));
  });

/**
 * A client point of `frame`'s document carried up to the top-level page frame by frame, each frame's element asked in
 * its parent's document (in-page intoParent) once that has drawn (twoFrames), as Playwright reaches documents of any
 * origin: whether the screen shows part of the page, and what of the pages around the frame would get a tap there
 * ("" if nothing).
 */
export async function carryUp(
  frame: Frame,
  at: { x: number; y: number } | null,
  input: PointerInput = "the click",
): Promise<{ partial: boolean; blocker: string } | undefined> {
  let step: FrameStep | undefined;
  let blocker = "";
  for (let f: Frame | null = frame; f?.parentFrame(); f = f.parentFrame()) {
    await f.parentFrame()!.evaluate(twoFrames);
    const holder = await f.frameElement();
    step = await callOn<FrameStep>(holder, "intoParent", step ? step.at : at, input).finally(
      () => void holder.dispose().catch(() => undefined),
    );
    blocker ||= step.blocker;
  }
  return step?.top ? { partial: step.partial, blocker } : undefined;
}
