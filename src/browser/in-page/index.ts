// Entry of the in-page bundle (scripts/bundle-in-page.ts): what the adapters may call inside the page (Selenium all of it).
import {
  caretToEnd,
  centreOf,
  checkedState,
  computedStyle,
  dropdownKind,
  fieldValidity,
  html5DragAndDrop,
  isFocused,
  optionLabels,
  selectOptions,
  valueField,
  viewportMetrics,
} from "./elements";
import { ambiguityIn, columnCells, columnHeadersAt, explain, locate, shownText } from "./locate";
import { ariaDropdown, ariaFieldOf, ariaOptionNamed } from "./dropdown";
import { pointerLanding, screenLanding } from "./pointer";
import { explainToggle, toggleTarget } from "./toggle";

export const inPage = {
  locate,
  explain,
  shownText,
  ambiguityIn,
  columnCells,
  columnHeadersAt,
  ariaDropdown,
  ariaFieldOf,
  ariaOptionNamed,
  caretToEnd,
  centreOf,
  checkedState,
  computedStyle,
  dropdownKind,
  fieldValidity,
  html5DragAndDrop,
  isFocused,
  optionLabels,
  selectOptions,
  valueField,
  viewportMetrics,
  toggleTarget,
  explainToggle,
  pointerLanding,
  screenLanding,
};
export type InPageApi = typeof inPage;
