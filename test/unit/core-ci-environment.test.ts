// CI detection: empty variables count as unset, an unreadable pull-request event keeps the detection, and the repository's web address.
import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ciEnvironment, ciRepository } from "../../src/core/ci-environment";
import { tempDir } from "../helpers/cli";

const dir = tempDir("signoff-ci-");
after(() => rmSync(dir, { recursive: true, force: true }));

const SHA = "1".repeat(40);
const HEAD_SHA = "2".repeat(40);
const GITHUB = {
  GITHUB_SERVER_URL: "https://github.com",
  GITHUB_REPOSITORY: "acme/shop",
  GITHUB_RUN_ID: "4242",
  GITHUB_SHA: SHA,
};

describe("ciEnvironment", () => {
  test("outside CI (no CI variables) there is none", () => {
    assert.equal(ciEnvironment({ HOME: "/root", PATH: "/usr/bin" }), undefined);
  });

  test("a GitHub Actions build: name, run URL, build number, remote and commit", () => {
    const ci = ciEnvironment({ ...GITHUB });
    assert.equal(ci?.name, "GitHub Actions");
    assert.equal(ci?.url, "https://github.com/acme/shop/actions/runs/4242");
    assert.equal(ci?.buildNumber, "4242");
    assert.equal(ci?.git?.remote, "https://github.com/acme/shop.git");
    assert.equal(ci?.git?.revision, SHA);
  });

  test("an empty variable is an unset one: BUILD_URL='' is not a Jenkins build", () => {
    assert.equal(ciEnvironment({ BUILD_URL: "", GIT_URL: "", GIT_COMMIT: "" }), undefined);
    assert.equal(ciEnvironment({ BUILD_URL: "https://jenkins.example/job/1/" })?.name, "Jenkins");
  });

  test("undefined values are dropped like unset ones", () => {
    assert.equal(ciEnvironment({ BUILD_URL: undefined }), undefined);
  });

  test("a pull-request build takes the PR head revision from the event file", () => {
    const event = join(dir, "event.json");
    writeFileSync(event, JSON.stringify({ pull_request: { head: { sha: HEAD_SHA } } }));
    const ci = ciEnvironment({ ...GITHUB, GITHUB_EVENT_NAME: "pull_request", GITHUB_EVENT_PATH: event });
    assert.equal(ci?.git?.revision, HEAD_SHA);
  });

  test("an unreadable, missing or malformed event file loses only the PR head: the merge commit is used", () => {
    const garbage = join(dir, "garbage.json");
    writeFileSync(garbage, "{not json");
    const noHead = join(dir, "no-head.json");
    writeFileSync(noHead, JSON.stringify({ pull_request: {} }));
    const cases: Record<string, string | undefined>[] = [
      { GITHUB_EVENT_PATH: join(dir, "does-not-exist.json") },
      { GITHUB_EVENT_PATH: garbage },
      { GITHUB_EVENT_PATH: noHead },
      { GITHUB_EVENT_PATH: dir },
      {},
    ];
    for (const extra of cases) {
      const ci = ciEnvironment({ ...GITHUB, GITHUB_EVENT_NAME: "pull_request", ...extra });
      assert.equal(ci?.name, "GitHub Actions", JSON.stringify(extra));
      assert.equal(ci?.git?.revision, SHA, JSON.stringify(extra));
    }
  });
});

describe("ciRepository", () => {
  test("the remote without .git and trailing slashes, and the revision", () => {
    assert.deepEqual(ciRepository(ciEnvironment({ ...GITHUB })), {
      web: "https://github.com/acme/shop",
      revision: SHA,
    });
    const jenkins = (remote: string) =>
      ciRepository(ciEnvironment({ BUILD_URL: "https://ci.example/1/", GIT_URL: remote, GIT_COMMIT: SHA }));
    assert.deepEqual(jenkins("http://git.example/team/app/"), { web: "http://git.example/team/app", revision: SHA });
    assert.deepEqual(jenkins("https://git.example/team/app.git"), {
      web: "https://git.example/team/app",
      revision: SHA,
    });
  });

  test("credentials in the remote never reach the web address", () => {
    const repo = ciRepository(
      ciEnvironment({
        BUILD_URL: "https://ci.example/1/",
        GIT_URL: "https://bot:s3cret@git.example/app.git",
        GIT_COMMIT: SHA,
      }),
    );
    assert.equal(repo?.web, "https://git.example/app");
  });

  test("no web address for an SSH or file remote, a missing revision or remote, or outside CI", () => {
    const ci = (git: { remote?: string; revision?: string }) =>
      ({ name: "X", url: "https://ci.example/1", git }) as never;
    assert.equal(ciRepository(ci({ remote: "git@github.com:acme/shop.git", revision: SHA })), undefined);
    assert.equal(ciRepository(ci({ remote: "file:///srv/repo.git", revision: SHA })), undefined);
    assert.equal(ciRepository(ci({ remote: "https://github.com/acme/shop", revision: "" })), undefined);
    assert.equal(ciRepository(ci({ revision: SHA })), undefined);
    assert.equal(ciRepository({ name: "X", url: "https://ci.example/1" } as never), undefined);
    assert.equal(ciRepository(undefined), undefined);
  });
});
