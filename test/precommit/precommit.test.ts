/**
 * The pre-commit hook as pre-commit itself runs it: `pre-commit try-repo <this repo> tunelint` in a
 * throwaway repository. pre-commit installs the hook repo the way users get it (npm install, whose
 * `prepare` builds the TypeScript, then npm pack and npm install -g of the tarball) and calls
 * `tunelint check <staged files>`.
 *
 * Needs the `pre-commit` tool (Debian: `apt-get install pre-commit`) and the npm registry; skipped with a
 * message when pre-commit is missing. Slow (the first install takes a minute).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { gitEnv, tempRepo } from "../git/helpers.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const version = spawnSync("pre-commit", ["--version"], { encoding: "utf8" });
const HAS_PRE_COMMIT = version.status === 0;
if (!HAS_PRE_COMMIT) {
  console.warn("SKIP test/precommit: the `pre-commit` tool is not installed (Debian: apt-get install pre-commit).");
}

const GOOD =
  [
    {
      messages: [
        { role: "user", content: "What is 2 + 2?" },
        { role: "assistant", content: "4" },
      ],
    },
    {
      messages: [
        { role: "user", content: "Name a colour." },
        { role: "assistant", content: "Blue." },
      ],
    },
  ]
    .map((r) => JSON.stringify(r))
    .join("\n") + "\n";
const BAD = '{"messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": ""}]}\n{"messages": \n';

describe.skipIf(!HAS_PRE_COMMIT)("pre-commit hook (pre-commit try-repo)", () => {
  const home = mkdtempSync(path.join(tmpdir(), "tunelint-pre-commit-home-"));
  const dirs: string[] = [home];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  function tryRepo(cwd: string) {
    return spawnSync("pre-commit", ["try-repo", ROOT, "tunelint", "--verbose", "--color", "never"], {
      cwd,
      encoding: "utf8",
      env: gitEnv({ PRE_COMMIT_HOME: home, PRE_COMMIT_COLOR: "never", NO_COLOR: "1" }),
      timeout: 600_000,
    });
  }

  it("passes a good staged dataset and blocks a bad one", { timeout: 900_000 }, () => {
    const r = tempRepo("tunelint-pre-commit-");
    dirs.push(r.dir);
    r.write("data/good.jsonl", GOOD);
    r.write("notes.txt", "not a dataset {\n");
    r.git("add", ".");
    const ok = tryRepo(r.dir);
    const okOut = ok.stdout + ok.stderr;
    expect(okOut, okOut).toMatch(/tunelint\.+Passed/);
    expect(ok.status, okOut).toBe(0);

    r.write("data/bad.jsonl", BAD);
    r.git("add", ".");
    const bad = tryRepo(r.dir);
    const badOut = bad.stdout + bad.stderr;
    expect(badOut, badOut).toMatch(/tunelint\.+Failed/);
    expect(bad.status, badOut).toBe(1);
    expect(badOut).toContain("bad.jsonl");
    expect(badOut).not.toContain("notes.txt");
  });
});
