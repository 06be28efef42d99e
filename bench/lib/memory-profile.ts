// `node -r ./src/register.js bench/lib/memory-profile.ts TARGET N [OUT.json]`: one `signoff run` (compiled dist/)
// of N generated scenarios against the bench staging, its process tree's memory sampled per role over time.
// SIGNOFF_TREE=DIR runs another checkout's build (an A/B against an older commit).
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { writeTrivialSuite } from "./generate";
import { startBenchServer } from "./bench-server";
import { ROLES } from "./memory-roles";
import { sampleTree, type TreeMemory } from "./proctree";

const ROOT = resolve(process.env.SIGNOFF_TREE ?? join(__dirname, "..", ".."));
const [target = "pw-desktop", nArg = "100", out] = process.argv.slice(2);
const n = Number(nArg);
const WORK = join(ROOT, ".signoff", "tmp", `memprof-${process.pid}`);
const mb = (b: number) => Math.round(b / (1 << 20));

async function server(): Promise<{ url: string; stop(): void }> {
  const s = await startBenchServer();
  return { url: `${s.origin}/about`, stop: s.stop };
}

/** When each scenario finished (s since the epoch), from the messages. */
function finishTimes(messages: string): number[] {
  return readFileSync(messages, "utf8")
    .split("\n")
    .filter((l) => l.startsWith('{"testCaseFinished"'))
    .map((l) => {
      const t = JSON.parse(l).testCaseFinished.timestamp;
      return t.seconds + t.nanos / 1e9;
    });
}

/** (last scenario finished − first scenario finished) / (n − 1). */
function steady(messages: string): number {
  const ends = existsSync(messages) ? finishTimes(messages) : [];
  return ends.length > 1 ? (ends[ends.length - 1] - ends[0]) / (ends.length - 1) : NaN;
}

async function main() {
  mkdirSync(WORK, { recursive: true });
  const features = join(ROOT, ".signoff", "tmp", "memprof-features", String(n));
  if (!existsSync(features)) writeTrivialSuite(features, n);
  const srv = await server();
  const t0 = Date.now();
  const child = spawn(
    process.execPath,
    [
      join(ROOT, "bin", "signoff.js"),
      "run",
      "--base-url",
      srv.url,
      "--targets",
      target,
      "--reports",
      join(WORK, "reports"),
      `${relative(ROOT, features)}/*.feature`,
    ],
    {
      cwd: ROOT,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, SIGNOFF_DIST: "1", FORCE_COLOR: "0" },
    },
  );
  let stderr = "";
  child.stderr!.on("data", (d) => (stderr += d));
  child.stdout!.on("data", () => undefined);
  const sampler = sampleTree(child.pid!, 250, { timeline: true });
  const code = await new Promise<number | null>((ok) => child.on("exit", ok));
  const mem: TreeMemory = sampler.stop();
  try {
    process.kill(-child.pid!, "SIGKILL");
  } catch {
    // gone
  }
  srv.stop();
  const wallS = (Date.now() - t0) / 1000;
  const line = (label: string, v: { rss: number; pss: number } | undefined) =>
    `${label.padEnd(26)} ${String(mb(v?.rss ?? 0)).padStart(5)} MB RSS ${String(mb(v?.pss ?? 0)).padStart(5)} MB PSS`;
  console.log(
    `${target} n=${n} exit ${code} wall ${wallS.toFixed(1)} s, CPU ${mem.cpuS.toFixed(1)} s, peak ${mb(mem.peakRss)} MB (PSS ${mb(mem.peakPss)})`,
  );
  for (const r of ROLES)
    if (mem.peakByRole[r]) console.log("  peak " + line(r, mem.peakByRole[r]) + ` ×${mem.peakByRole[r]!.processes}`);
  if (code !== 0) console.log(stderr.slice(-2000));
  const messages = join(WORK, "reports", "messages", `${target}.ndjson`);
  const steadyS = steady(messages);
  const finishedAt = existsSync(messages) ? finishTimes(messages) : [];
  console.log(`  steady ${steadyS.toFixed(3)} s/scenario (first → last scenario finished)`);
  if (out) writeFileSync(out, JSON.stringify({ target, n, code, wallS, steadyS, finishedAt, mem }, null, 1));
  rmSync(WORK, { recursive: true, force: true });
}

void main();
