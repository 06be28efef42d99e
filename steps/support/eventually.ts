// Polls an assertion until it holds or the timeout passes: the same waiting rule on every driver.
export async function eventually<T>(
  probe: () => Promise<T>,
  holds: (value: T) => boolean,
  describeFailure: (last: T | undefined, error?: unknown) => string,
  timeoutMs: number,
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  let lastError: unknown;
  for (;;) {
    try {
      last = await probe();
      lastError = undefined;
      if (holds(last)) return last;
    } catch (err) {
      // A crashed browser will not recover by waiting.
      if ((err as Error)?.name === "BrowserCrashedError") throw err;
      lastError = err;
    }
    if (Date.now() >= deadline) {
      throw new Error(`${describeFailure(last, lastError)} (waited ${timeoutMs} ms)`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
