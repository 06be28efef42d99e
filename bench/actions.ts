// `npm run bench:actions [-- --n N --targets a,b]`: what the steps that act on named elements and the negative checks
// cost per step, on every target, from the messages of `signoff run` (compiled dist/) against bench/lib/server.js.
// The main bench's scenarios use only `I open` and `I should see`; this one measures the rest. Never part of `npm test`.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join, relative } from "node:path";
import { parseArgs } from "node:util";
import { BENCH_TARGETS } from "./lib/generate";
import { stepBreakdown } from "./lib/step-breakdown";
import { startBenchServer } from "./lib/bench-server";

const ROOT = join(__dirname, "..");
const { values } = parseArgs({ options: { n: { type: "string" }, targets: { type: "string" } } });
const n = Number(values.n ?? 30);
const targets = values.targets ? values.targets.split(",") : BENCH_TARGETS;
// Inside the project (git-ignored): `signoff run` takes feature paths relative to it.
const WORK = join(ROOT, ".signoff", "tmp", `bench-actions-${process.pid}`);

const STEPS = [
  'Given I open "/actions"',
  'When I fill the field labelled "Name" with "Ada"',
  'And I click the "Add" button',
  'Then I should see "Added Ada"',
  'And I should not see "In the cart"',
  'And the "Add" button should be enabled',
];

function writeSuite(dir: string): void {
  mkdirSync(dir, { recursive: true });
  const lines = ["Feature: Actions bench", ""];
  for (let i = 1; i <= n; i++) lines.push(`  Scenario: actions ${i}`, ...STEPS.map((s) => `    ${s}`), "");
  writeFileSync(join(dir, "actions.feature"), lines.join("\n"));
}

function run(target: string, url: string, reports: string, features: string): Promise<number> {
  const args = [join(ROOT, "bin", "signoff.js"), "run", "--base-url", url, "--targets", target];
  args.push("--reports", reports, `${relative(ROOT, features)}/*.feature`);
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, SIGNOFF_DIST: "1" },
    stdio: ["ignore", "ignore", "inherit"],
  });
  return new Promise((resolve) => child.once("exit", (code) => resolve(code ?? 1)));
}

async function main(): Promise<void> {
  if (!Number.isInteger(n) || n < 2)
    throw new Error(`--n ${values.n}: a whole number of scenarios, at least 2 (the first is left out)`);
  if (!existsSync(join(ROOT, "dist")))
    throw new Error("run `npm run build` first: the bench measures the compiled package");
  const features = join(WORK, "features");
  writeSuite(features);
  const server = await startBenchServer();
  const rows: string[] = [];
  console.log(
    `bench:actions · ${n} scenarios per target · load ${loadavg()
      .map((l) => l.toFixed(1))
      .join(" / ")}`,
  );
  try {
    for (const target of targets) {
      const reports = join(WORK, `reports-${target}`);
      const code = await run(target, server.origin, reports, features);
      const messages = join(reports, "messages", `${target}.ndjson`);
      const ms = existsSync(messages) ? await stepBreakdown(messages) : {}; // a run that never started says so by its exit
      const cell = (k: string) => (ms[k] === undefined ? "–" : String(ms[k]));
      rows.push(
        `| ${target} | ${code === 0 ? "yes" : `exit ${code}`} | ${STEPS.map((s) => cell(`step: ${s.replace(/^\w+ /, "")}`)).join(" | ")} |`,
      );
      console.log(rows[rows.length - 1]);
    }
  } finally {
    server.stop();
    rmSync(WORK, { recursive: true, force: true });
  }
  console.log(
    `\nMean ms per step (first scenario left out), load at the end ${loadavg()
      .map((l) => l.toFixed(1))
      .join(" / ")}:\n`,
  );
  console.log(`| target | all passed | ${STEPS.map((s) => `\`${s.replace(/^\w+ /, "")}\``).join(" | ")} |`);
  console.log(`|---|---|${STEPS.map(() => "---").join("|")}|`);
  for (const r of rows) console.log(r);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
