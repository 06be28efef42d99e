// `signoff merge`: shards combined per target (the worse result of a repeated scenario kept), every gap or bad shard named, the merged dir written, and no laundering of unattested shards.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { attestRun, checkRunAttestation } from "../../src/attest/run-attestation";
import { RUN_KEY_ENV } from "../../src/attest/keys";
import { UsageError } from "../../src/core/errors";
import type { RunManifest } from "../../src/core/manifest";
import { combinedDigest, type JudgedBy } from "../../src/core/judged-by";
import { mergeCommand, mergeResults, writeMergedDir } from "../../src/runner/merge";
import { loadResults } from "../../src/results/loader";
import { tempDir } from "../helpers/cli";
import { makeKey, makeTrust, writeResultsDir, type FakeScenario, type ResultsDirOptions } from "./gate-helpers";

const root = tempDir("signoff-merge-");
const savedRunKey = process.env[RUN_KEY_ENV];
before(() => delete process.env[RUN_KEY_ENV]);
after(() => {
  if (savedRunKey === undefined) delete process.env[RUN_KEY_ENV];
  else process.env[RUN_KEY_ENV] = savedRunKey;
  rmSync(root, { recursive: true, force: true });
});

let n = 0;
const fresh = (name = "dir") => join(root, `${name}-${++n}`);

/** Shard i of `total` for one target, its own scenarios (s<i>a, s<i>b) unless given. */
function shard(index: number, total: number, o: ResultsDirOptions & { names?: FakeScenario[] } = {}): string {
  const dir = fresh(`shard${index}`);
  mkdirSync(dir, { recursive: true });
  const scenarios = o.names ?? [{ name: `s${index}a` }, { name: `s${index}b` }];
  return writeResultsDir(dir, { targets: ["pw-desktop"], scenarios: () => scenarios, shard: { index, total }, ...o });
}

const readManifest = (dir: string) => JSON.parse(readFileSync(join(dir, "run.json"), "utf8")) as RunManifest;
const allProblems = (m: Awaited<ReturnType<typeof mergeResults>>) => [
  ...m.problems,
  ...m.targets.flatMap((t) => t.problems),
];

describe("mergeResults: inputs", () => {
  test("no directory, or one that does not exist, is a usage error naming it", async () => {
    await assert.rejects(
      mergeResults([]),
      (e: Error) => e instanceof UsageError && /^merge: name at least one results directory$/.test(e.message),
    );
    await assert.rejects(
      mergeResults(Array.from({ length: 1025 }, (_, i) => join(root, `shard-${i}`))),
      (e: Error) =>
        e instanceof UsageError &&
        e.message === "merge: 1025 results directories, more than the 1024 a run.json may list",
    );
    const missing = join(root, "no-such-dir");
    await assert.rejects(
      mergeResults([shard(1, 2), missing]),
      (e: Error) => e instanceof UsageError && e.message === `merge: ${missing}: no such results directory`,
    );
  });
});

