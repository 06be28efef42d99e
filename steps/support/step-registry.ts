// Runs a step by its text through Cucumber's own step definitions — the ones the scenario's steps use, the team's included.
//
// Cucumber has no public "run this step text" call; its support code builder (a public export) builds
// the same StepDefinition objects the runner matches against, from the same registrations and
// parameter types, so a step run here is the one implementation, never a copy.
import { supportCodeLibraryBuilder } from "@cucumber/cucumber";
import { PropertyInputError } from "../../src/properties/errors";
import { docPath } from "../../src/core/package";

type StepDefinition = ReturnType<typeof supportCodeLibraryBuilder.buildStepDefinitions>["stepDefinitions"][number];

let definitions: StepDefinition[] | undefined;

function allDefinitions(): StepDefinition[] {
  definitions ??= supportCodeLibraryBuilder.buildStepDefinitions().stepDefinitions;
  return definitions;
}

export interface MatchedStep {
  text: string;
  definition: StepDefinition;
}

/**
 * The one step definition whose expression matches the text; undefined and ambiguous texts are input errors naming
 * where the text is written (`InputError`: a property's, or a step's own for a step that runs another).
 */
export function matchStep(
  text: string,
  where: string,
  InputError: new (message: string) => Error = PropertyInputError,
): MatchedStep {
  const found = allDefinitions().filter((d) => d.matchesStepName(text));
  if (found.length === 0)
    throw new InputError(`${where}: no step matches "${text}" (see ${docPath("steps.md")} for the generic steps)`);
  if (found.length > 1)
    throw new InputError(
      `${where}: "${text}" matches ${found.length} steps: ${found.map((d) => `"${String(d.pattern)}" (${d.uri}:${d.line})`).join(", ")}`,
    );
  return { text, definition: found[0] };
}

/** The step's arguments as its code receives them (parameter types applied, e.g. an element phrase → Locator). */
export async function stepArguments(step: MatchedStep, world: object): Promise<unknown[]> {
  const pickleStep = { text: step.text, id: "", astNodeIds: [] } as unknown as Parameters<
    StepDefinition["getInvocationParameters"]
  >[0]["step"];
  const { parameters } = await step.definition.getInvocationParameters({
    step: pickleStep,
    world,
    hookParameter: undefined as never,
  });
  return parameters;
}

/** Runs the step's code with the world as `this`, exactly as Cucumber would; what it returns ("skipped", "pending"). */
export async function invokeStep(step: MatchedStep, world: object, args: unknown[]): Promise<unknown> {
  return (step.definition.code as (...a: unknown[]) => unknown).apply(world, args);
}

/** invokeStep for a property's row: a step that skips itself or is pending did no work, which is an input error. */
export async function runStep(step: MatchedStep, world: object, args: unknown[]): Promise<void> {
  const result = await invokeStep(step, world, args);
  if (result === "skipped" || result === "pending")
    throw new PropertyInputError(`"${step.text}" answered ${result}; a step used in a property must do its work`);
}
