// Peak memory of a process tree: samples /proc periodically and sums the RSS of the root and all its
// descendants (runner, Cucumber worker, chromedriver, every Chromium process). Summed RSS counts pages
// shared between Chromium's processes more than once, so PSS (proportional share) is sampled too.
import { readdirSync, readFileSync } from "node:fs";

const PAGE = 4096;

function children(): Map<number, number[]> {
  const kids = new Map<number, number[]>();
  for (const d of readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, "utf8");
      // pid (comm) state ppid ...: comm may contain spaces/parens, so split after the last ")".
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      const list = kids.get(ppid) ?? [];
      list.push(Number(d));
      kids.set(ppid, list);
    } catch {
      // gone
    }
  }
  return kids;
}

export function descendants(root: number): number[] {
  const kids = children();
  const out: number[] = [];
  const stack = [root];
  while (stack.length) {
    const p = stack.pop()!;
    out.push(p);
    stack.push(...(kids.get(p) ?? []));
  }
  return out;
}

function rssBytes(pid: number): number {
  try {
    return Number(readFileSync(`/proc/${pid}/statm`, "utf8").split(" ")[1]) * PAGE;
  } catch {
    return 0;
  }
}

function pssBytes(pid: number): number {
  try {
    const m = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, "utf8"));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

export interface TreeMemory {
  peakRss: number;
  peakPss: number;
  peakProcesses: number;
  samples: number;
  /** CPU (user + system) of the tree's processes, seconds, as last sampled (≤ one interval lost per process). */
  cpuS: number;
}

const TICKS_PER_S = 100;

function cpuTicks(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return Number(f[11]) + Number(f[12]); // utime, stime
  } catch {
    return 0;
  }
}

/** Samples every `intervalMs` until stop(); the peaks of the summed RSS / PSS of the tree. */
export function sampleTree(root: number, intervalMs = 200): { stop(): TreeMemory } {
  const m: TreeMemory = { peakRss: 0, peakPss: 0, peakProcesses: 0, samples: 0, cpuS: 0 };
  const ticks = new Map<number, number>();
  const tick = () => {
    const pids = descendants(root);
    let rss = 0;
    let pss = 0;
    for (const p of pids) {
      rss += rssBytes(p);
      pss += pssBytes(p);
      ticks.set(p, Math.max(ticks.get(p) ?? 0, cpuTicks(p)));
    }
    m.cpuS = [...ticks.values()].reduce((a, b) => a + b, 0) / TICKS_PER_S;
    m.samples++;
    m.peakRss = Math.max(m.peakRss, rss);
    m.peakPss = Math.max(m.peakPss, pss);
    m.peakProcesses = Math.max(m.peakProcesses, pids.length);
  };
  tick();
  const timer = setInterval(tick, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      tick();
      return m;
    },
  };
}
