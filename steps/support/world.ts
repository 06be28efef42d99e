// Loads the Signoff World and hooks into the step library's support code.
export { SignoffWorld } from "../../src/world";
