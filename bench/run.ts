// `npm run bench [-- --quick] [--only runs,gate,report] [--targets a,b] [--no-write] [--keep-work]` (--help lists all)
//
// Measures, in one run and side by side (issue 9):
//  - runs:   `signoff run` on generated suites of trivial scenarios (open a page, read a value) per target,
//            against a raw driver loop doing the same page work in the same run (before and after, averaged);
//            s/scenario, ratio to raw, start-up, scaling (slope), peak memory of the whole process tree.
//  - gate:   `signoff gate` (evaluate + sign), `signoff approve` ×2 and `signoff verify` over synthetic
//            results of 1k/10k/100k scenarios: time and peak memory, each in its own process.
//  - report: `signoff report` on 1k and 10k results.
// Writes bench/results.json and the generated part of bench/RESULTS.md (between the markers).
// Never part of `npm test`; timings are never asserted anywhere.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createReadStream, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, freemem, loadavg, totalmem } from "node:os";
import { join, relative, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { createInterface } from "node:readline";
import { discoverBrowsers } from "../src/browser/discovery";
import { policyFileDigest } from "../src/gate/policy";
import { addToTrust } from "../src/attest/trust";
import { loadSigningKey, writeKeyPair } from "../src/attest/keys";
import { attestRun } from "../src/attest/run-attestation";
import { BENCH_ARTIFACT, writeSyntheticResults, writeTrivialSuite } from "./lib/generate";
import { descendants, sampleTree, type TreeMemory } from "./lib/proctree";
import { roleColumnsMB, type RoleColumn } from "./lib/memory-roles";
import { readPeerResults, writePeerProject } from "./lib/peer";
import type { RawResult } from "./lib/raw";
import { stepBreakdown } from "./lib/step-breakdown";
import { startBenchServer } from "./lib/bench-server";

const ROOT = resolve(__dirname, "..");
// Inside the repo (git-ignored): feature paths must be relative to the project for `signoff run`.
const WORK = join(ROOT, ".signoff", "tmp", `bench-${process.pid}`);
const CACHE = join(ROOT, ".signoff", "tmp", "bench-cache");
const NODE = process.execPath;
const REGISTER = join(ROOT, "src", "register.js");

// ---------------------------------------------------------------- options
const USAGE = `npm run bench [-- options]
  --quick              smaller sizes (10,50 scenarios; gate 1k,10k; report 1k), writes bench/results-quick.json
  --only LIST          runs,gate,report (default: all three)
  --targets LIST       pw-desktop,pw-pixel7,se-desktop,se-pixel7 (default: all four)
  --sizes LIST         suite sizes for runs (default 10,100,500)
  --gate-sizes LIST    scenario counts for the gate (default 1000,10000,100000)
  --report-sizes LIST  scenario counts for the report (default 1000,10000)
  --raw N              raw-loop iterations (default 80)
  --peer TARGET|none   the target whose device playwright-bdd runs with (default pw-desktop)
  --no-parallel        leave out the --parallel 2 run
  --no-write           write bench/results-scratch.json, leave bench/RESULTS.md alone
  --keep-work          keep the generated inputs (keys, verdicts, results) for profiling by hand
  --sources            run the TypeScript checkout instead of the compiled dist/`;
// Strict: a mistyped option must not start a 20-minute full run.
const { values: args } = (() => {
  try {
    return parseArgs({
      strict: true,
      options: {
        help: { type: "boolean" },
        quick: { type: "boolean" },
        only: { type: "string" },
        targets: { type: "string" },
        sizes: { type: "string" },
        "gate-sizes": { type: "string" },
        "report-sizes": { type: "string" },
        raw: { type: "string" },
        peer: { type: "string" },
        "no-parallel": { type: "boolean" },
        "no-write": { type: "boolean" },
        "keep-work": { type: "boolean" },
        sources: { type: "boolean" },
      },
    });
  } catch (err) {
    process.stderr.write(`bench: ${(err as Error).message}\n${USAGE}\n`);
    process.exit(2);
  }
})();
if (args.help) {
  process.stdout.write(USAGE + "\n");
  process.exit(0);
}
const flag = (name: string) => args[name as keyof typeof args] === true;
const opt = (name: string) => args[name as keyof typeof args] as string | undefined;
const quick = flag("quick");
const only = new Set((opt("only") ?? "runs,gate,report").split(","));
const targets = (opt("targets") ?? "pw-desktop,pw-pixel7,se-desktop,se-pixel7").split(",");
const sizes = (opt("sizes") ?? (quick ? "10,50" : "10,100,500")).split(",").map(Number);
const gateSizes = (opt("gate-sizes") ?? (quick ? "1000,10000" : "1000,10000,100000")).split(",").map(Number);
const reportSizes = (opt("report-sizes") ?? (quick ? "1000" : "1000,10000")).split(",").map(Number);
const rawN = Number(opt("raw") ?? (quick ? 30 : 80));
const write = !flag("no-write") && !quick;
/** What users run: the compiled package (dist/, built at the start), unless --sources asks for the TypeScript checkout. */
const fromSources = flag("sources");
const signoffEnv: NodeJS.ProcessEnv = fromSources ? {} : { SIGNOFF_DIST: "1" };
/** The target whose device the peer (playwright-bdd) runs with, in the same block as its raw loops; "none" leaves it out. */
const peerTarget = opt("peer") ?? "pw-desktop";

// ---------------------------------------------------------------- helpers
const log = (s: string) => process.stdout.write(s + "\n");
const mb = (bytes: number) => Math.round(bytes / (1 << 20));
const r1 = (x: number) => Math.round(x * 10) / 10;
const r3 = (x: number) => Math.round(x * 1000) / 1000;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : NaN;
};
/** Least squares y = a + b·x. */
function fit(xs: number[], ys: number[]): { a: number; b: number } {
  const mx = mean(xs);
  const my = mean(ys);
  let num = 0;
  let den = 0;
  for (let i = 0; i < xs.length; i++) {
    num += (xs[i] - mx) * (ys[i] - my);
    den += (xs[i] - mx) ** 2;
  }
  const b = den ? num / den : 0;
  return { a: my - b * mx, b };
}

