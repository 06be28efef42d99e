// Device catalog: Playwright's device descriptors, the single source of what a device name means.
import { devices } from "playwright-core";
import type { TargetSpec } from "../config/types";

export interface DeviceEmulation {
  name: string;
  viewport: { width: number; height: number };
  deviceScaleFactor: number;
  userAgent: string;
  isMobile: boolean;
  hasTouch: boolean;
}

/** Desktop default viewport (the 1280×800), applied when the target sets none. */
export const DESKTOP_VIEWPORT = { width: 1280, height: 800 };

export function knownDeviceNames(): string[] {
  return Object.keys(devices).filter((n) => !n.endsWith(" landscape"));
}

/** The emulation a target asks for. Throws with the list of known devices for an unknown name. */
export function emulationFor(target: Pick<TargetSpec, "device" | "viewport">): DeviceEmulation {
  const d = devices[target.device];
  if (!d) {
    throw new Error(
      `unknown device "${target.device}"; known devices include: ${knownDeviceNames()
        .filter((n) => /^(Desktop|Pixel|iPhone 1[3-5]|Galaxy S|iPad)/.test(n))
        .join(", ")} (any name from Playwright's device list)`,
    );
  }
  const viewport = d.isMobile ? d.viewport : (target.viewport ?? DESKTOP_VIEWPORT);
  return {
    name: target.device,
    viewport: { ...viewport },
    deviceScaleFactor: d.deviceScaleFactor,
    userAgent: d.userAgent,
    isMobile: d.isMobile,
    hasTouch: d.hasTouch,
  };
}
