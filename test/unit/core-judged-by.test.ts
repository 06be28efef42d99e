// src/core/judged-by.ts: what judged the build — step definition files, lock file, Signoff version — and its shape check.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { UsageError } from "../../src/core/errors";
import { InputTooLargeError } from "../../src/core/input-file";
import {
  combinedDigest,
  isJudgedBy,
  judgedBy,
  lockFileDigest,
  MAX_LOCK_FILE_BYTES,
  projectModules,
  StepFileUnreadableError,
} from "../../src/core/judged-by";
import { SIGNOFF_ROOT, toolVersion } from "../../src/core/package";

const sha = (s: string) => createHash("sha256").update(s).digest("hex");

test("own step files are digested; installed packages are bound by the lock file instead", () => {
  const dir = mkdtempSync(join(tmpdir(), "signoff-core-judged-"));
  mkdirSync(join(dir, "steps"));
  writeFileSync(join(dir, "steps", "a.ts"), "A");
  writeFileSync(join(dir, "package-lock.json"), "{}");
  const j = judgedBy(["steps/a.ts", "steps/a.ts", "node_modules/signoff/steps/x.js"], dir);
  assert.deepEqual(j.stepDefinitions.files, [{ path: "steps/a.ts", sha256: sha("A") }]);
  assert.equal(j.stepDefinitions.digest, combinedDigest(j.stepDefinitions.files));
  assert.equal(j.lockFile?.sha256, sha("{}"));
  assert.equal(j.signoff.version, toolVersion());
  assert.ok(isJudgedBy(j));
});

test("the combined digest does not depend on order and changes with any file", () => {
  const a = { path: "a", sha256: sha("1") };
  const b = { path: "b", sha256: sha("2") };
  assert.equal(combinedDigest([a, b]), combinedDigest([b, a]));
  assert.notEqual(combinedDigest([a, b]), combinedDigest([a, { ...b, sha256: sha("3") }]));
});

test("a hostile judgedBy without its digests is refused", () => {
  for (const bad of [
    undefined,
    null,
    {},
    { stepDefinitions: { digest: "x", files: [] }, signoff: { version: "1", packageJsonSha256: sha("") } },
    {
      stepDefinitions: { digest: sha(""), files: [{ path: "steps/a.ts", sha256: "x" }] },
      signoff: { version: "1", packageJsonSha256: sha("") },
    },
    { stepDefinitions: { digest: sha(""), files: [null] }, signoff: { version: "1", packageJsonSha256: sha("") } },
    {
      stepDefinitions: { digest: sha(""), files: [] },
      signoff: { version: "1", packageJsonSha256: sha("") },
      lockFile: null,
    },
  ])
    assert.ok(!isJudgedBy(bad));
});

test("a judgedBy whose digest is not its files' digest, or with no file and no lock file, is refused", () => {
  const files = [{ path: "steps/a.ts", sha256: sha("a") }];
  const signoff = { version: "1", packageJsonSha256: sha("") };
  assert.ok(isJudgedBy({ stepDefinitions: { digest: combinedDigest(files), files }, signoff }));
  assert.ok(!isJudgedBy({ stepDefinitions: { digest: sha("other"), files }, signoff }), "a digest over other files");
  const none = { digest: combinedDigest([]), files: [] };
  assert.ok(!isJudgedBy({ stepDefinitions: none, signoff }), "nothing binds the code that judged the build");
  assert.ok(isJudgedBy({ stepDefinitions: none, signoff, lockFile: { path: "package-lock.json", sha256: sha("l") } }));
});

test("only what the lock file installs is left out: a node_modules folder elsewhere in the project is hashed", () => {
  const root = mkdtempSync(join(tmpdir(), "signoff-judged-"));
  writeFileSync(join(root, "package-lock.json"), "{}");
  mkdirSync(join(root, "support", "node_modules"), { recursive: true });
  writeFileSync(join(root, "support", "node_modules", "hooks.js"), "// hooks");
  mkdirSync(join(root, "node_modules", "signoff"), { recursive: true });
  const j = judgedBy(["support/node_modules/hooks.js", "node_modules/signoff/steps.js"], root);
  assert.deepEqual(
    j.stepDefinitions.files.map((f) => f.path),
    ["support/node_modules/hooks.js"],
  );
});

