// SHA-256 of a file on a worker thread, so the gate hashes several messages files at once (one core each).
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { MessagesDigest } from "./read-messages";

// Plain JavaScript run by the worker (eval: the compiled package and the TypeScript sources load it alike).
const WORKER = `
const { parentPort, workerData } = require("node:worker_threads");
const { createHash } = require("node:crypto");
const { createReadStream } = require("node:fs");
(async () => {
  const hash = createHash("sha256");
  let bytes = 0;
  for await (const chunk of createReadStream(workerData, { highWaterMark: 1 << 22 })) {
    hash.update(chunk);
    bytes += chunk.length;
  }
  parentPort.postMessage({ sha256: hash.digest("hex"), bytes });
})().catch((err) => parentPort.postMessage({ error: { code: err && err.code, message: String(err && err.message) } }));
`;

/** At most one worker per core at a time: a run.json listing many files must not start a thread for each. */
const MAX_WORKERS = Math.max(1, availableParallelism());
let running = 0;
const waiting: Array<() => void> = [];

async function inSlot<T>(work: () => Promise<T>): Promise<T> {
  if (running >= MAX_WORKERS) await new Promise<void>((start) => waiting.push(start));
  running++;
  try {
    return await work();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

/** Streams `path` through SHA-256 on its own thread; rejects with the read error (its code kept). */
export function digestFileInWorker(path: string): Promise<MessagesDigest> {
  return inSlot(() => digestOnThread(path));
}

function digestOnThread(path: string): Promise<MessagesDigest> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER, { eval: true, workerData: path });
    worker.once("message", (m: MessagesDigest & { error?: { code?: string; message: string } }) => {
      void worker.terminate();
      if (m.error) reject(Object.assign(new Error(m.error.message), { code: m.error.code }));
      else resolve({ sha256: m.sha256, bytes: m.bytes });
    });
    worker.once("error", reject);
    // A worker that ends without answering (killed, out of memory) must not leave the gate waiting.
    worker.once("exit", (code) => reject(new Error(`the digest worker ended (exit code ${code}) before answering`)));
  });
}
