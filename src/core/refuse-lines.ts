// Several mistakes found at once are refused at once: every line but the last printed, the last the error's own line.
import { UsageError, type SignoffError } from "./errors";
import { escapeControl } from "./safe-text";

/**
 * Stops a command over `lines` (each one mistake, naming its file/line/field) when there are any. The lines may quote
 * hostile input, so each is escaped as the CLI escapes the error's own line; `last` makes the error the command ends
 * with (a UsageError, exit 2, unless said otherwise).
 */
export function refuseLines(
  lines: readonly string[],
  last: (line: string) => SignoffError = (line) => new UsageError(line),
): void {
  if (lines.length === 0) return;
  for (const l of lines.slice(0, -1)) console.error(`signoff: ${escapeControl(l)}`);
  throw last(lines[lines.length - 1]);
}
