// A checkbox, radio or switch checked by a click on it or its label (in-page/toggle.ts): the words both adapters fail with.
import { SignoffAssertionError, TestDefinitionError } from "../core/errors";
import { describeLocator, type Locator } from "./session";
import type { InPageToggle } from "./in-page/toggle";

/** What an adapter reads of in-page toggleTarget's answer: `E` is how it holds the label, `C` the control. */
export type Toggle<E, C = E> =
  | Exclude<InPageToggle, { found: "control" | "label" }>
  | (Omit<Extract<InPageToggle, { found: "control" }>, "control"> & { control: C })
  | (Omit<Extract<InPageToggle, { found: "label" }>, "control" | "label"> & { control: C; label: E });

/** Its state once read again after the label's click: null when the phrase has no control to read now. */
export function checkedNow<E, C>(t: Toggle<E, C>): boolean | null {
  return t.found === "control" || t.found === "label" ? t.checked : null;
}

/**
 * After a click on the control or its label: until it is `checked`, its own state (`own`: the element clicked, null or
 * failing once the page replaced it) or else its state read again by the phrase (the page may draw it anew); the
 * product's failure (toggleNotTaken, saying `how`) at the deadline.
 */
export async function untilToggled<E, C>(
  l: Locator,
  checked: boolean,
  when: { deadline: number; waitedMs: number; pollMs: number },
  how: string,
  byPhrase: () => Promise<Toggle<E, C>>,
  own?: () => Promise<boolean | null>,
): Promise<void> {
  for (;;) {
    const read = own ? await own().catch(() => undefined) : undefined;
    if ((read ?? checkedNow(await byPhrase())) === checked) return;
    if (Date.now() >= when.deadline) throw toggleNotTaken(l, checked, how, when.waitedMs);
    await new Promise((resolve) => setTimeout(resolve, when.pollMs));
  }
}

/** What was clicked and left the control as it was: the control itself (null) or its label (its text). */
export function clickNotTaken(labelText: string | null, checked: boolean): string {
  return `clicking ${labelText === null ? "it" : `its label "${labelText}"`} did not ${checked ? "check" : "uncheck"} it`;
}

/**
 * A click on the control or its label went through and left it as it was until the action timeout: the product does
 * not do what a user's click does there, so it is the product's failure, not the test's. The same words on both drivers.
 */
export function toggleNotTaken(l: Locator, checked: boolean, how: string, waitedMs: number): SignoffAssertionError {
  return new SignoffAssertionError(
    `expected ${describeLocator(l)} to be ${checked ? "checked" : "unchecked"}: ${how} (waited ${waitedMs} ms)`,
  );
}

/**
 * A checked radio button is unchecked by choosing another of its group: a click on it (or its label) leaves it
 * checked, so the step is a test defect, refused before any click, in the same words on both drivers.
 */
export function radioUncheckRefused(l: Locator): TestDefinitionError {
  return new TestDefinitionError(
    `${describeLocator(l)} cannot be unchecked: a user unchecks a radio button by checking another one of its group`,
  );
}
