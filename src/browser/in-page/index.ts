// Entry of the in-page bundle (scripts/bundle-in-page.ts): what the Selenium adapter may call inside the page.
import {
  caretToEnd,
  centreOf,
  checkedState,
  computedStyle,
  html5DragAndDrop,
  isFocused,
  optionLabels,
  viewportMetrics,
} from "./elements";
import { ambiguityIn, explain, locate } from "./locate";

export const inPage = {
  locate,
  explain,
  ambiguityIn,
  caretToEnd,
  centreOf,
  checkedState,
  computedStyle,
  html5DragAndDrop,
  isFocused,
  optionLabels,
  viewportMetrics,
};
export type InPageApi = typeof inPage;
