/**
 * Staged-content reading for `tunelint check --staged`: what is in the index, not the working tree.
 *
 *   const files = await stagedFiles({ cwd: process.cwd() });
 *   for (const f of files) results.push(await lintStream(f.stream, prepared, f.path));
 *
 * The list comes from one `git diff --cached --raw -z --diff-filter=ACMR` (added, copied, modified,
 * renamed: deleted files have nothing to lint), so each entry carries the blob id of its staged
 * content; `stream` starts `git cat-file blob <oid>` on first access and streams the bytes
 * (gzip as it is stored: the reader decompresses `.gz` as it does for files on disk).
 */
import { spawn, execFile } from "node:child_process";
import { realpathSync } from "node:fs";
import path from "node:path";
import type { Readable } from "node:stream";

/** Which staged paths are datasets (same as the pre-commit hook's `files`). */
export { DATASET_PATTERN } from "../io/dataset-files.js";
import { DATASET_PATTERN } from "../io/dataset-files.js";

export interface StagedFile {
  /** Path relative to `cwd` (what the user sees, what reports print). */
  path: string;
  /** Path relative to the repository root, forward slashes (as git prints it). */
  gitPath: string;
  /** Blob id of the staged content. */
  oid: string;
  /**
   * The staged bytes: `git cat-file blob <oid>`, started on first access; later accesses return the same
   * stream (so an extra access cannot leave an unread git process behind). Use `open()` for a fresh one.
   */
  readonly stream: Readable;
  /** A new stream of the staged bytes. */
  open(): Readable;
}

export interface StagedOptions {
  /** Working directory inside the repository (default: process.cwd()). */
  cwd?: string;
  /** Keep only paths matching this (default DATASET_PATTERN); matched against the repo-relative path. */
  pattern?: RegExp;
  /** Limit to these pathspecs (relative to cwd), like `git diff --cached -- <paths>`. */
  paths?: string[];
}

export class GitError extends Error {
  constructor(
    message: string,
    readonly stderr = "",
  ) {
    super(message);
    this.name = "GitError";
  }
}

function git(args: string[], cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile("git", args, { cwd, maxBuffer: 256 * 1024 * 1024, encoding: "utf8" }, (err, stdout, stderr) => {
      if (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === "ENOENT") reject(new GitError("git is not installed or not on PATH"));
        else reject(new GitError(`git ${args[0]} failed: ${String(stderr).trim() || err.message}`, String(stderr)));
      } else resolve(stdout);
    });
  });
}

/** The repository's top-level directory, or a GitError when `cwd` is not inside a work tree. */
export async function repoRoot(cwd = process.cwd()): Promise<string> {
  try {
    return (await git(["rev-parse", "--show-toplevel"], cwd)).trim();
  } catch (e) {
    if (e instanceof GitError && /not a git repository/i.test(e.stderr)) {
      throw new GitError(`--staged needs a git repository, and ${cwd} is not inside one`, e.stderr);
    }
    throw e;
  }
}

/** A readable stream of one blob's bytes (`git cat-file blob <oid>`). */
export function blobStream(oid: string, cwd: string): Readable {
  const child = spawn("git", ["cat-file", "blob", oid], { cwd, stdio: ["ignore", "pipe", "pipe"] });
  const out = child.stdout;
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (c: string) => (stderr += c));
  child.on("error", (err) => out.destroy(err));
  child.on("close", (code) => {
    if (code !== 0) out.destroy(new GitError(`git cat-file blob ${oid} failed (${code}): ${stderr.trim()}`, stderr));
  });
  return out;
}

/**
 * Parse `git diff --raw -z` output: `:<srcmode> <dstmode> <srcoid> <dstoid> <status>\0<path>\0[<dst path>\0]`.
 * Exported for tests.
 */
export function parseRawDiff(raw: string): Array<{ mode: string; oid: string; status: string; path: string }> {
  const parts = raw.split("\0");
  const out: Array<{ mode: string; oid: string; status: string; path: string }> = [];
  for (let i = 0; i < parts.length;) {
    const header = parts[i++];
    if (!header) continue;
    const m = /^:(\d+) (\d+) ([0-9a-f]+) ([0-9a-f]+) ([A-Z])(\d*)$/.exec(header);
    if (!m) throw new GitError(`unexpected git diff output: ${JSON.stringify(header.slice(0, 80))}`);
    const status = m[5]!;
    let p = parts[i++]!;
    if (status === "R" || status === "C") p = parts[i++]!; // source path, then destination path
    out.push({ mode: m[2]!, oid: m[4]!, status, path: p });
  }
  return out;
}

/** The staged (index) versions of the dataset files that this commit adds, copies, modifies or renames. */
export async function stagedFiles(options: StagedOptions = {}): Promise<StagedFile[]> {
  // realpath: git prints the top level with symlinks resolved, so compare like with like.
  const cwd = realpathSync(path.resolve(options.cwd ?? process.cwd()));
  const top = await repoRoot(cwd);
  const pattern = options.pattern ?? DATASET_PATTERN;
  const args = ["diff", "--cached", "--raw", "-z", "--no-abbrev", "--no-ext-diff", "--diff-filter=ACMR"];
  if (options.paths?.length) args.push("--", ...options.paths.map((p) => path.relative(top, path.resolve(cwd, p)) || "."));
  // Run from the top so that pathspecs and printed paths are both repo-relative.
  const raw = await git(args, top);
  const entries = parseRawDiff(raw).filter(
    (e) => e.mode.startsWith("100") /* regular file, not symlink 120000 or submodule 160000 */ && pattern.test(e.path),
  );
  return entries.map((e) => {
    const abs = path.join(top, ...e.path.split("/"));
    const file = {
      path: path.relative(cwd, abs) || abs,
      gitPath: e.path,
      oid: e.oid,
    } as StagedFile;
    let stream: Readable | undefined;
    Object.defineProperty(file, "stream", { enumerable: true, get: () => (stream ??= blobStream(e.oid, top)) });
    file.open = () => blobStream(e.oid, top);
    return file;
  });
}
