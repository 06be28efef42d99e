// `signoff merge` through the real CLI on shards holding what no run writes: links, FIFOs, directories where files go.
//
// Each case is a copy of a real run's results dir (test/fixtures/real-run) with an allure-results/ of its own,
// edited the way someone handing over a shard could: merge copies regular files only, and refuses anything else
// with one line naming it, exit 2, before it writes anything.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadResults } from "../../src/results/loader";
import { ROOT, runSignoff, tempDir, type CliResult } from "../helpers/cli";

const MESSAGES = join("messages", "pw-desktop.ndjson");
const SECRET = "the contents of a file outside the shard";

describe("signoff merge on a shard with something other than regular files in it", () => {
  const work = tempDir("signoff-merge-inputs-");
  const secret = join(work, "secret");
  writeFileSync(secret, SECRET);

  let n = 0;
  /** A fresh shard: the real run's results and one Allure result. */
  function shard(): string {
    const dir = join(work, `shard-${++n}`);
    cpSync(join(ROOT, "test", "fixtures", "real-run"), dir, { recursive: true });
    mkdirSync(join(dir, "allure-results"));
    writeFileSync(join(dir, "allure-results", "a-result.json"), "{}");
    return dir;
  }
  const merge = (dir: string, into: string) => runSignoff(["merge", dir, "--into", into], { timeoutMs: 30_000 });

  /** Exit 2 with one line naming `path` and what it is, no stack, and nothing written. */
  function refused(r: CliResult, path: string, what: RegExp, into: string) {
    assert.equal(r.code, 2, r.stdout + r.stderr);
    const lines = r.stderr.trimEnd().split("\n");
    assert.equal(lines.length, 1, r.stderr);
    assert.ok(lines[0].includes(path), r.stderr);
    assert.match(lines[0], what);
    assert.doesNotMatch(r.stderr, /internal error|\n\s+at /);
    assert.equal(existsSync(into), false, "nothing is written");
  }

  test("regular files are merged (the cases below differ from this only in the one entry)", async () => {
    const into = join(work, "merged-ok");
    const r = await merge(shard(), into);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.deepEqual(readdirSync(join(into, "allure-results")), ["a-result.json"]);
  });

  test("a symlink in allure-results (to a file outside the shard) is refused, never followed", async () => {
    const dir = shard();
    const link = join(dir, "allure-results", "x-result.json");
    symlinkSync(secret, link);
    const into = join(work, "merged-link");
    refused(await merge(dir, into), link, /the shard's Allure result is not a regular file \(a symbolic link\)$/, into);
  });

  test("a FIFO in allure-results is refused without being opened (the merge used to hang on it)", async () => {
    const dir = shard();
    const fifo = join(dir, "allure-results", "x-result.json");
    execFileSync("mkfifo", [fifo]);
    const into = join(work, "merged-fifo");
    refused(await merge(dir, into), fifo, /not a regular file \(a FIFO\)$/, into);
  });

  test("a directory in allure-results is refused (it was an internal error, EISDIR)", async () => {
    const dir = shard();
    const sub = join(dir, "allure-results", "attachments");
    mkdirSync(sub);
    const into = join(work, "merged-dir");
    refused(await merge(dir, into), sub, /not a regular file \(a directory\)$/, into);
  });

  test("an allure-results that is a file, or a link to a directory elsewhere, is refused (a file was ENOTDIR)", async () => {
    const asFile = shard();
    const allure = join(asFile, "allure-results");
    rmSync(allure, { recursive: true });
    writeFileSync(allure, "{}");
    let into = join(work, "merged-not-dir");
    refused(await merge(asFile, into), allure, /allure-results is not a directory \(a regular file\)$/, into);

    const asLink = shard();
    const linked = join(asLink, "allure-results");
    rmSync(linked, { recursive: true });
    mkdirSync(join(work, "elsewhere"));
    writeFileSync(join(work, "elsewhere", "secret-result.json"), SECRET);
    symlinkSync(join(work, "elsewhere"), linked);
    into = join(work, "merged-dir-link");
    refused(await merge(asLink, into), linked, /allure-results is not a directory \(a symbolic link\)$/, into);
  });

  test("a messages file run.json lists that is a FIFO or a symlink is refused the same way", async () => {
    const fifoShard = shard();
    const fifo = join(fifoShard, MESSAGES);
    rmSync(fifo);
    execFileSync("mkfifo", [fifo]);
    let into = join(work, "merged-messages-fifo");
    refused(await merge(fifoShard, into), fifo, /the shard's messages file is not a regular file \(a FIFO\)$/, into);

    // A link inside the shard (to a copy of its own messages): refused too, merge copies no link.
    const linkShard = shard();
    const link = join(linkShard, MESSAGES);
    cpSync(link, join(linkShard, "copy.ndjson"));
    rmSync(link);
    symlinkSync(join(linkShard, "copy.ndjson"), link);
    into = join(work, "merged-messages-link");
    refused(await merge(linkShard, into), link, /not a regular file \(a symbolic link\)$/, into);
  });

  test("a messages file that is a link out of the shard is not copied: the merge is incomplete, exit 1", async () => {
    const dir = shard();
    rmSync(join(dir, MESSAGES));
    symlinkSync(secret, join(dir, MESSAGES));
    const into = join(work, "merged-messages-outside");
    const r = await merge(dir, into);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /INCOMPLETE pw-desktop/);
    assert.equal(existsSync(join(into, MESSAGES)), false);
    assert.equal(JSON.parse(readFileSync(join(into, "run.json"), "utf8")).complete, false);
  });

  test("an output that cannot be written (--into is a file) is one line, exit 3, not a crash", async () => {
    const into = join(work, "merged-blocked");
    writeFileSync(into, "not a directory");
    const r = await merge(shard(), into);
    assert.equal(r.code, 3, r.stdout + r.stderr);
    assert.match(r.stderr.trimEnd(), /^signoff: merged directory .*merged-blocked is not writable: [A-Z]+$/);
    assert.doesNotMatch(r.stderr, /internal error|\n\s+at /);
  });

  test("an --into no run wrote keeps what is in its messages/ and allure-results/: one line, exit 2, nothing deleted", async () => {
    const project = join(work, "project-with-messages");
    mkdirSync(join(project, "messages"), { recursive: true });
    writeFileSync(join(project, "messages", "de.json"), '{"hello":"Hallo"}');
    const r = await merge(shard(), project);
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.match(
      r.stderr.trimEnd(),
      /^signoff: merged directory .*project-with-messages: messages is not from a run of Signoff \(there is no run\.json beside it\), so it is not deleted: give a new or empty directory, or remove .*$/,
    );
    assert.deepEqual(readdirSync(join(project, "messages")), ["de.json"]);
    assert.equal(existsSync(join(project, "run.json")), false);
  });

  test("an input that is --into by another path (a link) is refused before anything is cleared", async () => {
    const into = join(work, "merged-linked");
    assert.equal((await merge(shard(), into)).code, 0);
    const alias = join(work, "alias-of-merged");
    symlinkSync(into, alias);
    const before = readdirSync(join(into, "messages"));
    const r = await runSignoff(["merge", alias, "--into", into], { timeoutMs: 30_000 });
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.match(r.stderr.trimEnd(), /^signoff: merge: --into .* must not be one of the inputs$/);
    assert.deepEqual(readdirSync(join(into, "messages")), before);
  });

  test("a merge into an earlier merge's dir replaces its results: the gate reads the new merge alone", async () => {
    const into = join(work, "merged-twice");
    const first = shard();
    writeFileSync(join(first, "allure-results", "old-result.json"), "{}");
    assert.equal((await merge(first, into)).code, 0);
    // What an older merge of more targets left there, and the verdict made from it.
    cpSync(join(into, MESSAGES), join(into, "messages", "se-desktop.ndjson"));
    writeFileSync(join(into, "verdict.intoto.jsonl"), "the first merge's verdict\n");
    const r = await merge(shard(), into);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    // Only the second merge's files; the first's verdict moved aside, not deleted.
    assert.deepEqual(
      readdirSync(join(into, "messages")).filter((n) => n.endsWith(".ndjson")),
      ["pw-desktop.ndjson"],
    );
    assert.deepEqual(readdirSync(join(into, "allure-results")), ["a-result.json"]);
    assert.equal(existsSync(join(into, "verdict.intoto.jsonl")), false);
    const moved = readdirSync(into).find((n) => n.startsWith("verdict.intoto.jsonl."));
    assert.ok(moved);
    // Said where it went, as `signoff run` says it: a pipeline's later `verify` of the default path fails otherwise unexplained.
    assert.ok(
      r.stdout.includes(`The earlier run's verdict is now ${join(into, moved)} (its results are replaced)`),
      r.stdout,
    );
    const loaded = await loadResults([into]);
    assert.deepEqual(
      loaded.files.map((f) => [f.target, f.error]),
      [["pw-desktop", undefined]],
    );
  });

  test("a refused merge into an earlier merge's dir leaves that dir as it was", async () => {
    const into = join(work, "merged-again");
    assert.equal((await merge(shard(), into)).code, 0);
    const before = readFileSync(join(into, "run.json"));
    const dir = shard();
    execFileSync("mkfifo", [join(dir, "allure-results", "b-result.json")]);
    const r = await merge(dir, into);
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.deepEqual(readFileSync(join(into, "run.json")), before);
    assert.deepEqual(readdirSync(join(into, "allure-results")), ["a-result.json"]);
  });
});