describe("mergeResults: complete shards", () => {
  test("every shard of a target: one complete target with all scenarios, counts and the run's facts", async () => {
    const a = shard(1, 2);
    const b = shard(2, 2);
    const m = await mergeResults([a, b]);
    assert.deepEqual(allProblems(m), []);
    assert.equal(m.complete, true);
    assert.equal(m.manifest.complete, true);
    assert.equal(m.manifest.error, undefined);
    assert.deepEqual(
      m.targets.map((t) => t.name),
      ["pw-desktop"],
    );
    assert.deepEqual(m.targets[0].scenarios.map((s) => s.name).sort(), ["s1a", "s1b", "s2a", "s2b"]);
    const [t] = m.manifest.targets;
    assert.equal(t.complete, true);
    assert.equal(t.exitCode, 0);
    assert.deepEqual(t.counts, { passed: 4, failed: 0, other: 0 });
    assert.deepEqual(t.messages.sort(), [
      "messages/pw-desktop@shard-1-of-2.ndjson",
      "messages/pw-desktop@shard-2-of-2.ndjson",
    ]);
    assert.deepEqual(
      m.manifest.mergedFrom?.map((x) => x.shard),
      [
        { index: 1, total: 2 },
        { index: 2, total: 2 },
      ],
    );
    assert.deepEqual(m.manifest.build, readManifest(a).build);
    assert.deepEqual(m.manifest.judgedBy, readManifest(a).judgedBy);
    assert.notEqual(m.manifest.runId, readManifest(a).runId, "the merged run has its own id");
  });

  test("the shards' feature tags as one record; a digest two shards give different tags is left out (the gate parses that file)", async () => {
    const [h1, h2, h3] = ["1", "2", "3"].map((c) => c.repeat(64));
    const a = shard(1, 2, { featureTags: { [h1]: ["@REQ-A"], [h2]: ["@REQ-B"] } });
    const b = shard(2, 2, { featureTags: { [h1]: ["@REQ-A"], [h2]: ["@REQ-C"], [h3]: ["@REQ-D", "@smoke"] } });
    const m = await mergeResults([a, b]);
    assert.deepEqual(m.manifest.featureTags, { [h1]: ["@REQ-A"], [h3]: ["@REQ-D", "@smoke"] });
    // Shards that recorded none (an older Signoff): the merged run records none either.
    const none = { featureTags: {} };
    // A selection made in any shard (--tags, file:line) is the merged run's, whichever shard comes first.
    const second = shard(2, 2);
    const run = JSON.parse(readFileSync(join(second, "run.json"), "utf8"));
    writeFileSync(
      join(second, "run.json"),
      JSON.stringify({ ...run, tags: "@smoke", lines: ["features/a.feature:3"] }),
    );
    const selected = await mergeResults([shard(1, 2), second]);
    assert.equal(selected.manifest.tags, "@smoke");
    assert.deepEqual(selected.manifest.lines, ["features/a.feature:3"]);
    assert.equal((await mergeResults([shard(1, 2, none), shard(2, 2, none)])).manifest.featureTags, undefined);
  });

  test("a scenario present in two shards keeps its worse result, whichever shard comes first", async () => {
    const passing = shard(1, 2, { names: [{ name: "same" }] });
    const failing = shard(2, 2, { names: [{ name: "same", attempts: ["FAILED"] }] });
    for (const order of [
      [passing, failing],
      [failing, passing],
    ]) {
      const m = await mergeResults(order);
      assert.deepEqual(
        m.targets[0].scenarios.map((s) => s.status),
        ["failed"],
      );
      assert.deepEqual(m.manifest.targets[0].counts, { passed: 0, failed: 1, other: 0 });
      assert.equal(m.manifest.targets[0].exitCode, 1, "a shard that exited 1 makes the target's exit code 1");
    }
  });
});

