// closestName: which known name a mistyped field most likely meant, and when it names none.
import { test } from "node:test";
import assert from "node:assert/strict";
import { closestName, didYouMean } from "../../src/core/did-you-mean";

const POLICY = ["version", "requiredTargets", "requirements", "maxAge", "flaky", "signoffs", "allowWarned"];

test("a case slip, a missing, extra, swapped or wrong letter finds the field", () => {
  assert.equal(closestName("MAXAGE", POLICY), "maxAge");
  assert.equal(closestName("requiredTarget", POLICY), "requiredTargets");
  assert.equal(closestName("reqiuredTargets", POLICY), "requiredTargets");
  assert.equal(closestName("flakey", POLICY), "flaky");
  assert.equal(closestName("signofs", POLICY), "signoffs");
});

test("nothing close, a short name two edits away, or two equally close names suggest nothing", () => {
  assert.equal(closestName("surprise", POLICY), undefined);
  assert.equal(closestName("fla", POLICY), undefined);
  assert.equal(closestName("ab", ["ax", "ay"]), undefined);
  assert.equal(closestName("anything", []), undefined);
  assert.equal(didYouMean("surprise", POLICY), "");
  assert.equal(didYouMean("flakey", POLICY), ' (did you mean "flaky"?)');
});
