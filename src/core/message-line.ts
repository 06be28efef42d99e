// An error text (message + stack) as one line for summaries, table cells and gate reasons.

/** Every line of an error text's message (a "the page had 2 errors:" keeps the errors after it), no stack frames. */
export function messageLines(text: string): string[] {
  const lines: string[] = [];
  for (const line of text.split("\n")) {
    if (/^\s+at /.test(line)) break;
    if (line.trim()) lines.push(line.trim());
  }
  return lines;
}

/** The message as one line, whitespace collapsed, cut at `max` characters. */
export function messageLine(text: string, max = 300): string {
  const one = messageLines(text).join(" ").replace(/\s+/g, " ");
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}