test("Signoff's own dependencies are installed wherever Signoff lives, even outside the project (source-mapped names that are not there)", () => {
  const root = mkdtempSync(join(tmpdir(), "signoff-judged-"));
  mkdirSync(join(root, "steps"));
  writeFileSync(join(root, "steps", "mine.ts"), "// mine");
  const hooks = join(SIGNOFF_ROOT, "node_modules", "allure-cucumberjs", "src", "not-there.ts");
  const j = judgedBy(["steps/mine.ts", hooks], root);
  assert.deepEqual(
    j.stepDefinitions.files.map((f) => f.path),
    ["steps/mine.ts"],
  );
});

test("a project whose node_modules is a link: installed files are named by where the link leads, and not hashed", () => {
  // A CI cache or a build tool's sandbox links node_modules in; Node names its modules by their real paths, where a
  // source-mapped name is no file: the run said "cannot record the step definitions that ran: ENOENT".
  const root = mkdtempSync(join(tmpdir(), "signoff-judged-"));
  const store = mkdtempSync(join(tmpdir(), "signoff-store-"));
  writeFileSync(join(root, "package-lock.json"), "{}");
  mkdirSync(join(root, "steps"));
  writeFileSync(join(root, "steps", "mine.ts"), "// mine");
  mkdirSync(join(store, "allure-cucumberjs"));
  symlinkSync(store, join(root, "node_modules"));
  const hooks = join(store, "allure-cucumberjs", "src", "not-there.ts");
  const j = judgedBy(["steps/mine.ts", hooks], root);
  assert.deepEqual(
    j.stepDefinitions.files.map((f) => f.path),
    ["steps/mine.ts"],
  );
});

test("a node_modules link into the project (or to a folder holding it) hides none of the project's own files", () => {
  for (const target of [".", "lib", ".."]) {
    const outer = mkdtempSync(join(tmpdir(), "signoff-judged-"));
    const root = join(outer, "project");
    mkdirSync(join(root, "steps"), { recursive: true });
    mkdirSync(join(root, "lib"));
    writeFileSync(join(root, "package-lock.json"), "{}");
    writeFileSync(join(root, "steps", "mine.ts"), "// mine");
    writeFileSync(join(root, "lib", "helper.js"), "// helper");
    symlinkSync(target, join(root, "node_modules"));
    const j = judgedBy(["steps/mine.ts"], root, undefined, [join(root, "lib", "helper.js")]);
    assert.deepEqual(
      j.stepDefinitions.files.map((f) => f.path),
      ["lib/helper.js", "steps/mine.ts"],
      `node_modules -> ${target}`,
    );
  }
});

test("a step file that cannot be read is named", () => {
  const root = mkdtempSync(join(tmpdir(), "signoff-judged-"));
  assert.throws(
    () => judgedBy(["steps/gone.ts"], root),
    (e: unknown) =>
      e instanceof StepFileUnreadableError && /^cannot read .*steps\/gone\.ts \(ENOENT\)$/.test(e.message),
  );
});

test("a project with no step files of its own (only an installed Signoff's) records an empty, valid set", () => {
  const recorded = judgedBy(["node_modules/signoff/dist/steps/generic/navigation.steps.js"]);
  assert.deepEqual(recorded.stepDefinitions, { digest: combinedDigest([]), files: [] });
  assert.ok(isJudgedBy(recorded));
});

/**
 * judgedBy([], dir) in a child process: the error it throws, as its class and message. A read that blocks (a FIFO
 * nobody writes, /dev/zero) blocks the whole process, test timeouts included, so it runs there, under a timeout
 * that ends it instead of the suite.
 */
