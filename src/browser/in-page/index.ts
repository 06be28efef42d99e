// Entry of the in-page bundle (scripts/bundle-in-page.ts): what the adapters may call inside the page (Selenium all of it).
import {
  caretToEnd,
  selectAll,
  centreOf,
  checkedState,
  computedStyle,
  dropdownKind,
  fieldValidity,
  html5DragAndDrop,
  isFocused,
  optionLabels,
  selectByLabel,
  selectOptions,
  valueField,
  viewportMetrics,
} from "./elements";
import { ambiguityIn, columnCells, columnHeadersAt, explain, landingBeyondOrigin, locate, shownText } from "./locate";
import { ariaDropdown, ariaFieldOf, ariaOptionNamed } from "./dropdown";
import { landingInFrame, pointerLanding, screenLanding } from "./pointer";
import { intoParent } from "./across-frames";
import { explainToggle, toggleTarget } from "./toggle";
import { accessibleDescription } from "./accessible-name";

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
  selectAll,
  centreOf,
  checkedState,
  computedStyle,
  dropdownKind,
  fieldValidity,
  html5DragAndDrop,
  isFocused,
  optionLabels,
  selectByLabel,
  selectOptions,
  valueField,
  viewportMetrics,
  toggleTarget,
  explainToggle,
  pointerLanding,
  screenLanding,
  landingInFrame,
  landingBeyondOrigin,
  intoParent,
  accessibleDescription,
};
export type InPageApi = typeof inPage;
