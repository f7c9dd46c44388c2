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

// The uploader from its own subpath (also re-exported from "tunelint" for compatibility).
import { uploadDataset, type UploadDatasetResult } from "tunelint/upload";

export async function upload(path: string): Promise<UploadDatasetResult["status"]> {
  return (await uploadDataset(path, { lint: { model: "Qwen/Qwen2.5-7B-Instruct" }, wait: false })).status;
}
