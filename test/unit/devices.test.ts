// The device catalog: Playwright's descriptors, read without loading Playwright when they come from the installed version.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { devices as playwrightDevices } from "playwright-core";
import { GENERATED_DEVICES, deviceDescriptorsSource } from "../../scripts/generate-device-descriptors";
import { catalogFrom, emulationFor, type DeviceCatalog, type DeviceSnapshot } from "../../src/browser/devices";

const root = join(__dirname, "..", "..");

test("src/core/device-descriptors.generated.js is the installed playwright-core's catalog (npm run generate:devices)", () => {
  assert.equal(readFileSync(GENERATED_DEVICES, "utf8"), deviceDescriptorsSource());
  const snapshot = require("../../src/core/device-descriptors.generated") as DeviceSnapshot;
  assert.equal(snapshot.playwrightCore, (require("playwright-core/package.json") as { version: string }).version);
  assert.deepEqual(snapshot.devices, playwrightDevices);
});

test("the snapshot is used only for the playwright-core version it was taken from", () => {
  const snapshot: DeviceSnapshot = { playwrightCore: "1.65.1", devices: { A: playwrightDevices["Pixel 7"] } };
  const live: DeviceCatalog = { B: playwrightDevices["Desktop Chrome"] };
  let asked = 0;
  const liveCatalog = () => (asked++, live);
  assert.equal(catalogFrom(snapshot, "1.65.1", liveCatalog), snapshot.devices);
  assert.equal(asked, 0);
  assert.equal(catalogFrom(snapshot, "1.65.2", liveCatalog), live);
  assert.equal(catalogFrom(snapshot, "1.66.0", liveCatalog), live);
  assert.equal(asked, 2);
});

test("a phone's emulation is exactly Playwright's descriptor; a desktop keeps the target's viewport", () => {
  for (const name of ["Pixel 7", "iPhone 15", "Galaxy S24"]) {
    const d = playwrightDevices[name];
    assert.deepEqual(emulationFor({ device: name }), {
      name,
      viewport: d.viewport,
      deviceScaleFactor: d.deviceScaleFactor,
      userAgent: d.userAgent,
      isMobile: d.isMobile,
      hasTouch: d.hasTouch,
    });
  }
  const desktop = emulationFor({ device: "Desktop Chrome", viewport: { width: 1024, height: 700 } });
  assert.deepEqual(desktop.viewport, { width: 1024, height: 700 });
  assert.equal(desktop.userAgent, playwrightDevices["Desktop Chrome"].userAgent);
});

test("a device name that is no device (an object's own property names included) is unknown", () => {
  for (const device of ["Nokia 3310", "toString", "__proto__", "constructor", "hasOwnProperty"])
    assert.throws(
      () => emulationFor({ device }),
      new RegExp(`unknown device "${device}"; known devices include: .*Pixel 7`),
    );
});

test("looking devices up does not load Playwright's code", () => {
  const script = `
    const { emulationFor, knownDeviceNames } = require("./src/browser/devices.ts");
    emulationFor({ device: "Pixel 7" }); emulationFor({ device: "Desktop Chrome" }); knownDeviceNames();
    const loaded = Object.keys(require.cache).filter((f) => /playwright-core[\\\\/]lib/.test(f));
    process.stdout.write(JSON.stringify(loaded));`;
  const out = spawnSync(process.execPath, ["-r", "./src/register.js", "-e", script], { cwd: root, encoding: "utf8" });
  assert.equal(out.status, 0, out.stderr);
  assert.deepEqual(JSON.parse(out.stdout), []);
});
