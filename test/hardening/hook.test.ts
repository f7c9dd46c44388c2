/** Issue 17, items 5 and 7: the git hook restores the user's own hook, and runs a tunelint that exists. */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { installHook, uninstallHook } from "../../src/cli/commands/hook.js";
import { CLI, ROOT } from "../helpers/lint.js";
import { gitEnv, tempRepo } from "../git/helpers.js";

const cli = (args: string[], cwd: string) => spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: "utf8", env: gitEnv() });

describe("item 5: uninstall after install --force", () => {
  it("puts the user's own hook back, and says so", () => {
    const r = tempRepo();
    r.write(".git/hooks/pre-commit", "#!/bin/sh\necho mine\n");
    expect(cli(["hook", "install", "--force"], r.dir).status).toBe(0);
    const u = cli(["hook", "uninstall"], r.dir);
    expect(u.status).toBe(0);
    expect(u.stdout).toMatch(/previous hook .* is back/);
    expect(readFileSync(path.join(r.dir, ".git/hooks/pre-commit"), "utf8")).toBe("#!/bin/sh\necho mine\n");
    expect(existsSync(path.join(r.dir, ".git/hooks/pre-commit.tunelint-backup"))).toBe(false);
  });
});

describe("item 7: the hook finds a tunelint where none is installed in the project", () => {
  const bad = '{"messages":[{"role":"User","content":"hi"}]}\n';
  const good = '{"messages":[{"role":"user","content":"hi"},{"role":"assistant","content":"hello"}]}\n';

  it("runs the tunelint that installed it (no node_modules, no npx)", () => {
    const r = tempRepo();
    expect(cli(["hook", "install"], r.dir).status).toBe(0);
    const hook = readFileSync(path.join(r.dir, ".git/hooks/pre-commit"), "utf8");
    expect(hook).toContain(path.resolve(CLI));
    expect(hook).not.toContain("npx tunelint check");
    r.write("bad.jsonl", bad);
    r.git("add", "bad.jsonl");
    const blocked = spawnSync("git", ["commit", "-qm", "bad"], { cwd: r.dir, env: gitEnv(), encoding: "utf8" });
    expect(blocked.status).not.toBe(0);
    expect(blocked.stdout + blocked.stderr).toMatch(/role-unknown/);
    expect(blocked.stdout + blocked.stderr).not.toMatch(/npm (ERR|error)|404/);
    r.write("bad.jsonl", good);
    r.git("add", "bad.jsonl");
    execFileSync("git", ["commit", "-qm", "good"], { cwd: r.dir, env: gitEnv(), stdio: "pipe" });
    expect(r.git("log", "--format=%s").trim()).toBe("good");
  });

  it("says clearly what to do when that tunelint is gone too", async () => {
    const r = tempRepo();
    await installHook({ cwd: r.dir, bin: path.join(ROOT, "no-such-dir/tunelint.mjs") });
    r.write("a.jsonl", good);
    r.git("add", "a.jsonl");
    const res = spawnSync("git", ["commit", "-qm", "x"], { cwd: r.dir, env: gitEnv(), encoding: "utf8" });
    expect(res.status).not.toBe(0);
    expect(res.stderr).toMatch(/tunelint is not installed here/);
    expect(res.stderr).toMatch(/npm install --save-dev tunelint/);
    expect(res.stderr).toMatch(/hook uninstall/);
    expect((await uninstallHook({ cwd: r.dir })).status).toBe("removed");
  });
});
