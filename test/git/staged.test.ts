import { gzipSync, gunzipSync } from "node:zlib";
import { rmSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { DATASET_PATTERN, GitError, parseRawDiff, stagedFiles } from "../../src/git/staged.js";
import { tempRepo } from "./helpers.js";

async function read(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe("stagedFiles", () => {
  it("returns the staged content, not the working tree, of staged dataset files only", async () => {
    const r = tempRepo();
    dirs.push(r.dir);
    r.write("keep.jsonl", '{"a":1}\n');
    r.write("gone.jsonl", '{"a":1}\n');
    r.write("old-name.jsonl", '{"renamed":true,"pad":"' + "x".repeat(200) + '"}\n');
    r.git("add", ".");
    r.git("commit", "-qm", "base");

    r.write("data/new file.jsonl", '{"staged":true}\n');
    r.write("data/z.ndjson.gz", gzipSync('{"gz":1}\n'));
    r.write("notes.txt", "not a dataset\n");
    r.write("keep.jsonl", '{"a":2}\n');
    r.git("add", ".");
    r.git("rm", "-q", "gone.jsonl");
    r.git("mv", "old-name.jsonl", "data/renamed.jsonl");
    // working tree now differs from the index
    r.write("data/new file.jsonl", "WORKING TREE, NOT STAGED\n");
    r.write("unstaged.jsonl", '{"u":1}\n');

    const files = await stagedFiles({ cwd: r.dir });
    expect(files.map((f) => f.path).sort()).toEqual(["data/new file.jsonl", "data/renamed.jsonl", "data/z.ndjson.gz", "keep.jsonl"]);
    const byPath = Object.fromEntries(files.map((f) => [f.path, f]));
    expect((await read(byPath["data/new file.jsonl"]!.stream)).toString()).toBe('{"staged":true}\n');
    expect((await read(byPath["keep.jsonl"]!.stream)).toString()).toBe('{"a":2}\n');
    expect(gunzipSync(await read(byPath["data/z.ndjson.gz"]!.stream)).toString()).toBe('{"gz":1}\n');
    expect((await read(byPath["data/renamed.jsonl"]!.stream)).toString()).toContain('"renamed":true');
    expect(byPath["keep.jsonl"]!.oid).toMatch(/^[0-9a-f]{40,64}$/);
  });

  it("returns the same stream on every access, and a fresh one from open()", async () => {
    const r = tempRepo();
    dirs.push(r.dir);
    r.write("a.jsonl", "{}\n");
    r.git("add", ".");
    const [f] = await stagedFiles({ cwd: r.dir });
    expect(f!.stream).toBe(f!.stream);
    expect((await read(f!.stream)).toString()).toBe("{}\n");
    expect((await read(f!.open())).toString()).toBe("{}\n");
  });

  it("gives paths relative to cwd and honours pathspecs", async () => {
    const r = tempRepo();
    dirs.push(r.dir);
    r.write("a/one.jsonl", "{}\n");
    r.write("b/two.jsonl", "{}\n");
    r.git("add", ".");
    const fromSub = await stagedFiles({ cwd: path.join(r.dir, "a") });
    expect(fromSub.map((f) => [f.path, f.gitPath]).sort()).toEqual([
      ["../b/two.jsonl", "b/two.jsonl"],
      ["one.jsonl", "a/one.jsonl"],
    ]);
    const limited = await stagedFiles({ cwd: r.dir, paths: ["b"] });
    expect(limited.map((f) => f.gitPath)).toEqual(["b/two.jsonl"]);
  });

  it("returns nothing when nothing is staged (also before the first commit)", async () => {
    const r = tempRepo();
    dirs.push(r.dir);
    expect(await stagedFiles({ cwd: r.dir })).toEqual([]);
  });

  it("fails clearly outside a repository", async () => {
    await expect(stagedFiles({ cwd: "/" })).rejects.toBeInstanceOf(GitError);
    await expect(stagedFiles({ cwd: "/" })).rejects.toThrow(/not inside one/);
  });

  it("parses raw diff records including renames", () => {
    const z = "0".repeat(40);
    const raw = `:000000 100644 ${z} ${"a".repeat(40)} A\0x.jsonl\0:100644 100644 ${"b".repeat(40)} ${"c".repeat(40)} R087\0old.jsonl\0new.jsonl\0`;
    expect(parseRawDiff(raw)).toEqual([
      { mode: "100644", oid: "a".repeat(40), status: "A", path: "x.jsonl" },
      { mode: "100644", oid: "c".repeat(40), status: "R", path: "new.jsonl" },
    ]);
  });

  it("matches the same files as the pre-commit hook", () => {
    for (const p of ["a.jsonl", "a.ndjson", "a.jsonl.gz", "A.JSONL"]) expect(DATASET_PATTERN.test(p)).toBe(true);
    for (const p of ["a.json", "a.jsonl.bak", "a.gz"]) expect(DATASET_PATTERN.test(p)).toBe(false);
  });
});
