/**
 * The library's lint entry points: files, streams, globs and single records. No console output, no process.exit.
 */
import { open, stat } from "node:fs/promises";
import { constants as bufferConstants } from "node:buffer";
import { isAbsolute, resolve } from "node:path";

import { readLines, openFile, DEFAULT_MAX_LINE_BYTES, type RawLine, type ReadSummary } from "../io/reader.js";
import { detectFormat } from "../formats/detect.js";
import type { DatasetFormat, Diagnostic, FileResult, LintReport, TrainingMethod } from "../types.js";
import { VERSION } from "../version.js";
import {
  findConfig,
  loadConfig,
  resolveRules,
  UsageError,
  validateConfig,
  type ResolvedRule,
  type RuleConfigValue,
  type TunelintConfig,
} from "./config.js";
import { FileLinter, type TokenContext } from "./engine.js";
import { loadTokenContext, type TokenRequest } from "./tokens.js";
import { DEFAULT_PARALLEL_THRESHOLD, defaultJobs, lintFileParallel, workerScript } from "./parallel.js";

export interface LintOptions {
  /** Rule severities/options, applied over the config file's. */
  rules?: Record<string, RuleConfigValue>;
  /** A config file path, a config object, or false to use none. Default: tunelint.config.json found from `cwd` upward. */
  config?: string | TunelintConfig | false;
  cwd?: string;
  /** Lines longer than this are reported (line-too-long) and skipped. Default 64 MiB. */
  maxLineBytes?: number;
  /**
   * Findings kept per rule and file (default DEFAULT_MAX_FINDINGS_PER_RULE = 1000; 0 keeps all): the first ones in line
   * order. The rest are counted (errorCount... stay exact) and listed in `FileResult.omitted`; every report format says
   * how many more there were. Memory then stays bounded whatever the number of findings.
   */
  maxFindingsPerRule?: number;
  /** Target model id (exact Together id): enables token budgets. */
  model?: string;
  method?: TrainingMethod;
  /** Overrides the model's maximum sequence length. */
  maxSeqLength?: number;
  /** tokenizer.json / chat template for a model tunelint does not know. */
  tokenizer?: string;
  chatTemplate?: string;
  signal?: AbortSignal;
  /** Compute each file's SHA-256 (stats.sha256; default true, the uploader needs it; `check` turns it off). */
  hash?: boolean;
  /** Worker threads for big files (default: available cores; 1 = single thread). */
  jobs?: number;
  /** Files at least this big (bytes) are split across `jobs` workers (default 64 MiB). */
  parallelThreshold?: number;
  /**
   * Load the tokenizer only when a file is linted on this thread (default false: prepareLint loads it, so lintRecord
   * can count). The CLI sets it: a parallel check's main thread then never loads one.
   */
  lazyTokenizer?: boolean;
  /** Collect per-record size distributions in stats.histograms (bytes; tokens with a model): the HTML report draws them. */
  histograms?: boolean;
  /**
   * Called as a file is read (about once per MiB): raw bytes read (compressed for .gz), the file's size when known,
   * and lines judged so far. The CLI draws its progress line from it.
   */
  onProgress?: (p: LintProgress) => void;
  /** Called for every finding as it is made (streaming consumers). */
  onDiagnostic?: (d: Diagnostic, path: string) => void;
}

/** The longest line that can be decoded and parsed: V8's maximum string length (a line of N UTF-8 bytes decodes to at most N UTF-16 units). */
const MAX_STRING_LENGTH = bufferConstants.MAX_STRING_LENGTH;

/** Findings kept per rule and file unless `maxFindingsPerRule` says otherwise. */
export const DEFAULT_MAX_FINDINGS_PER_RULE = 1000;

export interface LintProgress {
  path: string;
  /** Raw bytes read so far (as stored: compressed bytes for .gz). */
  bytes: number;
  /** The file's size in bytes, when known (null for stdin and streams). */
  totalBytes: number | null;
  /** Lines judged so far. */
  lines: number;
}

/** Options resolved once per run (config read, rules resolved, tokenizer loaded). */
export interface PreparedLint {
  rules: Map<string, ResolvedRule>;
  maxLineBytes: number;
  /** Findings kept per rule and file (0: all). */
  maxFindingsPerRule: number;
  method: TrainingMethod;
  /** The method given explicitly (option or config), if any. */
  explicitMethod: TrainingMethod | undefined;
  tokens: TokenContext | null;
  /** How to load the token counter again (in a worker thread). */
  tokenRequest: TokenRequest | null;
  options: LintOptions;
}

function isPrepared(o: LintOptions | PreparedLint): o is PreparedLint {
  return (o as PreparedLint).rules instanceof Map;
}

