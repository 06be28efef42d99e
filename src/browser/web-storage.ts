// The port's localStorage and sessionStorage: one script both adapters run in the document steps act in, and its answer read one way.
import { NoPageForStorageError, type StorageArea, type WebStorage } from "./session";

/** What the script answers: the area's items, or the address of a document that has no site's origin. */
type StorageAnswer = WebStorage | { noPage: string };

/**
 * An expression that reads the area (and first sets `write`'s item), for page.evaluate and, after `return`, for
 * WebDriver's executeScript. A document that is no page of a site (the about:blank before the first page, a data:
 * URL) has an opaque origin, whose storage the browser refuses with a SecurityError: that is answered as such,
 * before the area is touched. So is a top-level about:blank, which may have an origin all the same: the one of the
 * page that left for it (the reset between scenarios), not a page the scenario opened. (An about:blank or
 * about:srcdoc frame has its parent's origin, and its storage.)
 */
export function storageExpression(area: StorageArea, write?: { key: string; value: string }): string {
  const store = area === "local" ? "localStorage" : "sessionStorage";
  return `(() => {
    if (self.origin === "null" || (window === window.top && location.href === "about:blank")) return { noPage: location.href };
    const store = window.${store};
    const write = ${JSON.stringify(write ?? null)};
    if (write) store.setItem(write.key, write.value);
    const items = [];
    for (let i = 0; i < store.length; i++) {
      const key = store.key(i);
      items.push({ key, value: store.getItem(key) });
    }
    return { origin: self.origin, items };
  })()`;
}

/** The area the script read, or NoPageForStorageError when the document was no page of a site. */
export function storageFrom(area: StorageArea, answer: unknown): WebStorage {
  const a = answer as StorageAnswer;
  if ("noPage" in a) throw new NoPageForStorageError(area, a.noPage);
  return a;
}
