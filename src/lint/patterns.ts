/**
 * Linting every file that paths and globs match. No console output.
 */
import { stat } from "node:fs/promises";
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

/** Expands paths and globs (fast-glob) in order, without duplicates. */
export async function expandPatterns(patterns: readonly string[], cwd = process.cwd()): Promise<ExpandResult> {
  // fast-glob is loaded only for globs and directories: plain paths (pre-commit passes many) start faster.
  let fgModule: typeof import("fast-glob") | null = null;
  const fg = async (pattern: string, opts: import("fast-glob").Options) => {
    fgModule ??= (await import("fast-glob")).default;
    return fgModule(pattern, opts);
  };
  const files: string[] = [];
  const seen = new Set<string>();
  const unmatched: string[] = [];
  for (const p of patterns) {
    let matched: string[] = [];
    const isGlob = GLOB_CHARS.test(p);
    if (!isGlob) {
      try {
        const s = await stat(p.startsWith("/") ? p : `${cwd}/${p}`);
        if (s.isDirectory()) {
          matched = (
            await fg(DIRECTORY_GLOB, {
              cwd: `${p.startsWith("/") ? "" : cwd + "/"}${p}`,
              dot: false,
              onlyFiles: true,
              ignore: IGNORED,
            })
          )
            .sort()
            .map((f) => `${p.replace(/\/+$/, "")}/${f}`);
        } else matched = [p];
      } catch {
        matched = [];
      }
    } else {
      matched = (await fg(p, { cwd, dot: false, onlyFiles: true, ignore: IGNORED })).sort();
    }
    if (matched.length === 0) unmatched.push(p);
    for (const f of matched) {
      if (!seen.has(f)) {
        seen.add(f);
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
