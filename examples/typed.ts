// The same API from TypeScript: every result is typed. Checked by the test suite with `tsc --noEmit`.
import { lintFile, lintRecord, type Diagnostic, type FileResult, type LintOptions } from "tunelint";

const options: LintOptions = { config: false, rules: { "content-empty": "off" } };

export async function errorsOf(path: string): Promise<Diagnostic[]> {
  const result: FileResult = await lintFile(path, options);
  return result.diagnostics.filter((d) => d.severity === "error");
}

export function isClean(record: unknown): boolean {
  return lintRecord(record).errorCount === 0;
}

// Repair and convert records in a pipeline (the library side of `tunelint fix` and `tunelint convert`).
import {
  convertRecord,
  convertStream,
  fixRecord,
  fixStream,
  type ConvertRecordResult,
  type ConvertedItem,
  type FixChange,
  type FixedLine,
  type FixRecordResult,
} from "tunelint";
import { createReadStream } from "node:fs";

export function repaired(line: string): { text: string; changes: FixChange[] } {
  const r: FixRecordResult = fixRecord(line);
  return { text: r.text, changes: r.changes };
}

export function toTogether(record: unknown): Record<string, unknown> | null {
  const r: ConvertRecordResult = convertRecord(record, { from: "auto" });
  return r.error ? null : (r.record ?? null);
}

export async function convertFile(path: string): Promise<{ ok: string[]; failed: string[] }> {
  const ok: string[] = [];
  const failed: string[] = [];
  for await (const item of convertStream(createReadStream(path), { from: "sharegpt" }) as AsyncGenerator<ConvertedItem>) {
    if (item.issue) failed.push(`line ${item.line}: ${item.issue.message}`);
    else if (item.text !== undefined) ok.push(item.text);
  }
  return { ok, failed };
}

export async function fixedLines(path: string): Promise<number> {
  let changed = 0;
  for await (const l of fixStream(createReadStream(path)) as AsyncGenerator<FixedLine>) if (l.changes.length) changed++;
  return changed;
}

// The uploader from its own subpath (also re-exported from "tunelint" for compatibility).
import { uploadDataset, type UploadDatasetResult } from "tunelint/upload";

export async function upload(path: string): Promise<UploadDatasetResult["status"]> {
  return (await uploadDataset(path, { lint: { model: "Qwen/Qwen2.5-7B-Instruct" }, wait: false })).status;
}
