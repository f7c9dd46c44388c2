/**
 * Lints a pre-tokenized dataset (Parquet): io/parquet reads the schema and the rows, one row group at a time; the
 * engine runs the rules' `columns` and `row` hooks. Row numbers (1-based) are the findings' lines.
 */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
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

/** SHA-256 of the file's bytes (the uploader sends exactly these and checks them again as it sends). */
async function sha256Of(path: string, signal?: AbortSignal): Promise<string> {
  const h = createHash("sha256");
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20, signal })) h.update(chunk as Buffer);
  return h.digest("hex");
}

export async function lintParquet(path: string, prepared: PreparedLint): Promise<FileResult> {
  const linter = prepared.fileLinter(path);
  linter.asPretokenized();
  let size = 0;
  let sha256 = "";
  const summary = () => ({ bytes: size, sha256, lines: linter.lineCount, decodedBytes: size, gzip: false });
  try {
    const before = await stat(path);
    size = before.size;
    if (size === 0) return linter.finish(summary()); // empty-file
    // Parquet is read by ranges, not as one stream: hash it in one pass first (only when asked: the uploader), and make
    // sure below that the file did not change while it was linted.
    if (prepared.options.hash !== false) sha256 = await sha256Of(path, prepared.options.signal);
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
    if (sha256) {
      const after = await stat(path);
      if (after.size !== before.size || after.mtimeMs !== before.mtimeMs) {
        sha256 = "";
        linter.fatal("the file changed while it was read; check it again once it is written.");
      }
    }
  } catch (e) {
    if ((e as Error).name === "AbortError") throw e;
    if ((e as Error).name === "UsageError") throw e;
    linter.fatal(describe(e));
  }
  return linter.finish(summary());
}
