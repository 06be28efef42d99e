// How the CLI ends: a bug in Signoff is one line and its own exit code (never 2, which blames the input), the trace in a file.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { reportCrash } from "../../src/cli";
import { EXIT } from "../../src/core/errors";

test("an unexpected exception: one escaped line naming the trace file, exit 70, the stack in the file", () => {
  const lines: string[] = [];
  const original = console.error;
  console.error = (line: string) => lines.push(line);
  let code: number;
  try {
    code = reportCrash(new TypeError("cannot read properties of undefined\u001b[2J\nsecond line"));
  } finally {
    console.error = original;
  }
  assert.equal(code, EXIT.crash);
  assert.notEqual(EXIT.crash, EXIT.usage);
  assert.equal(lines.length, 1);
  assert.match(lines[0], /^signoff: internal error: cannot read properties of undefined\\x1b\[2J; the full trace is in (\S+signoff-crash-\d+-\d+\.log) \(please report it\)$/);
  const file = /the full trace is in (\S+) /.exec(lines[0])![1];
  assert.match(readFileSync(file, "utf8"), /TypeError: cannot read properties of undefined[\s\S]*\n\s+at /);
});
