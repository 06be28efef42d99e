// The TypeScript loader for a project's step files when its config names none: ts-node, transpile-only, working on
// TypeScript 6 with or without the project's tsconfig.json. Without one, ts-node's defaults (@tsconfig/node16's
// module node16 with moduleResolution node10) are an error in TypeScript 6 (TS5109, and TS5107: node10 is deprecated),
// so the project gets what `signoff init`'s tsconfig.json says instead. With one, its options stand, and TypeScript 6's
// option deprecations (TS5101, TS5107: "will stop functioning in 7.0") do not stop the run: transpiling resolves no
// module, and type errors are the editor's and tsc's business (`npx tsc --noEmit`).
import { register } from "ts-node";
import * as ts from "typescript";

/** TS5101: option deprecated; TS5107: option value deprecated (TypeScript 6). */
export const IGNORED_DEPRECATIONS = [5101, 5107];

/** What `signoff init`'s tsconfig.json sets for modules (src/init/templates.ts), for a project without one. */
export const DEFAULT_COMPILER_OPTIONS = { module: "node16", moduleResolution: "node16" };

// Where ts-node looks for the project's tsconfig.json: from the working directory up.
const hasTsconfig = ts.findConfigFile(process.cwd(), ts.sys.fileExists) !== undefined;

register({
  transpileOnly: true,
  ignoreDiagnostics: IGNORED_DEPRECATIONS,
  ...(hasTsconfig ? {} : { compilerOptions: DEFAULT_COMPILER_OPTIONS }),
});
