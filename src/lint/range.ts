/**
 * Judging one byte range of a file (which starts right after a newline): into a PartialResult, as a worker thread
 * does (worker.ts: cross-record facts are kept for the file's linter to absorb in file order, file-level rules wait
 * for it), or straight into the file's linter, as the main thread does for the first range of a parallel check.
 */
import { createReadStream } from "node:fs";
import { READ_CHUNK_BYTES, readLines } from "../io/reader.js";
import { buildFileLinter, type FileLinter, type PartialResult, type TokenContext } from "./file-linter.js";
import type { ResolvedRule } from "./config.js";
import type { TokenRequest } from "./token-context.js";
import type { TrainingMethod, TrainOnInputs } from "../types.js";

/** One range of a file to judge, with the run's settings (what a worker thread receives as workerData). */
export interface WorkerJob {
  path: string;
  start: number;
  /** Exclusive end offset. */
  end: number;
  rules: [string, ResolvedRule][];
  maxLineBytes: number;
  /** Each range keeps as many as the whole file may: the file's first N are among the ranges' first N. */
  maxFindingsPerRule: number;
  method: TrainingMethod;
  explicitMethod: TrainingMethod | undefined;
  trainOnInputs: TrainOnInputs;
  tokenRequest: TokenRequest | null;
  /**
   * The main thread posts `{ tokenizer }` once it has the tokenizer's tables (shared memory; null when they cannot
   * be shared): this thread waits for it before counting, and then reads no tokenizer file.
   */
  tokenizerFollows?: boolean;
  /** The file's side when the run has a validation file (workers only compute keys: no store). */
  crossFile?: { role: "training" | "validation"; path: string };
  histograms: boolean;
  /** Post `{ progress: { bytes, lines } }` messages as the range is read. */
  progress: boolean;
  /** Hash the range as it is read (the uploader: the digest of exactly the bytes this worker judged). */
  hash: boolean;
}

/** What a range gives: its partial result, and the size and digest of the bytes read. */
export interface RangeResult {
  part: PartialResult;
  read: { bytes: number; sha256: string };
}

export async function lintRange(
  job: WorkerJob,
  tokens: TokenContext | null,
  onChunk?: (p: { bytes: number; lines: number }) => void,
): Promise<RangeResult> {
  const linter = buildFileLinter({ ...job, rules: new Map(job.rules), tokens }, job.path, {
    deferCrossRecord: true,
    crossFile: job.crossFile,
  });
  const read = await readRange(linter, job, onChunk);
  return { part: linter.partial(), read };
}

/**
 * Feeds the lines of `job`'s range to `linter`: a range's own linter (lintRange), or the file's linter itself for the
 * first range (its cross-record rules then merge as they go: nothing is kept for later, as in a one-thread check).
 */
export async function readRange(
  linter: FileLinter,
  job: Pick<WorkerJob, "path" | "start" | "end" | "maxLineBytes" | "hash">,
  onChunk?: (p: { bytes: number; lines: number }) => void,
): Promise<{ bytes: number; sha256: string }> {
  if (job.end <= job.start) return { bytes: 0, sha256: "" };
  let lines = 0;
  const s = await readLines(
    createReadStream(job.path, {
      start: job.start,
      end: job.end - 1,
      // (small chunks die young: see READ_CHUNK_BYTES)
      highWaterMark: READ_CHUNK_BYTES,
    }),
    (l) => {
      lines = l.line;
      linter.line(l);
    },
    {
      maxLineBytes: job.maxLineBytes,
      hash: job.hash,
      onChunk: onChunk ? (bytes) => onChunk({ bytes, lines }) : undefined,
    },
  );
  return { bytes: s.bytes, sha256: s.sha256 };
}
