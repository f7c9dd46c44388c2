/**
 * Executing `fix` and `convert`: read the input, write the output (never over the input), lint every output line as
 * it is written with the library linter, and return an outcome. Nothing is printed here: the CLI renders outcomes.
 */
import { stat } from "node:fs/promises";
import { createRecordLinter, type PreparedLint } from "../lint/lint.js";
import { describeIoError } from "../lint/lint.js";
import type { Diagnostic, FileResult } from "../types.js";
import { convertStream, type ConvertOptions, type ConvertIssue, type SourceFormat, type ConvertChange } from "./convert.js";
import { fixStream, type FixChange } from "./fix.js";
import type { Container } from "./json-stream.js";
import { assertNotSameFile, openInput, openSink, type Sink } from "./sink.js";

/** A finding in the output, with the input line (or array element) it came from. */
export type OutputDiagnostic = Diagnostic & { inputLine: number | null };

export interface FixOutcome {
  input: string;
  output: string;
  /** Input lines read. */
  lines: number;
  /** Records (JSON object lines) in the input and the output: always equal. */
  records: number;
  /** Lines written. */
  outputLines: number;
  changes: FixChange[];
  /** What the output still has (not fixable safely), linted as it was written. */
  remaining: OutputDiagnostic[];
  lint: FileResult;
}

export interface RunIo {
  stdin?: NodeJS.ReadableStream;
  stdout?: NodeJS.WritableStream;
  signal?: AbortSignal;
}

/** An input that cannot be read (exit 2), as opposed to bad data in it. */
export class InputError extends Error {
  readonly exitCode = 2;
  constructor(message: string) {
    super(message);
    this.name = "InputError";
  }
}

function lintOutput(prepared: PreparedLint, output: string) {
  const linter = createRecordLinter({ ...prepared, options: prepared.options } as PreparedLint);
  const remaining: OutputDiagnostic[] = [];
  const inputLines: (number | null)[] = [];
  return {
    push(text: string | Buffer, inputLine: number | null) {
      inputLines.push(inputLine);
      const r = linter.push(text);
      for (const d of r.diagnostics) remaining.push({ ...d, inputLine });
    },
    finish(): { lint: FileResult; remaining: OutputDiagnostic[] } {
      const lint = linter.finish();
      const seen = new Set(remaining.map((d) => `${d.line}\u0000${d.ruleId}\u0000${d.pointer}\u0000${d.messageId}`));
      const all: OutputDiagnostic[] = [...remaining];
      for (const d of lint.diagnostics) {
        if (seen.has(`${d.line}\u0000${d.ruleId}\u0000${d.pointer}\u0000${d.messageId}`)) continue;
        all.push({ ...d, inputLine: d.line !== null ? (inputLines[d.line - 1] ?? null) : null });
      }
      all.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
      lint.path = output === "-" ? "<stdout>" : output;
      return { lint, remaining: all };
    },
  };
}

async function withSink<T>(output: string, io: RunIo, work: (sink: Sink) => Promise<T>): Promise<T> {
  const sink = await openSink(output, io.stdout);
  try {
    const r = await work(sink);
    await sink.close();
    return r;
  } catch (e) {
    await sink.abort();
    throw e;
  }
}

/** A missing or unreadable input is exit 2 before any output is opened. */
async function assertReadable(input: string): Promise<void> {
  if (input === "-") return;
  try {
    const s = await stat(input);
    if (s.isDirectory()) throw Object.assign(new Error("is a directory"), { code: "EISDIR" });
  } catch (e) {
    throw new InputError(`Cannot read ${input}: ${describeIoError(e)}`);
  }
}

function ioFailure(input: string, e: unknown): never {
  const err = e as NodeJS.ErrnoException;
  if (err?.name === "AbortError") throw e;
  if (err?.code === "ELINETOOLONG") throw new InputError(`${input}: ${err.message}`);
  if (err?.code || /gzip|zlib|incorrect header/i.test(String(err?.message))) {
    throw new InputError(`Cannot read ${input === "-" ? "stdin" : input}: ${describeIoError(e)}`);
  }
  throw e;
}