/** Resolves config, rules and the token counter once; pass the result to lint functions to reuse it. */
export async function prepareLint(options: LintOptions = {}): Promise<PreparedLint> {
  let config: TunelintConfig = {};
  if (typeof options.config === "string") config = loadConfig(options.config);
  else if (options.config && typeof options.config === "object") {
    validateConfig(options.config, "config object");
    config = options.config;
  } else if (options.config !== false) {
    const found = findConfig(options.cwd ?? process.cwd());
    if (found) config = loadConfig(found);
  }
  const rules = resolveRules(config.rules, options.rules);
  const maxLineBytes = options.maxLineBytes ?? config.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  if (!Number.isInteger(maxLineBytes) || maxLineBytes < 1) throw new UsageError(`Invalid max line bytes: ${maxLineBytes}`);
  // A line is decoded to one string: longer than V8's longest string, it could only crash (or abort) the runtime.
  if (maxLineBytes > MAX_STRING_LENGTH) {
    throw new UsageError(
      `--max-line-bytes (maxLineBytes) ${maxLineBytes} is more than this runtime can hold in one line: it can be at most ${MAX_STRING_LENGTH} (${(MAX_STRING_LENGTH / 2 ** 20).toFixed(0)} MiB).`,
    );
  }
  const maxFindingsPerRule = options.maxFindingsPerRule ?? config.maxFindingsPerRule ?? DEFAULT_MAX_FINDINGS_PER_RULE;
  if (!Number.isInteger(maxFindingsPerRule) || maxFindingsPerRule < 0)
    throw new UsageError(`Invalid maxFindingsPerRule: ${maxFindingsPerRule} (use 0 for no limit, or a positive integer).`);
  const explicitMethod = options.method ?? config.method;
  if (explicitMethod !== undefined && explicitMethod !== "sft" && explicitMethod !== "dpo") {
    throw new UsageError(`Invalid method "${String(explicitMethod)}": use sft or dpo.`);
  }
  const method = explicitMethod ?? "sft";
  const model = options.model ?? config.model;
  if (model === "") throw new UsageError("--model (model) is empty: give a model id (tunelint models lists them), or leave it out.");
  if (!model) {
    // Token options without a model would be silently ignored: say so instead.
    const given = (
      [
        ["--tokenizer", "tokenizer", options.tokenizer ?? config.tokenizer],
        ["--chat-template", "chatTemplate", options.chatTemplate ?? config.chatTemplate],
        ["--max-seq-length", "maxSeqLength", options.maxSeqLength ?? config.maxSeqLength],
      ] as const
    ).find((x) => x[2] !== undefined);
    if (given) {
      throw new UsageError(
        `${given[0]} (${given[1]}) needs --model (model): token budgets are counted for a model. Give --model with its id (with --tokenizer and --max-seq-length, any id for a model tunelint does not know).`,
      );
    }
  }
  const tokenRequest: TokenRequest | null = model
    ? {
        model,
        method: explicitMethod,
        maxSeqLength: options.maxSeqLength ?? config.maxSeqLength,
        tokenizer: options.tokenizer ?? config.tokenizer,
        chatTemplate: options.chatTemplate ?? config.chatTemplate,
      }
    : null;
  const tokens = tokenRequest ? await loadTokenContext(tokenRequest, { eager: !options.lazyTokenizer }) : null;
  if (options.jobs !== undefined && (!Number.isInteger(options.jobs) || options.jobs < 1))
    throw new UsageError(`Invalid jobs: ${options.jobs} (use 1 or more).`);
  return { rules, maxLineBytes, maxFindingsPerRule, method, explicitMethod, tokens, tokenRequest, options };
}

