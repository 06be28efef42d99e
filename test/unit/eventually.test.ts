// steps/support/eventually: the one waiting rule every assertion step uses, on every driver.
import { test } from "node:test";
import assert from "node:assert/strict";
import { eventually } from "../../steps/support/eventually";

test("returns the first value that holds, after probing again while it does not", async () => {
  const seen: number[] = [];
  let n = 0;
  const v = await eventually(async () => (seen.push(++n), n), (x) => x >= 3, () => "never", 5_000, 1);
  assert.equal(v, 3);
  assert.deepEqual(seen, [1, 2, 3]);
});

test("a probe that throws is retried; the last error reaches the failure description", async () => {
  let n = 0;
  const v = await eventually(async () => {
    if (++n < 3) throw new Error("not yet");
    return "ok";
  }, (x) => x === "ok", () => "never", 5_000, 1);
  assert.equal(v, "ok");
  await assert.rejects(
    eventually(async () => Promise.reject(new Error("page gone")), () => true, (last, err) => `last ${last}, error ${(err as Error).message}`, 20, 5),
    /^Error: last undefined, error page gone \(waited 20 ms\)$/,
  );
});

test("when it never holds, the failure names the last value and the time waited", async () => {
  await assert.rejects(eventually(async () => 7, (x) => x === 8, (last) => `expected 8, the page shows ${last}`, 20, 5), {
    message: "expected 8, the page shows 7 (waited 20 ms)",
  });
});

test("a crashed browser is not waited for: BrowserCrashedError is thrown at once, on the first probe", async () => {
  let probes = 0;
  const crash = Object.assign(new Error("browser gone"), { name: "BrowserCrashedError" });
  await assert.rejects(eventually(async () => { probes++; throw crash; }, () => true, () => "never", 60_000, 1), crash);
  assert.equal(probes, 1);
});
