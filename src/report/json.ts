import type { FileStats, Formatter } from "../types.js";

/**
 * The JSON document: `{ version, files: [{ path, format, records, errorCount, warningCount, diagnostics, stats }],
 * errorCount, warningCount }`, with diagnostics `{ ruleId, messageId, severity, line, column, pointer, message }`.
 * The shape is a public contract: keys are listed explicitly so internal fields never leak into it.
 */
export const json: Formatter = (report) =>
  JSON.stringify({
    version: report.version,
    files: report.files.map((f) => ({
      path: f.path,
      format: f.format,
      records: f.records,
      errorCount: f.errorCount,
      warningCount: f.warningCount,
      diagnostics: f.diagnostics.map((d) => ({
        ruleId: d.ruleId,
        messageId: d.messageId,
        severity: d.severity,
        line: d.line,
        column: d.column,
        pointer: d.pointer,
        message: d.message,
      })),
      // sha256 is "" when it was not computed (check does not need it): leave it out rather than print a blank.
      stats: f.stats.sha256 ? f.stats : withoutHash(f.stats),
      ...(f.fatal ? { fatal: true } : {}),
    })),
    errorCount: report.errorCount,
    warningCount: report.warningCount,
  }) + "\n";

function withoutHash(stats: FileStats): Omit<FileStats, "sha256"> {
  const { sha256: _omit, ...rest } = stats;
  return rest;
}