/** Lints a byte stream (plain or gzip). `path` labels the result (default "<stdin>"). */
export async function lintStream(
  source: AsyncIterable<Buffer | Uint8Array | string> | NodeJS.ReadableStream,
  options: (LintOptions & { path?: string }) | PreparedLint = {},
  path?: string,
  /** The source's size when known (progress reports only). */
  totalBytes: number | null = null,
): Promise<FileResult> {
  const prepared = isPrepared(options) ? options : await prepareLint(options);
  const label = path ?? (isPrepared(options) ? undefined : options.path) ?? "<stdin>";
  await prepared.tokens?.ready();
  const onDiagnostic = prepared.options.onDiagnostic;
  const linter = new FileLinter({
    path: label,
    rules: prepared.rules,
    maxLineBytes: prepared.maxLineBytes,
    maxFindingsPerRule: prepared.maxFindingsPerRule,
    tokens: prepared.tokens,
    method: prepared.method,
    explicitMethod: prepared.explicitMethod,
    onDiagnostic: onDiagnostic ? (d) => onDiagnostic(d, label) : undefined,
    histograms: prepared.options.histograms,
  });
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

/** Lints one file (plain or .gz). I/O failures become a fatal result, never an exception. */
export async function lintFile(path: string, options: LintOptions | PreparedLint = {}): Promise<FileResult> {
  const prepared = isPrepared(options) ? options : await prepareLint(options);
  let size: number;
  try {
    const s = await stat(path);
    if (s.isDirectory()) throw Object.assign(new Error("is a directory"), { code: "EISDIR" });
    size = s.size;
  } catch (e) {
    const linter = new FileLinter({ path, rules: prepared.rules, maxLineBytes: prepared.maxLineBytes });
    linter.fatal(describeIoError(e));
    return linter.finish({ bytes: 0, sha256: "", lines: 0, decodedBytes: 0, gzip: false });
  }
  const jobs = prepared.options.jobs ?? defaultJobs();
  if (jobs > 1 && size >= (prepared.options.parallelThreshold ?? DEFAULT_PARALLEL_THRESHOLD) && !(await isGzip(path))) {
    return lintFileParallel(path, size, prepared, jobs, workerScript());
  }
  return lintStream(openFile(path, prepared.options.signal), prepared, path, size);
}

async function isGzip(path: string): Promise<boolean> {
  const fh = await open(path, "r");
  try {
    const b = Buffer.alloc(2);
    const { bytesRead } = await fh.read(b, 0, 2, 0);
    return bytesRead === 2 && b[0] === 0x1f && b[1] === 0x8b;
  } finally {
    await fh.close();
  }
}

export interface ExpandResult {
  files: string[];
  /** Patterns (or paths) that matched nothing. */
  unmatched: string[];
}

const GLOB_CHARS = /[*?[\]{}()!]/;
/** Never searched by globs or directory walks (an explicit path is still linted). */
const IGNORED = ["**/node_modules/**", "**/.git/**"];

/** Expands paths and globs (fast-glob) in order, without duplicates. */
export async function expandPatterns(patterns: readonly string[], cwd = process.cwd()): Promise<ExpandResult> {
  // fast-glob is loaded only for globs and directories: plain paths (pre-commit passes many) start faster.
  let fgModule: typeof import("fast-glob") | null = null;
  const fg = async (pattern: string, opts: import("fast-glob").Options) => {
    fgModule ??= (await import("fast-glob")).default;
    return fgModule(pattern, opts);
  };
  const files: string[] = [];
  const seen = new Set<string>();
  const unmatched: string[] = [];
  for (const p of patterns) {
    let matched: string[] = [];
    const isGlob = GLOB_CHARS.test(p);
    if (!isGlob) {
      try {
        const s = await stat(p.startsWith("/") ? p : `${cwd}/${p}`);
        if (s.isDirectory()) {
          matched = (
            await fg("**/*.{jsonl,ndjson,jsonl.gz,ndjson.gz}", {
              cwd: `${p.startsWith("/") ? "" : cwd + "/"}${p}`,
              dot: false,
              onlyFiles: true,
              ignore: IGNORED,
            })
          )
            .sort()
            .map((f) => `${p.replace(/\/+$/, "")}/${f}`);
        } else matched = [p];
      } catch {
        matched = [];
      }
    } else {
      matched = (await fg(p, { cwd, dot: false, onlyFiles: true, ignore: IGNORED })).sort();
    }
    if (matched.length === 0) unmatched.push(p);
    for (const f of matched) {
      if (!seen.has(f)) {
        seen.add(f);
        files.push(f);
      }
    }
  }
  return { files, unmatched };
}

export function summarize(files: FileResult[]): LintReport {
  let errorCount = 0;
  let warningCount = 0;
  let infoCount = 0;
  for (const f of files) {
    errorCount += f.errorCount;
    warningCount += f.warningCount;
    infoCount += f.infoCount;
  }
  return { version: VERSION, files, errorCount, warningCount, infoCount };
}

/** Lints every file the patterns match. A pattern that matches nothing is a UsageError unless `allowUnmatched`. */
export async function lintFiles(
  patterns: readonly string[],
  options: LintOptions & { allowUnmatched?: boolean } = {},
): Promise<LintReport> {
  const prepared = await prepareLint(options);
  const { files, unmatched } = await expandPatterns(patterns, options.cwd);
  if (unmatched.length && !options.allowUnmatched) {
    throw new UsageError(`No files matching ${unmatched.map((u) => `'${u}'`).join(", ")} were found.`);
  }
  const results: FileResult[] = [];
  // Paths are reported as matched (relative to `cwd`) but opened from `cwd`.
  for (const f of files) {
    const r = await lintFile(options.cwd && !isAbsolute(f) ? resolve(options.cwd, f) : f, prepared);
    results.push({ ...r, path: f });
  }
  return summarize(results);
}

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
    format: v && typeof v === "object" && !Array.isArray(v) ? detectFormat(v as Record<string, unknown>) : null,
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
