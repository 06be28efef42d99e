// The release pipeline, runnable on one machine (127.0.0.1 only): `npm run demo:release`.
//
//   build two artifacts (good 1.0.0, defective 1.1.0) → for each: deploy to staging → signoff run →
//   signoff gate → QA + release-manager sign-offs → signoff verify → only on exit 0: deploy that
//   same artifact to the idle colour and switch the proxy, with a load loop running through it.
//
// Exit 0 only when: the good build is live (its digest served through the proxy), the defective
// build was refused at verify (with reasons), and no request failed during the switch.
//
// Flags: --summary FILE (or $RELEASE_DEMO_SUMMARY) writes a machine-readable summary;
//        --keep keeps the work directory (keys, verdicts, reports, logs) — it is always kept on failure.
import { spawn, type ChildProcess } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { BlueGreen, type SwitchReport } from "./blue-green";
import {
  artifactRef,
  buildArtifact,
  fetchBuild,
  running,
  shortDigest,
  startInstance,
  type Artifact,
  type Instance,
} from "./build";
import { startLoad, type LoadReport } from "./load";

const ROOT = resolve(__dirname, "..", "..");
const SIGNOFF = join(ROOT, "bin", "signoff.js");
const HERE = relative(ROOT, __dirname) || "examples/release-pipeline";
const CONFIG = join(HERE, "signoff.config.yaml");
const POLICY = join(HERE, "release.policy.yaml");
/** The targets the demo runs (release.policy.yaml requires exactly these): one Playwright desktop, one Selenium phone. */
const TARGETS = ["pw-desktop", "se-pixel7"];
const GOOD_SRC = join(ROOT, "examples", "visitor-counter");
const DEFECTIVE_SRC = join(ROOT, "examples", "visitor-counter-defective");

// ---------------------------------------------------------------- output

const t0 = Date.now();
const elapsed = () => `${((Date.now() - t0) / 1000).toFixed(1)} s`;
const say = (line = "") => process.stdout.write(line + "\n");
const indent = (text: string, pad = "    ") =>
  text
    .replace(/\s+$/, "")
    .split("\n")
    .map((l) => pad + l)
    .join("\n");
const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
function section(title: string) {
  say();
  say(`━━ ${title} ${"━".repeat(Math.max(3, 96 - title.length))} [${elapsed()}]`);
}
const step = (what: string) => say(`\n▸ ${what}`);

/**
 * Output of a stage that may run while another stage is printing: buffered until it is its turn
 * (live()), then printed as it comes.
 */
class Channel {
  private buffered: string[] | undefined;
  constructor(live: boolean) {
    this.buffered = live ? undefined : [];
  }
  say = (line = "") => {
    if (this.buffered) this.buffered.push(line);
    else say(line);
  };
  step = (what: string) => this.say(`\n▸ ${what}`);
  get isBuffered(): boolean {
    return this.buffered !== undefined;
  }
  live(): void {
    const lines = this.buffered ?? [];
    this.buffered = undefined;
    for (const l of lines) say(l);
  }
}

// ---------------------------------------------------------------- signoff as a real process

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Set by SIGINT/SIGTERM: nothing new starts, everything running is stopped. */
let interrupted = false;

class Interrupted extends Error {}

/** signoff processes running right now (several at once: keygen, the per-target runs). */
const children = new Set<ChildProcess>();

/** SIGTERM to every running signoff process (each stops what it started), SIGKILL after 15 s; resolves when all are gone. */
function stopChildren(): Promise<void> {
  return Promise.all(
    [...children].map(
      (c) =>
        new Promise<void>((done) => {
          if (c.exitCode !== null || c.signalCode !== null) return done();
          const killer = setTimeout(() => c.kill("SIGKILL"), 15_000);
          c.once("close", () => {
            clearTimeout(killer);
            done();
          });
          c.kill("SIGTERM");
        }),
    ),
  ).then(() => undefined);
}