interface Measured {
  /** Date.now() when the child was spawned (to place message timestamps). */
  startEpoch: number;
  code: number | null;
  wallMs: number;
  mem: TreeMemory;
  stderr: string;
  stdout: string;
}

/** Runs a child in its own process group, sampling the memory of its whole tree; kills the group after. */
function measure(
  args: string[],
  opts: { cwd?: string; logFile?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<Measured> {
  return new Promise((done, fail) => {
    const t0 = performance.now();
    const startEpoch = Date.now();
    const child: ChildProcess = spawn(NODE, args, {
      cwd: opts.cwd ?? ROOT,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, FORCE_COLOR: "0", ...opts.env },
    });
    live.add(child);
    const sampler = sampleTree(child.pid!, 150);
    let stdout = "";
    let stderr = "";
    child.stdout!.on("data", (d) => (stdout += d));
    child.stderr!.on("data", (d) => (stderr += d));
    child.on("error", fail);
    child.on("exit", (code) => {
      const wallMs = performance.now() - t0;
      const mem = sampler.stop();
      live.delete(child);
      try {
        process.kill(-child.pid!, "SIGKILL"); // anything left in its group (browsers, drivers)
      } catch {
        // all gone
      }
      if (opts.logFile) writeFileSync(opts.logFile, `$ node ${args.join(" ")}\n${stdout}\n--- stderr ---\n${stderr}`);
      done({ startEpoch, code, wallMs, mem, stdout, stderr });
    });
  });
}

const live = new Set<ChildProcess>();
let server: ChildProcess | undefined;
function cleanup() {
  for (const c of live) {
    // The child's whole tree: `signoff run` puts each Cucumber process in a process group of its own.
    for (const pid of descendants(c.pid!).reverse()) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // gone
      }
    }
  }
  server?.kill("SIGTERM");
}
process.on("SIGINT", () => {
  cleanup();
  process.exit(130);
});
process.on("SIGTERM", () => {
  cleanup();
  process.exit(143);
});

async function startServer(): Promise<string> {
  const started = await startBenchServer();
  server = started.child;
  return started.origin;
}

/**
 * Timestamps (ms) of every scenario's start and finish in a messages file, in run order, and when the first step of
 * the feature file (not a hook) started: the first scenario's hooks wait for the browser, so "command to first
 * scenario" is measured to there (issue 18 §2), beside "first scenario done".
 */