function judgedByErrorInChild(dir: string): { usage: boolean; name: string; message: string } | null {
  const script = `
    const { judgedBy } = require("./src/core/judged-by.ts");
    const { UsageError } = require("./src/core/errors.ts");
    try { judgedBy([], process.argv[1]); process.stdout.write("null"); }
    catch (e) { process.stdout.write(JSON.stringify({ usage: e instanceof UsageError, name: e.name, message: e.message })); }`;
  const out = spawnSync(process.execPath, ["-r", "./src/register.js", "-e", script, dir], {
    cwd: SIGNOFF_ROOT,
    encoding: "utf8",
    timeout: 20_000,
  });
  assert.equal(out.signal, null, `judgedBy hung on the lock file in ${dir} (killed by the timeout)`);
  assert.equal(out.status, 0, out.stderr);
  return JSON.parse(out.stdout); // null: it did not throw
}

test("a lock file that is a FIFO or a link to /dev/zero is a usage error naming it, at once, never read", () => {
  for (const [make, kind] of [
    [(lock: string) => execFileSync("mkfifo", [lock]), "a FIFO"],
    [(lock: string) => symlinkSync("/dev/zero", lock), "a device"],
  ] as const) {
    const dir = mkdtempSync(join(tmpdir(), "signoff-judged-lock-"));
    make(join(dir, "package-lock.json"));
    const err = judgedByErrorInChild(dir);
    assert.equal(err?.usage, true, JSON.stringify(err));
    assert.equal(err?.message, `${join(dir, "package-lock.json")}: the lock file is not a regular file (${kind})`);
  }
});

test("a lock file that is a directory or too large is a usage error naming it; judgedBy reads it the same way", () => {
  const dir = mkdtempSync(join(tmpdir(), "signoff-judged-lock-"));
  mkdirSync(join(dir, "package-lock.json"));
  const notFile = (e: Error) =>
    e instanceof UsageError &&
    /package-lock\.json: the lock file is not a regular file \(a directory\)$/.test(e.message);
  assert.throws(() => judgedBy([], dir), notFile);
  assert.throws(() => lockFileDigest(dir), notFile);
  const big = mkdtempSync(join(tmpdir(), "signoff-judged-lock-"));
  writeFileSync(join(big, "yarn.lock"), "");
  truncateSync(join(big, "yarn.lock"), MAX_LOCK_FILE_BYTES + 1); // sparse: no disk, no time
  assert.throws(
    () => judgedBy([], big),
    (e: Error) =>
      e instanceof InputTooLargeError && e.message.startsWith(`${join(big, "yarn.lock")}: the lock file is`),
  );
});

test("the lock file read when the run started is the one recorded; null records none", () => {
  const dir = mkdtempSync(join(tmpdir(), "signoff-judged-lock-"));
  writeFileSync(join(dir, "package-lock.json"), "{}");
  const atStart = lockFileDigest(dir);
  // Relative to the run's directory: shards run in checkouts at other paths record the same lock file.
  assert.deepEqual(atStart, { path: "package-lock.json", sha256: sha("{}") });
  // Replaced by a FIFO since: not read again, so nothing hangs at the run's end.
  rmSync(join(dir, "package-lock.json"));
  execFileSync("mkfifo", [join(dir, "package-lock.json")]);
  assert.deepEqual(judgedBy([], dir, atStart!).lockFile, atStart);
  assert.equal(judgedBy([], dir, null).lockFile, undefined);
});

