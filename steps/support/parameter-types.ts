// Cucumber parameter types of the step vocabulary: {element} turns a phrase into a Locator.
import { defineParameterType } from "@cucumber/cucumber";
import { ELEMENT_PHRASE_REGEXP, parseElementPhrase } from "./element-phrase";

defineParameterType({
  name: "element",
  regexp: ELEMENT_PHRASE_REGEXP,
  transformer: parseElementPhrase,
  // Steps say "{element}" where a phrase like `the "Send" button` stands.
  useForSnippets: false,
});
