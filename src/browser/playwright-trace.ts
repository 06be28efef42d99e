// One Playwright trace chunk per scenario in a long-lived context, kept off the scenario's critical path.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BrowserContext } from "playwright-core";

/**
 * What a trace records. DOM snapshots cost an init script in every document the page loads plus a
 * DOM serialisation before and after every action, in the renderer and in the worker's node process
 * (bench/RESULTS.md); without them a trace still has every action with its timing, arguments and
 * error, the console and the network. The failing step's screenshot and page source are attached
 * separately either way (src/report/evidence.ts).
 */
export interface TraceOptions {
  snapshots: boolean;
}

/**
 * The chunks of one context. Starting and discarding a chunk are sent without waiting for the
 * answer: Playwright's server registers the chunk's recorder as soon as the start arrives, so the
 * scenario's first action (sent after it on the same connection) is recorded, and nothing waits for
 * the round trip. `settled()` is what the context's reset waits for before touching the page, so a
 * chunk never records the reset. A chunk that failed to start or stop costs the scenario nothing:
 * tracing is evidence, never a reason to fail.
 */
export class ContextTrace {
  private started = false;
  /** Start/stop calls in flight, in the order they were made. */
  private pending: Promise<unknown> = Promise.resolve();
  private recording = false;

  constructor(private readonly context: BrowserContext) {}

  /**
   * Starts the scenario's chunk. Only the context's first start is waited for: the client starts
   * tracing and then its first chunk in two round trips, and an action sent between them would not
   * be recorded.
   */
  async begin(title: string, options: TraceOptions): Promise<void> {
    const tracing = this.context.tracing;
    this.recording = true;
    if (this.started) return void this.enqueue(() => tracing.startChunk({ title }));
    this.started = true;
    this.enqueue(() => tracing.start({ screenshots: false, snapshots: options.snapshots, sources: false, title }));
    await this.pending;
  }

  /** Drops the chunk (the scenario passed); returns at once. */
  discard(): undefined {
    if (this.recording) this.enqueue(() => this.context.tracing.stopChunk());
    this.recording = false;
    return undefined;
  }

  /** Ends the chunk and returns it as a trace.zip (the scenario failed). */
  async keep(): Promise<Buffer | undefined> {
    if (!this.recording) return undefined;
    this.recording = false;
    const dir = mkdtempSync(join(tmpdir(), "signoff-trace-"));
    const file = join(dir, "trace.zip");
    let written = false;
    // In the queue like every start and stop, so the reset (which waits for `settled`) never runs under it.
    this.enqueue(async () => {
      await this.context.tracing.stopChunk({ path: file });
      written = true;
    });
    try {
      await this.pending;
      return written ? readFileSync(file) : undefined;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  /** Resolves once every start/stop sent so far has been answered (never rejects). */
  settled(): Promise<void> {
    return this.pending.then(() => undefined);
  }

  private enqueue(call: () => Promise<unknown>): void {
    this.pending = this.pending.then(call).catch(() => undefined);
  }
}

const traces = new WeakMap<BrowserContext, ContextTrace>();

/** The context's trace chunks (a context keeps its recorder across scenarios; options are set by its first start). */
export function traceOf(context: BrowserContext): ContextTrace {
  let trace = traces.get(context);
  if (!trace) traces.set(context, (trace = new ContextTrace(context)));
  return trace;
}