test("every module of the project the process loaded is hashed, not only the step files: a helper a step file imports", () => {
  const dir = mkdtempSync(join(tmpdir(), "signoff-judged-modules-"));
  mkdirSync(join(dir, "steps"));
  mkdirSync(join(dir, "lib"));
  writeFileSync(join(dir, "steps", "a.steps.ts"), 'import { check } from "../lib/check";');
  writeFileSync(join(dir, "lib", "check.ts"), "export const check = (ok: boolean) => { if (!ok) throw new Error(); };");
  writeFileSync(join(dir, "lib", "data.json"), "{}");
  const loaded = [join(dir, "steps", "a.steps.ts"), join(dir, "lib", "check.ts"), join(dir, "lib", "data.json")];
  const j = judgedBy(["steps/a.steps.ts"], dir, null, loaded);
  assert.deepEqual(
    j.stepDefinitions.files.map((f) => f.path),
    ["lib/check.ts", "lib/data.json", "steps/a.steps.ts"],
    "relative to the run's folder, each once (a step file is also a loaded module)",
  );
  assert.ok(isJudgedBy(j));
  writeFileSync(join(dir, "lib", "check.ts"), "export const check = (_ok: boolean) => {};");
  assert.notEqual(
    judgedBy(["steps/a.steps.ts"], dir, null, loaded).stepDefinitions.digest,
    j.stepDefinitions.digest,
    "a helper made lenient changes the digest",
  );
  assert.equal(
    judgedBy(["steps/a.steps.ts"], dir, null, [...loaded].reverse()).stepDefinitions.digest,
    judgedBy(["steps/a.steps.ts"], dir, null, loaded).stepDefinitions.digest,
    "the order the modules loaded in does not matter",
  );
});

test("projectModules: inside the project's root, outside the install folders; relative to the run's folder", () => {
  const root = "/repo";
  const installed = ["/repo/node_modules/", "/repo/packages/qa/node_modules/", "/opt/signoff/node_modules/"];
  const loaded = [
    "/repo/packages/qa/steps/a.steps.ts",
    "/repo/packages/qa/steps/support/helpers.ts",
    "/repo/packages/shared/src/money.ts", // a workspace package (node_modules/@acme/shared links here): the project's
    "/repo/packages/qa/support/node_modules/vendored.js", // a node_modules folder npm does not install into
    "/repo/node_modules/@cucumber/cucumber/lib/index.js",
    "/repo/packages/qa/node_modules/signoff/dist/src/world.js", // an installed Signoff: its version binds it
    "/opt/signoff/src/world.ts", // a Signoff checkout outside the project
    "/elsewhere/x.js",
    "/repository/x.js", // a sibling whose name starts like the root's
    "node:fs",
    "virtual:thing",
  ];
  assert.deepEqual(projectModules(loaded, "/repo/packages/qa", root, installed), [
    "../shared/src/money.ts",
    "steps/a.steps.ts",
    "steps/support/helpers.ts",
    "support/node_modules/vendored.js",
  ]);
  assert.deepEqual(projectModules(["/x/a.js", "/b.js"], "/x", "/", ["/node_modules/"]), ["../b.js", "a.js"], "root /");
});

test("judgedBy: the project's root is the lock file's folder (a monorepo), else the run's folder", () => {
  const repo = mkdtempSync(join(tmpdir(), "signoff-judged-mono-"));
  mkdirSync(join(repo, "packages", "qa", "steps"), { recursive: true });
  mkdirSync(join(repo, "packages", "shared"), { recursive: true });
  mkdirSync(join(repo, "node_modules", "dep"), { recursive: true });
  writeFileSync(join(repo, "packages", "qa", "steps", "a.ts"), "A");
  writeFileSync(join(repo, "packages", "shared", "index.ts"), "S");
  writeFileSync(join(repo, "node_modules", "dep", "index.js"), "D");
  const qa = join(repo, "packages", "qa");
  const loaded = [
    join(qa, "steps", "a.ts"),
    join(repo, "packages", "shared", "index.ts"),
    join(repo, "node_modules", "dep", "index.js"),
  ];
  const paths = (lock: { path: string; sha256: string } | null) =>
    judgedBy(["steps/a.ts"], qa, lock, loaded).stepDefinitions.files.map((f) => f.path);
  assert.deepEqual(paths(null), ["steps/a.ts"], "no lock file: the run's folder is the project");
  writeFileSync(join(repo, "package-lock.json"), "{}");
  assert.deepEqual(paths(lockFileDigest(qa)!), ["../shared/index.ts", "steps/a.ts"]);
});
