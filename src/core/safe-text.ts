// Text from untrusted input made safe to show and to paste: control characters escaped for a terminal or a CI log, words quoted for a shell.

/**
 * C0/C1 controls (newline and tab included: an untrusted value must not start a fake line), DEL, the
 * Unicode line/paragraph separators and the bidirectional overrides that reorder what a reader sees.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is this module's purpose
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** Every unsafe character as a visible escape (\n, \t, \x1b, \u202e); other text unchanged. */
export function escapeControl(text: string): string {
  return text.replace(UNSAFE, (c) => {
    if (c === "\n") return "\\n";
    if (c === "\r") return "\\r";
    if (c === "\t") return "\\t";
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
  });
}

/** Text of several lines, each escaped: the line breaks are ours, anything else is shown, not obeyed. */
export function escapeLines(lines: string[]): string {
  return lines.map(escapeControl).join("\n");
}

/** One word for a POSIX shell, as a pasted command line needs it: quoted only when it has to be. */
export function shellQuote(s: string): string {
  return /^[A-Za-z0-9_.,:/+=@-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}