async function scenarioTimes(file: string): Promise<{ times: { start: number; end: number }[]; firstStep?: number }> {
  const started = new Map<string, number>();
  const out: { start: number; end: number }[] = [];
  /** Test step ids that run a Gherkin step (the others are hooks). */
  const gherkinSteps = new Set<string>();
  let firstStep: number | undefined;
  const ms = (t: { seconds: number; nanos: number }) => t.seconds * 1000 + t.nanos / 1e6;
  const rl = createInterface({ input: createReadStream(file, "utf8"), crlfDelay: Infinity });
  for await (const line of rl) {
    if (line.startsWith('{"testCase"')) {
      for (const step of JSON.parse(line).testCase.testSteps) if (step.pickleStepId) gherkinSteps.add(step.id);
    } else if (firstStep === undefined && line.startsWith('{"testStepStarted"')) {
      const m = JSON.parse(line).testStepStarted;
      if (gherkinSteps.has(m.testStepId)) firstStep = ms(m.timestamp);
    } else if (line.startsWith('{"testCaseStarted"')) {
      const m = JSON.parse(line).testCaseStarted;
      started.set(m.id, ms(m.timestamp));
    } else if (line.startsWith('{"testCaseFinished"')) {
      const m = JSON.parse(line).testCaseFinished;
      out.push({
        start: started.get(m.testCaseStartedId) ?? NaN,
        end: ms(m.timestamp),
      });
    }
  }
  return { times: out, firstStep };
}

// ---------------------------------------------------------------- runs
interface RunRow {
  target: string;
  n: number;
  parallel?: number;
  passed: boolean;
  wallS: number;
  /** (last scenario finished − first scenario finished) / (n − 1): the steady per-scenario cost. */
  steadyS: number;
  /** `signoff run` spawned → first scenario finished (process starts, preflight, browser launch, first page). */
  firstScenarioS: number;
  /** `signoff run` spawned → the first scenario's first Gherkin step started (its hooks, the browser's launch, done). */
  firstStepS?: number;
  /** Growth of scenario duration over the run: ms per 100 scenarios (least squares on the index). */
  driftMsPer100: number;
  peakRssMB: number;
  cpuS: number;
  peakPssMB: number;
  /** Peak PSS (MB) of each kind of process: runner, Cucumber, chromedriver, Chromium's browser/renderer/... */
  pssByRoleMB?: Partial<Record<RoleColumn, number>>;
  processes: number;
  /** Where a scenario's time goes: mean ms per hook/step (largest suite only). */
  breakdownMs?: Record<string, number>;
  /** Mean gap between one scenario's end and the next one's start (Cucumber, formatters). */
  betweenMs?: number;
}

interface RawRow {
  target: string;
  when: "before" | "after";
  n: number;
  perIterS: number;
  medianS: number;
  startupS: number;
  peakRssMB: number;
  cpuS: number;
  peakPssMB: number;
}

async function rawLoop(target: string, url: string, when: "before" | "after"): Promise<RawRow> {
  const m = await measure(["-r", REGISTER, join(__dirname, "lib", "raw.ts"), target, String(rawN + 1), url], {
    logFile: join(WORK, `raw-${target}-${when}.log`),
  });
  if (m.code !== 0) throw new Error(`raw ${target} failed:\n${m.stderr}`);
  const r = JSON.parse(m.stdout.trim().split("\n").pop()!) as RawResult;
  const it = r.iterationsMs.slice(1); // the first load of a fresh browser is start-up, not steady state
  return {
    target,
    when,
    n: it.length,
    perIterS: mean(it) / 1000,
    medianS: median(it) / 1000,
    startupS: (r.startupMs + r.iterationsMs[0]) / 1000,
    peakRssMB: mb(m.mem.peakRss),
    cpuS: m.mem.cpuS,
    peakPssMB: mb(m.mem.peakPss),
  };
}

