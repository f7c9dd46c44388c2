/**
 * Parallel check of one big file: byte ranges split at line boundaries, one worker thread each, results merged in
 * file order so that line numbers, finding order, duplicates across ranges and the JSON output are identical to a
 * single-thread run. When hashing (the uploader), each worker hashes the range it judges and the main thread hashes
 * the file meanwhile, whole and per range: the whole-file SHA-256 is reported only when every range digest equals
 * the worker's, so it is the digest of exactly the bytes that were linted. A file modified while it was being linted
 * is a read-error (fatal), never a clean result with the hash of other bytes.
 */
import { createHash } from "node:crypto";
import { createReadStream, existsSync } from "node:fs";
import { open } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import type { FileResult } from "../types.js";
import { crossFileOf } from "./file-linter.js";
import type { PreparedLint } from "./prepare.js";
import type { WorkerJob, WorkerReply } from "./worker.js";
import type { Worker } from "node:worker_threads";
import type { SharedTokenizer } from "../tokens/load.js";
import { readRange, type RangeResult } from "./range.js";

/** Files smaller than this stay on one thread: starting workers costs 0.1 to 0.2 s. */
export const DEFAULT_PARALLEL_THRESHOLD = 64 * 1024 * 1024;

/**
 * What one thread judges per second (bytes of JSONL; Node 20, `npm run bench`'s chat file, 2-core machine): the
 * structural check, and the check with exact token counts (rendering + BPE dominate).
 */
const STRUCTURAL_BYTES_PER_SECOND = 250e6;
const COUNTING_BYTES_PER_SECOND = 12e6;
/**
 * Starting a worker: the thread and its modules; with counts also the tokenizer's tables, loaded once by the main
 * thread while the workers start (30 to 110 ms from the compact tables; workers build none) and the worker's template.
 */
const WORKER_START_SECONDS = 0.15;
const TOKENIZER_EXTRA_SECONDS = 0.05;
/**
 * How much later than the main thread a counting worker starts on its range (its thread and modules start while the
 * main thread loads the tables, then it waits for them; measured 35 to 50 ms on a 16 MB file) and warms up: the main
 * thread's range is made larger by this much of its work, so that the threads finish together (they finished 65 to
 * 170 ms apart with equal ranges).
 */
const COUNTING_HEAD_START_SECONDS = 0.06;
/**
 * Young generation of a worker (MiB): V8's default lets each thread hold up to about 48 MiB of short-lived garbage
 * (parsed lines, rendered templates, pre-tokens). With 8, a counting check of 16 MB stays under 200 MB of peak RSS
 * on two threads (about 240 MB with the default), and a structural worker takes no more CPU time (251 MB on two
 * threads: 5.1-5.3 CPU s against 5.4-5.9), measured on a 2-core machine, Node 20.
 */
const WORKER_YOUNG_GENERATION_MB = 8;

/**
 * The file size from which splitting across `jobs` workers is estimated to save time: the work saved, (1 - 1/jobs)
 * of the single-thread time, must exceed the workers' start-up. The work is estimated from what the check does (token
 * counting is about 20x slower per byte than the structural check), not from a fixed byte count: with a model a
 * 16 MB file is split, the structural check of the same file stays on one thread. Never below 1 MiB.
 */
export function parallelThreshold(jobs: number, counting: boolean): number {
  if (jobs < 2) return Infinity;
  const rate = counting ? COUNTING_BYTES_PER_SECOND : STRUCTURAL_BYTES_PER_SECOND;
  const start = WORKER_START_SECONDS + (counting ? TOKENIZER_EXTRA_SECONDS : 0);
  return counting ? Math.max(1024 * 1024, Math.ceil((start * rate) / (1 - 1 / jobs))) : DEFAULT_PARALLEL_THRESHOLD;
}

export function defaultJobs(): number {
  return Math.max(1, availableParallelism());
}

/**
 * The built worker script beside this module: `worker.js` next to the tsc build (dist/lint/) and the Action bundle,
 * `worker.mjs` next to the CLI bundle (dist/bundle/). Tests run the TypeScript sources, whose worker must still be the
 * built one. A missing worker is a broken install, never a silent fall-back to one thread.
 */
