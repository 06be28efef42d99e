// Device catalog: Playwright's device descriptors, the single source of what a device name means.
import type { TargetSpec } from "../config/types";
import { didYouMean } from "../core/did-you-mean";

/** A device as Playwright describes it (the fields Signoff uses). */
export interface DeviceDescriptor {
  userAgent: string;
  viewport: { width: number; height: number };
  deviceScaleFactor: number;
  isMobile: boolean;
  hasTouch: boolean;
}

export type DeviceCatalog = Record<string, DeviceDescriptor>;

/** Playwright's descriptors as data (scripts/generate-device-descriptors.ts), and the playwright-core they came from. */
export interface DeviceSnapshot {
  playwrightCore: string;
  devices: DeviceCatalog;
}

/**
 * The snapshot when it comes from the installed playwright-core, else Playwright's own catalog. Loading
 * playwright-core costs ≈ 0.6 s of CPU before a Selenium target can start its browser; the snapshot is the
 * same data without the code. Another installed version (a project's own override) gets Playwright's catalog.
 */
export function catalogFrom(
  snapshot: DeviceSnapshot,
  installedVersion: string,
  live: () => DeviceCatalog,
): DeviceCatalog {
  return snapshot.playwrightCore === installedVersion ? snapshot.devices : live();
}

let catalog: DeviceCatalog | undefined;

function devicesCatalog(): DeviceCatalog {
  catalog ??= catalogFrom(
    require("../core/device-descriptors.generated") as DeviceSnapshot,
    (require("playwright-core/package.json") as { version: string }).version,
    () => (require("playwright-core") as typeof import("playwright-core")).devices,
  );
  return catalog;
}

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
  return Object.keys(devicesCatalog()).filter((n) => !n.endsWith(" landscape"));
}

/** The emulation a target asks for. Throws with the list of known devices for an unknown name. */
export function emulationFor(target: Pick<TargetSpec, "device" | "viewport">): DeviceEmulation {
  const d = Object.hasOwn(devicesCatalog(), target.device) ? devicesCatalog()[target.device] : undefined;
  if (!d) {
    throw new Error(
      `unknown device "${target.device}"${didYouMean(target.device, knownDeviceNames())}; known devices include: ${knownDeviceNames()
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
