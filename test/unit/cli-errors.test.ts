// How the CLI ends: a bug in Signoff is one line and its own exit code (never 2, which blames the input), the trace in a file.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { main, reportCrash } from "../../src/cli";
import {
  EnvironmentError,
  EXIT,
  exitCodeOf,
  InterruptedError,
  NothingSelectedError,
  RefusedError,
  UsageError,
} from "../../src/core/errors";
import { InputTooLargeError } from "../../src/core/input-file";

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
  assert.match(
    lines[0],
    /^signoff: internal error: cannot read properties of undefined\\x1b\[2J; the full trace is in (\S+signoff-crash-\d+-\d+\.log) \(please report it\)$/,
  );
  const file = /the full trace is in (\S+) /.exec(lines[0])![1];
  assert.match(readFileSync(file, "utf8"), /TypeError: cannot read properties of undefined[\s\S]*\n\s+at /);
});

test("each error class carries its exit code; the CLI maps an error to its code by class, anything else is a crash", () => {
  const cases: [unknown, number][] = [
    [new UsageError("bad flag"), EXIT.usage],
    [new InputTooLargeError("/x", 20, 10, "verdict"), EXIT.usage],
    [new EnvironmentError("no browser"), EXIT.environment],
    [new NothingSelectedError("no scenario"), EXIT.no],
    [new RefusedError("decision FAILED"), EXIT.no],
    [new InterruptedError("SIGINT", "stopped"), EXIT.interrupted],
    // Words do not decide: a plain Error that talks about usage or staging is still a crash.
    [new Error("usage: staging unreachable, interrupted"), EXIT.crash],
    [new TypeError("x is undefined"), EXIT.crash],
    ["a string", EXIT.crash],
  ];
  for (const [err, code] of cases) assert.equal(exitCodeOf(err), code, String(err));
  assert.equal(EXIT.interrupted, 130);
  assert.equal(new InterruptedError("SIGTERM", "stopped at once").message, "SIGTERM received: stopped at once");
  assert.equal(new UsageError("x").name, "UsageError");
});

test("main: a usage error from a real command is one line and exit 2", async () => {
  const lines: string[] = [];
  const original = console.error;
  console.error = (line: string) => lines.push(line);
  let code: number;
  try {
    code = await main(["node", "signoff", "report", "--reports", "/nonexistent/signoff-reports"]);
  } finally {
    console.error = original;
  }
  assert.equal(code, EXIT.usage);
  assert.equal(lines.length, 1);
  assert.match(lines[0], /^signoff: \/nonexistent\/signoff-reports: no such reports directory/);
});
