// Finds processes by an environment marker, to prove a run left no browser or driver behind. Linux-only
// (reads /proc/PID/environ, which macOS does not offer); the product itself never scans processes.
import { readdirSync, readFileSync } from "node:fs";
import { randomUUID } from "node:crypto";
import type { ChildProcess } from "node:child_process";

export const MARK_VAR = "SIGNOFF_TEST_MARK";

export function newMark(): string {
  return randomUUID();
}

/** Live processes (not zombies) whose environment carries the marker. */
export function markedProcesses(mark: string): Array<{ pid: number; cmd: string }> {
  const found: Array<{ pid: number; cmd: string }> = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const env = readFileSync(`/proc/${entry}/environ`, "latin1");
      if (!env.includes(`${MARK_VAR}=${mark}`)) continue;
      const stat = readFileSync(`/proc/${entry}/stat`, "latin1");
      if (/\) Z /.test(stat)) continue;
      found.push({
        pid: Number(entry),
        cmd: readFileSync(`/proc/${entry}/cmdline`, "latin1").replace(/\0/g, " ").trim(),
      });
    } catch {
      // the process ended while we looked
    }
  }
  return found;
}

/** Waits (briefly) until no marked process is left; returns what is still there. */
export async function leftovers(mark: string, waitMs = 5000): Promise<Array<{ pid: number; cmd: string }>> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const left = markedProcesses(mark);
    if (left.length === 0 || Date.now() > deadline) return left;
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Leftovers after a grace period, killed so one failing test does not poison the next; returns them. */
export async function killLeftovers(mark: string, waitMs = 10_000): Promise<Array<{ pid: number; cmd: string }>> {
  const left = await leftovers(mark, waitMs);
  for (const p of left) {
    try {
      process.kill(p.pid, "SIGKILL");
    } catch {
      // gone
    }
  }
  return left;
}

/** Stops a detached child and its process group: SIGTERM, then SIGKILL after the grace period. */
export async function stopProcessGroup(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once("exit", r));
  const signalGroup = (sig: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, sig);
    } catch {
      // gone
    }
  };
  signalGroup("SIGTERM");
  const timer = setTimeout(() => signalGroup("SIGKILL"), graceMs);
  await exited;
  clearTimeout(timer);
}
