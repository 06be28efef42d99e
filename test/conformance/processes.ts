// Finding browser processes from /proc (Linux), to crash a browser on purpose and to check for orphans.
import { readdirSync, readFileSync } from "node:fs";

export interface Proc {
  pid: number;
  ppid: number;
  args: string[];
}

function read(pid: string): Proc | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // "pid (comm) state ppid ..." — comm may contain spaces, so parse after the last ")".
    const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (rest[0] === "Z" || rest[0] === "X") return undefined; // zombies are not running
    const args = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean);
    return { pid: Number(pid), ppid: Number(rest[1]), args };
  } catch {
    return undefined; // ended while we looked
  }
}

/** Running (non-zombie) Chromium/Chrome and chromedriver processes. */
export function browserProcesses(): Proc[] {
  const out: Proc[] = [];
  for (const p of readdirSync("/proc")) {
    if (!/^\d+$/.test(p)) continue;
    const proc = read(p);
    if (proc && proc.args.length && /chrom(e|ium)|chromedriver|headless_shell/i.test(proc.args[0])) out.push(proc);
  }
  return out;
}

/**
 * The browser's main process among those this test process started since `before`: a Chromium
 * without --type=. Only our own descendants count, so browsers of other test runs are never touched.
 */
export function newBrowserMainProcess(before: Set<number>): Proc | undefined {
  return ownedBrowserProcesses().find(
    // Chromium rewrites a helper's command line into one string, so look for --type= anywhere in it.
    (p) => !before.has(p.pid) && !/chromedriver/.test(p.args[0]) && !/(^| )--type=/.test(p.args.join(" ")),
  );
}

export function isRunning(pid: number): boolean {
  return read(String(pid)) !== undefined;
}

/** Browser/chromedriver processes descending from `root` (default: this test process). */
export function ownedBrowserProcesses(root = process.pid): Proc[] {
  const all = browserProcesses();
  const parentOf = new Map<number, number>();
  for (const p of readdirSync("/proc")) {
    if (!/^\d+$/.test(p)) continue;
    try {
      const stat = readFileSync(`/proc/${p}/stat`, "utf8");
      parentOf.set(Number(p), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
    } catch {
      // gone
    }
  }
  const descends = (pid: number): boolean => {
    for (
      let cur = parentOf.get(pid), hops = 0;
      cur !== undefined && cur > 1 && hops < 64;
      cur = parentOf.get(cur), hops++
    ) {
      if (cur === root) return true;
    }
    return false;
  };
  return all.filter((p) => descends(p.pid));
}

/**
 * Remembers every browser process this test process starts (sample it often), so a final check can
 * tell that none is left running — without counting browsers other test runs on the machine own.
 */
export class ProcessLedger {
  readonly seen = new Set<number>();
  sample(): void {
    for (const p of ownedBrowserProcesses()) this.seen.add(p.pid);
  }
  stillRunning(): number[] {
    return [...this.seen].filter(isRunning);
  }
}
