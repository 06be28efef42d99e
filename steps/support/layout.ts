// Layout rules the layout steps apply, kept apart from the steps so they can be unit-tested.
import type { ViewportMetrics } from "../../src/browser/session";

/**
 * scrollWidth is rounded to whole pixels while layout is not: content 980.4 px wide in a 980 px
 * viewport reports 981 although the page cannot scroll. More than one pixel over is real overflow.
 */
export function scrollsSideways(vp: Pick<ViewportMetrics, "scrollWidth" | "viewportWidth">): boolean {
  return vp.scrollWidth - vp.viewportWidth > 1;
}
