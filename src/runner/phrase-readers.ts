// The generic steps' element parameter types, read as their transformers read them: what a dry run, which transforms no argument, cannot tell.
import { TestDefinitionError } from "../core/errors";
import { parseElementPhrase } from "../core/element-phrase";
import { parseElementsPhrase } from "../core/elements-phrase";

/**
 * By parameter type name: a dry run matches steps but transforms no argument, so a phrase naming no element
 * (`the buton named "Sign in"`) would only fail once its scenario ran, and not at all in a negative assertion
 * that a phrase finding nothing satisfies.
 */
const PHRASE_READERS: Record<string, (text: string) => unknown> = {
  element: parseElementPhrase,
  elements: parseElementsPhrase,
};

/** One argument of a matched step: its parameter type's name and the text it matched. */
export interface PhraseArgument {
  parameterTypeName?: string;
  value?: string;
}

/** Why the step's element phrases cannot be read, or undefined when they can. */
export function unreadablePhrase(args: readonly PhraseArgument[]): string | undefined {
  for (const arg of args) {
    const read = arg.parameterTypeName ? PHRASE_READERS[arg.parameterTypeName] : undefined;
    if (!read || arg.value === undefined) continue;
    try {
      read(arg.value);
    } catch (err) {
      if (err instanceof TestDefinitionError) return err.message;
      throw err;
    }
  }
  return undefined;
}
