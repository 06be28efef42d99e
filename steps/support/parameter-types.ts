// Cucumber parameter types of the step vocabulary: {element} turns a phrase into a Locator.
import { defineParameterType } from "@cucumber/cucumber";
import { ELEMENT_PHRASE_REGEXP, parseElementPhrase } from "../../src/core/element-phrase";
import { ELEMENTS_PHRASE_REGEXP, parseElementsPhrase } from "../../src/core/elements-phrase";

defineParameterType({
  name: "element",
  regexp: ELEMENT_PHRASE_REGEXP,
  transformer: parseElementPhrase,
  // Steps say "{element}" where a phrase like `the "Send" button` stands.
  useForSnippets: false,
});

defineParameterType({
  name: "elements",
  regexp: ELEMENTS_PHRASE_REGEXP,
  transformer: parseElementsPhrase,
  // Counting steps say "{elements}" where a plural like `"Delete" buttons` stands.
  useForSnippets: false,
});

defineParameterType({
  name: "storage",
  regexp: /local storage|session storage/,
  // The port's name for the area: localStorage ("local") or sessionStorage ("session").
  transformer: (words: string) => (words === "local storage" ? "local" : "session"),
  useForSnippets: false,
});
