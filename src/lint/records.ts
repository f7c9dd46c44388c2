/**
 * Linting single records and record streams (pipelines): no file, no I/O. No console output.
 */
import { detectFormat } from "../dataset-formats/detect.js";
import type { DatasetFormat, Diagnostic, FileResult } from "../types.js";
import type { RuleConfigValue } from "./config.js";
import type { FileLinter } from "./file-linter.js";
import { PreparedLint } from "./prepare.js";

export interface RecordResult {
  format: DatasetFormat | null;
  diagnostics: Diagnostic[];
  errorCount: number;
  warningCount: number;
  /**
   * With a model (a PreparedLint from prepareLint({ model })) and a record that passed its schema: its tokens as
   * trained (`total`), the tokens that enter the loss (`trained`, under train_on_inputs), and the model's limit.
   */
  tokens?: { total: number; trained: number; limit: number; exact: boolean };
}

function preparedOf(options: PreparedLint | { rules?: Record<string, RuleConfigValue> }): PreparedLint {
  return options instanceof PreparedLint ? options : PreparedLint.forRecords(options.rules);
}

/** A value as one JSONL line (its compact JSON, or the string or bytes themselves); null when JSON cannot represent it. */
function lineOf(value: unknown): Buffer | null {
  if (Buffer.isBuffer(value)) return value; // a line's raw bytes (the fixer's output), judged as a file would be
  try {
    return Buffer.from(typeof value === "string" ? value : (JSON.stringify(value) ?? "null"), "utf8");
  } catch {
    return null; // cycles, BigInt, or nesting deeper than JSON.stringify's stack
  }
}

function recordResult(value: unknown, diagnostics: Diagnostic[], linter: FileLinter): RecordResult {
  const r: RecordResult = {
    format: value && typeof value === "object" && !Array.isArray(value) ? detectFormat(value as Record<string, unknown>) : null,
    diagnostics,
    errorCount: diagnostics.filter((d) => d.severity === "error").length,
    warningCount: diagnostics.filter((d) => d.severity === "warning").length,
  };
  const t = linter.lastTokens;
  if (t) r.tokens = { total: t.total, trained: t.trained, limit: t.limit, exact: t.exact };
  return r;
}

/**
 * Lints one record (a parsed value, or a JSON string) as if it were line `line` of a file: line-level and record-level
 * rules; file-level rules (duplicates, too few examples) need a file and don't report. Columns refer to the JSON text
 * (the given string, or the compact JSON.stringify of the value). Synchronous: pass a PreparedLint to use tokens.
 */
export function lintRecord(
  value: unknown,
  options: PreparedLint | { rules?: Record<string, RuleConfigValue>; line?: number } = {},
  line = 1,
): RecordResult {
  const prepared = preparedOf(options);
  const at = (options as { line?: number }).line ?? line;
  // Every rule runs: file-level judgements come from `end` (never reached: one record is not a file) and cross-record
  // ones need a second record, so no list of file-only rules is needed.
  const linter = prepared.fileLinter("<record>");
  const bytes = lineOf(value);
  if (bytes) linter.line({ line: at, offset: 0, bytes, length: bytes.length, oversized: false });
  else linter.unserialisable(at);
  return recordResult(value, linter.diagnostics, linter);
}

/** Lints records one at a time as a pipeline produces them, with the file-level rules (duplicates, mixed formats, counts). */
export interface RecordLinter {
  /** Judges the next record (line numbers count from 1); a string or a Buffer is the line itself. Returns its findings. */
  push(value: unknown): RecordResult;
  /** Ends the "file": file-level findings and stats, as lintFile would give for the same lines. */
  finish(): FileResult;
}

/**
 * A stateful linter for pipelines: each `push` is the next line of a virtual JSONL file (the compact JSON of the
 * value), so duplicates, mixed formats and token stats work across records. Synchronous; pass a PreparedLint
 * (from `await prepareLint({ model })`) to count tokens.
 */
export function createRecordLinter(options: PreparedLint | { rules?: Record<string, RuleConfigValue>; path?: string } = {}): RecordLinter {
  const prepared = preparedOf(options);
  const linter = prepared.fileLinter((options as { path?: string }).path ?? "<records>");
  let line = 0;
  let bytes = 0;
  return {
    push(value) {
      line++;
      const before = linter.diagnostics.length;
      const b = lineOf(value);
      if (b) {
        bytes += b.length + 1;
        linter.line({ line, offset: bytes - b.length - 1, bytes: b, length: b.length, oversized: false });
      } else linter.unserialisable(line);
      return recordResult(value, linter.diagnostics.slice(before), linter);
    },
    finish() {
      return linter.finish({ bytes, sha256: "", lines: line, decodedBytes: bytes, gzip: false });
    },
  };
}
