/** Issue 17 item 26: the config search stops at the repository root or the home directory. */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CONFIG_FILE, findConfig } from "../src/lint/config.js";

const tree = (dirs: string[], files: string[]) => {
  const root = mkdtempSync(join(tmpdir(), "tunelint-cfg-"));
  for (const d of dirs) mkdirSync(join(root, d), { recursive: true });
  for (const f of files) writeFileSync(join(root, f), "{}");
  return root;
};

describe("findConfig", () => {
  it("finds the config in the directory or a parent inside the repository", () => {
    const root = tree(["repo/.git", "repo/data/sub"], [`repo/${CONFIG_FILE}`]);
    expect(findConfig(join(root, "repo/data/sub"), { home: "/nonexistent-home" })).toBe(join(root, "repo", CONFIG_FILE));
  });

  it("never looks above the repository root (a config in a parent of the repo is ignored)", () => {
    const root = tree(["repo/.git", "repo/data"], [CONFIG_FILE]);
    expect(findConfig(join(root, "repo/data"), { home: "/nonexistent-home" })).toBeNull();
    // A worktree's .git is a file: the same boundary.
    const wt = tree(["wt/data"], [CONFIG_FILE, "wt/.git"]);
    expect(findConfig(join(wt, "wt/data"), { home: "/nonexistent-home" })).toBeNull();
  });

  it("outside a repository: stops at the home directory, or at the directory itself outside home", () => {
    const root = tree(["home/me/projects/x"], [CONFIG_FILE, `home/me/${CONFIG_FILE}`]);
    const home = join(root, "home/me");
    expect(findConfig(join(home, "projects/x"), { home })).toBe(join(home, CONFIG_FILE));
    const above = tree(["home/me/projects/x"], [CONFIG_FILE]);
    expect(findConfig(join(above, "home/me/projects/x"), { home: join(above, "home/me") })).toBeNull();
    // Neither in a repository nor under home (a config in /tmp must not change the runs below it).
    const loose = tree(["a/b"], [CONFIG_FILE]);
    expect(findConfig(join(loose, "a/b"), { home: "/nonexistent-home" })).toBeNull();
    expect(findConfig(join(loose), { home: "/nonexistent-home" })).toBe(join(loose, CONFIG_FILE));
  });
});
