/**
 * Linting every file that paths and globs match. No console output.
 */
import { realpathSync, statSync, type Stats } from "node:fs";
import { isAbsolute, resolve } from "node:path";

import { DIRECTORY_GLOB } from "../io/dataset-files.js";
import type { FileResult, LintReport } from "../types.js";
import { VERSION } from "../version.js";
import { UsageError } from "../errors.js";
import { lintFile } from "./files.js";
import { prepareLint, type LintOptions } from "./prepare.js";

export interface ExpandResult {
  files: string[];
  /** Patterns (or paths) that matched nothing. */
  unmatched: string[];
}

const GLOB_CHARS = /[*?[\]{}()!]/;
/** Never searched by globs or directory walks (an explicit path is still linted). */
const IGNORED = ["**/node_modules/**", "**/.git/**"];

/**
 * Expands paths and globs (fast-glob) in order, without duplicates (two names of one file count once).
 * - A name that exists is that file or directory, even when it holds glob characters (`data (1).jsonl`,
 *   `{b,c}.jsonl`), as eslint does; only a name that does not exist is read as a glob.
 * - Directory walks and globs never follow symbolic links into directories (a link loop would list one file over
 *   and over), and skip subdirectories they cannot read instead of failing the whole argument.
 * - An empty name is a UsageError (it would otherwise walk the working directory).
 */
export async function expandPatterns(patterns: readonly string[], cwd = process.cwd()): Promise<ExpandResult> {
  // fast-glob is loaded only for globs and directories: plain paths (pre-commit passes many) start faster.
  let fgModule: typeof import("fast-glob") | null = null;
  const fg = async (pattern: string, opts: import("fast-glob").Options) => {
    fgModule ??= (await import("fast-glob")).default;
    return fgModule(pattern, { ...opts, followSymbolicLinks: false, suppressErrors: true });
  };
  const files: string[] = [];
  const seen = new Set<string>();
  const unmatched: string[] = [];
  for (const p of patterns) {
    if (p.trim() === "") throw new UsageError("An empty file name was given: name the files or directories to check (or '-' for stdin).");
    let matched: string[] = [];
    const abs = isAbsolute(p) ? p : resolve(cwd, p);
    // Synchronous: one system call each, where a promise costs a trip through the thread pool (per path given).
    let s: Stats | null = null;
    try {
      s = statSync(abs);
    } catch {
      s = null;
    }
    if (s?.isDirectory()) {
      matched = (await fg(DIRECTORY_GLOB, { cwd: abs, dot: false, onlyFiles: true, ignore: IGNORED }))
        .sort()
        .map((f) => `${p.replace(/\/+$/, "")}/${f}`);
    } else if (s) matched = [p];
    else if (GLOB_CHARS.test(p)) matched = (await fg(p, { cwd, dot: false, onlyFiles: true, ignore: IGNORED })).sort();
    if (matched.length === 0) unmatched.push(p);
    for (const f of matched) {
      let key = f;
      try {
        key = realpathSync(isAbsolute(f) ? f : resolve(cwd, f));
      } catch {
        // unreadable: keep the name; lintFile reports it
      }
      if (!seen.has(key)) {
        seen.add(key);
        files.push(f);
      }
    }
  }
  return { files, unmatched };
}

export function summarize(files: FileResult[]): LintReport {
  let errorCount = 0;
  let warningCount = 0;
  let infoCount = 0;
  for (const f of files) {
    errorCount += f.errorCount;
    warningCount += f.warningCount;
    infoCount += f.infoCount;
  }
  return { version: VERSION, files, errorCount, warningCount, infoCount };
}

/** Lints every file the patterns match. A pattern that matches nothing is a UsageError unless `allowUnmatched`. */
export async function lintFiles(
  patterns: readonly string[],
  options: LintOptions & { allowUnmatched?: boolean } = {},
): Promise<LintReport> {
  const prepared = await prepareLint(options);
  const { files, unmatched } = await expandPatterns(patterns, options.cwd);
  if (unmatched.length && !options.allowUnmatched) {
    throw new UsageError(`No files matching ${unmatched.map((u) => `'${u}'`).join(", ")} were found.`);
  }
  const opened = (f: string) => (options.cwd && !isAbsolute(f) ? resolve(options.cwd, f) : f);
  // The validation file is linted once, last: after every training file has been indexed.
  const validation = prepared.crossFile?.validationFile;
  const ordered = validation ? [...files.filter((f) => resolve(opened(f)) !== validation), options.validationFile!] : files;
  const results: FileResult[] = [];
  // Paths are reported as matched (relative to `cwd`) but opened from `cwd`.
  for (const f of ordered) {
    const r = await lintFile(opened(f), prepared);
    results.push({ ...r, path: f });
  }
  return summarize(results);
}