async function signoffRun(target: string, n: number, url: string, parallel = 1): Promise<RunRow> {
  const features = join(WORK, `features-${n}`);
  if (!existsSync(features)) writeTrivialSuite(features, n);
  const reports = join(WORK, `reports-${target}-${n}`);
  const m = await measure(
    [
      join(ROOT, "bin", "signoff.js"),
      "run",
      "--base-url",
      url,
      "--targets",
      target,
      "--reports",
      reports,
      ...(parallel > 1 ? ["--parallel", String(parallel)] : []),
      `${relative(ROOT, features)}/*.feature`,
    ],
    { logFile: join(WORK, `run-${target}-${n}-p${parallel}.log`), env: signoffEnv },
  );
  const { times, firstStep } = existsSync(join(reports, "messages", `${target}.ndjson`))
    ? await scenarioTimes(join(reports, "messages", `${target}.ndjson`))
    : { times: [], firstStep: undefined };
  if (m.code !== 0 || times.length !== n)
    log(
      `  ! signoff run ${target} n=${n} exited ${m.code} with ${times.length} scenario(s); see ${join(WORK, `run-${target}-${n}.log`)}`,
    );
  const ends = times.map((t) => t.end).sort((a, b) => a - b);
  const steady = ends.length > 1 ? (ends[ends.length - 1] - ends[0]) / (ends.length - 1) : NaN;
  // The first scenario also launches the browser: drift is measured over the others.
  const durations = times.slice(1).map((t) => t.end - t.start);
  const drift =
    durations.length > 2
      ? fit(
          durations.map((_, i) => i),
          durations,
        ).b * 100
      : 0;
  const gaps = times.slice(2).map((t, i) => t.start - times[i + 1].end);
  const messages = join(reports, "messages", `${target}.ndjson`);
  const breakdown = n === Math.max(...sizes) && existsSync(messages) ? await stepBreakdown(messages) : undefined;
  const row: RunRow = {
    target,
    n,
    parallel,
    passed: m.code === 0 && times.length === n,
    wallS: m.wallMs / 1000,
    steadyS: steady / 1000,
    firstScenarioS: times.length ? (times[0].end - m.startEpoch) / 1000 : NaN,
    firstStepS: firstStep === undefined ? undefined : (firstStep - m.startEpoch) / 1000,
    driftMsPer100: drift,
    peakRssMB: mb(m.mem.peakRss),
    cpuS: m.mem.cpuS,
    peakPssMB: mb(m.mem.peakPss),
    pssByRoleMB: roleColumnsMB(m.mem.peakByRole),
    processes: m.mem.peakProcesses,
    breakdownMs: breakdown,
    betweenMs: gaps.length ? mean(gaps) : undefined,
  };
  rmSync(reports, { recursive: true, force: true });
  return row;
}

/** playwright-bdd on the same generated features: `bddgen` then `playwright test` (one worker), the same Chromium. */
async function peerRun(n: number, url: string, chromium: string): Promise<RunRow> {
  const features = join(WORK, `features-${n}`);
  if (!existsSync(features)) writeTrivialSuite(features, n);
  const dir = join(WORK, `peer-${n}`);
  writePeerProject(dir, features, new URL(url).origin, chromium);
  const bin = (name: string) => join(ROOT, "node_modules", ".bin", name);
  const gen = await measure([bin("bddgen")], { cwd: dir, logFile: join(WORK, `peer-bddgen-${n}.log`) });
  const m = await measure([bin("playwright"), "test"], { cwd: dir, logFile: join(WORK, `peer-test-${n}.log`) });
  const { times, passed } = existsSync(join(dir, "results.json")) ? readPeerResults(dir) : { times: [], passed: 0 };
  if (gen.code !== 0 || m.code !== 0 || passed !== n)
    log(
      `  ! playwright-bdd n=${n} exited ${gen.code}/${m.code} with ${passed} passed; see ${join(WORK, `peer-test-${n}.log`)}`,
    );
  const ends = times.map((t) => t.end).sort((a, b) => a - b);
  const durations = times.slice(1).map((t) => t.end - t.start);
  const gaps = times.slice(2).map((t, i) => t.start - times[i + 1].end);
  const row: RunRow = {
    target: "playwright-bdd",
    n,
    passed: gen.code === 0 && m.code === 0 && passed === n,
    wallS: (gen.wallMs + m.wallMs) / 1000,
    steadyS: ends.length > 1 ? (ends[ends.length - 1] - ends[0]) / (ends.length - 1) / 1000 : NaN,
    firstScenarioS: times.length ? (times[0].end - gen.startEpoch) / 1000 : NaN,
    driftMsPer100:
      durations.length > 2
        ? fit(
            durations.map((_, i) => i),
            durations,
          ).b * 100
        : 0,
    peakRssMB: mb(m.mem.peakRss),
    cpuS: m.mem.cpuS,
    peakPssMB: mb(m.mem.peakPss),
    processes: m.mem.peakProcesses,
    betweenMs: gaps.length ? mean(gaps) : undefined,
  };
  rmSync(dir, { recursive: true, force: true });
  return row;
}

