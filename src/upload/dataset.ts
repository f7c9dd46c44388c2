/**
 * uploadDataset: lint with the same engine as `tunelint check`, then upload exactly the linted bytes and wait for
 * Together to process them.
 */
import { lintFile, prepareLint, type LintOptions, type PreparedLint } from "../lint/lint.js";
import type { FileResult } from "../types.js";
import { verdictOf } from "../lint/verdict.js";
import { getClient } from "./client.js";
import { uploadFile, waitForProcessing } from "./files.js";
import type { UploadDatasetOptions, UploadDatasetResult } from "./types.js";

export type LintFn = (path: string, options?: Record<string, unknown>) => Promise<FileResult>;

/**
 * The core lint engine: the very `lintFile` that `tunelint check` uses. Options naming a `validationFile` are
 * prepared once per options object, so the training file and then the validation file of one upload share the
 * run's training index (rule validation-leak).
 */
export async function defaultLintFn(): Promise<LintFn> {
  const prepared = new WeakMap<object, Promise<PreparedLint>>();
  return async (path, options) => {
    const o = (options ?? {}) as LintOptions;
    if (!o.validationFile) return lintFile(path, o);
    let p = prepared.get(o);
    if (!p) prepared.set(o, (p = prepareLint(o)));
    return lintFile(path, await p);
  };
}

/** true when the lint result forbids an upload. */
export function lintBlocks(lint: FileResult, maxWarnings?: number): boolean {
  return verdictOf(lint, { maxWarnings }).code !== 0;
}

/**
 * Lint `path`; when it passes, upload the very bytes that were linted (verified by size and SHA-256 while sending)
 * and wait until Together has processed them. A failing lint returns status "LINT_FAILED" without sending a request.
 * Remote failures throw TogetherApiError; a file changed since the lint throws FileChangedError.
 */
export async function uploadDataset(path: string, options: UploadDatasetOptions = {}): Promise<UploadDatasetResult> {
  const client = getClient(options); // a missing key fails here, before any work
  const lintFn = options.lintFn ?? (await defaultLintFn());
  const lint = await lintFn(path, { ...(options.lint ?? {}), ...(client.signal ? { signal: client.signal } : {}) });
  if (lintBlocks(lint, options.maxWarnings)) return { path, lint, file: null, status: "LINT_FAILED" };
  // A .jsonl.gz is sent decompressed, as NAME.jsonl: verified against the decompressed bytes the lint read.
  const gzip = /\.jsonl\.gz$/i.test(path) && lint.stats.decoded !== undefined;
  const expected = gzip ? lint.stats.decoded! : { bytes: lint.stats.bytes, sha256: lint.stats.sha256 };
  const file = await uploadFile(path, { ...options, client, ...(gzip ? { decompress: "gzip" as const } : {}), expected });
  if (options.wait === false) return { path, lint, file, status: "UPLOADED" };
  options.onProgress?.({ path, phase: "processing", bytesSent: file.bytes, totalBytes: file.bytes });
  const remote = await waitForProcessing(file.id, { ...options, client });
  return { path, lint, file, remote, status: "COMPLETED" };
}
