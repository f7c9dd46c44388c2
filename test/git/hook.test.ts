import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, existsSync, readFileSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { HOOK_MARKER, HookError, installHook, preCommitHookPath, uninstallHook } from "../../src/cli/commands/hook.js";
import { gitEnv, tempRepo } from "./helpers.js";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function repo() {
  const r = tempRepo("tunelint-hook-");
  dirs.push(r.dir);
  return r;
}

describe("tunelint hook install / uninstall", () => {
  it("installs an executable hook in .git/hooks and removes it again", async () => {
    const r = repo();
    const res = await installHook({ cwd: r.dir });
    expect(res.status).toBe("installed");
    expect(res.hookPath).toBe(path.join(r.dir, ".git", "hooks", "pre-commit"));
    const text = readFileSync(res.hookPath, "utf8");
    expect(text).toContain(HOOK_MARKER);
    expect(text).not.toMatch(/exec npx/); // never an npm download (or 404) where tunelint is not installed
    expect(text).toContain("exec node_modules/.bin/tunelint check --staged");
    expect(statSync(res.hookPath).mode & 0o111).toBe(0o111);
    expect((await installHook({ cwd: r.dir })).status).toBe("updated");
    expect((await uninstallHook({ cwd: r.dir })).status).toBe("removed");
    expect(existsSync(res.hookPath)).toBe(false);
    expect((await uninstallHook({ cwd: r.dir })).status).toBe("absent");
  });

  it("respects core.hooksPath, also from a subdirectory", async () => {
    const r = repo();
    r.git("config", "core.hooksPath", ".githooks");
    r.write("sub/x.txt", "");
    const res = await installHook({ cwd: path.join(r.dir, "sub") });
    expect(res.hookPath).toBe(path.join(r.dir, ".githooks", "pre-commit"));
    expect(existsSync(res.hookPath)).toBe(true);
    expect(await preCommitHookPath(r.dir)).toBe(res.hookPath);
  });

  it("refuses to overwrite or remove a foreign hook; --force replaces it and keeps a backup", async () => {
    const r = repo();
    r.write(".git/hooks/pre-commit", "#!/bin/sh\necho mine\n");
    await expect(installHook({ cwd: r.dir })).rejects.toBeInstanceOf(HookError);
    await expect(installHook({ cwd: r.dir })).rejects.toThrow(/not written by tunelint.*--force/);
    await expect(uninstallHook({ cwd: r.dir })).rejects.toThrow(/not written by tunelint/);
    expect(readFileSync(path.join(r.dir, ".git/hooks/pre-commit"), "utf8")).toBe("#!/bin/sh\necho mine\n");
    const res = await installHook({ cwd: r.dir, force: true });
    expect(res.status).toBe("replaced");
    expect(readFileSync(res.backupPath!, "utf8")).toBe("#!/bin/sh\necho mine\n");
    expect(readFileSync(res.hookPath, "utf8")).toContain(HOOK_MARKER);
  });

  it("fails clearly outside a repository", async () => {
    await expect(installHook({ cwd: "/" })).rejects.toBeInstanceOf(HookError);
  });

  it("git runs the hook on commit and a failing `tunelint check --staged` blocks it", async () => {
    const r = repo();
    // A stand-in `tunelint` bin where npx --no-install finds it: it records its arguments and
    // rejects commits that stage a file named bad.jsonl.
    r.write("package.json", JSON.stringify({ name: "scratch", version: "1.0.0", private: true }));
    r.write(
      "node_modules/.bin/tunelint",
      `#!/bin/sh\necho "$@" > "${r.dir}/.tunelint-args"\ngit diff --cached --name-only | grep -q bad.jsonl && { echo "bad.jsonl: 1 error" >&2; exit 1; }\nexit 0\n`,
    );
    chmodSync(path.join(r.dir, "node_modules/.bin/tunelint"), 0o755);
    r.write(".gitignore", "node_modules/\n.tunelint-args\n");
    await installHook({ cwd: r.dir });

    r.write("good.jsonl", "{}\n");
    r.git("add", "good.jsonl", ".gitignore", "package.json");
    execFileSync("git", ["commit", "-qm", "good"], { cwd: r.dir, env: gitEnv(), stdio: "pipe" });
    expect(readFileSync(path.join(r.dir, ".tunelint-args"), "utf8").trim()).toBe("check --staged");

    r.write("bad.jsonl", "{\n");
    r.git("add", "bad.jsonl");
    const res = spawnSync("git", ["commit", "-qm", "bad"], { cwd: r.dir, env: gitEnv(), encoding: "utf8" });
    expect(res.status).not.toBe(0);
    expect(res.stderr).toContain("bad.jsonl: 1 error");
    expect(r.git("log", "--format=%s").trim().split("\n")).toEqual(["good"]);
  });
});

describe("hookCommand (yargs)", () => {
  it("parses `hook install` / `hook uninstall` and hands back a CommandResult", async () => {
    const { default: yargs } = await import("yargs");
    const { hookCommand, runHook } = await import("../../src/cli/commands/hook.js");
    // The real handler would act on process.cwd() (this repository): swap it for a probe.
    let seen: Record<string, unknown> | undefined;
    const probe = { ...hookCommand, handler: (a: Record<string, unknown>) => void (seen = a) };
    await yargs(["hook", "install", "--force"])
      .command(probe as never)
      .strict()
      .exitProcess(false)
      .parseAsync();
    expect(seen).toMatchObject({ action: "install", force: true });
    await yargs(["hook", "uninstall"])
      .command(probe as never)
      .strict()
      .exitProcess(false)
      .parseAsync();
    expect(seen).toMatchObject({ action: "uninstall", force: false });
    await expect(
      (async () =>
        yargs(["hook", "bogus"])
          .command(probe as never)
          .strict()
          .exitProcess(false)
          .fail((m) => {
            throw new Error(m);
          })
          .parseAsync())(),
    ).rejects.toThrow(/Invalid values|choices/i);
    const r = repo();
    expect(await runHook("install", { cwd: r.dir })).toMatchObject({
      code: 0,
      stdout: expect.stringContaining("pre-commit hook installed"),
    });
    r.write(".git/hooks/pre-commit", "#!/bin/sh\n");
    expect(await runHook("install", { cwd: r.dir })).toMatchObject({ code: 2, stderr: [expect.stringMatching(/not written by tunelint/)] });
    expect(await runHook("uninstall", { cwd: r.dir })).toMatchObject({ code: 2 });
  });
});
