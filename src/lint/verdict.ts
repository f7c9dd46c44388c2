/**
 * The exit verdict of a lint run, in one place for `check`, the GitHub Action and the uploader:
 * 2 when a file could not be read (an I/O failure), 1 for errors (or more warnings than allowed), else 0.
 */
export interface VerdictOptions {
  /** More warnings than this fail the run; undefined or negative: no limit. */
  maxWarnings?: number;
  /** What fails the run (default "error"; "never" still fails on a file that could not be read). */
  failOn?: "error" | "warning" | "never";
}

export type VerdictReason = "clean" | "unreadable" | "errors" | "warnings" | "tooManyWarnings";

export interface Verdict {
  code: 0 | 1 | 2;
  reason: VerdictReason;
}

/** Counts of a file (FileResult) or of a whole report (LintReport with its files). */
export interface VerdictInput {
  errorCount: number;
  warningCount: number;
  /** One FileResult. */
  fatal?: boolean;
  /** A LintReport's files. */
  files?: ReadonlyArray<{ fatal?: boolean }>;
}

export function verdictOf(result: VerdictInput, options: VerdictOptions = {}): Verdict {
  if (result.fatal || result.files?.some((f) => f.fatal)) return { code: 2, reason: "unreadable" };
  const failOn = options.failOn ?? "error";
  if (failOn === "never") return { code: 0, reason: "clean" };
  if (result.errorCount > 0) return { code: 1, reason: "errors" };
  if (failOn === "warning" && result.warningCount > 0) return { code: 1, reason: "warnings" };
  const max = options.maxWarnings;
  if (max !== undefined && max >= 0 && result.warningCount > max) return { code: 1, reason: "tooManyWarnings" };
  return { code: 0, reason: "clean" };
}