function signoff(
  args: string[],
  opts: { env: NodeJS.ProcessEnv; logFile?: string; timeoutMs?: number; onLine?: (line: string) => void },
): Promise<CliResult> {
  const started = Date.now();
  if (interrupted) return Promise.reject(new Interrupted("interrupted"));
  return new Promise((resolveRun) => {
    const child = spawn(process.execPath, [SIGNOFF, ...args], {
      cwd: ROOT,
      env: { ...process.env, ...opts.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    children.add(child);
    let stdout = "";
    let stderr = "";
    let partial = "";
    child.stdout!.on("data", (d: Buffer) => {
      const s = d.toString("utf8");
      stdout += s;
      if (opts.onLine) {
        partial += s;
        const lines = partial.split("\n");
        partial = lines.pop() ?? "";
        lines.forEach(opts.onLine);
      }
    });
    child.stderr!.on("data", (d: Buffer) => (stderr += d.toString("utf8")));
    const limit = opts.timeoutMs ?? 180_000;
    let killer: NodeJS.Timeout | undefined;
    const timer = setTimeout(() => {
      stderr += `\n(release pipeline: signoff ${args[0]} exceeded ${limit / 1000} s; stopped)\n`;
      child.kill("SIGTERM");
      killer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    }, limit);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      if (killer) clearTimeout(killer);
      children.delete(child);
      if (opts.onLine && partial) opts.onLine(partial);
      if (opts.logFile)
        writeFileSync(
          opts.logFile,
          `$ signoff ${args.join(" ")}\n${stdout}\n--- stderr ---\n${stderr}\n--- exit ${code ?? signal} ---\n`,
        );
      resolveRun({ code: code ?? (signal ? 128 : 1), stdout, stderr, ms: Date.now() - started });
    });
  });
}

/** Echoes the parts of `signoff run` output that tell the story; the full output goes to the log file. */
function runEcho(prefix: string, print: (line: string) => void): (line: string) => void {
  let inCounterexample = false;
  let property = "";
  const out = (line: string) => print(`    ${prefix}${line}`);
  return (line) => {
    if (inCounterexample) {
      if (line.trim() === "" || /\(full report/.test(line)) inCounterexample = false;
      else return out(`  ${line.trim()}`);
    }
    const p = /^\s+Property: (.*)$/.exec(line);
    if (p) property = p[1].length > 72 ? `${p[1].slice(0, 71)}…` : p[1];
    else if (/^Staging serves|^\s+(PASS|FAIL|INCOMPLETE)\s+\S/.test(line)) out(line.trim());
    else if (/✗ property failed/.test(line)) {
      out(`property "${property}"`);
      out(`  ${line.trim()}`);
      inCounterexample = true;
    } else if (/^\s+passed \d+ run\(s\)/.test(line)) out(`property "${property}": ${line.trim()}`);
  };
}

// ---------------------------------------------------------------- the summary

interface ReleaseRecord {
  label: string;
  artifact: string;
  name: string;
  version: string;
  digest: string;
  staging: Array<{ target: string; url: string; served: string; matches: boolean }>;
  runs?: Array<{ target: string; exit: number | null; seconds: number; log: string }>;
  gate?: { exit: number | null; result?: string; reasons: string[] };
  approvals: Array<{ role: string; exit: number | null; message: string }>;
  verify?: { exit: number | null; failures: string[]; output: string };
  promoted: boolean;
  refusedAt?: string;
  switch?: SwitchReport;
  load?: LoadReport & { coveredSwitch: boolean };
  productionAfter?: { version: string; digest: string };
  error?: string;
}

interface Summary {
  schema: "signoff/release-demo@1";
  ok: boolean;
  checks: { goodBuildLive: boolean; defectiveBuildRefused: boolean; zeroFailedRequests: boolean };
  failedRequests: number;
  requestsDuringSwitches: number;
  production: { proxy: string; live: { name: string; version: string; digest: string } | null };
  previousRelease?: { artifact: string; version: string };
  releases: ReleaseRecord[];
  problems: string[];
  seconds: number;
  workDir: string;
  workDirKept: boolean;
}

/** The gate's reasons, from the signed decision itself (line 2 of the verdict file). */
function decisionOf(verdictFile: string): { result?: string; reasons: string[] } {
  try {
    for (const line of readFileSync(verdictFile, "utf8").split("\n")) {
      if (!line.trim()) continue;
      const env = JSON.parse(line) as { payload: string };
      const st = JSON.parse(Buffer.from(env.payload, "base64").toString("utf8")) as {
        predicateType: string;
        predicate: Record<string, unknown>;
      };
      if (st.predicateType !== "https://slsa.dev/verification_summary/v1") continue;
      const detail = (st.predicate["https://signoff.dev/gate/v1"] ?? {}) as { result?: string; reasons?: unknown };
      const reasons = Array.isArray(detail.reasons)
        ? detail.reasons.map((r: { code?: string; message?: string } | string) =>
            typeof r === "string" ? r : `${r.code}: ${r.message}`,
          )
        : [];
      return { result: detail.result ?? (st.predicate.verificationResult as string | undefined), reasons };
    }
  } catch {
    // no verdict or unreadable: the gate's own output says why
  }
  return { reasons: [] };
}

// ---------------------------------------------------------------- main

function parseArgs(argv: string[]): { summary?: string; keep: boolean } {
  const out: { summary?: string; keep: boolean } = {
    keep: false,
    summary: process.env.RELEASE_DEMO_SUMMARY || undefined,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--keep") out.keep = true;
    else if (a === "--summary") out.summary = argv[++i];
    else if (a.startsWith("--summary=")) out.summary = a.slice("--summary=".length);
    else if (a === "--help" || a === "-h") {
      say("usage: npm run demo:release [-- --summary FILE] [--keep]");
      process.exit(0);
    } else {
      process.stderr.write(`release pipeline: unknown argument ${a} (usage: [--summary FILE] [--keep])\n`);
      process.exit(2);
    }
  }
  return out;
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const work = mkdtempSync(join(tmpdir(), "signoff-release-"));
  const problems: string[] = [];
  const releases: ReleaseRecord[] = [];
  const env: NodeJS.ProcessEnv = {
    // Counterexamples found by the demo stay in the demo (the project's store is not touched).
    SIGNOFF_COUNTEREXAMPLES: join(work, "counterexamples.json"),
    SIGNOFF_KEY: "",
    SIGNOFF_KEY_PASSWORD: "",
  };
  const production = new BlueGreen({
    workDir: join(work, "production"),
    dataDir: join(work, "production", "data"),
    log: (l) => say(`    ${l}`),
  });
  const onSignal = (sig: NodeJS.Signals) => {
    if (interrupted) return;
    interrupted = true;
    process.stderr.write(`\nrelease pipeline: ${sig}: stopping everything it started\n`);
    void stopChildren()
      .then(cleanup)
      .then(() => process.exit(130));
  };
  const cleanup = async () => {
    await production.close().catch(() => {});
    await Promise.all([...running].map((i) => i.stop().catch(() => {})));
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);

  say("Release pipeline demo: staging → signoff run → gate → sign-offs → verify → blue/green promotion");
  say(`work directory: ${work}`);
  let previous: Artifact | undefined;
  let good: Artifact | undefined;
  let defective: Artifact | undefined;
  let summary: Summary | undefined;
  try {
    // ------------------------------------------------------------ 1. build
    section("Build: two release candidates, each a deterministic tarball named by its sha256");
    good = buildArtifact(GOOD_SRC, join(work, "dist"));
    defective = buildArtifact(DEFECTIVE_SRC, join(work, "dist"));
    const again = buildArtifact(GOOD_SRC, join(work, "dist-check"));
    if (again.sha256 !== good.sha256)
      problems.push(`the build is not deterministic: ${good.sha256} then ${again.sha256}`);
    for (const a of [good, defective])
      say(
        `    ${artifactRef(a)}\n      ${a.version}, ${a.entries} entries, ${a.bytes} bytes, from ${relative(ROOT, a.source)} → ${relative(work, a.file)}`,
      );
    say(`    (built twice: same bytes, same digest — ${again.sha256 === good.sha256 ? "yes" : "NO"})`);
    if (good.sha256 === defective.sha256) problems.push("the two builds have the same digest");

    // ------------------------------------------------------------ 2. keys and trust
    // Made in the background while the first acceptance run goes (CLI start-up is the slow part
    // on 2 cores); shown just before the first gate needs them.
    const keys = join(work, "keys");
    mkdirSync(keys, { recursive: true });
    const trust = join(work, "trust.yaml");
    const keysReady = (async () => {
      const lines: string[] = [];
      const made = await Promise.all(
        ["gate", "qa", "release-manager"].map((who) => signoff(["keygen", "--out", join(keys, who)], { env })),
      );
      for (const r of made) {
        if (r.code !== 0) throw new Error(`signoff keygen failed: ${r.stderr.trim()}`);
        lines.push(r.stdout.trim().split(work).join("<work>"));
      }
      const trustCmds: string[][] = [
        [
          "trust",
          "add",
          "--trust",
          trust,
          "--role",
          "gate",
          "--key",
          join(keys, "gate.pub"),
          "--name",
          "CI gate (demo)",
          "--allow-policy",
          POLICY,
          "--max-age",
          "1h",
        ],
        ["trust", "add", "--trust", trust, "--role", "qa", "--key", join(keys, "qa.pub"), "--name", "Quinn, QA (demo)"],
        [
          "trust",
          "add",
          "--trust",
          trust,
          "--role",
          "release-manager",
          "--key",
          join(keys, "release-manager.pub"),
          "--name",
          "Riley, release manager (demo)",
        ],
      ];
      for (const c of trustCmds) {
        const r = await signoff(c, { env });
        if (r.code !== 0) throw new Error(`signoff ${c.slice(0, 2).join(" ")} failed: ${r.stderr.trim()}`);
        lines.push(r.stdout.trim().split(work).join("<work>"));
      }
      return lines;
    })();
    keysReady.catch(() => {}); // awaited (and reported) before the first gate

    // ------------------------------------------------------------ 3. production as it is today
    section("Production: blue/green behind one reverse proxy (http-proxy), serving the previous release");
    // Production already runs something before this pipeline: a stand-in for "the last release",
    // built the same way from the good sources relabelled 0.9.0 (it is not gated by this demo).
    const prevSrc = join(work, "src-previous");
    cpSync(GOOD_SRC, prevSrc, { recursive: true, filter: (s) => !/[/\\](data|node_modules)$/.test(s) });
    const pkgFile = join(prevSrc, "package.json");
    writeFileSync(
      pkgFile,
      JSON.stringify({ ...JSON.parse(readFileSync(pkgFile, "utf8")), version: "0.9.0" }, null, 2) + "\n",
    );
    previous = buildArtifact(prevSrc, join(work, "dist"));
    const proxyUrl = await production.start();
    say(`    proxy listening on ${proxyUrl} (GET /__proxy shows the colours)`);
    say(
      `    bootstrapping with the previous release ${previous.version} (${shortDigest(previous.sha256)}; a stand-in for whatever was live before):`,
    );
    await production.promote(previous);
    const before = await fetchBuild(proxyUrl);
    say(`    production serves ${before.name} ${before.version} (${before.digest})`);

    // ------------------------------------------------------------ 4. the pipeline, once per build
    const candidates: Array<{ label: string; artifact: Artifact }> = [
      { label: "good build", artifact: good },
      { label: "defective build", artifact: defective },
    ];
    // Like one CI pipeline per build: the next build's staging + acceptance starts as soon as the
    // previous build's acceptance is done, and runs while that one is gated and promoted
    // (its output is held back until its turn). Promotions happen one at a time, in order.
    const ctx: Ctx = { work, env, keys, trust, production, keysReady, keysShown: false };
    const title = (i: number) =>
      `Release candidate ${i + 1}/${candidates.length}: ${candidates[i].artifact.name} ${candidates[i].artifact.version} (${candidates[i].label})`;
    section(title(0));
    let channel = new Channel(true);
    let acceptance: Promise<Accepted> = accept(candidates[0].label, candidates[0].artifact, ctx, channel);
    for (let i = 0; i < candidates.length; i++) {
      if (interrupted) break;
      if (i > 0) {
        section(title(i));
        channel.live();
      }
      const accepted = await acceptance;
      if (i + 1 < candidates.length) {
        channel = new Channel(false);
        acceptance = accept(candidates[i + 1].label, candidates[i + 1].artifact, ctx, channel);
        acceptance.catch(() => {}); // awaited on its turn
      }
      releases.push(await release(candidates[i].artifact, accepted, ctx));
    }

    // ------------------------------------------------------------ 5. the outcome
    section("Outcome");
    let live: { name: string; version: string; digest: string } | null = null;
    try {
      live = await fetchBuild(proxyUrl);
    } catch (err) {
      problems.push(`production does not answer GET /__build through the proxy: ${(err as Error).message}`);
    }
    const goodRec = releases.find((r) => r.digest === `sha256:${good!.sha256}`);
    const badRec = releases.find((r) => r.digest === `sha256:${defective!.sha256}`);
    const switches = releases.filter((r) => r.load);
    // Every non-2xx answer and every connection error or timeout the load loops saw (a proxy 502 included).
    const failedRequests = switches.reduce((n, r) => n + r.load!.failed, 0);
    const requests = switches.reduce((n, r) => n + r.load!.sent, 0);
    const checks = {
      goodBuildLive: !!goodRec?.promoted && live?.digest === `sha256:${good.sha256}`,
      defectiveBuildRefused:
        !!badRec &&
        !badRec.promoted &&
        badRec.refusedAt === "verify" &&
        (badRec.verify?.failures.length ?? 0) > 0 &&
        live?.digest !== `sha256:${defective.sha256}`,
      zeroFailedRequests: switches.length > 0 && switches.every((r) => r.load!.coveredSwitch) && failedRequests === 0,
    };
    if (switches.some((r) => !r.load!.coveredSwitch))
      problems.push("a load loop ended before its switch finished (it hit its request or time cap)");
    say(
      `    production (through the proxy) serves: ${live ? `${live.name} ${live.version} (${live.digest})` : "nothing"}`,
    );
    say(`    ${checks.goodBuildLive ? "✓" : "✗"} the good build is live: ${good.version} ${artifactRef(good)}`);
    say(
      `    ${checks.defectiveBuildRefused ? "✓" : "✗"} the defective build was refused at verify: ${defective.version} ${shortDigest(defective.sha256)}` +
        (badRec?.verify ? ` (${badRec.verify.failures.length} failed check(s))` : ""),
    );
    say(
      `    ${checks.zeroFailedRequests ? "✓" : "✗"} failed requests during switches: ${failedRequests} of ${requests} (${switches.length} switch(es))`,
    );
    for (const p of problems) say(`    ! ${p}`);
    const ok =
      checks.goodBuildLive && checks.defectiveBuildRefused && checks.zeroFailedRequests && problems.length === 0;
    summary = {
      schema: "signoff/release-demo@1",
      ok,
      checks,
      failedRequests,
      requestsDuringSwitches: requests,
      production: { proxy: proxyUrl, live },
      previousRelease: { artifact: artifactRef(previous), version: previous.version },
      releases,
      problems,
      seconds: Math.round((Date.now() - t0) / 100) / 10,
      workDir: work,
      workDirKept: args.keep || !ok,
    };
  } catch (err) {
    if (interrupted) {
      // onSignal stops everything and exits 130; nothing more to report here
      await new Promise(() => {});
    }
    problems.push(`the pipeline stopped: ${(err as Error).message}`);
    say(`\n✗ the pipeline stopped: ${(err as Error).stack ?? err}`);
  } finally {
    await stopChildren();
    await cleanup();
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
  summary ??= {
    schema: "signoff/release-demo@1",
    ok: false,
    checks: { goodBuildLive: false, defectiveBuildRefused: false, zeroFailedRequests: false },
    failedRequests: -1,
    requestsDuringSwitches: 0,
    production: { proxy: production.url, live: null },
    releases,
    problems,
    seconds: Math.round((Date.now() - t0) / 100) / 10,
    workDir: work,
    workDirKept: true,
  };
  if (args.summary) {
    mkdirSync(dirname(resolve(args.summary)), { recursive: true });
    writeFileSync(args.summary, JSON.stringify(summary, null, 2) + "\n");
  }
  say();
  if (summary.ok) {
    say(
      `RELEASE PIPELINE OK in ${elapsed()}: ${good?.version} promoted, ${defective?.version} refused, 0 failed requests; everything it started is stopped.`,
    );
  } else {
    say(
      `RELEASE PIPELINE FAILED in ${elapsed()}: ${summary.problems
        .concat(
          Object.entries(summary.checks)
            .filter(([, v]) => !v)
            .map(([k]) => `check ${k} failed`),
        )
        .join("; ")}`,
    );
  }
  if (args.summary) say(`summary: ${args.summary}`);
  if (summary.workDirKept) say(`work directory kept: ${work} (keys, verdicts, reports, logs)`);
  else rmSync(work, { recursive: true, force: true });
  return summary.ok ? 0 : 1;
}

interface Ctx {
  work: string;
  /** keygen ×3 + trust add ×3, started in the background; their output lines. */
  keysReady: Promise<string[]>;
  keysShown: boolean;
  env: NodeJS.ProcessEnv;
  keys: string;
  trust: string;
  production: BlueGreen;
}

interface Accepted {
  rec: ReleaseRecord;
  dir: string;
}

/** Staging + acceptance for one build, printing to `out` (a CI matrix: one job per target). */
async function accept(label: string, a: Artifact, ctx: Ctx, out: Channel): Promise<Accepted> {
  const ref = artifactRef(a);
  const dir = join(ctx.work, `${a.name}-${a.version}`);
  mkdirSync(dir, { recursive: true });
  const rec: ReleaseRecord = {
    label,
    artifact: ref,
    name: a.name,
    version: a.version,
    digest: `sha256:${a.sha256}`,
    staging: [],
    approvals: [],
    promoted: false,
  };
  out.say(`    artifact ${ref}`);

  // Each target gets its own ephemeral staging: the counter scenarios count page loads, so two
  // targets must not share one instance.
  const targets = TARGETS;
  out.step(`Deploy to staging — one ephemeral instance per target (${targets.join(", ")}), each from the artifact`);
  const stagings: Instance[] = [];
  const runs: Array<{ target: string; reports: string; code: number | null; ms: number; stderr: string }> = [];
  try {
    for (const t of targets) {
      const s = await startInstance(a, {
        label: `staging-${t}`,
        deployDir: join(dir, `staging-${t}`, "app"),
        dataDir: join(dir, `staging-${t}`, "data"),
        logFile: join(dir, `staging-${t}`, "app.log"),
      });
      stagings.push(s);
      const served = await fetchBuild(s.url);
      const matches = served.digest === `sha256:${a.sha256}`;
      rec.staging.push({ target: t, url: s.url, served: served.digest, matches });
      out.say(
        `    staging for ${t} at ${s.url} serves ${served.name} ${served.version} (${served.digest}) ${matches ? "= the artifact" : "≠ THE ARTIFACT"}`,
      );
    }

    out.step(
      `signoff run --config ${CONFIG} --targets <target> --base-url <its staging> — ${targets.length} jobs in parallel` +
        ` [started at ${elapsed()}${out.isBuffered ? ", while the previous candidate was gated and promoted" : ""}]`,
    );
    const jobs = targets.map(async (t, i) => {
      const reports = join(dir, `reports-${t}`);
      const r = await signoff(
        ["run", "--config", CONFIG, "--targets", t, "--base-url", stagings[i].url, "--reports", reports],
        {
          env: ctx.env,
          logFile: join(dir, `run-${t}.log`),
          timeoutMs: 480_000, // generous: a loaded 2-core machine can take minutes; still bounded
          onLine: runEcho(`[${t}] `, out.say),
        },
      );
      runs.push({ target: t, reports, code: r.code, ms: r.ms, stderr: r.stderr });
      out.say(
        `    [${t}] → exit ${r.code} in ${(r.ms / 1000).toFixed(1)} s${r.code === 0 ? "" : r.code === 1 ? " (scenarios failed; the gate decides what that means)" : ` — ${r.stderr.trim().split("\n")[0]}`}  (full output: <work>/${relative(ctx.work, join(dir, `run-${t}.log`))})`,
      );
    });
    await Promise.all(jobs);
    if (interrupted) throw new Interrupted("interrupted");
    rec.runs = runs.map((r) => ({
      target: r.target,
      exit: r.code,
      seconds: Math.round(r.ms / 100) / 10,
      log: join(dir, `run-${r.target}.log`),
    }));
  } finally {
    await Promise.all(stagings.map((s) => s.stop()));
  }
  return { rec, dir };
}

/** Gate, sign-offs, verify and — only on verify's exit 0 — the blue/green promotion. */
async function release(a: Artifact, { rec, dir }: Accepted, ctx: Ctx): Promise<ReleaseRecord> {
  const ref = artifactRef(a);
  const targets = TARGETS;

  // -- keys and trust (once)
  if (!ctx.keysShown) {
    step("Keys and trust: the gate, QA and the release manager each get their own key (made during the run above)");
    for (const line of await ctx.keysReady) say(`    ${line}`);
    say(
      `    trust file: <work>/${relative(ctx.work, ctx.trust)} pins gate / qa / release-manager and allows ${POLICY}`,
    );
    ctx.keysShown = true;
  }

  // -- gate
  const verdict = join(dir, "verdict.intoto.jsonl");
  step(
    `signoff gate --artifact ${a.name}@${shortDigest(a.sha256)} --key gate.key --policy ${POLICY} --results ${targets.map((t) => `reports-${t}`).join(" ")}`,
  );
  const gate = await signoff(
    [
      "gate",
      "--artifact",
      ref,
      "--key",
      join(ctx.keys, "gate.key"),
      "--policy",
      POLICY,
      "--results",
      ...targets.map((t) => join(dir, `reports-${t}`)),
      "--config",
      CONFIG,
      "--out",
      verdict,
    ],
    { env: ctx.env, logFile: join(dir, "gate.log") },
  );
  const decision = decisionOf(verdict);
  rec.gate = { exit: gate.code, result: decision.result, reasons: decision.reasons };
  say(indent((gate.stdout + gate.stderr).split(ctx.work).join("<work>")));
  say(`    → exit ${gate.code}`);

  // -- sign-offs
  step("Sign-offs: QA, then the release manager (each with their own key)");
  for (const [role, comment] of [
    ["qa", "explored the counter on desktop and phone"],
    ["release-manager", "release window approved"],
  ]) {
    const r = await signoff(
      ["approve", "--verdict", verdict, "--key", join(ctx.keys, `${role}.key`), "--role", role, "--comment", comment],
      { env: ctx.env, logFile: join(dir, `approve-${role}.log`) },
    );
    const message = (r.stdout + r.stderr).trim().split(ctx.work).join("<work>");
    rec.approvals.push({ role, exit: r.code, message });
    say(indent(`${message}  → exit ${r.code}`));
  }

  // -- verify
  step(
    `signoff verify --verdict verdict.intoto.jsonl --artifact ${a.name}@${shortDigest(a.sha256)} --trust trust.yaml   (the deploy job's gate)`,
  );
  const verify = await signoff(["verify", "--verdict", verdict, "--artifact", ref, "--trust", ctx.trust], {
    env: ctx.env,
    logFile: join(dir, "verify.log"),
  });
  const vout = (verify.stdout + verify.stderr).trim().split(ctx.work).join("<work>");
  rec.verify = {
    exit: verify.code,
    output: vout,
    failures: vout
      .split("\n")
      .filter((l) => /^\s*✗ \[/.test(l))
      .map((l) => l.trim()),
  };
  say(indent(vout));
  say(`    → exit ${verify.code}`);

  if (verify.code !== 0) {
    rec.refusedAt = "verify";
    step(`NOT PROMOTED: verify refused ${a.name} ${a.version}; production is left alone`);
    // (each in full in verify's output above; one line each here)
    for (const f of rec.verify.failures) say(`    reason: ${clip(f.replace(/^✗ /, ""), 180)}`);
    const live = await fetchBuild(ctx.production.url);
    rec.productionAfter = { version: live.version, digest: live.digest };
    say(`    production (through the proxy) still serves ${live.name} ${live.version} (${live.digest})`);
    return rec;
  }

  // -- promote: the same artifact, to the idle colour, with load running through the proxy
  const idle = ctx.production.idleColour();
  step(
    `PROMOTE: verify passed — deploying this same artifact to ${idle} and switching, with a load loop through the proxy`,
  );
  const load = startLoad(ctx.production.url, { concurrency: 4, maxRequests: 20_000, maxMs: 60_000, pauseMs: 5 });
  // Let the load get going so the whole switch happens under it.
  for (let t = Date.now(); load.sent() < 40 && Date.now() - t < 5_000;) await new Promise((r) => setTimeout(r, 20));
  const sentBefore = load.sent();
  let sw: SwitchReport | undefined;
  try {
    sw = await ctx.production.promote(a);
    rec.switch = sw;
    rec.promoted = true;
  } catch (err) {
    rec.error = (err as Error).message;
    say(`    ✗ promotion failed: ${rec.error}`);
  }
  // Keep the load on a little after the old colour has stopped: a request still aimed at it would fail now.
  await new Promise((r) => setTimeout(r, 750));
  const report = await load.stop();
  rec.load = { ...report, coveredSwitch: report.endedBy === "stopped" && sentBefore > 0 };
  const served = Object.entries(report.servedBy)
    .map(([k, v]) => `${k}: ${v}`)
    .join(", ");
  say(
    `    load: ${report.sent} requests in ${(report.durationMs / 1000).toFixed(1)} s, ${report.ok} ok, ${report.failed} failed${report.failed ? ` (${JSON.stringify(report.failures)})` : ""}`,
  );
  say(`          GET /__build answered by — ${served}`);
  for (const s of report.samples) say(`          failed: ${s}`);
  const live = await fetchBuild(ctx.production.url);
  rec.productionAfter = { version: live.version, digest: live.digest };
  say(`    production (through the proxy) now serves ${live.name} ${live.version} (${live.digest})`);
  return rec;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`release pipeline: ${(err as Error).stack ?? err}\n`);
    process.exitCode = 2;
  },
);
