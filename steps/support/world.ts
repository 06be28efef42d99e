// Loads the Signoff World and hooks into the step library's support code.
export { SignoffWorld } from "../../src/world";
import { ignoreClosedOutput } from "../../src/core/closed-output";

// In each --parallel worker (a process of Cucumber's, with the runner's stdout): a step's or hook's output into a
// pipe whose reader went away is dropped, never the scenario's failure (the target's own process does the same).
ignoreClosedOutput();
