import type { FileResult, FileStats, Formatter, LintReport } from "../types.js";

/**
 * The JSON document: `{ version, files: [{ path, format, records, errorCount, warningCount, diagnostics, omitted?,
 * stats }], errorCount, warningCount }`, with diagnostics `{ ruleId, messageId, severity, line, column, pointer, message }`.
 * `omitted` (only when some findings were counted but not kept): `[{ ruleId, severity, count }]`, the "N more" of
 * each rule over `maxFindingsPerRule`. The shape is a public contract: keys are listed explicitly so internal fields
 * never leak into it.
 */
function fileJson(f: FileResult): string {
  return JSON.stringify({
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
    ...(f.omitted?.length ? { omitted: f.omitted.map((o) => ({ ruleId: o.ruleId, severity: o.severity, count: o.count })) } : {}),
    // sha256 is "" when it was not computed (check does not need it): leave it out rather than print a blank.
    stats: f.stats.sha256 ? f.stats : withoutHash(f.stats),
    ...(f.fatal ? { fatal: true } : {}),
  });
}

/** The same document in pieces (one per file), so a big report is written as it is made. */
export function* jsonChunks(report: LintReport): Generator<string> {
  yield `{"version":${JSON.stringify(report.version)},"files":[`;
  let first = true;
  for (const f of report.files) {
    yield (first ? "" : ",") + fileJson(f);
    first = false;
  }
  yield `],"errorCount":${report.errorCount},"warningCount":${report.warningCount}}\n`;
}

export const json: Formatter = (report) => {
  let s = "";
  for (const piece of jsonChunks(report)) s += piece;
  return s;
};

function withoutHash(stats: FileStats): Omit<FileStats, "sha256"> {
  const { sha256: _omit, ...rest } = stats;
  return rest;
}