describe("mergeResults: what makes a merge incomplete", () => {
  async function incomplete(dirs: string[], pattern: RegExp) {
    const m = await mergeResults(dirs);
    assert.equal(m.complete, false);
    assert.equal(m.manifest.complete, false);
    assert.ok(
      allProblems(m).some((p) => pattern.test(p)),
      `expected a problem matching ${pattern}; got:\n${allProblems(m).join("\n")}`,
    );
    return m;
  }

  test("a missing shard", async () => {
    const m = await incomplete([shard(1, 3), shard(3, 3)], /^target pw-desktop: shard\(s\) 2 of 3 missing$/);
    assert.equal(m.manifest.targets[0].complete, false);
    assert.match(m.manifest.targets[0].error ?? "", /shard\(s\) 2 of 3 missing/);
  });

  test("shards of one target that ran another driver or device", async () => {
    const other = shard(2, 2, { targetOverrides: { "pw-desktop": { driver: "selenium" } } });
    await incomplete(
      [shard(1, 2), other],
      /^target pw-desktop: its shards ran different drivers or devices \(playwright on Desktop Chrome, selenium on Desktop Chrome\)$/,
    );
  });

  test("the same shard twice", async () => {
    const a = shard(1, 2);
    const copy = fresh("copy");
    cpSync(a, copy, { recursive: true });
    await incomplete([a, copy, shard(2, 2)], /shard 1 of 2 present more than once/);
  });

  test("a results file listed in run.json but missing", async () => {
    const b = shard(2, 2);
    rmSync(join(b, "messages", "pw-desktop@shard-2-of-2.ndjson"));
    await incomplete([shard(1, 2), b], /pw-desktop@shard-2-of-2\.ndjson: results unreadable \(.*missing\)$/);
  });

  test("a shard without run.json names the dir", async () => {
    const bare = shard(2, 2, { noManifest: true });
    const m = await incomplete([shard(1, 2), bare], /run manifest missing$/);
    assert.ok(m.problems.some((p) => p.includes(bare)));
  });

  test("an unreadable run.json", async () => {
    const bad = shard(2, 2);
    writeFileSync(join(bad, "run.json"), "{ not json");
    await incomplete([shard(1, 2), bad], /run manifest unreadable \(/);
  });

  test("an interrupted shard, and one that reported an error (first line only)", async () => {
    await incomplete(
      [shard(1, 2), shard(2, 2, { interrupted: { signal: "SIGTERM", at: "2025-01-01T00:00:30.000Z" } as never })],
      /^run .* \(shard 2\/2\) was interrupted \(SIGTERM\)$/,
    );
    const m = await incomplete(
      [shard(1, 2, { error: "staging unreachable\nsecond line" }), shard(2, 2)],
      /^run .* \(shard 1\/2\) reported an error: staging unreachable$/,
    );
    assert.doesNotMatch(m.manifest.error ?? "", /second line/);
  });

  test("shards that observed different builds: no build recorded, the reason as buildError", async () => {
    const other = { name: "visitor-counter", version: "1.2.4", digest: `sha256:${"c".repeat(64)}` };
    const m = await incomplete(
      [shard(1, 2), shard(2, 2, { build: other })],
      /^the shards observed different builds: sha256:a+, sha256:c+$/,
    );
    assert.equal(m.manifest.build, null);
    assert.match(m.manifest.buildError ?? "", /^the shards observed different builds/);
  });

  test("a results file that ends without testRunFinished", async () => {
    await incomplete(
      [shard(1, 2), shard(2, 2, { completeFiles: false })],
      /pw-desktop@shard-2-of-2\.ndjson: results end without testRunFinished/,
    );
  });

  test("a target a shard recorded as not complete, with its error", async () => {
    await incomplete(
      [shard(1, 2), shard(2, 2, { targetOverrides: { "pw-desktop": { complete: false, error: "browser crashed" } } })],
      /^target pw-desktop \(shard 2\/2\) did not complete: browser crashed$/,
    );
  });

  test("a target in run.json without any results file", async () => {
    const a = shard(1, 1, { targetOverrides: { "pw-desktop": { messages: [], files: {} } } });
    rmSync(join(a, "messages", "pw-desktop@shard-1-of-1.ndjson"));
    await incomplete([a], /^target pw-desktop: no results file$/);
  });

  test("each shard's server is kept in mergedFrom (a policy's stagingOrigins judges every one, not the first's only)", async () => {
    const b = shard(2, 2);
    const manifest = readManifest(b);
    const base = readManifest(shard(1, 2)).baseUrl;
    manifest.baseUrl = "https://attacker.example.net/";
    writeFileSync(join(b, "run.json"), JSON.stringify(manifest));
    const m = await mergeResults([shard(1, 2), b]);
    assert.deepEqual(m.problems, []);
    assert.deepEqual(
      m.manifest.mergedFrom?.map((f) => f.baseUrl),
      [base, "https://attacker.example.net/"],
    );
  });

  test("shards judged by different code: no judgedBy recorded, and the merge is incomplete saying what differs", async () => {
    const otherSteps = [{ path: "steps/other.steps.ts", sha256: "9".repeat(64) }];
    for (const [change, what] of [
      [
        (j: JudgedBy) => ({
          ...j,
          stepDefinitions: {
            digest: combinedDigest([...otherSteps, { ...j.stepDefinitions.files[0], sha256: "7".repeat(64) }]),
            files: [...otherSteps, { ...j.stepDefinitions.files[0], sha256: "7".repeat(64) }],
          },
        }),
        // The fixture's step file with other contents in one shard (a file only one lists is no disagreement).
        "step definitions: steps/generic/page.steps.ts",
      ],
      [(j: JudgedBy) => ({ ...j, lockFile: { path: "package-lock.json", sha256: "8".repeat(64) } }), "lock file"],
      [(): undefined => undefined, "a shard recorded none"],
      // Hostile: not a record at all (merge used to crash on null).
      [(): JudgedBy => null as unknown as JudgedBy, "a shard recorded none"],
      [(): JudgedBy => "x" as unknown as JudgedBy, "a shard recorded none"],
    ] as const) {
      const b = shard(2, 2);
      const manifest = readManifest(b);
      manifest.judgedBy = change(manifest.judgedBy!);
      writeFileSync(join(b, "run.json"), JSON.stringify(manifest));
      const m = await mergeResults([shard(1, 2), b]);
      assert.equal(m.manifest.judgedBy, undefined);
      assert.equal(m.complete, false);
      assert.deepEqual(m.problems, [
        `the shards were judged by different code (${what}): run every shard from one commit and one lock file`,
      ]);
    }
  });

  test("shards that loaded the same modules agree, a module only some loaded joins the record; one with other content is named", async () => {
    const files = (extra: { path: string; sha256: string }[]) => (j: JudgedBy) => {
      const all = [...j.stepDefinitions.files, ...extra];
      return { ...j, stepDefinitions: { digest: combinedDigest(all), files: all } };
    };
    const helper = { path: "lib/check.ts", sha256: "1".repeat(64) };
    const lazy = { path: "lib/lazy.ts", sha256: "3".repeat(64) };
    const other = (f: { path: string; sha256: string }) => ({ ...f, sha256: "2".repeat(64) });
    const more = [lazy, { ...lazy, path: "lib/x.ts" }, { ...lazy, path: "lib/y.ts" }];
    for (const [a, b, problems] of [
      [[helper], [helper], []],
      [[helper], [other(helper)], ["lib/check.ts"]],
      [[helper], [helper, lazy], []],
      [[helper, ...more], [other(helper), ...more.map(other)], ["lib/check.ts, lib/lazy.ts, lib/x.ts (+1 more)"]],
    ] as const) {
      const dirs = [shard(1, 2), shard(2, 2)];
      for (const [dir, extra] of [
        [dirs[0], a],
        [dirs[1], b],
      ] as const) {
        const manifest = readManifest(dir);
        manifest.judgedBy = files([...extra])(manifest.judgedBy!);
        writeFileSync(join(dir, "run.json"), JSON.stringify(manifest));
      }
      const m = await mergeResults(dirs);
      assert.deepEqual(
        m.problems,
        problems.map(
          (p) =>
            `the shards were judged by different code (step definitions: ${p}): run every shard from one commit and one lock file`,
        ),
      );
      if (problems.length > 0) continue;
      // The union of what the shards loaded, its digest over all of it.
      const union = [...readManifest(dirs[0]).judgedBy!.stepDefinitions.files, ...b.filter((f) => !a.includes(f))];
      union.sort((x, y) => (x.path < y.path ? -1 : 1));
      assert.deepEqual(m.manifest.judgedBy?.stepDefinitions, { digest: combinedDigest(union), files: union });
      assert.equal(m.complete, true);
    }
  });
});

describe("mergeCommand", () => {
  test("writes the merged dir: every shard's messages, Allure results (first copy kept), run.json with file digests; exit 0", async () => {
    const a = shard(1, 2);
    const b = shard(2, 2);
    mkdirSync(join(a, "allure-results"));
    mkdirSync(join(b, "allure-results"));
    writeFileSync(join(a, "allure-results", "one-result.json"), "from a");
    writeFileSync(join(a, "allure-results", "same.json"), "first");
    writeFileSync(join(b, "allure-results", "same.json"), "second");
    const into = fresh("merged");
    assert.equal(await mergeCommand([a, b], into), 0);
    // Each messages file, and beside it the results index that makes the merged dir's gate fast.
    assert.deepEqual(readdirSync(join(into, "messages")).sort(), [
      "pw-desktop@shard-1-of-2.ndjson",
      "pw-desktop@shard-1-of-2.results.jsonl",
      "pw-desktop@shard-2-of-2.ndjson",
      "pw-desktop@shard-2-of-2.results.jsonl",
    ]);
    assert.deepEqual(
      readFileSync(join(into, "messages", "pw-desktop@shard-2-of-2.ndjson")),
      readFileSync(join(b, "messages", "pw-desktop@shard-2-of-2.ndjson")),
    );
    assert.equal(readFileSync(join(into, "allure-results", "one-result.json"), "utf8"), "from a");
    assert.equal(readFileSync(join(into, "allure-results", "same.json"), "utf8"), "first");
    const manifest = readManifest(into);
    assert.equal(manifest.complete, true);
    for (const rel of manifest.targets[0].messages) {
      const bytes = readFileSync(join(into, rel));
      assert.equal(manifest.targets[0].files?.[rel]?.sha256, createHash("sha256").update(bytes).digest("hex"), rel);
      assert.equal(manifest.targets[0].files?.[rel]?.bytes, bytes.length, rel);
    }
    const reloaded = await loadResults([into]);
    assert.equal(reloaded.files.length, 2, "the merged dir reads like any results dir");
    assert.ok(reloaded.files.every((f) => f.results?.complete));
  });

  test("an incomplete merge is still written, with the reason in run.json, and exits 1", async () => {
    const into = fresh("merged");
    assert.equal(await mergeCommand([shard(1, 2)], into), 1);
    const manifest = readManifest(into);
    assert.equal(manifest.complete, false);
    assert.match(manifest.targets[0].error ?? "", /shard\(s\) 2 of 2 missing/);
  });

  test("a messages file replaced after the merge read it: recorded as copied, no index, its target incomplete", async () => {
    const a = shard(1, 2, { names: [{ name: "s1a", attempts: ["FAILED"] }] });
    const b = shard(2, 2);
    const merged = await mergeResults([a, b]);
    assert.equal(merged.complete, true);
    // What an attacker with write access to a shard would do between the read and the copy: a file that passes.
    const file = join(a, "messages", "pw-desktop@shard-1-of-2.ndjson");
    const replaced = readFileSync(file, "utf8").replaceAll('"FAILED"', '"PASSED"');
    assert.notEqual(replaced, readFileSync(file, "utf8"));
    writeFileSync(file, replaced);
    const into = fresh("merged");
    writeMergedDir([a, b], merged, into);
    const manifest = readManifest(into);
    assert.equal(manifest.complete, false);
    const [t] = manifest.targets;
    assert.equal(t.complete, false);
    assert.match(
      t.error ?? "",
      /pw-desktop@shard-1-of-2\.ndjson: changed while being merged \(read with SHA-256 [0-9a-f]{64}, copied with [0-9a-f]{64}\)/,
    );
    const rel = "messages/pw-desktop@shard-1-of-2.ndjson";
    assert.deepEqual(t.files?.[rel], {
      bytes: Buffer.byteLength(replaced),
      sha256: createHash("sha256").update(replaced).digest("hex"),
    });
    assert.ok(t.files?.["messages/pw-desktop@shard-2-of-2.ndjson"]?.index, "the unchanged shard keeps its index");
    assert.equal(existsSync(join(into, "messages", "pw-desktop@shard-1-of-2.results.jsonl")), false);
  });

  test("--into one of the inputs is a usage error, and nothing is written", async () => {
    const a = shard(1, 2);
    const before = readFileSync(join(a, "run.json"));
    await assert.rejects(
      mergeCommand([a, shard(2, 2)], `${a}/`),
      (e: Error) => e instanceof UsageError && /^merge: --into .* must not be one of the inputs$/.test(e.message),
    );
    assert.deepEqual(readFileSync(join(a, "run.json")), before);
  });

  describe("with a runner key", () => {
    const runner = makeKey("ed25519", "runner.key");
    const stranger = makeKey("ed25519", "stranger.key");
    let trustFile: string;
    before(() => {
      process.env[RUN_KEY_ENV] = runner.privateKey.export({ type: "pkcs8", format: "pem" }) as string;
      trustFile = join(root, "trust.yaml");
      writeFileSync(
        trustFile,
        JSON.stringify({
          version: 1,
          allowedPolicies: [],
          roles: { runner: { keys: [{ publicKey: runner.publicPem }] } },
        }),
      );
    });
    after(() => delete process.env[RUN_KEY_ENV]);
    const trust = () => makeTrust({ roles: { runner: { keys: [runner] } } });

    test("no --trust is a usage error before anything is written", async () => {
      const into = fresh("merged");
      await assert.rejects(
        mergeCommand([shard(1, 1)], into),
        (e: Error) =>
          e instanceof UsageError && e.message.startsWith(`merge: ${RUN_KEY_ENV} is set, so give --trust FILE`),
      );
      assert.equal(existsSync(into), false);
    });

    test("shards whose run attestations verify: a complete merged run.json, signed by the runner key", async () => {
      const a = shard(1, 2);
      const b = shard(2, 2);
      attestRun(a, runner);
      attestRun(b, runner);
      const into = fresh("merged");
      assert.equal(await mergeCommand([a, b], into, { trustFile }), 0);
      assert.equal(readManifest(into).complete, true);
      assert.equal(checkRunAttestation(into, trust()).status, "valid");
    });

    test("a shard without a run attestation, or signed by an untrusted key, or edited after signing: incomplete, exit 1", async () => {
      const a = shard(1, 2);
      attestRun(a, runner);
      const unsigned = shard(2, 2);
      const strangers = shard(2, 2);
      attestRun(strangers, stranger);
      const edited = shard(2, 2);
      attestRun(edited, runner);
      const m = readManifest(edited);
      m.targets[0].exitCode = 0;
      m.startedAt = "2025-01-01T00:00:01.000Z";
      writeFileSync(join(edited, "run.json"), JSON.stringify(m, null, 2) + "\n");
      for (const [bad, status] of [
        [unsigned, "missing"],
        [strangers, "invalid"],
        [edited, "invalid"],
      ] as const) {
        const into = fresh("merged");
        assert.equal(await mergeCommand([a, bad], into, { trustFile }), 1, bad);
        const manifest = readManifest(into);
        assert.equal(manifest.complete, false);
        assert.match(manifest.error ?? "", new RegExp(`run attestation ${status}: `));
        // The merged manifest is signed as it is (incomplete): the signature cannot turn it into a pass.
        assert.equal(checkRunAttestation(into, trust()).status, "valid");
      }
    });
  });
});

describe("mergeResults: a file run.json does not list", () => {
  test("makes the merge incomplete, named as a file, never as a target of its own", async () => {
    const a = shard(1, 2);
    const b = shard(2, 2);
    writeFileSync(
      join(b, "messages", "extra.ndjson"),
      readFileSync(join(b, "messages", readdirSync(join(b, "messages"))[0])),
    );
    const m = await mergeResults([a, b]);
    assert.equal(m.complete, false);
    assert.deepEqual(
      m.targets.map((t) => t.name),
      ["pw-desktop"],
    );
    assert.ok(
      m.problems.some((p) =>
        /messages\/extra\.ndjson: a messages file in the results dir that run\.json does not name/.test(p),
      ),
      allProblems(m).join("\n"),
    );
  });
});
