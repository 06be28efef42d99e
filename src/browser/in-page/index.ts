// Entry of the in-page bundle (scripts/bundle-in-page.ts): what the Selenium adapter may call inside the page.
import {
  caretToEnd,
  centreOf,
  checkedState,
  computedStyle,
  fieldValidity,
  html5DragAndDrop,
  isFocused,
  optionLabels,
  selectOptions,
  viewportMetrics,
} from "./elements";
import { ambiguityIn, columnCells, columnHeadersAt, explain, locate } from "./locate";

export const inPage = {
  locate,
  explain,
  ambiguityIn,
  columnCells,
  columnHeadersAt,
  caretToEnd,
  centreOf,
  checkedState,
  computedStyle,
  fieldValidity,
  html5DragAndDrop,
  isFocused,
  optionLabels,
  selectOptions,
  viewportMetrics,
};
export type InPageApi = typeof inPage;
