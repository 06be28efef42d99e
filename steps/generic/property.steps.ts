// Generic property steps: fast-check underneath, the property described in the step and its table.
// Each runs many generated cases (config properties.runs, @runs:N), prints its seed, tries stored
// counterexamples first, and on failure reports the shrunk case with a replay command.
import { Then, type DataTable } from "@cucumber/cucumber";
import { describeLocator as describe, type Locator } from "../../src/browser/session";
import {
  actionFromSpec,
  actionSequences,
  parseCounterPlan,
  openingVisit,
  replayPathOf,
  runActions,
  showActions,
  specsOf,
  type ActionSpec,
  type CommandList,
} from "../../src/properties/counter-model";
import { checkRequest, decodeRequest, parseRequestShape, showRequest } from "../../src/properties/http-shapes";
import { runProperty } from "../../src/properties/runner";
import { checkTyping, parseInputPlan, showText, typingPageOpener } from "../../src/properties/text-input";
import { PropertyInputError } from "../../src/properties/errors";
import { parseElementPhrase } from "../../src/core/element-phrase";
import { NO_STEP_TIMEOUT, propertyEnv, reportRuns, timeouts } from "../support/property-env";
import { readNumber } from "../support/read-number";
import { settleOf } from "../support/settle";
import type { SignoffWorld } from "../support/world";

Then(
  "the number in {element} should count every page load of {string} under any sequence of these actions:",
  NO_STEP_TIMEOUT,
  async function (this: SignoffWorld, element: Locator, page: string, table: DataTable) {
    const plan = parseCounterPlan(table.raw());
    const { env, key } = propertyEnv(this);
    const world = this;
    const lastSeen: { value?: number } = {};
    // Every read, at the opening visit and after each action: once the page has settled, then until a number shows.
    const read = () => readNumber(world.session, element, timeouts(world).actionMs, settleOf(world));
    const visitors = {
      session: () => world.session,
      newVisitor: async () => {
        await world.closeSession();
        await world.openSession();
      },
      resolveUrl: (p: string) => world.resolveUrl(p),
      requestTimeoutMs: timeouts(world).navigationMs,
      access: world.stagingAccess,
    };
    const result = await runProperty<CommandList>(
      {
        key,
        title: `the number in ${describe(element)} counts every page load of "${page}" under up to ${plan.maxActions} of: ${plan.actions.join(", ")}`,
        arbitrary: (replayPath) => actionSequences(plan, replayPath),
        start: () =>
          openingVisit({
            visitors,
            page,
            lastSeen,
            readNumber: read,
          }),
        check: (cmds) =>
          runActions(cmds, { visitors, element, page, otherPage: plan.otherPage, lastSeen, readNumber: read }),
        encode: (cmds) => specsOf(cmds),
        decode: (json) => {
          if (!Array.isArray(json)) throw new Error("not a list of actions");
          return (json as ActionSpec[]).map((a) => actionFromSpec(a, plan));
        },
        show: (cmds) => showActions(specsOf(cmds)),
        replayPathOf,
      },
      env,
    );
    reportRuns(this, result);
  },
);

Then(
  "staging should answer any request of these shapes without a 5xx, a hang or a leak:",
  NO_STEP_TIMEOUT,
  async function (this: SignoffWorld, table: DataTable) {
    const shape = parseRequestShape(table.raw());
    const { env, key } = propertyEnv(this);
    const baseUrl = this.parameters.baseUrl;
    const result = await runProperty(
      {
        key,
        title: `any request (${shape.summary}) is answered below 500 within ${shape.timeLimitMs} ms with no stack trace or internal path`,
        arbitrary: () => shape.arbitrary,
        check: (r) => checkRequest(baseUrl, r, shape.timeLimitMs, this.stagingAccess),
        encode: (r) => r,
        decode: decodeRequest,
        show: showRequest,
      },
      env,
    );
    reportRuns(this, result);
  },
);

Then(
  "any text of this shape typed into {element} should leave the page usable:",
  NO_STEP_TIMEOUT,
  async function (this: SignoffWorld, field: Locator, table: DataTable) {
    const plan = parseInputPlan(table.raw(), parseElementPhrase);
    const startUrl = await this.session.url();
    if (!/^https?:/.test(startUrl)) {
      throw new PropertyInputError(
        `open the page with the field first (e.g. Given I open "/feedback"); the browser is on ${startUrl}`,
      );
    }
    const { env, key } = propertyEnv(this);
    const world = this;
    const result = await runProperty(
      {
        key,
        title: `${plan.textShape} typed into ${describe(field)}${plan.submit ? " and submitted" : ""} leaves the page usable`,
        arbitrary: () => plan.text,
        start: typingPageOpener(() => world.session, startUrl, field),
        check: (text) => checkTyping(world.session, { field, plan, settleMs: timeouts(world).actionMs }, text),
        encode: (text) => text,
        decode: (json) => {
          if (typeof json !== "string") throw new Error("not a text");
          return json;
        },
        show: showText,
      },
      env,
    );
    reportRuns(this, result);
  },
);
