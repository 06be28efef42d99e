// Which scenarios may run beside each other under --parallel: @serial and @property ones run alone.
import { setParallelCanAssign } from "@cucumber/cucumber";
import { RUNS_ALONE_TAGS } from "../../src/core/tags";
import { listWorkerModulesOnExit } from "../../src/core/loaded-modules";

/**
 * A scenario that asserts on shared state (a counter's exact increment, a server under random
 * requests) must not see traffic from scenarios running beside it. Cucumber keeps one rule for
 * the whole run, so the rule lives here, once (which tags: src/core/tags.ts).
 */
const runsAlone = (tags: readonly { name: string }[]) => tags.some((t) => RUNS_ALONE_TAGS.includes(t.name));

setParallelCanAssign(
  (pickle, running) => running.length === 0 || (!runsAlone(pickle.tags) && !running.some((p) => runsAlone(p.tags))),
);

// A worker runs the scenarios, so it lists the modules it loaded too (what judged the build: src/core/judged-by.ts).
listWorkerModulesOnExit();
