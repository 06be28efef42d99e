// A frame inside a page of another origin cannot see that page: the driver carries a point up itself, one frame at a time.
import { openingTag } from "./opening-tag";
import { frameStep, screenRect, shownInPart, within } from "./pointer";

/** What intoParent answers, run in the document holding a frame. */
export interface FrameStep {
  /** The frame's client point in this document's coordinates (null for none: only `partial` was asked). */
  at: { x: number; y: number } | null;
  /** Why a tap at that point would not reach the frame (frameBlockerSaid), "" if it would. */
  blocker: string;
  /** This document is the top-level page's. */
  top: boolean;
  /** The screen shows part of this document's layout viewport (pointer.ts shownInPart). */
  partial: boolean;
  /** The point in the screen's coordinates (WebDriver's and DevTools' input events take them). */
  screen: { x: number; y: number } | null;
}

/**
 * One frame up, run in the document holding `frame`: the frame's client point `at` in this document's coordinates,
 * and what here stops a tap there. A driver calls it at each frame from the element's up to the top-level page when a
 * parent is of another origin (pointer.ts throughFrames does the same in one call where every parent is of its origin).
 */
export function intoParent(
  frame: Element,
  at: { x: number; y: number } | null,
  input: PointerInput = "the click",
): FrameStep {
  const top = window === window.top;
  const partial = shownInPart();
  if (!at) return { at: null, blocker: "", top, partial, screen: null };
  const step = frameStep(frame, at.x, at.y);
  const s = screenRect();
  return {
    at: { x: step.x, y: step.y },
    blocker: step.blocker ? frameBlockerSaid(step.blocker, frame, input) : "",
    top,
    partial,
    screen: { x: step.x - s.left, y: step.y - s.top },
  };
}

/** What a pointer action sends: a click, or only the pointer (a hover), as failures name what would get it. */
export type PointerInput = "the click" | "the pointer";

/** Why a tap at a frame's point reaches `blocker` of the document around `frame` instead of the frame. */
export function frameBlockerSaid(
  blocker: Element | "off screen",
  frame: Element,
  input: PointerInput = "the click",
): string {
  if (blocker === "off screen") return "the page around its frame does not show it on the screen";
  // Behind the frame rather than over it: the frame itself takes no pointer (pointer-events: none, or inert).
  if (within(frame, blocker))
    return `its frame takes no pointer (pointer-events: none, or inert); ${openingTag(blocker)} gets ${input}`;
  return `${openingTag(blocker)} covers its frame and would get ${input}`;
}