// ---------------------------------------------------------------- gate + report
interface StepRow {
  what: string;
  size: number;
  ok: boolean;
  /** The command's own work, modules already loaded (src/cli main). */
  commandMs: number;
  /** Process start → end, as a user running the CLI sees it. */
  processMs: number;
  maxRssMB: number;
  /** CPU time (user + system, every thread) of the command's own work: wall time alone says little on a shared machine. */
  commandCpuMs?: number;
  peakTreeRssMB?: number;
  inputMB?: number;
  outputMB?: number;
}

async function cli(what: string, size: number, args: string[]): Promise<StepRow> {
  const m = await measure([join(__dirname, "lib", "gate-child.js"), ...args], {
    logFile: join(WORK, `${what}-${size}.log`),
    env: signoffEnv,
  });
  const last = m.stderr.trim().split("\n").pop() ?? "";
  let j: { code: number; commandMs: number; processMs: number; maxRssMB: number; commandCpuMs?: number };
  try {
    j = JSON.parse(last);
  } catch {
    throw new Error(`${what} ${size} produced no timing (exit ${m.code}):\n${m.stdout}\n${m.stderr}`);
  }
  if (j.code !== 0) log(`  ! ${what} ${size} exited ${j.code}: ${m.stdout.trim().split("\n").slice(-3).join(" | ")}`);
  return {
    what,
    size,
    ok: j.code === 0,
    commandMs: j.commandMs,
    commandCpuMs: j.commandCpuMs,
    processMs: j.processMs,
    maxRssMB: Math.round(j.maxRssMB),
    peakTreeRssMB: mb(m.mem.peakRss),
  };
}

function dirMB(dir: string): number {
  const out = spawnSync("du", ["-sb", dir]).stdout.toString();
  return r1(Number(out.split(/\s/)[0]) / (1 << 20));
}

/** Synthetic results, generated once per size and generator version, reused by later bench runs. */
async function syntheticResults(
  size: number,
  allure: boolean,
): Promise<{ reports: string; features: string; genS: number }> {
  const dir = join(CACHE, `results-${size}${allure ? "-allure" : ""}-v5`);
  const done = join(dir, ".complete");
  let genS = 0;
  if (!existsSync(done)) {
    rmSync(dir, { recursive: true, force: true });
    const t = performance.now();
    await writeSyntheticResults(dir, size, { allure });
    genS = (performance.now() - t) / 1000;
    writeFileSync(done, "");
  }
  return { reports: join(dir, "reports"), features: join(dir, "features"), genS };
}

