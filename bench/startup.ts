// `npm run bench:startup [-- --bin PATH ... --cwd DIR --reps N --target T --scenarios N]`: command start → first scenario started, per phase.
// A `signoff run` of one scenario (or --scenarios N, 100 per feature file) against a static page it serves itself; each process appends its phase marks
// (SIGNOFF_PHASES, src/core/phase-marks.ts), the first testCaseStarted comes from the messages. Several
// --bin are run interleaved (A/B in the same minutes). Never part of `npm test`.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { createServer } from "node:http";
import { loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { PhaseMark } from "../src/core/phase-marks";

const argv = process.argv.slice(2);
const opt = (name: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
};
const bins = argv.flatMap((a, i) => (a === "--bin" ? [resolve(argv[i + 1])] : []));
if (bins.length === 0) bins.push(join(__dirname, "..", "bin", "signoff.js"));
const reps = Number(opt("reps") ?? 3);
const target = opt("target") ?? "pw-desktop";
const scenarios = Number(opt("scenarios") ?? 1);
for (const [name, n] of [
  ["--reps", reps],
  ["--scenarios", scenarios],
] as const)
  if (!Number.isInteger(n) || n < 1) {
    console.error(`bench:startup: ${name} must be a whole number of at least 1`);
    process.exit(2);
  }

/** Epoch ms of the first scenario's start, and of its first Gherkin step's start (the session is open: the browser is up). */
function firstScenarioMs(messages: string): { started: number; firstStep: number } {
  const ms = (t: { seconds: number; nanos: number }) => t.seconds * 1000 + t.nanos / 1e6;
  const gherkinSteps = new Set<string>();
  let started: number | undefined;
  for (const line of readFileSync(messages, "utf8").split("\n")) {
    if (!line) continue;
    const env = JSON.parse(line);
    if (env.testCase)
      for (const s of env.testCase.testSteps as Array<{ id: string; pickleStepId?: string }>)
        if (s.pickleStepId) gherkinSteps.add(s.id);
    if (env.testCaseStarted) started ??= ms(env.testCaseStarted.timestamp);
    if (env.testStepStarted && gherkinSteps.has(env.testStepStarted.testStepId) && started !== undefined)
      return { started, firstStep: ms(env.testStepStarted.timestamp) };
  }
  throw new Error(`no scenario step started in ${messages}`);
}

/** One sample: phase → [seconds since the command was spawned, that process's CPU seconds so far]. */
type Sample = Map<string, [number, number]>;

function readPhases(file: string, t0: number): Sample {
  const sample: Sample = new Map();
  if (!existsSync(file)) return sample;
  const pids = new Map<number, string>();
  for (const line of readFileSync(file, "utf8").split("\n").filter(Boolean)) {
    const m = JSON.parse(line) as PhaseMark;
    // The first Cucumber process is "cucumber", a second one (the old preflight) "cucumber#2".
    if (!pids.has(m.pid)) {
      const before = [...pids.values()].filter((p) => p.split("#")[0] === m.proc).length;
      pids.set(m.pid, before ? `${m.proc}#${before + 1}` : m.proc);
    }
    const key = `${pids.get(m.pid)}: ${m.phase}`;
    if (!sample.has(key)) sample.set(key, [(m.at - t0) / 1000, m.cpuMs / 1000]);
  }
  return sample;
}

/** Wall and user+sys CPU of the command (GNU time: the processes it waited for). */
async function runOnce(bin: string, cwd: string, features: string, port: number): Promise<Sample> {
  const reports = mkdtempSync(join(tmpdir(), "signoff-startup-reports-"));
  const phases = join(reports, "phases.ndjson");
  const timeFile = join(reports, "time.txt");
  const t0 = Date.now();
  const child = spawn(
    "/usr/bin/time",
    [
      "-f",
      "%e %U %S",
      "-o",
      timeFile,
      process.execPath,
      bin,
      "run",
      features,
      "--targets",
      target,
      "--base-url",
      `http://127.0.0.1:${port}/`,
      "--reports",
      reports,
    ],
    { cwd, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, SIGNOFF_PHASES: phases } },
  );
  let output = "";
  child.stdout.on("data", (d) => (output += d));
  child.stderr.on("data", (d) => (output += d));
  const code = await new Promise((r) => child.on("exit", r));
  if (code !== 0) throw new Error(`${bin} run exited ${String(code)} in ${cwd}:\n${output.slice(-3000)}`);
  const sample = readPhases(phases, t0);
  const first = firstScenarioMs(join(reports, "messages", `${target}.ndjson`));
  sample.set("first scenario started", [(first.started - t0) / 1000, NaN]);
  sample.set("first scenario's first step started (browser session open)", [(first.firstStep - t0) / 1000, NaN]);
  const [wall, user, sys] = readFileSync(timeFile, "utf8").trim().split("\n").pop()!.split(" ").map(Number);
  sample.set("command ended (CPU: the command's processes)", [wall, user + sys]);
  rmSync(reports, { recursive: true, force: true });
  return sample;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (x: number) => (Number.isNaN(x) ? "–" : x.toFixed(2));

async function main() {
  const server = createServer((_req, res) => res.end("<html><body><h1>About</h1></body></html>"));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as { port: number }).port;
  const cwd = opt("cwd") ?? mkdtempSync(join(tmpdir(), "signoff-startup-"));
  const features = join(".signoff", "tmp", "startup-features");
  rmSync(join(cwd, features), { recursive: true, force: true });
  mkdirSync(join(cwd, features), { recursive: true });
  const scenario = (i: number) => `  Scenario: page ${i}\n    Given I open "/"\n    Then I should see "About"\n`;
  for (let file = 0; file * 100 < scenarios; file++) {
    const ids = Array.from({ length: Math.min(100, scenarios - file * 100) }, (_, i) => file * 100 + i + 1);
    writeFileSync(
      join(cwd, features, `startup-${file}.feature`),
      `Feature: start-up ${file}\n${ids.map(scenario).join("")}`,
    );
  }
  const samples = new Map<string, Sample[]>(bins.map((b) => [b, []]));
  const loads: number[] = [];
  for (let i = 0; i < reps; i++) {
    for (const bin of bins) {
      loads.push(loadavg()[0]);
      samples.get(bin)!.push(await runOnce(bin, cwd, features, port));
    }
  }
  server.close();
  console.log(
    `target ${target}, ${scenarios} scenario(s), ${reps} runs per bin, interleaved; load average (1 min) ${fmt(Math.min(...loads))}–${fmt(Math.max(...loads))}`,
  );
  for (const [bin, runs] of samples) {
    console.log(`\n${bin}\nphase | wall s since command (median) | process CPU s (median)`);
    const phases = [...new Set(runs.flatMap((r) => [...r.keys()]))];
    const row = (p: string) => runs.map((r) => r.get(p)).filter((v): v is [number, number] => v !== undefined);
    phases.sort((a, b) => median(row(a).map((v) => v[0])) - median(row(b).map((v) => v[0])));
    for (const p of phases) {
      const v = row(p);
      console.log(`${p} | ${fmt(median(v.map((x) => x[0])))} | ${fmt(median(v.map((x) => x[1])))}`);
    }
    for (const p of ["first scenario started", "first scenario's first step started (browser session open)"])
      console.log(`${p}, every run: ${runs.map((r) => fmt(r.get(p)![0])).join(" ")}`);
  }
}
void main();
