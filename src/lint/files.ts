/**
 * Linting files and byte streams. I/O failures become a fatal result, never an exception. No console output.
 */
import { statSync } from "node:fs";
import { open } from "node:fs/promises";

import { readLines, openFile, type RawLine, type ReadSummary } from "../io/reader.js";
import type { Diagnostic, FileResult } from "../types.js";
import { defaultJobs, lintFileParallel, parallelThreshold, workerScript } from "./parallel.js";
import { buildFileLinter } from "./file-linter.js";
import { isParquetPath, lintParquet } from "./parquet.js";
import { PreparedLint, toPrepared, type LintOptions } from "./prepare.js";

/** Lints a byte stream (plain or gzip). `path` labels the result (default "<stdin>"). */
export async function lintStream(
  source: AsyncIterable<Buffer | Uint8Array | string> | NodeJS.ReadableStream,
  options: (LintOptions & { path?: string }) | PreparedLint = {},
  path?: string,
  /** The source's size when known (progress reports only). */
  totalBytes: number | null = null,
): Promise<FileResult> {
  const label = path ?? (options instanceof PreparedLint ? undefined : options.path) ?? "<stdin>";
  return lintStreamWith(await toPrepared(options), source, label, totalBytes);
}

/** lintStream with options prepared already. */
export async function lintStreamWith(
  prepared: PreparedLint,
  source: AsyncIterable<Buffer | Uint8Array | string> | NodeJS.ReadableStream,
  label: string,
  /** The source's size when known (progress reports only). */
  totalBytes: number | null = null,
): Promise<FileResult> {
  await prepared.tokens?.ready();
  const linter = prepared.fileLinter(label, { sniffDocument: true });
  let summary: ReadSummary;
  let internal: unknown = null;
  const onProgress = prepared.options.onProgress;
  let lines = 0;
  const onLine = (l: RawLine) => {
    lines = l.line;
    try {
      linter.line(l);
    } catch (e) {
      // A bug in tunelint, not in the data: surface it, never disguise it as a read error.
      internal ??= e;
      throw e;
    }
  };
  try {
    summary = await readLines(source as AsyncIterable<Buffer>, onLine, {
      maxLineBytes: prepared.maxLineBytes,
      signal: prepared.options.signal,
      hash: prepared.options.hash !== false,
      onChunk: onProgress ? (bytes) => onProgress({ path: label, bytes, totalBytes, lines }) : undefined,
    });
  } catch (e) {
    if ((e as Error).name === "AbortError" || internal) throw internal ?? e;
    linter.fatal(describeIoError(e));
    // What was read before the failure: the lines judged (never "2 records, 0 lines").
    summary = { bytes: 0, sha256: "", lines, decodedBytes: 0, gzip: false };
  }
  return linter.finish(summary);
}

export function describeIoError(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  switch (err.code) {
    case "ENOENT":
      return "no such file.";
    case "EACCES":
    case "EPERM":
      return "permission denied.";
    case "EISDIR":
      return "it is a directory.";
    case "Z_DATA_ERROR":
    case "Z_BUF_ERROR":
      return `corrupt or truncated gzip data (${err.message}).`;
    default:
      return err.message ?? String(e);
  }
}

/** Lints one file (plain or .gz, or Parquet by its .parquet name). I/O failures become a fatal result, never an exception. */
export async function lintFile(path: string, options: LintOptions | PreparedLint = {}): Promise<FileResult> {
  return lintFileWith(await toPrepared(options), path);
}

/** lintFile with options prepared already. */
export async function lintFileWith(prepared: PreparedLint, path: string): Promise<FileResult> {
  if (isParquetPath(path)) return lintParquet(path, prepared);
  let size: number;
  try {
    const s = statSync(path); // (synchronous: one call, no trip through the thread pool per file)
    if (s.isDirectory()) throw Object.assign(new Error("is a directory"), { code: "EISDIR" });
    size = s.size;
  } catch (e) {
    // Nothing was read: no token or size statistics, only the read error (reported to onDiagnostic like any finding).
    const linter = buildFileLinter({ ...prepared, tokens: null, histograms: false }, path, {
      onDiagnostic: prepared.options.onDiagnostic && ((d) => prepared.options.onDiagnostic!(d, path)),
    });
    linter.fatal(describeIoError(e));
    return linter.finish({ bytes: 0, sha256: "", lines: 0, decodedBytes: 0, gzip: false });
  }
  const jobs = prepared.options.jobs ?? defaultJobs();
  const threshold = prepared.options.parallelThreshold ?? parallelThreshold(jobs, prepared.tokenRequest !== null);
  if (jobs > 1 && size >= threshold && !(await isGzipOrDocument(path))) {
    return lintFileParallel(path, size, prepared, jobs, workerScript());
  }
  return lintStreamWith(prepared, openFile(path, prepared.options.signal, size), path, size);
}

/**
 * Files read on one thread: gzip (no byte ranges), and files whose head may be one JSON document (json-document is
 * judged from the first lines, which only a single-thread read sees in order): a first non-space byte `[`, or a
 * first line that is only `{`.
 */
async function isGzipOrDocument(path: string): Promise<boolean> {
  const fh = await open(path, "r");
  try {
    const b = Buffer.alloc(4096);
    const { bytesRead } = await fh.read(b, 0, b.length, 0);
    if (bytesRead >= 2 && b[0] === 0x1f && b[1] === 0x8b) return true;
    const head = b
      .subarray(0, bytesRead)
      .toString("utf8")
      .replace(/^\uFEFF/, "");
    return /^\s*\[/.test(head) || /^\s*\{[ \t\r]*\n/.test(head);
  } finally {
    await fh.close();
  }
}

/** Streams diagnostics of one file as they are found (an async iterator for pipelines). */
export async function* diagnostics(path: string, options: LintOptions = {}): AsyncGenerator<Diagnostic, FileResult> {
  const queue: Diagnostic[] = [];
  let wake: (() => void) | null = null;
  let done = false;
  let result: FileResult | null = null;
  let failure: unknown = null;
  const run = lintFile(path, {
    ...options,
    onDiagnostic: (d, p) => {
      options.onDiagnostic?.(d, p);
      queue.push(d);
      wake?.();
    },
  }).then(
    (r) => {
      result = r;
      done = true;
      wake?.();
    },
    (e: unknown) => {
      failure = e;
      done = true;
      wake?.();
    },
  );
  while (true) {
    if (queue.length) {
      yield queue.shift()!;
      continue;
    }
    if (done) break;
    await new Promise<void>((r) => (wake = r));
    wake = null;
  }
  await run;
  if (failure) throw failure;
  return result!;
}
