/**
 * Worker thread: judges one byte range of a file (which starts right after a newline) and posts back a
 * PartialResult. It receives bytes' location only, never parsed values (deep values can't be cloned).
 */
import { parentPort, workerData } from "node:worker_threads";
import { createReadStream } from "node:fs";
import { readLines } from "../io/reader.js";
import { buildFileLinter, type PartialResult } from "./file-linter.js";
import { loadTokenContext, type TokenRequest } from "./token-context.js";
import type { ResolvedRule } from "./config.js";
import type { TrainingMethod, TrainOnInputs } from "../types.js";
import type { SharedTokenizer } from "../tokens/load.js";

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

/** What a worker posts last: its partial result, and the size and digest of the bytes it read. */
export interface WorkerReply {
  part: PartialResult;
  read: { bytes: number; sha256: string };
}

const job = workerData as WorkerJob;

async function run(): Promise<void> {
  const shared = job.tokenizerFollows
    ? await new Promise<SharedTokenizer | null>((resolve) =>
        parentPort!.once("message", (m: { tokenizer: SharedTokenizer | null }) => resolve(m.tokenizer)),
      )
    : null;
  const tokens = job.tokenRequest ? await loadTokenContext(job.tokenRequest, { eager: true, shared }) : null;
  const linter = buildFileLinter({ ...job, rules: new Map(job.rules), tokens }, job.path, {
    deferCrossRecord: true,
    crossFile: job.crossFile,
  });
  let read = { bytes: 0, sha256: "" };
  if (job.end > job.start) {
    let lines = 0;
    const s = await readLines(
      createReadStream(job.path, { start: job.start, end: job.end - 1, highWaterMark: 1 << 20 }),
      (l) => {
        lines = l.line;
        linter.line(l);
      },
      {
        maxLineBytes: job.maxLineBytes,
        hash: job.hash,
        onChunk: job.progress ? (bytes) => parentPort!.postMessage({ progress: { bytes, lines } }) : undefined,
      },
    );
    read = { bytes: s.bytes, sha256: s.sha256 };
  }
  tokens?.dispose?.();
  const part = linter.partial();
  const reply: WorkerReply = { part, read };
  parentPort!.postMessage(reply, [
    part.tokenCounts.buffer as ArrayBuffer,
    part.trainedCounts.buffer as ArrayBuffer,
    ...Object.values(part.facts).map((f) => f.buffer as ArrayBuffer),
    ...Object.values(part.words).map((w) => w.buffer as ArrayBuffer),
  ]);
}

run().catch((e: unknown) => {
  parentPort!.postMessage({ error: (e as Error)?.message ?? String(e) });
});
