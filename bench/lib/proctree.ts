// Peak memory of a process tree: samples /proc periodically and sums the RSS of the root and all its
// descendants (runner, Cucumber worker, chromedriver, every Chromium process). Summed RSS counts pages
// shared between Chromium's processes more than once, so PSS (proportional share) is sampled too.
import { readdirSync, readFileSync } from "node:fs";
import { roleOf, type Role } from "./memory-roles";

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

/** Memory of one role (runner, Cucumber, chromedriver, Chromium's browser/renderer/…) in one sample, bytes. */
export interface RoleMemory {
  rss: number;
  pss: number;
  processes: number;
}

export interface TreeSample {
  /** ms since sampling started */
  t: number;
  rss: number;
  pss: number;
  byRole: Partial<Record<Role, RoleMemory>>;
}

export interface TreeMemory {
  peakRss: number;
  peakPss: number;
  peakProcesses: number;
  /** Per role: the peak over time of the role's summed RSS and PSS (each role's own peak, not at the tree's peak). */
  peakByRole: Partial<Record<Role, RoleMemory>>;
  /** Every sample, when asked for (`timeline: true`). */
  timeline?: TreeSample[];
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

function argvOf(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean);
  } catch {
    return [];
  }
}

/** Samples every `intervalMs` until stop(); the peaks of the summed RSS / PSS of the tree, and of each role. */
export function sampleTree(root: number, intervalMs = 200, opts: { timeline?: boolean } = {}): { stop(): TreeMemory } {
  const m: TreeMemory = { peakRss: 0, peakPss: 0, peakProcesses: 0, peakByRole: {}, samples: 0, cpuS: 0 };
  if (opts.timeline) m.timeline = [];
  const t0 = Date.now();
  const ticks = new Map<number, number>();
  const tick = () => {
    const pids = descendants(root);
    let rss = 0;
    let pss = 0;
    const byRole: Partial<Record<Role, RoleMemory>> = {};
    for (const p of pids) {
      const r = rssBytes(p);
      const s = pssBytes(p);
      rss += r;
      pss += s;
      const name = roleOf(argvOf(p));
      const role = (byRole[name] ??= { rss: 0, pss: 0, processes: 0 });
      role.rss += r;
      role.pss += s;
      role.processes++;
      ticks.set(p, Math.max(ticks.get(p) ?? 0, cpuTicks(p)));
    }
    for (const [role, v] of Object.entries(byRole) as [Role, RoleMemory][]) {
      const peak = m.peakByRole[role] ?? { rss: 0, pss: 0, processes: 0 };
      m.peakByRole[role] = {
        rss: Math.max(peak.rss, v.rss),
        pss: Math.max(peak.pss, v.pss),
        processes: Math.max(peak.processes, v.processes),
      };
    }
    m.timeline?.push({ t: Date.now() - t0, rss, pss, byRole });
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
