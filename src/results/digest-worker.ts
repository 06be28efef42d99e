// SHA-256 of files on worker threads, so the gate hashes the messages files while its main thread parses the results indexes.
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { MessagesDigest } from "./read-messages";

// Plain JavaScript run by the worker (eval: the compiled package and the TypeScript sources load it alike).
// One buffer read into again and again: a stream allocates a chunk per read, which cost twice the CPU of
// the hashing itself in page faults and GC at 563 MB (bench/RESULTS.md, gate).
const WORKER = `
const { parentPort } = require("node:worker_threads");
const { createHash } = require("node:crypto");
const { closeSync, constants, fstatSync, openSync, readSync } = require("node:fs");
const buf = Buffer.allocUnsafeSlow(1 << 20);
parentPort.on("message", (path) => {
  try {
    const hash = createHash("sha256");
    let bytes = 0;
    // Not blocking, and checked on the descriptor: a file swapped for a FIFO since the loader looked must not hang
    // this worker and every file posted after it.
    const fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK || 0));
    try {
      if (!fstatSync(fd).isFile()) throw new Error("not a regular file");
      for (let n; (n = readSync(fd, buf, 0, buf.length, null)) > 0; bytes += n) hash.update(buf.subarray(0, n));
    } finally {
      closeSync(fd);
    }
    parentPort.postMessage({ sha256: hash.digest("hex"), bytes });
  } catch (err) {
    parentPort.postMessage({ error: { code: err && err.code, message: String(err && err.message) } });
  }
});
`;

/**
 * One worker per core but the main thread's, which parses the results indexes meanwhile (more workers only take
 * its core from it: bench/RESULTS.md), and at least one; a run.json listing many files must not start a thread for each.
 */
const MAX_WORKERS = Math.max(1, availableParallelism() - 1);

interface Job {
  path: string;
  resolve: (d: MessagesDigest) => void;
  reject: (err: Error) => void;
}

/** A worker and the files posted to it, in the order it hashes them (the first is the one it is on). */
interface Hasher {
  worker: Worker;
  jobs: Job[];
}

const hashers: Hasher[] = [];

/** Streams `path` through SHA-256 on a worker thread; rejects with the read error (its code kept). */
export function digestFileInWorker(path: string): Promise<MessagesDigest> {
  return new Promise((resolve, reject) => post({ path, resolve, reject }));
}

/**
 * Hands the file to a worker at once: a new one while there are fewer than MAX_WORKERS, else the one with the
 * fewest files waiting. Each worker hashes what it was given one file after another without asking the main
 * thread, which meanwhile parses the results indexes: a worker that had to wait for the main thread's event loop
 * to get its next file sat idle for as long as a parse took (bench/RESULTS.md).
 */
function post(job: Job): void {
  const hasher =
    hashers.length < MAX_WORKERS ? startWorker() : hashers.reduce((a, b) => (b.jobs.length < a.jobs.length ? b : a));
  hasher.jobs.push(job);
  hasher.worker.postMessage(job.path);
}

function startWorker(): Hasher {
  // execArgv: [] — the worker hashes; it must not load what the main thread was started with (ts-node: seconds).
  const hasher: Hasher = { worker: new Worker(WORKER, { eval: true, execArgv: [] }), jobs: [] };
  hashers.push(hasher);
  let ended = false;
  const end = (err?: Error) => {
    if (ended) return;
    ended = true;
    hashers.splice(hashers.indexOf(hasher), 1);
    void hasher.worker.terminate();
    // A worker that ends without answering (killed, out of memory) must not leave the gate waiting: every file it
    // had not answered for fails with the reason (which one it was on cannot be told: an answer may still be on its
    // way, and is not read once the worker ended).
    const unanswered = hasher.jobs;
    hasher.jobs = [];
    if (err) for (const job of unanswered) job.reject(err);
  };
  hasher.worker.on("message", (m: MessagesDigest & { error?: { code?: string; message: string } }) => {
    if (ended) return;
    const done = hasher.jobs.shift()!;
    if (m.error) done.reject(Object.assign(new Error(m.error.message), { code: m.error.code }));
    else done.resolve({ sha256: m.sha256, bytes: m.bytes });
    // Nothing more posted to it: its isolate is not kept for files that may never come.
    if (hasher.jobs.length === 0) end();
  });
  hasher.worker.once("error", (err) => end(err));
  hasher.worker.once("exit", (code) => end(new Error(`the digest worker ended (exit code ${code}) before answering`)));
  return hasher;
}
