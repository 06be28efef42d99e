// SHA-256 of files on worker threads, so the gate hashes several messages files at once (one core each).
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { MessagesDigest } from "./read-messages";

// Plain JavaScript run by the worker (eval: the compiled package and the TypeScript sources load it alike).
// One buffer read into again and again: a stream allocates a chunk per read, which cost twice the CPU of
// the hashing itself in page faults and GC at 563 MB (bench/RESULTS.md, gate).
const WORKER = `
const { parentPort } = require("node:worker_threads");
const { createHash } = require("node:crypto");
const { closeSync, openSync, readSync } = require("node:fs");
const buf = Buffer.allocUnsafeSlow(1 << 20);
parentPort.on("message", (path) => {
  try {
    const hash = createHash("sha256");
    let bytes = 0;
    const fd = openSync(path, "r");
    try {
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

/** At most one worker per core: a run.json listing many files must not start a thread for each. */
const MAX_WORKERS = Math.max(1, availableParallelism());

interface Job {
  path: string;
  resolve: (d: MessagesDigest) => void;
  reject: (err: Error) => void;
}

const queue: Job[] = [];
let workers = 0;

/** Streams `path` through SHA-256 on a worker thread; rejects with the read error (its code kept). */
export function digestFileInWorker(path: string): Promise<MessagesDigest> {
  return new Promise((resolve, reject) => {
    queue.push({ path, resolve, reject });
    // Each worker takes files until none is left, so its start-up (a new isolate) is paid once, not per file.
    if (workers < MAX_WORKERS) startWorker();
  });
}

function startWorker(): void {
  workers++;
  // execArgv: [] — the worker hashes; it must not load what the main thread was started with (ts-node: seconds).
  const worker = new Worker(WORKER, { eval: true, execArgv: [] });
  let job: Job | undefined;
  let ended = false;
  const end = (err?: Error) => {
    if (ended) return;
    ended = true;
    workers--;
    void worker.terminate();
    // A worker that ends without answering (killed, out of memory) must not leave the gate waiting.
    if (err && job) job.reject(err);
    if (err && queue.length > 0 && workers < MAX_WORKERS) startWorker();
  };
  const next = () => {
    job = queue.shift();
    if (job) worker.postMessage(job.path);
    else end();
  };
  worker.on("message", (m: MessagesDigest & { error?: { code?: string; message: string } }) => {
    const done = job!;
    job = undefined;
    if (m.error) done.reject(Object.assign(new Error(m.error.message), { code: m.error.code }));
    else done.resolve({ sha256: m.sha256, bytes: m.bytes });
    next();
  });
  worker.once("error", (err) => end(err));
  worker.once("exit", (code) => end(new Error(`the digest worker ended (exit code ${code}) before answering`)));
  next();
}
