// Target selection and the per-target tag filter.
import { test } from "node:test";
import assert from "node:assert/strict";
import { parse } from "@cucumber/tag-expressions";
import { defaultConfig } from "../../src/config/defaults";
import { selectTargets, targetTagExpression } from "../../src/runner/targets";

const config = defaultConfig();
const names = Object.keys(config.targets);
const runsOn = (targetName: string, tags: string[]) =>
  parse(targetTagExpression(config.targets[targetName], names)).evaluate(tags);

test("the default matrix is Playwright and Selenium on desktop and Pixel 7", () => {
  assert.deepEqual(
    selectTargets(config).map((t) => t.name),
    ["pw-desktop", "pw-pixel7", "se-desktop", "se-pixel7"],
  );
});

test("an unknown target is a usage error listing the known ones", () => {
  assert.throws(
    () => selectTargets(config, "pw-desktop,bogus"),
    (e: any) => e.exitCode === 2 && /unknown target "bogus"; known targets: pw-desktop, pw-pixel7/.test(e.message),
  );
  assert.throws(
    () => selectTargets(config, "pw-destkop"),
    (e: any) =>
      e.exitCode === 2 && /^unknown target "pw-destkop" \(did you mean "pw-desktop"\?\); known/.test(e.message),
  );
});

test("--targets naming no target (empty, or commas only) is a usage error, not the default matrix", () => {
  for (const names of ["", " ", ",,"])
    assert.throws(
      () => selectTargets(config, names),
      (e: any) => e.exitCode === 2 && /^--targets: no target named; known targets: pw-desktop/.test(e.message),
      JSON.stringify(names),
    );
});

test("more targets than one run.json may record are refused before anything runs; a name given twice counts once", () => {
  const c = defaultConfig();
  for (let i = 0; i < 260; i++)
    c.targets[`t${i}`] = { name: `t${i}`, driver: "playwright", browser: "chromium", device: "Desktop Chrome" };
  const first = (n: number) => Array.from({ length: n }, (_, i) => `t${i}`);
  assert.equal(selectTargets(c, [...first(256), "t0"].join(",")).length, 256);
  assert.throws(
    () => selectTargets(c, first(257).join(",")),
    (e: any) => e.exitCode === 2 && e.message === "--targets: 257 targets named, more than the 256 one run may record",
  );
});

test("an unknown device in a target is a usage error naming the config file and field, with the likely name", () => {
  const c = { ...defaultConfig(), source: "signoff.config.yaml" };
  c.targets.odd = { name: "odd", driver: "playwright", browser: "chromium", device: "Nokia 3310" };
  assert.throws(
    () => selectTargets(c, "odd"),
    (e: any) =>
      e.exitCode === 2 && /^signoff\.config\.yaml: targets\.odd\.device: unknown device "Nokia 3310"; /.test(e.message),
  );
  c.targets.odd.device = "Pixel7";
  assert.throws(
    () => selectTargets(c, "odd"),
    (e: any) =>
      /targets\.odd\.device: unknown device "Pixel7" \(did you mean "Pixel 7"\?\); known devices/.test(e.message),
  );
});

test("a viewport on a mobile device is a usage error naming the field (it would be ignored); on a desktop one it is kept", () => {
  const c = { ...defaultConfig(), source: "signoff.config.yaml" };
  c.targets["pw-pixel7"] = { ...c.targets["pw-pixel7"], viewport: { width: 1024, height: 768 } };
  assert.throws(
    () => selectTargets(c, "pw-pixel7"),
    (e: any) =>
      e.exitCode === 2 &&
      /^signoff\.config\.yaml: targets\.pw-pixel7\.viewport: Pixel 7 is a mobile device, whose viewport is its own \(412×839\)/.test(
        e.message,
      ),
  );
  c.targets.wide = {
    name: "wide",
    driver: "selenium",
    browser: "chromium",
    device: "Desktop Chrome",
    viewport: { width: 1600, height: 900 },
  };
  assert.deepEqual(
    selectTargets(c, "wide").map((t) => t.viewport),
    [{ width: 1600, height: 900 }],
  );
});

test("untagged scenarios run everywhere", () => {
  for (const n of names) assert.equal(runsOn(n, []), true, n);
});

test("@mobile-only and @desktop-only follow the device", () => {
  assert.equal(runsOn("pw-pixel7", ["@mobile-only"]), true);
  assert.equal(runsOn("se-iphone", ["@mobile-only"]), true);
  assert.equal(runsOn("pw-desktop", ["@mobile-only"]), false);
  assert.equal(runsOn("se-desktop", ["@desktop-only"]), true);
  assert.equal(runsOn("pw-pixel7", ["@desktop-only"]), false);
});

test("@playwright-only and @selenium-only follow the driver", () => {
  assert.equal(runsOn("pw-desktop", ["@selenium-only"]), false);
  assert.equal(runsOn("se-desktop", ["@selenium-only"]), true);
  assert.equal(runsOn("se-pixel7", ["@playwright-only"]), false);
});

test("@target:NAME keeps a scenario to the targets it names", () => {
  const tags = ["@target:pw-desktop", "@target:se-pixel7"];
  assert.equal(runsOn("pw-desktop", tags), true);
  assert.equal(runsOn("se-pixel7", tags), true);
  assert.equal(runsOn("pw-pixel7", tags), false);
  assert.equal(runsOn("se-desktop", tags), false);
});
