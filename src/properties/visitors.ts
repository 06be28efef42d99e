// Several visitors loading one page at the same moment over HTTP: how races such as a lost update are provoked.
import { messageOf } from "./errors";

/** Loads the URL n times at once; resolves with what went wrong (a 5xx, a broken or hung request), empty when every load got a page. */
export async function loadAtOnce(url: string, n: number, timeoutMs: number): Promise<string[]> {
  const results = await Promise.allSettled(
    Array.from({ length: n }, async () => {
      const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: "follow", cache: "no-store" });
      await res.arrayBuffer();
      return res.status;
    }),
  );
  return results
    .map((x) =>
      x.status === "fulfilled" ? (x.value >= 500 ? `answered ${x.value}` : "") : `failed: ${messageOf(x.reason)}`,
    )
    .filter(Boolean);
}
