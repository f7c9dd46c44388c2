/**
 * Linting single records and record streams (pipelines): no file, no I/O. No console output.
 */
import { DEFAULT_MAX_LINE_BYTES } from "../io/reader.js";
import { detectFormat } from "../dataset-formats/detect.js";
import type { DatasetFormat, Diagnostic, FileResult } from "../types.js";
import { resolveRules, type RuleConfigValue } from "./config.js";
import { FileLinter } from "./file-linter.js";
import { DEFAULT_MAX_FINDINGS_PER_RULE, isPrepared, type PreparedLint } from "./prepare.js";

export interface RecordResult {
  format: DatasetFormat | null;
  diagnostics: Diagnostic[];
  errorCount: number;
  warningCount: number;
}

/**
 * Lints one record (a parsed value, or a JSON string) as if it were line `line` of a file: line-level and record-level
 * rules; file-level rules (duplicates, too few examples) need a file and don't run. Columns refer to the JSON text
 * (the given string, or the compact JSON.stringify of the value). Synchronous: pass a PreparedLint to use tokens.
 */
function preparedOf(options: PreparedLint | { rules?: Record<string, RuleConfigValue> }): PreparedLint {
  if (isPrepared(options as PreparedLint)) return options as PreparedLint;
  return {
    rules: resolveRules((options as { rules?: Record<string, RuleConfigValue> }).rules),
    maxLineBytes: DEFAULT_MAX_LINE_BYTES,
    maxFindingsPerRule: DEFAULT_MAX_FINDINGS_PER_RULE,
    method: "sft",
    explicitMethod: undefined,
    tokens: null,
    tokenRequest: null,
    options: {},
  };
}

/** A value as one JSONL line (its compact JSON, or the string itself); null when JSON cannot represent it. */
function lineOf(value: unknown): Buffer | null {
  try {
    return Buffer.from(typeof value === "string" ? value : (JSON.stringify(value) ?? "null"), "utf8");
  } catch {
    return null; // cycles, BigInt, or nesting deeper than JSON.stringify's stack
  }
}

/** The value's format; null when it has none, or when reading it throws (a Proxy with throwing traps). */
function formatOf(v: unknown): DatasetFormat | null {
  try {
    return v && typeof v === "object" && !Array.isArray(v) ? detectFormat(v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function recordResult(
  value: unknown,
  diagnostics: Diagnostic[],
  counts: { errors: number; warnings: number },
): RecordResult {
  // A string is the JSONL line itself: its format is that of the value it holds, as for the object form.
  let v = value;
  if (typeof value === "string") {
    try {
      v = JSON.parse(value);
    } catch {
      v = null;
    }
  }
  return {
    format: formatOf(v),
    diagnostics,
    // Exact, also when a rule had more findings than maxFindingsPerRule keeps.
    errorCount: counts.errors,
    warningCount: counts.warnings,
  };
}

export function lintRecord(
  value: unknown,
  options: PreparedLint | { rules?: Record<string, RuleConfigValue>; line?: number } = {},
  line = 1,
): RecordResult {
  const prepared = preparedOf(options);
  const at = (options as { line?: number }).line ?? line;
  const fileRules = new Map([...prepared.rules].filter(([id]) => !FILE_ONLY.has(id)));
  const linter = new FileLinter({
    path: "<record>",
    rules: fileRules,
    maxLineBytes: prepared.maxLineBytes,
    maxFindingsPerRule: prepared.maxFindingsPerRule,
    tokens: prepared.tokens,
    method: prepared.method,
    explicitMethod: prepared.explicitMethod,
  });
  const bytes = lineOf(value);
  if (bytes) linter.line({ line: at, offset: 0, bytes, length: bytes.length, oversized: false });
  else linter.reportFor("invalid-json", at, { messageId: "unserialisable", column: 1 });
  return recordResult(value, linter.diagnostics, linter.counts);
}

/** Lints records one at a time as a pipeline produces them, with the file-level rules (duplicates, mixed formats, counts). */
export interface RecordLinter {
  /** Judges the next record (line numbers count from 1); returns its findings. */
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
  const linter = new FileLinter({
    path: (options as { path?: string }).path ?? "<records>",
    rules: prepared.rules,
    maxLineBytes: prepared.maxLineBytes,
    maxFindingsPerRule: prepared.maxFindingsPerRule,
    tokens: prepared.tokens,
    method: prepared.method,
    explicitMethod: prepared.explicitMethod,
  });
  let line = 0;
  let bytes = 0;
  return {
    push(value) {
      line++;
      const before = linter.diagnostics.length;
      const was = linter.counts;
      const b = lineOf(value);
      if (b) {
        bytes += b.length + 1;
        linter.line({ line, offset: bytes - b.length - 1, bytes: b, length: b.length, oversized: false });
      } else linter.reportFor("invalid-json", line, { messageId: "unserialisable", column: 1 });
      const now = linter.counts;
      return recordResult(value, linter.diagnostics.slice(before), { errors: now.errors - was.errors, warnings: now.warnings - was.warnings });
    },
    finish() {
      return linter.finish({ bytes, sha256: "", lines: line, decodedBytes: bytes, gzip: false });
    },
  };
}

const FILE_ONLY = new Set([
  "empty-file",
  "file-too-large",
  "file-extension",
  "too-few-examples",
  "duplicate-example",
  "mixed-formats",
  "read-error",
]);

