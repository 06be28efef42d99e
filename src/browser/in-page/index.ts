// Entry of the in-page bundle (scripts/bundle-in-page.ts): what the Selenium adapter may call inside the page.
import { locate } from "./locate";

export const inPage = { locate };
export type InPageApi = typeof inPage;