async function gateBench(): Promise<{ rows: StepRow[]; policyDigest: string }> {
  const keys = join(WORK, "keys");
  mkdirSync(keys, { recursive: true });
  const pair = (r: string) => writeKeyPair(join(keys, r), "ecdsa-p256");
  pair("gate");
  pair("qa");
  pair("rm");
  pair("runner");
  const runner = loadSigningKey(join(keys, "runner.key"));
  const policy = join(WORK, "gate.policy.yaml");
  writeFileSync(policy, readFileSync(join(ROOT, "gate.policy.yaml"), "utf8"));
  const trust = join(WORK, "trust.yaml");
  addToTrust(trust, {
    role: "gate",
    publicKeyPem: readFileSync(join(keys, "gate.pub"), "utf8"),
    keyName: "bench gate",
  });
  addToTrust(trust, { role: "qa", publicKeyPem: readFileSync(join(keys, "qa.pub"), "utf8"), keyName: "bench qa" });
  addToTrust(trust, {
    role: "release-manager",
    publicKeyPem: readFileSync(join(keys, "rm.pub"), "utf8"),
    keyName: "bench rm",
  });
  // The gate believes a results index only in a run-attested dir: the runner key signs run.json, the gate's --trust pins it.
  const gateTrust = join(WORK, "gate-trust.yaml");
  addToTrust(gateTrust, {
    role: "runner",
    publicKeyPem: readFileSync(join(keys, "runner.pub"), "utf8"),
    keyName: "bench runner",
  });
  addToTrust(trust, { allowPolicy: { digest: policyFileDigest(policy), name: "bench policy" }, maxAge: "24h" });

  const rows: StepRow[] = [];
  for (const size of gateSizes) {
    const { reports, features, genS } = await syntheticResults(size, false);
    if (genS) log(`  generated ${size} results in ${r1(genS)} s`);
    const verdict = join(WORK, `verdict-${size}.intoto.jsonl`);
    attestRun(reports, runner);
    const g = await cli("gate", size, [
      "gate",
      "--artifact",
      BENCH_ARTIFACT,
      "--key",
      join(keys, "gate.key"),
      "--policy",
      policy,
      "--results",
      reports,
      "--features",
      features,
      "--trust",
      gateTrust,
      "--out",
      verdict,
    ]);
    g.inputMB = dirMB(join(reports, "messages"));
    g.outputMB = r1(Number(spawnSync("stat", ["-c", "%s", verdict]).stdout.toString()) / (1 << 20));
    rows.push(g);
    log(
      `  gate   ${String(size).padStart(6)}: ${g.ok ? "ok" : "FAILED"} ${Math.round(g.commandMs)} ms (CPU ${Math.round(g.commandCpuMs ?? NaN)} ms; process ${Math.round(g.processMs)} ms), max RSS ${g.maxRssMB} MB, input ${g.inputMB} MB`,
    );
    rows.push(
      await cli("approve", size, [
        "approve",
        "--verdict",
        verdict,
        "--key",
        join(keys, "qa.key"),
        "--role",
        "qa",
        "--comment",
        "bench",
      ]),
    );
    rows.push(
      await cli("approve", size, [
        "approve",
        "--verdict",
        verdict,
        "--key",
        join(keys, "rm.key"),
        "--role",
        "release-manager",
        "--comment",
        "bench",
      ]),
    );
    const v = await cli("verify", size, [
      "verify",
      "--verdict",
      verdict,
      "--artifact",
      BENCH_ARTIFACT,
      "--trust",
      trust,
    ]);
    v.inputMB = r1(Number(spawnSync("stat", ["-c", "%s", verdict]).stdout.toString()) / (1 << 20));
    rows.push(v);
    log(
      `  verify ${String(size).padStart(6)}: ${v.ok ? "ok (exit 0)" : "FAILED"} ${Math.round(v.commandMs)} ms (CPU ${Math.round(v.commandCpuMs ?? NaN)} ms; process ${Math.round(v.processMs)} ms), max RSS ${v.maxRssMB} MB`,
    );
  }
  return { rows, policyDigest: policyFileDigest(policy) };
}

async function reportBench(): Promise<StepRow[]> {
  const rows: StepRow[] = [];
  for (const size of reportSizes) {
    const { reports, genS } = await syntheticResults(size, true);
    if (genS) log(`  generated ${size} results (+ Allure results) in ${r1(genS)} s`);
    // The report writes into the reports dir: work on a copy so the cached input stays pristine.
    const copy = join(WORK, `report-${size}`);
    spawnSync("cp", ["-r", reports, copy]);
    const r = await cli("report", size, ["report", "--reports", copy, "--no-history"]);
    r.inputMB = dirMB(copy);
    rows.push(r);
    log(
      `  report ${String(size).padStart(6)}: ${r.ok ? "ok" : "FAILED"} ${Math.round(r.commandMs)} ms (process ${Math.round(r.processMs)} ms), max RSS ${r.maxRssMB} MB (tree ${r.peakTreeRssMB} MB)`,
    );
    rmSync(copy, { recursive: true, force: true });
  }
  return rows;
}

