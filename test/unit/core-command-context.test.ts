// src/core/command-context.ts: an area's action returns its exit code and the CLI receives it (no area imports cli.ts).
import { test } from "node:test";
import assert from "node:assert/strict";
import { Command } from "commander";
import type { CommandContext } from "../../src/core/command-context";
import { registerInitCommand } from "../../src/init/commands";
import { buildProgram } from "../../src/cli";

test("a registered action's exit code reaches the CLI through the context", async () => {
  const codes: number[] = [];
  const ctx: CommandContext = {
    action:
      (fn) =>
      async (...args) =>
        void codes.push(await fn(...args)),
  };
  const program = new Command("t").exitOverride();
  program.command("ok").action(ctx.action(async () => 0));
  program.command("no").action(ctx.action(async () => 1));
  await program.parseAsync(["node", "t", "ok"]);
  await program.parseAsync(["node", "t", "no"]);
  assert.deepEqual(codes, [0, 1]);
  assert.equal(typeof registerInitCommand, "function");
});

test("the CLI wires every area through the same context", () => {
  const program = buildProgram(() => {});
  for (const name of ["init", "run", "report", "gate", "approve", "verify"])
    assert.ok(
      program.commands.some((c) => c.name() === name),
      name,
    );
});