export function workerScript(): string {
  const here = import.meta.url;
  const names = here.endsWith(".ts") ? ["../../dist/lint/worker.js"] : ["./worker.js", "./worker.mjs"];
  const paths = names.map((n) => fileURLToPath(new URL(n, here)));
  const found = paths.find((p) => existsSync(p));
  if (!found) {
    throw new Error(`tunelint's worker script is missing (looked for ${paths.join(", ")}): reinstall tunelint, or run with --jobs 1.`);
  }
  return found;
}

/**
 * Bytes the main thread's range (the first) gets beyond an even share when it judges one itself and tokens are counted:
 * the head start it has on the workers, in bytes of counting work.
 */
export function mainHeadStart(size: number, jobs: number): number {
  if (jobs < 2) return 0;
  return Math.min(Math.floor(size / jobs), Math.round(COUNTING_HEAD_START_SECONDS * COUNTING_BYTES_PER_SECOND));
}

/**
 * Offsets where ranges start: 0, then the byte after the first newline at or after each split point. The split points
 * are even, or, with `first`, the first range has about `first` extra bytes (taken evenly from the others).
 */
export async function lineBoundaries(path: string, size: number, parts: number, first = 0): Promise<number[]> {
  const bounds = [0];
  const fh = await open(path, "r");
  try {
    const buf = Buffer.alloc(64 * 1024);
    const extra = Math.max(0, Math.min(first, size));
    for (let k = 1; k < parts; k++) {
      const point = extra + Math.floor(((size - extra) * k) / parts);
      let pos = Math.max(point, bounds[bounds.length - 1]!);
      let found = -1;
      while (pos < size && found < 0) {
        const { bytesRead } = await fh.read(buf, 0, buf.length, pos);
        if (bytesRead === 0) break;
        const i = buf.subarray(0, bytesRead).indexOf(0x0a);
        if (i >= 0) found = pos + i + 1;
        else pos += bytesRead;
      }
      if (found > 0 && found < size && found > bounds[bounds.length - 1]!) bounds.push(found);
    }
  } finally {
    await fh.close();
  }
  bounds.push(size);
  return bounds;
}

/** SHA-256 of the whole file and of each range [bounds[i], bounds[i+1]), in one sequential pass. */
export async function rangeDigests(path: string, bounds: number[]): Promise<{ bytes: number; sha256: string; ranges: string[] }> {
  const whole = createHash("sha256");
  const ranges: string[] = [];
  let k = 0;
  let part = createHash("sha256");
  let pos = 0;
  for await (const piece of createReadStream(path, { highWaterMark: 1 << 20 })) {
    const chunk = piece as Buffer;
    whole.update(chunk);
    let off = 0;
    while (off < chunk.length) {
      const end = k + 1 < bounds.length ? bounds[k + 1]! : Infinity;
      const take = Math.min(chunk.length - off, end - (pos + off));
      part.update(chunk.subarray(off, off + take));
      off += take;
      if (pos + off === end) {
        ranges.push(part.digest("hex"));
        part = createHash("sha256");
        k++;
      }
    }
    pos += chunk.length;
  }
  while (ranges.length < bounds.length - 1) {
    ranges.push(part.digest("hex"));
    part = createHash("sha256");
  }
  return { bytes: pos, sha256: whole.digest("hex"), ranges };
}

type WorkerMessage = WorkerReply | { error: string } | { progress: { bytes: number; lines: number } };

/** A started worker: its reply, and the way to hand it the tokenizer tables (when its job waits for them). */
interface Running {
  reply: Promise<WorkerReply>;
  worker: Worker;
}

function runWorker(
  WorkerThread: typeof Worker,
  script: string,
  job: WorkerJob,
  onProgress?: (p: { bytes: number; lines: number }) => void,
): Running {
  const w = new WorkerThread(script, {
    workerData: job,
    resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB },
  });
  const reply = new Promise<WorkerReply>((resolve, reject) => {
    const onMessage = (m: WorkerMessage) => {
      if ("progress" in m) {
        onProgress?.(m.progress);
        return;
      }
      w.off("message", onMessage);
      if ("error" in m) reject(new Error(m.error));
      else resolve(m);
      void w.terminate();
    };
    w.on("message", onMessage);
    w.once("error", reject);
    w.once("exit", (code) => {
      if (code !== 0) reject(new Error(`worker exited with code ${code}`));
    });
  });
  return { reply, worker: w };
}

