// Several visitors loading one page at the same moment over HTTP: how races such as a lost update are provoked.
import { stagingHeadersFor, type StagingAccess } from "../core/staging-access";
import { messageOf, unreachable } from "./errors";

/**
 * Loads the URL n times at once; resolves with what went wrong (a 5xx, a broken or hung request), empty when every
 * load got a page. Rejects with a StagingError when staging could not be connected to at all (not the product's answer).
 */
export async function loadAtOnce(url: string, n: number, timeoutMs: number, access?: StagingAccess): Promise<string[]> {
  const results = await Promise.allSettled(
    Array.from({ length: n }, async () => {
      const res = await fetch(url, {
        signal: AbortSignal.timeout(timeoutMs),
        // Not "follow": fetch would carry staging's headers to wherever a redirect points.
        redirect: access ? "manual" : "follow",
        cache: "no-store",
        headers: stagingHeadersFor(access, url),
      });
      await res.arrayBuffer();
      return res.status;
    }),
  );
  for (const x of results) {
    const gone = x.status === "rejected" ? unreachable(x.reason, new URL(url).origin) : undefined;
    if (gone) throw gone;
  }
  return results
    .map((x) =>
      x.status === "fulfilled" ? (x.value >= 500 ? `answered ${x.value}` : "") : `failed: ${messageOf(x.reason)}`,
    )
    .filter(Boolean);
}
