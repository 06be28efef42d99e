// Pure mapping from a device's emulation (Playwright's descriptor, see devices.ts) to the Chrome
// options the Selenium adapter starts chromedriver with, so one device name means one thing on
// both drivers: the same CSS viewport, device pixel ratio, user agent and touch support.
//
// Desktop devices go through the same `mobileEmulation.deviceMetrics` (with mobile: false) rather
// than a window size: a window's outer size includes browser chrome, so only a metrics override
// makes window.innerWidth equal the descriptor's viewport exactly, as Playwright's context does.
import type { DeviceEmulation } from "./devices";

/** chromeOptions.mobileEmulation as chromedriver understands it. */
export interface ChromeMobileEmulation {
  deviceMetrics: {
    /** CSS pixels of the layout viewport. */
    width: number;
    height: number;
    pixelRatio: number;
    /** Emulate a touch screen (navigator.maxTouchPoints > 0, touch events). */
    touch: boolean;
    /** Mobile viewport rules (meta viewport, overlay scrollbars, text autosizing). */
    mobile: boolean;
  };
  userAgent: string;
}

export interface ChromeEmulationOptions {
  mobileEmulation: ChromeMobileEmulation;
  /** Extra Chromium command-line arguments that go with the emulation. */
  args: string[];
}

function positiveInteger(n: unknown): n is number {
  return typeof n === "number" && Number.isInteger(n) && n > 0;
}

/** Maps a device emulation to chromedriver's mobileEmulation (+ window size); throws on a malformed descriptor. */
export function chromeEmulationFor(e: DeviceEmulation): ChromeEmulationOptions {
  const { width, height } = e.viewport ?? ({} as { width?: number; height?: number });
  if (!positiveInteger(width) || !positiveInteger(height)) {
    throw new Error(
      `device "${e.name}": viewport must be positive whole CSS pixels, got ${JSON.stringify(e.viewport)}`,
    );
  }
  if (typeof e.deviceScaleFactor !== "number" || !(e.deviceScaleFactor > 0) || !Number.isFinite(e.deviceScaleFactor)) {
    throw new Error(
      `device "${e.name}": deviceScaleFactor must be a positive number, got ${String(e.deviceScaleFactor)}`,
    );
  }
  if (typeof e.userAgent !== "string" || e.userAgent.trim() === "") {
    throw new Error(`device "${e.name}": userAgent must be a non-empty string`);
  }
  return {
    mobileEmulation: {
      deviceMetrics: {
        width,
        height,
        pixelRatio: e.deviceScaleFactor,
        touch: e.hasTouch === true,
        mobile: e.isMobile === true,
      },
      userAgent: e.userAgent,
    },
    // The window itself is sized to the viewport too, so nothing (screenshots, window.outerWidth)
    // depends on Chromium's default 800×600 headless window.
    args: [`--window-size=${width},${height}`],
  };
}
