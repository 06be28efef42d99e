// Start-up phase marks: with SIGNOFF_PHASES=FILE each process appends "when, how much CPU" per phase (bench/startup.ts reads them).
import { appendFileSync } from "node:fs";
import { performance } from "node:perf_hooks";

/** One line of the phases file. */
export interface PhaseMark {
  /** Which process: "cli" (the runner) or "cucumber" (a target's process). */
  proc: string;
  pid: number;
  phase: string;
  /** Epoch milliseconds. */
  at: number;
  /** This process's user + system CPU so far, milliseconds. */
  cpuMs: number;
}

/** Appends one mark when SIGNOFF_PHASES names a file; a no-op otherwise (and never fails the run). */
export function markPhase(proc: string, phase: string): void {
  const file = process.env.SIGNOFF_PHASES;
  if (!file) return;
  const cpu = process.cpuUsage();
  const mark: PhaseMark = {
    proc,
    pid: process.pid,
    phase,
    at: performance.timeOrigin + performance.now(),
    cpuMs: (cpu.user + cpu.system) / 1000,
  };
  try {
    appendFileSync(file, `${JSON.stringify(mark)}\n`);
  } catch {
    // a measurement aid only
  }
}

/** The mark for "node started" (the process's time origin, no CPU yet). */
export function markProcessStart(proc: string): void {
  const file = process.env.SIGNOFF_PHASES;
  if (!file) return;
  try {
    appendFileSync(
      file,
      `${JSON.stringify({ proc, pid: process.pid, phase: "node started", at: performance.timeOrigin, cpuMs: 0 })}\n`,
    );
  } catch {
    // a measurement aid only
  }
}
