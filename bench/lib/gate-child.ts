// One gate step in its own process, so its time and peak memory are its own:
//   node -r ./src/register.js bench/lib/gate-child.ts <signoff CLI args...>
// Runs the real `signoff` command (src/cli.ts main) and prints one JSON line on stderr's last line:
// {code, commandMs (the command itself, modules loaded), processMs (process start → done), maxRssMB}.
import { performance } from "node:perf_hooks";

async function run() {
  const loadStart = performance.now();
  const { main } = require("../../src/cli") as typeof import("../../src/cli");
  const loadedAt = performance.now();
  const code = await main(["node", "signoff", ...process.argv.slice(2)]);
  const end = performance.now();
  const ru = process.resourceUsage();
  process.stderr.write(
    "\n" +
      JSON.stringify({
        code,
        commandMs: end - loadedAt,
        moduleLoadMs: loadedAt - loadStart,
        processMs: end, // performance.now() counts from process start (includes node + ts-node start-up)
        maxRssMB: ru.maxRSS / 1024,
      }) +
      "\n",
  );
  process.exitCode = code;
}
run().catch((err) => {
  console.error(err);
  process.exit(99);
});
