// The running Signoff version and installation root (kept here for existing importers; the facts live in core/package).
export { SIGNOFF_ROOT, toolVersion } from "./core/package";
