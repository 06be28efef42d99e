// A closed stdout or stderr (`signoff run … | head -1`): what is printed after the reader went away is dropped.

/** Set on a stream once it is guarded: the CLI, a target's process and its support code may each ask. */
const GUARDED = Symbol.for("signoff.closedOutputGuarded");

/**
 * Once the reader of the process's stdout or stderr has gone (a pipe into `head`, a closed terminal), each write
 * fails with EPIPE, which node emits as an error on the stream: with nobody listening it is an uncaught exception.
 * In a target's Cucumber process, Cucumber blames it on the step or hook running then: a scenario that passes is
 * recorded as failed at "(hook)", and the gate finds the target incomplete. What the terminal shows is only a view of the
 * results, which are in the reports' files: a closed output stops the writing to it (each later write is dropped,
 * its callback called) and nothing else. Any other error on the stream is thrown as before. Idempotent.
 */
export function ignoreClosedOutput(): void {
  for (const stream of [process.stdout, process.stderr]) {
    const marked = stream as NodeJS.WriteStream & { [GUARDED]?: true };
    if (marked[GUARDED]) continue;
    marked[GUARDED] = true;
    stream.on("error", (err: NodeJS.ErrnoException) => {
      // ERR_STREAM_DESTROYED: a write node still had queued when the EPIPE came.
      if (err.code !== "EPIPE" && err.code !== "ERR_STREAM_DESTROYED") throw err;
      stopWriting(stream);
    });
  }
}

/**
 * Node does not let process.stdout be destroyed (it undoes the destroy, so the process can still write): each
 * write after the first EPIPE would fail again. The stream's own write to the pipe is replaced instead, so what
 * is written later, through write() or a reference to it bound earlier (Cucumber's formatters hold one), is
 * dropped as /dev/null would take it.
 */
function stopWriting(stream: NodeJS.WriteStream): void {
  const sink = stream as unknown as {
    _write: (chunk: unknown, encoding: unknown, done: () => void) => void;
    _writev?: (chunks: unknown, done: () => void) => void;
  };
  sink._write = (_chunk, _encoding, done) => done();
  sink._writev = (_chunks, done) => done();
}
