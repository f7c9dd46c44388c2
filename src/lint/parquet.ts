/**
 * Lints a pre-tokenized dataset (Parquet): io/parquet reads the schema and the rows, one row group at a time; the
 * engine runs the rules' `columns` and `row` hooks. Row numbers (1-based) are the findings' lines.
 */
import { stat } from "node:fs/promises";
import type { FileResult } from "../types.js";
import type { PreparedLint } from "./prepare.js";
import { PARQUET_PATTERN } from "../io/dataset-files.js";

/** The columns of Together's pre-tokenized format, required first. */
export const PRETOKENIZED_COLUMNS = ["input_ids", "attention_mask", "labels", "position_ids"] as const;

export function isParquetPath(path: string): boolean {
  return PARQUET_PATTERN.test(path);
}

function describe(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  if (err.code === "ENOENT") return "no such file.";
  if (err.code === "EACCES" || err.code === "EPERM") return "permission denied.";
  if (err.code === "EISDIR") return "it is a directory.";
  return err.message ?? String(e);
}

export async function lintParquet(path: string, prepared: PreparedLint): Promise<FileResult> {
  const linter = prepared.fileLinter(path);
  linter.asPretokenized();
  let size = 0;
  const summary = () => ({ bytes: size, sha256: "", lines: linter.lineCount, decodedBytes: size, gzip: false });
  try {
    size = (await stat(path)).size;
    if (size === 0) return linter.finish(summary()); // empty-file
    const { openParquet } = await import("../io/parquet.js");
    const file = await openParquet(path);
    linter.columns({ columns: file.columns, rows: file.rows, explicitMethod: prepared.explicitMethod });
    const known = new Set<string>(PRETOKENIZED_COLUMNS);
    const read = file.columns.filter((c) => c.intList && known.has(c.name)).map((c) => c.name);
    let tokens: { model: string; limit: number; vocabSize: number } | null = null;
    const tc = prepared.tokens;
    if (tc) tokens = { model: tc.model, limit: tc.sftLimit, vocabSize: tc.vocabSize ? await tc.vocabSize() : Number.POSITIVE_INFINITY };
    if (read.length) {
      await file.readRows(read, (line, values) => linter.row({ line, values, tokens }), prepared.options.signal);
    } else {
      // No list column to read: the rows are still counted (too-few-examples, the summary).
      for (let line = 1; line <= file.rows; line++) linter.row({ line, values: {}, tokens });
    }
  } catch (e) {
    if ((e as Error).name === "AbortError") throw e;
    if ((e as Error).name === "UsageError") throw e;
    linter.fatal(describe(e));
  }
  return linter.finish(summary());
}
