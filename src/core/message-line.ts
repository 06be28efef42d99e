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

/** The shortest a line of a message is clipped to before the one line is cut at its end instead. */
const LINE_KEPT = 40;

/**
 * What goes between two lines of a message in one line: a space after a line that introduces the next (a "2 errors:"
 * and its list) or before one in parentheses (a "(waited 1000 ms)"), otherwise " · ", so that a note put after the
 * message (the page's answer, a next error) does not read as part of the sentence before it. Not "; ", which the gate
 * puts between the scenarios of one reason.
 */
function separator(line: string, next: string): string {
  return line.endsWith(":") || next.startsWith("(") ? " " : " · ";
}

/** The first `n` UTF-16 units of `text`, one fewer rather than half of a surrogate pair. */
function head(text: string, n: number): string {
  const code = text.charCodeAt(n - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? n - 1 : n);
}

/** The last `n` UTF-16 units of `text`, one fewer rather than half of a surrogate pair. */
function tail(text: string, n: number): string {
  if (n <= 0) return "";
  const code = text.charCodeAt(text.length - n);
  return text.slice(code >= 0xdc00 && code <= 0xdfff ? text.length - n + 1 : text.length - n);
}

/**
 * A line clipped to `keep` characters in its middle: its start says what was checked, its end what the page showed
 * (`expected … "Loan renewed until …", it shows "Renewal failed"`), so both stay.
 */
function clipLine(line: string, keep: number): string {
  if (line.length <= keep) return line;
  const start = Math.ceil((keep - 1) * 0.6);
  return `${head(line, start)}…${tail(line, keep - 1 - start)}`;
}

/**
 * The message as one line, whitespace collapsed, at most `max` characters: when it is longer, its longest lines are
 * clipped first (each in its middle, so a short line after a long one stays whole), then what is still over is cut.
 */
export function messageLine(text: string, max = 300): string {
  const lines = messageLines(text).map((l) => l.replace(/\s+/g, " "));
  const clipped = (keep: number) =>
    lines
      .map((l) => clipLine(l, keep))
      .reduce((one, l, i, all) => (i === 0 ? l : one + separator(all[i - 1], l) + l), "");
  let one = clipped(Infinity);
  if (one.length <= max) return one;
  // The longest clip that fits, found by halving: the length only grows with `keep`.
  let [fits, over] = [LINE_KEPT - 1, lines.reduce((longest, l) => Math.max(longest, l.length), 0)];
  while (over - fits > 1) {
    const keep = Math.floor((fits + over) / 2);
    if (clipped(keep).length <= max) fits = keep;
    else over = keep;
  }
  one = clipped(Math.max(fits, LINE_KEPT));
  return one.length > max ? `${head(one, max - 1)}…` : one;
}
