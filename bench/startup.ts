// `npm run bench:startup [-- --bin PATH --cwd DIR --reps N]`: command start → first scenario started, for `signoff run`.
// Reads the first testCaseStarted timestamp from the Cucumber messages of a one-scenario run on pw-desktop
// against a static page it serves itself, so the number is start-up only. Never part of `npm test`.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const argv = process.argv.slice(2);
const opt = (name: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
};
const bin = resolve(opt("bin") ?? join(__dirname, "..", "bin", "signoff.js"));
const reps = Number(opt("reps") ?? 3);

function firstScenarioStartMs(messages: string): number {
  for (const line of readFileSync(messages, "utf8").split("\n")) {
    if (!line.includes('"testCaseStarted"')) continue;
    const t = JSON.parse(line).testCaseStarted.timestamp;
    return t.seconds * 1000 + t.nanos / 1e6;
  }
  throw new Error(`no scenario started in ${messages}`);
}

async function main() {
  const server = createServer((_req, res) => res.end("<html><body><h1>About</h1></body></html>"));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as { port: number }).port;
  const cwd = opt("cwd") ?? mkdtempSync(join(tmpdir(), "signoff-startup-"));
  const feature = join(".signoff", "tmp", "startup.feature");
  mkdirSync(join(cwd, ".signoff", "tmp"), { recursive: true });
  writeFileSync(
    join(cwd, feature),
    'Feature: start-up\n  Scenario: one page\n    Given I open "/"\n    Then I should see "About"\n',
  );
  const samples: number[] = [];
  for (let i = 0; i < reps; i++) {
    const reports = mkdtempSync(join(tmpdir(), "signoff-startup-reports-"));
    const t0 = Date.now();
    const child = spawn(
      process.execPath,
      [bin, "run", feature, "--targets", "pw-desktop", "--base-url", `http://127.0.0.1:${port}/`, "--reports", reports],
      {
        cwd,
        stdio: "ignore",
      },
    );
    const code = await new Promise((r) => child.on("exit", r));
    if (code !== 0) throw new Error(`signoff run exited ${String(code)} in ${cwd}`);
    samples.push(firstScenarioStartMs(join(reports, "messages", "pw-desktop.ndjson")) - t0);
    rmSync(reports, { recursive: true, force: true });
  }
  server.close();
  samples.sort((a, b) => a - b);
  console.log(
    JSON.stringify({
      bin,
      samplesS: samples.map((s) => Math.round(s / 100) / 10),
      medianS: Math.round(samples[Math.floor(samples.length / 2)] / 100) / 10,
    }),
  );
}
void main();