/** `tunelint fix`: repairs `input` into `output` ("-" = stdin / stdout). */
export async function executeFix(
  input: string,
  output: string,
  prepared: PreparedLint,
  options: { skip?: string[]; maxLineBytes?: number } & RunIo = {},
): Promise<FixOutcome> {
  await assertNotSameFile(input, output);
  await assertReadable(input);
  return withSink(output, options, async (sink) => {
    const source = openInput(input, options.stdin);
    const lint = lintOutput(prepared, output);
    const changes: FixChange[] = [];
    let lines = 0;
    let records = 0;
    let outputLines = 0;
    try {
      for await (const l of fixStream(source, {
        skip: options.skip,
        maxLineBytes: options.maxLineBytes ?? prepared.maxLineBytes,
        signal: options.signal,
      })) {
        lines = l.line;
        for (const c of l.changes) changes.push(c);
        if (l.record) records++;
        if (l.bytes === null) continue;
        outputLines++;
        const w = sink.line(l.bytes, l.crlf);
        if (w) await w;
        lint.push(l.bytes, l.line);
      }
    } catch (e) {
      ioFailure(input, e);
    }
    const { lint: result, remaining } = lint.finish();
    return { input, output, lines, records, outputLines, changes, remaining, lint: result };
  });
}

export interface ConvertOutcome {
  input: string;
  output: string;
  /** The source format used (detected or given): the first record's. */
  from: SourceFormat | null;
  /** How the input holds its records. */
  container: Container | null;
  /** Records per source format. */
  sources: Partial<Record<SourceFormat, number>>;
  /** Records read from the input. */
  records: number;
  /** Records written. */
  written: number;
  /** Records that could not be converted (left out only with skipInvalid; otherwise written as they were). */
  issues: ConvertIssue[];
  /** What changed in each record, counted by kind (e.g. "role human -> user"). */
  changeCounts: Record<string, number>;
  remaining: OutputDiagnostic[];
  lint: FileResult;
}

/** `tunelint convert`: converts `input` into Together JSONL at `output`. */
export async function executeConvert(
  input: string,
  output: string,
  prepared: PreparedLint,
  options: ConvertOptions & RunIo & { skipInvalid?: boolean } = {},
): Promise<ConvertOutcome> {
  await assertNotSameFile(input, output);
  await assertReadable(input);
  return withSink(output, options, async (sink) => {
    const source = openInput(input, options.stdin);
    const lint = lintOutput(prepared, output);
    const issues: ConvertIssue[] = [];
    const changeCounts: Record<string, number> = {};
    let records = 0;
    let written = 0;
    let from: SourceFormat | null = null;
    let container: Container | null = null;
    const sources: Partial<Record<SourceFormat, number>> = {};
    try {
      const stream = convertStream(source, {
        ...options,
        maxLineBytes: options.maxLineBytes ?? prepared.maxLineBytes,
        onContainer: (c) => (container = c),
      });
      for await (const item of stream) {
        if (item.blank) continue;
        if (item.index < 0) {
          issues.push(item.issue!); // file-level (a truncated array): no record to keep
          continue;
        }
        records++;
        from ??= item.from;
        if (item.from) sources[item.from] = (sources[item.from] ?? 0) + 1;
        for (const c of item.changes) countChange(changeCounts, c);
        let text: string | null;
        if (item.issue) {
          issues.push(item.issue);
          if (options.skipInvalid) continue;
          text = item.original; // kept as it was, so nothing is lost; the output lint reports it
        } else text = item.text!;
        if (text === null) continue;
        written++;
        const w = sink.line(text);
        if (w) await w;
        lint.push(text, item.line);
      }
    } catch (e) {
      ioFailure(input, e);
    }
    const { lint: result, remaining } = lint.finish();
    return { input, output, from, container, sources, records, written, issues, changeCounts, remaining, lint: result };
  });
}

function countChange(counts: Record<string, number>, c: ConvertChange): void {
  counts[c] = (counts[c] ?? 0) + 1;
}
