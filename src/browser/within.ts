// A promise's answer, or a mark that a time passed first: the bounded waits of the browser adapters (busy-page, the navigation watches, Playwright's own timeouts).

export const LATE = Symbol("late");

/** Waits for `p` or `ms`, whichever first; the timer does not outlive the wait nor hold the process. */
export async function within<T>(p: Promise<T>, ms: number): Promise<T | typeof LATE> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<typeof LATE>((r) => {
        timer = setTimeout(() => r(LATE), Math.max(0, ms));
        timer.unref();
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
