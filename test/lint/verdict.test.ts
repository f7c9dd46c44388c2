/** One exit verdict for check, the Action and the uploader. */
import { describe, expect, it } from "vitest";
import { verdictOf } from "../../src/lint/verdict.js";
import { exitCodeOf } from "../../src/cli/commands/check.js";
import { exitStatus } from "../../src/action/action.js";
import { lintBlocks } from "../../src/upload/dataset.js";
import type { FileResult, LintReport } from "../../src/types.js";

const file = (errorCount: number, warningCount: number, fatal = false) =>
  ({
    path: "a.jsonl",
    errorCount,
    warningCount,
    infoCount: 0,
    diagnostics: [],
    records: 0,
    format: null,
    ...(fatal ? { fatal } : {}),
  }) as unknown as FileResult;
const report = (f: FileResult): LintReport => ({
  version: "x",
  files: [f],
  errorCount: f.errorCount,
  warningCount: f.warningCount,
  infoCount: 0,
});

describe("verdictOf", () => {
  it.each([
    [file(0, 0), {}, 0, "clean"],
    [file(0, 5), {}, 0, "clean"],
    [file(1, 0), {}, 1, "errors"],
    [file(0, 3), { maxWarnings: 2 }, 1, "tooManyWarnings"],
    [file(0, 2), { maxWarnings: 2 }, 0, "clean"],
    [file(0, 2), { maxWarnings: -1 }, 0, "clean"],
    [file(0, 1), { failOn: "warning" as const }, 1, "warnings"],
    [file(3, 3), { failOn: "never" as const }, 0, "clean"],
    [file(0, 0, true), { failOn: "never" as const }, 2, "unreadable"],
  ])("%o %o -> %i %s", (f, opts, code, reason) => {
    expect(verdictOf(f, opts)).toEqual({ code, reason });
    expect(verdictOf(report(f), opts)).toEqual({ code, reason });
  });

  it("is what check, the Action and the uploader decide", () => {
    for (const f of [file(0, 0), file(1, 0), file(0, 3), file(0, 0, true)]) {
      expect(exitCodeOf(report(f), 2).code).toBe(verdictOf(f, { maxWarnings: 2 }).code);
      expect(exitStatus(report(f), { failOn: "error", maxWarnings: 2 })).toBe(verdictOf(f, { maxWarnings: 2 }).code);
      expect(lintBlocks(f, 2)).toBe(verdictOf(f, { maxWarnings: 2 }).code !== 0);
    }
    expect(exitCodeOf(report(file(0, 3)), 2).note).toBe("tunelint found too many warnings (3, maximum 2).");
  });
});
