// Generic steps: other visitors at the same moment, over HTTP — how races (a lost update) show up in any app.
import { When } from "@cucumber/cucumber";
import { loadAtOnce } from "../../src/properties/visitors";
import type { SignoffWorld } from "../support/world";
import { SignoffAssertionError, TestDefinitionError } from "../../src/core/errors";

When("{int} visitors open {string} at once", async function (this: SignoffWorld, n: number, path: string) {
  if (n < 1 || n > 50) throw new TestDefinitionError(`${n} visitors: say 1 to 50 (a load test is another tool's job)`);
  const url = this.resolveUrl(path);
  const problems = await loadAtOnce(url, n, this.parameters.timeouts.navigationMs, this.stagingAccess);
  if (problems.length > 0)
    throw new SignoffAssertionError(
      `${problems.length} of ${n} visitors opening ${url} at once got no page (${problems[0]})`,
    );
});
