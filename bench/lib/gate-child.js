// One gate step in its own process, so its time and peak memory are its own:
//   [SIGNOFF_DIST=1] node bench/lib/gate-child.js <signoff CLI args...>
// Runs the real `signoff` command — the compiled dist/ with SIGNOFF_DIST=1 (what an installed package runs),
// else the TypeScript sources through src/register.js — and prints one JSON line on stderr's last line:
// {code, commandMs (the command itself, modules loaded), processMs (process start → done), maxRssMB, cpuMs
// (user + system, every thread), commandCpuMs (the same from modules loaded), userMs, sysMs}.
"use strict";
const { join } = require("node:path");

async function run() {
  const loadStart = performance.now();
  const root = join(__dirname, "..", "..");
  const dist = process.env.SIGNOFF_DIST === "1";
  if (!dist) require(join(root, "src", "register.js"));
  const { main } = require(join(root, dist ? "dist/src/cli.js" : "src/cli.ts"));
  const loadedAt = performance.now();
  const cpuAtLoad = process.cpuUsage();
  const code = await main(["node", "signoff", ...process.argv.slice(2)]);
  const end = performance.now();
  const ru = process.resourceUsage();
  const commandCpu = process.cpuUsage(cpuAtLoad);
  process.stderr.write(
    "\n" +
      JSON.stringify({
        code,
        commandMs: end - loadedAt,
        moduleLoadMs: loadedAt - loadStart,
        processMs: end, // performance.now() counts from process start (node start-up and module loading included)
        maxRssMB: ru.maxRSS / 1024,
        // CPU time of the whole process (all threads: the digest workers included), ms.
        cpuMs: (ru.userCPUTime + ru.systemCPUTime) / 1000,
        // The command's own CPU time (modules loaded), as commandMs is its own wall time.
        commandCpuMs: (commandCpu.user + commandCpu.system) / 1000,
        userMs: ru.userCPUTime / 1000,
        sysMs: ru.systemCPUTime / 1000,
      }) +
      "\n",
  );
  process.exitCode = code;
}
run().catch((err) => {
  console.error(err);
  process.exit(99);
});
