import { evaluate } from "./src/gate/evaluate";
import { parsePolicy } from "./src/gate/policy";
import { scenario, TARGETS, ARTIFACT, DIGEST } from "./test/unit/gate-helpers";
const policy = parsePolicy("version: 1\nrequiredTargets: [pw-desktop, pw-pixel7, se-desktop, se-pixel7]\nrequirements: all\nmaxAge: 24h\n", "p");
const files: any[] = [];
for (const t of TARGETS) files.push({ dir: "r", path: t, target: t, results: { target: t, file: t, complete: true, scenarios: Array.from({ length: 25000 }, (_, i) => scenario(t, `s${i}`, { key: `features/f${i % 50}.feature › s${i}`, tags: [`@REQ-${i % 200}`] })) } });
const manifests = [{ dir: "r", path: "r/run.json", manifest: { schema: "signoff/run@1", runId: "x", startedAt: "", toolVersion: "", baseUrl: "", build: { name: "n", version: "v", digest: `sha256:${DIGEST}` }, targets: TARGETS.map((name) => ({ name, complete: true, messages: [] })), complete: true } }];
const baseline = { source: "b", tests: new Map<string, any>() };
for (const f of files) for (const s of f.results.scenarios) baseline.tests.set(`${f.target} › ${s.key}`, "passed");
for (let k = 0; k < 3; k++) { const t0 = performance.now(); const d = evaluate({ results: { dirs: [], manifests, files } as any, policy, artifact: ARTIFACT, declaredRequirements: [] }); console.log("nobase", performance.now() - t0, d.result); }
for (let k = 0; k < 3; k++) { const t0 = performance.now(); const d = evaluate({ results: { dirs: [], manifests, files } as any, policy, artifact: ARTIFACT, declaredRequirements: [], baseline }); console.log("base", performance.now() - t0, d.result); }
