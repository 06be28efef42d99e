// A checkbox or radio checked through its label (in-page/toggle.ts): the words both adapters fail with, the same on each.
import { TestDefinitionError } from "../core/errors";
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

/** The failure's detail when a click on the label left the control as it was. */
export function labelClickNotTaken(labelText: string, checked: boolean): string {
  return `clicking its label "${labelText}" did not ${checked ? "check" : "uncheck"} it`;
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
