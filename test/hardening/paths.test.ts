/** Issue 17, item 23: paths a shell hands over as they are. */
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { expandPatterns } from "../../src/lint/patterns.js";
import { CLI } from "../helpers/lint.js";
import { tunelint } from "../helpers/cli.js";

const line = '{"text":"hello"}\n';
function tree(): string {
  const dir = mkdtempSync(join(tmpdir(), "tunelint-paths-"));
  mkdirSync(join(dir, "a"));
  writeFileSync(join(dir, "a/f.jsonl"), line);
  writeFileSync(join(dir, "data (1).jsonl"), line);
  writeFileSync(join(dir, "{b,c}.jsonl"), line);
  writeFileSync(join(dir, "[x].jsonl"), line);
  writeFileSync(join(dir, "-dash.jsonl"), line);
  return dir;
}
const paths = (stdout: string) => JSON.parse(stdout).files.map((f: { path: string }) => f.path);

describe("item 23: paths", () => {
  it('check "" is a usage error, not a walk of the working directory', () => {
    const dir = tree();
    const r = tunelint(["check", "", "--no-config"], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/empty file name/);
    expect(r.stdout).toBe("");
  });

  it("names with glob characters that exist are linted by name (an existing file wins)", () => {
    const dir = tree();
    const r = tunelint(["check", "data (1).jsonl", "{b,c}.jsonl", "[x].jsonl", "--no-config", "-f", "json"], { cwd: dir });
    expect(r.code).toBe(0);
    expect(paths(r.stdout)).toEqual(["data (1).jsonl", "{b,c}.jsonl", "[x].jsonl"]);
    // A name that does not exist is still a glob.
    expect(paths(tunelint(["check", "a/*.jsonl", "--no-config", "-f", "json"], { cwd: dir }).stdout)).toEqual(["a/f.jsonl"]);
  });

  it("-- ends the options: a file named -dash.jsonl", () => {
    const dir = tree();
    const r = tunelint(["check", "--no-config", "-f", "json", "--", "-dash.jsonl", "a/f.jsonl"], { cwd: dir });
    expect(r.code).toBe(0);
    expect(paths(r.stdout)).toEqual(["-dash.jsonl", "a/f.jsonl"]);
  });

  it("a directory walk does not follow a symlink loop, and lints each file once", async () => {
    const dir = tree();
    symlinkSync("..", join(dir, "a/loop"));
    symlinkSync("f.jsonl", join(dir, "a/same.jsonl"));
    const { files } = await expandPatterns(["a", "a/f.jsonl", "./a/f.jsonl"], dir);
    expect(files).toEqual(["a/f.jsonl"]);
    const r = tunelint(["check", ".", "--no-config", "-f", "json"], { cwd: dir });
    expect(paths(r.stdout).filter((p: string) => p.endsWith("f.jsonl"))).toEqual(["./a/f.jsonl"]);
  });

  it("an unreadable subdirectory does not hide the rest of the directory", () => {
    const dir = tree();
    mkdirSync(join(dir, "locked"));
    writeFileSync(join(dir, "locked/g.jsonl"), line);
    chmodSync(join(dir, "locked"), 0o000);
    chmodSync(dir, 0o755);
    // As root every directory is readable: run the check as an unprivileged user then.
    const asUser = process.getuid?.() === 0 ? ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] : [];
    if (asUser.length && spawnSync("setpriv", ["--version"]).status !== 0) return;
    const r = spawnSync(
      asUser[0] ?? process.execPath,
      [...asUser.slice(1), ...(asUser.length ? [process.execPath] : []), CLI, "check", dir, "--no-config", "-f", "json"],
      {
        encoding: "utf8",
        env: { ...process.env, NO_COLOR: "1" },
      },
    );
    chmodSync(join(dir, "locked"), 0o755);
    expect(r.stderr).not.toMatch(/No files matching/);
    expect(r.status).toBe(0);
    expect(paths(r.stdout)).toContain(`${dir}/a/f.jsonl`);
  });
});
