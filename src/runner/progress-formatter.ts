// Cucumber's progress formatter for a target's terminal output, its failure blocks without the hooks that passed.
import { ProgressFormatter } from "@cucumber/cucumber";
import { TestStepResultStatus } from "@cucumber/messages";
import { escapeLines } from "../core/safe-text";

type Issue = Parameters<ProgressFormatter["logIssues"]>[0]["issues"][number];

/**
 * Every scenario runs Signoff's own hooks (the browser session, the property steps' bookkeeping) and Allure's
 * (ALLURE_FIXTURE_IGNORE): listed in each failure, with their paths inside node_modules, they buried the step that
 * failed. A hook that did not pass is the reason for the failure and stays.
 */
export default class SignoffProgressFormatter extends ProgressFormatter {
  static override readonly documentation = "Cucumber's progress formatter; failures list the steps and failed hooks";

  override logIssues({ issues, title }: { issues: Issue[]; title: string }): void {
    super.logIssues({ issues: issues.map((i) => withoutRunnerFrames(withoutPassedHooks(i))), title });
  }
}

/** A stack frame in Cucumber's own code or Node's internals. */
const RUNNER_FRAME = /^\s*at\s.*(?:[\\/]@cucumber[\\/]cucumber[\\/]|node:internal[\\/])/;

/**
 * The failures' messages, control characters escaped, without the stack frames of Cucumber's own code and Node's internals: a step its timeout
 * cut short ("function timed out, ensure the promise resolves within …") came with a stack of those only, which says
 * nothing about the step. Frames of the project's own code stay.
 */
export function withoutRunnerFrames(attempt: Issue): Issue {
  const stepResults = Object.fromEntries(
    Object.entries(attempt.stepResults).map(([id, r]) => [
      id,
      r.message === undefined
        ? r
        : {
            ...r,
            // A message quotes the page (its text, a dialog's name): its line breaks stay, any other control
            // character (an escape sequence, a bidi override) is shown, not obeyed by the terminal.
            message: escapeLines(r.message.split("\n").filter((line) => !RUNNER_FRAME.test(line))),
          },
    ]),
  );
  return { ...attempt, stepResults };
}

export function withoutPassedHooks(attempt: Issue): Issue {
  const passedHook = (step: { id: string; hookId?: string }) =>
    step.hookId !== undefined && attempt.stepResults[step.id]?.status === TestStepResultStatus.PASSED;
  return {
    ...attempt,
    testCase: { ...attempt.testCase, testSteps: attempt.testCase.testSteps.filter((s) => !passedHook(s)) },
  };
}