// ---------------------------------------------------------------- main
function versions() {
  const v = (p: string) => {
    try {
      return JSON.parse(readFileSync(join(ROOT, "node_modules", p, "package.json"), "utf8")).version as string;
    } catch {
      return "?";
    }
  };
  const found = discoverBrowsers();
  const chromium = found.chromium ? spawnSync(found.chromium.path, ["--version"]).stdout.toString().trim() : "none";
  const chromedriver = found.chromedriver
    ? spawnSync(found.chromedriver.path, ["--version"]).stdout.toString().trim().split(" (")[0]
    : "none";
  return {
    node: process.version,
    chromium,
    chromedriver,
    "playwright-core": v("playwright-core"),
    "selenium-webdriver": v("selenium-webdriver"),
    "@cucumber/cucumber": v("@cucumber/cucumber"),
    "allure-cucumberjs": v("allure-cucumberjs"),
    "playwright-bdd": v("playwright-bdd"),
    "@playwright/test": v("@playwright/test"),
  };
}

function machine() {
  return {
    nproc: cpus().length,
    cpu: cpus()[0]?.model ?? "?",
    memoryGB: r1(totalmem() / (1 << 30)),
    freeGBAtStart: r1(freemem() / (1 << 30)),
    loadAvgAtStart: loadavg().map(r1),
    kernel: spawnSync("uname", ["-r"]).stdout.toString().trim(),
  };
}

