// Start-up phase marks: written only when SIGNOFF_PHASES names a file, one JSON line per mark in order, never failing the run.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { markPhase, markProcessStart, type PhaseMark } from "../../src/core/phase-marks";
import { tempDir } from "../helpers/cli";

function withPhasesFile<T>(file: string | undefined, body: () => T): T {
  const before = process.env.SIGNOFF_PHASES;
  if (file === undefined) delete process.env.SIGNOFF_PHASES;
  else process.env.SIGNOFF_PHASES = file;
  try {
    return body();
  } finally {
    if (before === undefined) delete process.env.SIGNOFF_PHASES;
    else process.env.SIGNOFF_PHASES = before;
  }
}

test("without SIGNOFF_PHASES nothing is written", () => {
  const file = join(tempDir(), "phases.jsonl");
  withPhasesFile(undefined, () => {
    markProcessStart("cli");
    markPhase("cli", "config loaded");
  });
  assert.equal(existsSync(file), false);
});

test("with SIGNOFF_PHASES each mark is one line: process, pid, phase, time and CPU, in order", () => {
  const file = join(tempDir(), "phases.jsonl");
  withPhasesFile(file, () => {
    markProcessStart("cli");
    markPhase("cli", "config loaded");
    markPhase("cucumber", "support loaded");
  });
  const marks = readFileSync(file, "utf8")
    .trimEnd()
    .split("\n")
    .map((l) => JSON.parse(l) as PhaseMark);
  assert.deepEqual(
    marks.map((m) => [m.proc, m.pid, m.phase]),
    [
      ["cli", process.pid, "node started"],
      ["cli", process.pid, "config loaded"],
      ["cucumber", process.pid, "support loaded"],
    ],
  );
  assert.equal(marks[0].cpuMs, 0);
  assert.ok(marks[1].cpuMs > 0 && marks[2].cpuMs >= marks[1].cpuMs, "CPU so far, growing");
  assert.ok(marks[0].at <= marks[1].at && marks[1].at <= marks[2].at, "times in order");
});

test("a phases file that cannot be written never fails the run", () => {
  const dir = tempDir();
  withPhasesFile(join(dir, "no-such-dir", "phases.jsonl"), () => {
    assert.doesNotThrow(() => markProcessStart("cli"));
    assert.doesNotThrow(() => markPhase("cli", "x"));
  });
});
