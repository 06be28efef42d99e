// An error text (message + stack) as one line for summaries, table cells and gate reasons.

/** An error text split where its stack frames begin: its message's lines, then the frames (`    at …`). */
function splitAtFrames(text: string): [string[], string[]] {
  const lines = text.split("\n");
  const frames = lines.findIndex((l) => /^\s+at /.test(l));
  return frames === -1 ? [lines, []] : [lines.slice(0, frames), lines.slice(frames)];
}

/** Every line of an error text's message (a "the page had 2 errors:" keeps the errors after it), no stack frames. */
export function messageLines(text: string): string[] {
  return splitAtFrames(text)[0]
    .map((l) => l.trim())
    .filter(Boolean);
}

/** An error text (message lines, then its stack frames) with `line` put after its message lines. */
export function withLineAfterMessage(text: string, line: string): string {
  const [message, frames] = splitAtFrames(text);
  return [...message, line, ...frames].join("\n");
}

/** The section of a property's failure report that says what failed (src/properties/runner.ts writes it). */
export const PROPERTY_FAILURE_SECTION = "Failure:";

/**
 * A property failure's report (its first line the property, then its counterexample) as its headline: what failed
 * first (the Failure section's first line), then the property; undefined for a text with no such section.
 */
export function propertyFailureHeadline(text: string): string | undefined {
  const lines = messageLines(text);
  const at = lines.indexOf(PROPERTY_FAILURE_SECTION);
  return at > 0 && at + 1 < lines.length ? `${lines[at + 1]} — ${lines[0]}` : undefined;
}

/** The message as one line, whitespace collapsed, cut at `max` characters. */
export function messageLine(text: string, max = 300): string {
  const one = messageLines(text).join(" ").replace(/\s+/g, " ");
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}
