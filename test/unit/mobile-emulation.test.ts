// The device → Chrome mobileEmulation mapping the Selenium adapter uses (src/browser/mobile-emulation.ts).
import assert from "node:assert/strict";
import { test } from "node:test";
import { devices } from "playwright-core";
import { DESKTOP_VIEWPORT, emulationFor, knownDeviceNames, type DeviceEmulation } from "../../src/browser/devices";
import { chromeEmulationFor } from "../../src/browser/mobile-emulation";

test("Pixel 7 maps to Chrome deviceMetrics with Playwright's viewport, DPR, touch, mobile and user agent", () => {
  const d = devices["Pixel 7"];
  const out = chromeEmulationFor(emulationFor({ device: "Pixel 7" }));
  assert.deepEqual(out.mobileEmulation, {
    deviceMetrics: {
      width: d.viewport.width,
      height: d.viewport.height,
      pixelRatio: d.deviceScaleFactor,
      touch: true,
      mobile: true,
    },
    userAgent: d.userAgent,
  });
  assert.deepEqual(out.mobileEmulation.deviceMetrics, {
    width: 412,
    height: 839,
    pixelRatio: 2.625,
    touch: true,
    mobile: true,
  });
  assert.deepEqual(out.args, ["--window-size=412,839"]);
});

test("a desktop device is emulated through deviceMetrics too (mobile: false, no touch), at the desktop viewport", () => {
  const out = chromeEmulationFor(emulationFor({ device: "Desktop Chrome" }));
  assert.deepEqual(out.mobileEmulation.deviceMetrics, {
    width: DESKTOP_VIEWPORT.width,
    height: DESKTOP_VIEWPORT.height,
    pixelRatio: 1,
    touch: false,
    mobile: false,
  });
  assert.equal(out.mobileEmulation.userAgent, devices["Desktop Chrome"].userAgent);
  assert.deepEqual(out.args, [`--window-size=${DESKTOP_VIEWPORT.width},${DESKTOP_VIEWPORT.height}`]);
});

test("a target's desktop viewport override reaches the metrics", () => {
  const out = chromeEmulationFor(emulationFor({ device: "Desktop Chrome", viewport: { width: 1024, height: 600 } }));
  assert.equal(out.mobileEmulation.deviceMetrics.width, 1024);
  assert.equal(out.mobileEmulation.deviceMetrics.height, 600);
  assert.deepEqual(out.args, ["--window-size=1024,600"]);
});

test("a high-DPR phone without being Android keeps its own values (iPhone 15)", () => {
  const d = devices["iPhone 15"];
  const m = chromeEmulationFor(emulationFor({ device: "iPhone 15" })).mobileEmulation;
  assert.equal(m.deviceMetrics.pixelRatio, 3);
  assert.equal(m.deviceMetrics.width, d.viewport.width);
  assert.equal(m.deviceMetrics.touch, true);
  assert.equal(m.userAgent, d.userAgent);
});

test("every Playwright device maps, and the mapping preserves every emulated property", () => {
  const names = knownDeviceNames();
  assert.ok(names.length > 50);
  for (const name of names) {
    const e = emulationFor({ device: name });
    const m = chromeEmulationFor(e).mobileEmulation;
    assert.deepEqual(
      m,
      {
        deviceMetrics: {
          width: e.viewport.width,
          height: e.viewport.height,
          pixelRatio: e.deviceScaleFactor,
          touch: e.hasTouch,
          mobile: e.isMobile,
        },
        userAgent: e.userAgent,
      },
      name,
    );
  }
});

test("the mapping does not share or mutate the descriptor", () => {
  const e = emulationFor({ device: "Pixel 7" });
  const before = JSON.stringify(e);
  const out = chromeEmulationFor(e);
  out.mobileEmulation.deviceMetrics.width = 1;
  assert.equal(JSON.stringify(e), before);
  assert.equal(JSON.stringify(devices["Pixel 7"].viewport), JSON.stringify({ width: 412, height: 839 }));
});

test("malformed emulation is rejected with the device name and the field", () => {
  const good: DeviceEmulation = emulationFor({ device: "Pixel 7" });
  const bad: Array<[Partial<DeviceEmulation>, RegExp]> = [
    [{ viewport: { width: 0, height: 839 } }, /"Pixel 7": viewport/],
    [{ viewport: { width: 412.5, height: 839 } }, /viewport must be positive whole CSS pixels/],
    [{ viewport: undefined as unknown as DeviceEmulation["viewport"] }, /viewport/],
    [{ deviceScaleFactor: 0 }, /deviceScaleFactor/],
    [{ deviceScaleFactor: Number.NaN }, /deviceScaleFactor/],
    [{ userAgent: "  " }, /userAgent/],
  ];
  for (const [patch, message] of bad) {
    assert.throws(() => chromeEmulationFor({ ...good, ...patch }), message, JSON.stringify(patch));
  }
});

test("an unknown device name fails before any mapping, listing known devices", () => {
  assert.throws(
    () => chromeEmulationFor(emulationFor({ device: "Nokia 3310" })),
    /unknown device "Nokia 3310".*Pixel 7/,
  );
});
