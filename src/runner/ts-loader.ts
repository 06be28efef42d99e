// The TypeScript loader for a project's step files when its config names none: ts-node, transpile-only, minus the
// TypeScript 6 deprecation errors that stop it before any step loads. Without a tsconfig.json ts-node's defaults are
// module commonjs with moduleResolution node10, which TypeScript 6 reports as deprecated (TS5107, TS5101 for other
// deprecated options) and ts-node turns into "Unable to compile TypeScript". Transpiling does not resolve modules, and
// type errors are the editor's and tsc's business (`npx tsc --noEmit`), so those two codes are not the run's concern.
import { register } from "ts-node";

/** TS5101: option deprecated; TS5107: option value deprecated (TypeScript 6, "will stop functioning in 7.0"). */
export const IGNORED_DEPRECATIONS = [5101, 5107];

register({ transpileOnly: true, ignoreDiagnostics: IGNORED_DEPRECATIONS });