export async function lintFileParallel(
  path: string,
  size: number,
  prepared: PreparedLint,
  jobs: number,
  script: string,
): Promise<FileResult> {
  const hash = prepared.options.hash !== false;
  const counting = prepared.tokens !== null && prepared.tokenRequest !== null;
  // `jobs` threads in all: the main thread judges the first range itself (one worker fewer to start, and one heap
  // fewer), the workers the others. Not when hashing (the uploader): the main thread then reads the whole file for
  // its digests meanwhile, and every range goes to a worker.
  const here = !hash;
  const bounds = await lineBoundaries(path, size, jobs, here && counting ? mainHeadStart(size, jobs) : 0);
  const cross = crossFileOf(prepared, path);
  const rules = [...prepared.rules];
  const hashing = hash ? rangeDigests(path, bounds) : Promise.resolve(null);
  hashing.catch(() => undefined);
  const report = prepared.options.onProgress;
  const done = bounds.slice(0, -1).map(() => ({ bytes: 0, lines: 0 }));
  const progressOf = (i: number) =>
    report
      ? (p: { bytes: number; lines: number }) => {
          done[i] = p;
          report({ path, bytes: done.reduce((a, d) => a + d.bytes, 0), totalBytes: size, lines: done.reduce((a, d) => a + d.lines, 0) });
        }
      : undefined;
  const jobOf = (i: number): WorkerJob => ({
    path,
    start: bounds[i]!,
    end: bounds[i + 1]!,
    rules,
    maxLineBytes: prepared.maxLineBytes,
    maxFindingsPerRule: prepared.maxFindingsPerRule,
    method: prepared.method,
    explicitMethod: prepared.explicitMethod,
    trainOnInputs: prepared.trainOnInputs,
    tokenRequest: prepared.tokenRequest,
    tokenizerFollows: counting,
    histograms: prepared.options.histograms === true,
    progress: report !== undefined,
    crossFile: cross ? { role: cross.role, path } : undefined,
    hash,
  });
  // worker_threads loads only when a file is split: a small file's check does not pay for it at start-up.
  const { Worker: WorkerThread } = await import("node:worker_threads");
  const running = bounds
    .slice(here ? 1 : 0, -1)
    .map((_, k) => runWorker(WorkerThread, script, jobOf(k + (here ? 1 : 0)), progressOf(k + (here ? 1 : 0))));
  for (const r of running) r.reply.catch(() => undefined);
  const stop = () => Promise.all(running.map((r) => r.worker.terminate()));
  // In file order. The main thread judges the first range with the file's own linter (its cross-record rules merge
  // as they go, as in a one-thread check); each worker's range is absorbed once it arrives, the earlier ones first.
  const linter = prepared.fileLinter(path);
  const reads: RangeResult["read"][] = [];
  try {
    if (counting) {
      // The tokenizer's tables: built (or loaded) once, here, while the workers start, then shared with each of them
      // (shared memory: none of them reads the tokenizer file or builds its own tables).
      const tokenizer: SharedTokenizer | null = prepared.tokens?.sharedTables ? await prepared.tokens.sharedTables() : null;
      for (const r of running) r.worker.postMessage({ tokenizer });
      if (here) await prepared.tokens!.ready();
    }
    if (here) reads.push(await readRange(linter, jobOf(0), progressOf(0)));
  } catch (e) {
    await stop();
    throw e;
  }
  let offset = linter.lineCount;
  for (const r of running) {
    let reply: WorkerReply;
    try {
      reply = await r.reply;
    } catch (e) {
      await stop();
      throw e;
    }
    reads.push(reply.read);
    linter.absorb(reply.part, offset);
    offset += reply.part.lines;
  }
  let sha256 = "";
  if (hash) {
    const read = reads.reduce((n, r) => n + r.bytes, 0);
    const digests = await hashing.catch((e: unknown) => e as Error);
    const changed =
      digests instanceof Error ||
      digests === null ||
      read !== size ||
      digests.bytes !== size ||
      reads.some((r, i) => r.sha256 !== digests.ranges[i]);
    if (changed) {
      linter.fatal(
        digests instanceof Error
          ? (digests.message ?? String(digests))
          : `the file changed while it was being read (linted ${read} bytes of ${size}; the bytes differ from a second read): lint it again once nothing writes to it.`,
      );
    } else sha256 = digests.sha256;
  }
  return linter.finish({ bytes: size, sha256, lines: offset, decodedBytes: size, gzip: false });
}
