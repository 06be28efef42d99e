// Generic steps: the page's local and session storage, set for the page's origin and checked like every assertion (waiting).
import { Given, Then } from "@cucumber/cucumber";
import { NoPageForStorageError, storageName, type StorageArea, type WebStorage } from "../../src/browser/session";
import { eventually, probeSays } from "../support/eventually";
import { settleOf } from "../support/settle";
import { namesOf, shownValue } from "../support/stored-values";
import type { SignoffWorld } from "../support/world";

function wait(world: SignoffWorld): number {
  return world.parameters.timeouts.actionMs;
}

/** An area read, or the reason it cannot be: no page of a site is open, which no waiting changes. */
type Read = WebStorage | NoPageForStorageError;

/**
 * Polls the area until `holds` for the item's value (null: no such item); its failure reads `expected the local
 * storage item "k" <wanted>, <found>`. No page open ends the wait at once with that error, a test defect saying to
 * open a page first. `negative`: a check that rules something out, which counts only once the page has settled (the
 * page may still be writing after a request).
 */
async function expectItem(
  world: SignoffWorld,
  area: StorageArea,
  key: string,
  wanted: string,
  holds: (value: string | null) => boolean,
  found: (value: string | null, storage: WebStorage) => string,
  negative = false,
): Promise<void> {
  const valueIn = (s: WebStorage) => s.items.find((i) => i.key === key)?.value ?? null;
  const last = await eventually<Read>(
    () =>
      world.session.storage(area).catch((err: unknown) => {
        if (err instanceof NoPageForStorageError) return err;
        throw err;
      }),
    (s) => s instanceof NoPageForStorageError || holds(valueIn(s)),
    (s, e) =>
      `expected the ${storageName(area)} item "${key}" ${wanted}, ${
        s && !(s instanceof NoPageForStorageError)
          ? found(valueIn(s), s)
          : e
            ? probeSays(e)
            : "its items could not be read"
      }`,
    wait(world),
    negative ? { settle: settleOf(world) } : {},
  );
  if (last instanceof NoPageForStorageError) throw last;
}

/** What the area holds instead of the item, keys only (values may be tokens): its items, or that it is empty. */
function itemsThere(area: StorageArea, s: WebStorage): string {
  const keys = s.items.map((i) => i.key);
  return `${storageName(area)} of ${s.origin} has no item of that key; ${
    keys.length === 0 ? "it is empty" : `its items are ${namesOf(keys, "")}`
  }`;
}

Given(
  "the {storage} item {string} is set to {string}",
  async function (this: SignoffWorld, area: StorageArea, key: string, value: string) {
    await this.session.setStorageItem(area, key, value);
  },
);

Then("the {storage} item {string} should be set", async function (this: SignoffWorld, area: StorageArea, key: string) {
  await expectItem(
    this,
    area,
    key,
    "to be set",
    (v) => v !== null,
    (_, s) => itemsThere(area, s),
  );
});

Then(
  "the {storage} item {string} should not be set",
  async function (this: SignoffWorld, area: StorageArea, key: string) {
    await expectItem(
      this,
      area,
      key,
      "not to be set",
      (v) => v === null,
      (_, s) => `${storageName(area)} of ${s.origin} still has it`,
      true,
    );
  },
);

Then(
  "the {storage} item {string} should have the value {string}",
  async function (this: SignoffWorld, area: StorageArea, key: string, value: string) {
    await expectItem(
      this,
      area,
      key,
      `to have the value "${value}"`,
      (v) => v === value,
      (v, s) => (v === null ? itemsThere(area, s) : `it has ${shownValue(v)}`),
    );
  },
);
