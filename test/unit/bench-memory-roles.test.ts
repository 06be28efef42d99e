// bench/lib/memory-roles.ts: which kind of process holds the memory of a `signoff run` tree, from its command line.
import { test } from "node:test";
import assert from "node:assert/strict";
import { roleColumnsMB, roleOf } from "../../bench/lib/memory-roles";

test("node processes: the runner and a target's Cucumber process, by their entry", () => {
  assert.equal(roleOf(["/usr/bin/node", "/p/bin/signoff.js", "run", "--targets", "pw-desktop"]), "runner");
  assert.equal(roleOf(["/usr/bin/node", "/p/dist/src/runner/cucumber-main.js", "--require", "x.js"]), "cucumber");
  assert.equal(roleOf(["/usr/bin/node", "/p/bench/lib/server.js"]), "node (other)");
});

test("Chromium's processes, also when Chromium rewrote the command line as one space-separated string", () => {
  assert.equal(roleOf(["/usr/lib/chromium/chromium", "--headless", "--remote-debugging-pipe"]), "chromium browser");
  assert.equal(roleOf(["/usr/lib/chromium/chromium --type=renderer --lang=en-US"]), "chromium renderer");
  assert.equal(roleOf(["/usr/lib/chromium/chromium --type=gpu-process --no-sandbox"]), "chromium gpu");
  assert.equal(
    roleOf(["/proc/self/exe --type=utility --utility-sub-type=network.mojom.NetworkService --lang=en-US"]),
    "chromium network",
  );
  assert.equal(
    roleOf(["/usr/lib/chromium/chromium --type=utility --utility-sub-type=storage.mojom.StorageService"]),
    "chromium storage",
  );
  assert.equal(roleOf(["/usr/lib/chromium/chromium --type=zygote --no-sandbox"]), "chromium zygote");
  assert.equal(roleOf(["/usr/lib/chromium/chrome_crashpad_handler", "--monitor-self"]), "chromium crashpad");
  assert.equal(roleOf(["/usr/bin/chromedriver", "--port=0"]), "chromedriver");
  assert.equal(roleOf(["/bin/sh", "-c", "git rev-parse HEAD"]), "other");
  assert.equal(roleOf([]), "other");
});

test("table columns: Chromium's small helpers summed as 'chromium other', processes Signoff did not start left out", () => {
  const MB = 1 << 20;
  assert.deepEqual(
    roleColumnsMB({
      cucumber: { pss: 110 * MB },
      "chromium renderer": { pss: 99 * MB },
      "chromium zygote": { pss: 30 * MB },
      "chromium storage": { pss: 11 * MB },
      "node (other)": { pss: 40 * MB },
      other: { pss: 1 * MB },
    }),
    { cucumber: 110, "chromium renderer": 99, "chromium other": 41 },
  );
});
