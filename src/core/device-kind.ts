// Whether a device of Playwright's catalog is a phone or tablet, from the generated snapshot alone: for the gate.
//
// The gate drives no browser, and must not load playwright-core (src/browser/devices.ts does when the installed version
// is another than the snapshot's): a built-in device's kind is the same in every version.

/** The snapshot's devices (src/core/device-descriptors.generated.js, `npm run generate:devices`), the field read here. */
interface Snapshot {
  devices: Record<string, { isMobile: boolean }>;
}

/** true for a phone or tablet, false for a desktop, undefined for a name the snapshot lacks. */
export function snapshotIsMobile(device: string): boolean | undefined {
  const { devices } = require("./device-descriptors.generated") as Snapshot;
  return Object.hasOwn(devices, device) ? devices[device].isMobile : undefined;
}