async function main() {
  mkdirSync(WORK, { recursive: true });
  const started = new Date();
  const t0 = performance.now();
  const results: Record<string, unknown> = {
    date: started.toISOString(),
    mode: quick ? "quick" : "full",
    machine: machine(),
    versions: versions(),
    env: {
      SIGNOFF_TRACE: process.env.SIGNOFF_TRACE ?? "(unset)",
      signoff: fromSources ? "TypeScript sources (ts-node + swc)" : "compiled dist/",
    },
    gitCommit: spawnSync("git", ["rev-parse", "--short", "HEAD"], { cwd: ROOT }).stdout.toString().trim(),
  };
  log(
    `Signoff bench (${quick ? "quick" : "full"}, ${fromSources ? "TypeScript sources" : "compiled dist/"}) · ${JSON.stringify(results.machine)}`,
  );
  if (!fromSources) {
    const built = spawnSync(NODE, [join(ROOT, "scripts", "build.js")], { cwd: ROOT, stdio: "inherit" });
    if (built.status !== 0) throw new Error("npm run build failed");
  }
  try {
    if (only.has("runs")) {
      const url = `${await startServer()}/about`;
      log(
        `Runs: targets ${targets.join(", ")}, sizes ${sizes.join("/")}, raw loop ${rawN} iterations before and after (staging ${url})`,
      );
      const runs: RunRow[] = [];
      const raws: RawRow[] = [];
      const peers: RunRow[] = [];
      for (const target of targets) {
        raws.push(await rawLoop(target, url, "before"));
        log(
          `  raw    ${target.padEnd(11)} ${r3(raws.at(-1)!.perIterS)} s/iteration (before), cpu ${r1(raws.at(-1)!.cpuS)} s`,
        );
        for (const n of sizes) {
          const row = await signoffRun(target, n, url);
          runs.push(row);
          log(
            `  signoff ${target.padEnd(10)} n=${String(n).padEnd(4)} wall ${r1(row.wallS)} s, steady ${r3(row.steadyS)} s/scenario, first step started at ${r1(row.firstStepS ?? NaN)} s, first scenario done at ${r1(row.firstScenarioS)} s, peak RSS ${row.peakRssMB} MB, cpu ${r1(row.cpuS)} s${row.passed ? "" : " (NOT ALL PASSED)"}`,
          );
          // The peer right after Signoff at the same size, between the same raw loops (interleaved).
          if (target === peerTarget) {
            const p = await peerRun(n, url, discoverBrowsers().chromium?.path ?? "/usr/bin/chromium");
            peers.push(p);
            log(
              `  playwright-bdd      n=${String(n).padEnd(4)} wall ${r1(p.wallS)} s, steady ${r3(p.steadyS)} s/scenario, first scenario done at ${r1(p.firstScenarioS)} s, peak RSS ${p.peakRssMB} MB${p.passed ? "" : " (NOT ALL PASSED)"}`,
            );
          }
        }
        raws.push(await rawLoop(target, url, "after"));
        log(
          `  raw    ${target.padEnd(11)} ${r3(raws.at(-1)!.perIterS)} s/iteration (after), cpu ${r1(raws.at(-1)!.cpuS)} s`,
        );
      }
      // --parallel 2 on the first target, at the middle size, against the same size with one worker.
      let parallelRow: RunRow | undefined;
      const pSize = sizes[Math.floor(sizes.length / 2)];
      if (!flag("no-parallel")) {
        parallelRow = await signoffRun(targets[0], pSize, url, 2);
        log(
          `  signoff ${targets[0].padEnd(10)} n=${pSize} --parallel 2: wall ${r1(parallelRow.wallS)} s, steady ${r3(parallelRow.steadyS)} s/scenario, peak RSS ${parallelRow.peakRssMB} MB`,
        );
      }
      const contenders = [...targets, ...(peers.length ? ["playwright-bdd"] : [])];
      const summary = contenders.map((target) => {
        const rs = target === "playwright-bdd" ? peers : runs.filter((r) => r.target === target);
        // The peer runs with the peer target's device, between that target's raw loops.
        const raw = raws.filter((r) => r.target === (target === "playwright-bdd" ? peerTarget : target));
        const rawS = mean(raw.map((r) => r.perIterS));
        const f = fit(
          rs.map((r) => r.n),
          rs.map((r) => r.wallS),
        );
        const largest = rs.reduce((a, b) => (b.n > a.n ? b : a));
        return {
          target,
          rawS,
          rawStartupS: mean(raw.map((r) => r.startupS)),
          rawPeakRssMB: Math.max(...raw.map((r) => r.peakRssMB)),
          rawPeakPssMB: Math.max(...raw.map((r) => r.peakPssMB)),
          wallSlopeS: f.b,
          startupS: f.a,
          steadyS: largest.steadyS,
          ratioSlope: f.b / rawS,
          ratioSteady: largest.steadyS / rawS,
          // Noise: the same figure against the raw loop before and against the one after.
          ratioSteadyRange: [
            largest.steadyS / Math.max(...raw.map((r) => r.perIterS)),
            largest.steadyS / Math.min(...raw.map((r) => r.perIterS)),
          ],
          ratioSlopeRange: [
            f.b / Math.max(...raw.map((r) => r.perIterS)),
            f.b / Math.min(...raw.map((r) => r.perIterS)),
          ],
          steadyBySize: Object.fromEntries(rs.map((r) => [r.n, r.steadyS])),
          peakRssMB: Math.max(...rs.map((r) => r.peakRssMB)),
          peakPssMB: Math.max(...rs.map((r) => r.peakPssMB)),
          allPassed: rs.every((r) => r.passed),
        };
      });
      results.runs = {
        sizes,
        rawIterations: rawN,
        rows: [...runs, ...peers],
        raw: raws,
        summary,
        parallel: parallelRow,
        peerTarget: peers.length ? peerTarget : undefined,
      };
    }
    if (only.has("gate")) {
      log(`Gate: ${gateSizes.join("/")} synthetic scenario results over 4 targets`);
      results.gate = await gateBench();
    }
    if (only.has("report")) {
      log(`Report: ${reportSizes.join("/")} synthetic scenario results`);
      results.report = await reportBench();
    }
  } finally {
    cleanup();
  }
  results.loadAvgAtEnd = loadavg().map(r1);
  results.benchMinutes = r1((performance.now() - t0) / 60000);
  // --no-write keeps the committed results as they are (profiling runs): the JSON goes to a scratch file.
  const file = join(
    __dirname,
    quick ? "results-quick.json" : flag("no-write") ? "results-scratch.json" : "results.json",
  );
  writeFileSync(file, JSON.stringify(results, null, 2) + "\n");
  log(`\nWrote ${relative(ROOT, file)} (${results.benchMinutes} min)`);
  if (write) {
    const { renderResults } = require("./lib/render") as typeof import("./lib/render");
    const md = join(__dirname, "RESULTS.md");
    const before = existsSync(md) ? readFileSync(md, "utf8") : "";
    writeFileSync(md, renderResults(before, results));
    log(`Updated ${relative(ROOT, md)} (generated section)`);
  }
  // --keep-work leaves the inputs (keys, verdicts, results) for profiling one command by hand.
  if (flag("keep-work")) log(`Kept ${relative(ROOT, WORK)}`);
  else rmSync(WORK, { recursive: true, force: true });
}

main().catch((err) => {
  cleanup();
  console.error(err);
  process.exit(1);
});
