// What the benchmarks read out of a Cucumber messages file: where each scenario's time goes.
import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";

/** Mean duration of each test step (hooks by name, steps by text) over all but the first scenario. */
export async function stepBreakdown(file: string): Promise<Record<string, number>> {
  const hooks = new Map<string, string>();
  const pickleSteps = new Map<string, string>();
  const testSteps = new Map<string, string>();
  const firstCase = { id: "" };
  const sums = new Map<string, { total: number; n: number }>();
  const rl = createInterface({ input: createReadStream(file, "utf8"), crlfDelay: Infinity });
  for await (const line of rl) {
    const m = JSON.parse(line);
    if (m.hook) hooks.set(m.hook.id, `hook: ${m.hook.name ?? m.hook.sourceReference?.uri}`);
    else if (m.pickle) for (const st of m.pickle.steps) pickleSteps.set(st.id, `step: ${st.text}`);
    else if (m.testCase)
      for (const st of m.testCase.testSteps)
        testSteps.set(
          st.id,
          st.hookId ? (hooks.get(st.hookId) ?? "hook") : (pickleSteps.get(st.pickleStepId) ?? "step"),
        );
    else if (m.testCaseStarted && !firstCase.id) firstCase.id = m.testCaseStarted.id;
    else if (m.testStepFinished && m.testStepFinished.testCaseStartedId !== firstCase.id) {
      const key = testSteps.get(m.testStepFinished.testStepId) ?? "?";
      const d = m.testStepFinished.testStepResult.duration;
      const e = sums.get(key) ?? { total: 0, n: 0 };
      e.total += d.seconds * 1000 + d.nanos / 1e6;
      e.n++;
      sums.set(key, e);
    }
  }
  return Object.fromEntries(
    [...sums].filter(([, e]) => e.total / e.n >= 0.5).map(([k, e]) => [k, Math.round(e.total / e.n)]),
  );
}
