// Several visitors loading one page at the same moment over HTTP: how races such as a lost update are provoked.
import { stagingHeadersFor, type StagingAccess } from "../core/staging-access";
import { messageOf, unreachable } from "./errors";

/**
 * Loads the URL n times at once; resolves with what went wrong (a 5xx, a broken or hung request), empty when every
 * load got a page. Rejects with a StagingError when staging could not be connected to at all (not the product's answer).
 */
export async function loadAtOnce(url: string, n: number, timeoutMs: number, access?: StagingAccess): Promise<string[]> {
  const results = await Promise.allSettled(
    Array.from({ length: n }, () => load(url, AbortSignal.timeout(timeoutMs), access)),
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

/** How many redirects one visitor follows, as fetch's "follow" does before it gives up. */
const MAX_REDIRECTS = 20;

/**
 * One visitor's load, redirects followed as a browser follows them: with staging's access headers on each hop to
 * staging's origin and on no other (fetch's own "follow" would carry them to wherever a redirect points).
 */
async function load(url: string, signal: AbortSignal, access: StagingAccess | undefined): Promise<number> {
  let at = url;
  for (let hop = 0; ; hop++) {
    const res = await fetch(at, {
      signal,
      redirect: "manual",
      cache: "no-store",
      headers: stagingHeadersFor(access, at),
    });
    await res.arrayBuffer();
    const location = res.headers.get("location");
    if (res.status < 300 || res.status >= 400 || location === null) return res.status;
    if (hop === MAX_REDIRECTS) throw new Error(`more than ${MAX_REDIRECTS} redirects from ${url}`);
    at = new URL(location, at).toString();
  }
}
