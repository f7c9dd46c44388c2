/**
 * The lint layer's public surface, one module per entry point: prepare.ts (options resolved once), files.ts (files,
 * streams, diagnostics), patterns.ts (paths and globs), records.ts (single records and pipelines). No logic here.
 */
export { prepareLint, DEFAULT_MAX_FINDINGS_PER_RULE, type LintOptions, type LintProgress, type PreparedLint } from "./prepare.js";
export { lintFile, lintStream, diagnostics, describeIoError } from "./files.js";
export { lintFiles, expandPatterns, summarize, type ExpandResult } from "./patterns.js";
export { lintRecord, createRecordLinter, type RecordResult, type RecordLinter } from "./records.js";
