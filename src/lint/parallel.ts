/**
 * Parallel check of one big file: byte ranges split at line boundaries, one worker thread each, results merged in
 * file order so that line numbers, finding order, duplicates across ranges and the JSON output are identical to a
 * single-thread run. The main thread hashes the file meanwhile (the SHA-256 of the exact bytes).
 */
import { createHash } from "node:crypto";
import { createReadStream, existsSync } from "node:fs";
import { open } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { FileResult } from "../types.js";
import { FileLinter, type PartialResult } from "./file-linter.js";
import type { PreparedLint } from "./prepare.js";
import type { WorkerJob } from "./worker.js";

/** Files smaller than this stay on one thread: starting workers costs 0.1 to 0.2 s. */
export const DEFAULT_PARALLEL_THRESHOLD = 64 * 1024 * 1024;

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

/** Offsets where ranges start: 0, then the byte after the first newline at or after each even split point. */
export async function lineBoundaries(path: string, size: number, parts: number): Promise<number[]> {
  const bounds = [0];
  const fh = await open(path, "r");
  try {
    const buf = Buffer.alloc(64 * 1024);
    for (let k = 1; k < parts; k++) {
      let pos = Math.max(Math.floor((size * k) / parts), bounds[bounds.length - 1]!);
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

async function sha256Of(path: string): Promise<string> {
  const h = createHash("sha256");
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) h.update(chunk as Buffer);
  return h.digest("hex");
}

type WorkerMessage = PartialResult | { error: string } | { progress: { bytes: number; lines: number } };

function runWorker(script: string, job: WorkerJob, onProgress?: (p: { bytes: number; lines: number }) => void): Promise<PartialResult> {
  return new Promise((resolve, reject) => {
    const w = new Worker(script, { workerData: job });
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
}

export async function lintFileParallel(
  path: string,
  size: number,
  prepared: PreparedLint,
  jobs: number,
  script: string,
): Promise<FileResult> {
  const bounds = await lineBoundaries(path, size, jobs);
  const rules = [...prepared.rules];
  const hashing = prepared.options.hash === false ? Promise.resolve("") : sha256Of(path);
  const report = prepared.options.onProgress;
  const done = bounds.slice(0, -1).map(() => ({ bytes: 0, lines: 0 }));
  const progressOf = (i: number) =>
    report
      ? (p: { bytes: number; lines: number }) => {
          done[i] = p;
          report({ path, bytes: done.reduce((a, d) => a + d.bytes, 0), totalBytes: size, lines: done.reduce((a, d) => a + d.lines, 0) });
        }
      : undefined;
  const parts = await Promise.all(
    bounds.slice(0, -1).map((start, i) =>
      runWorker(
        script,
        {
          path,
          start,
          end: bounds[i + 1]!,
          rules,
          maxLineBytes: prepared.maxLineBytes,
          maxFindingsPerRule: prepared.maxFindingsPerRule,
          method: prepared.method,
          explicitMethod: prepared.explicitMethod,
          tokenRequest: prepared.tokenRequest,
          histograms: prepared.options.histograms === true,
          progress: report !== undefined,
        },
        progressOf(i),
      ),
    ),
  );
  const onDiagnostic = prepared.options.onDiagnostic;
  const linter = new FileLinter({
    path,
    rules: prepared.rules,
    maxLineBytes: prepared.maxLineBytes,
    maxFindingsPerRule: prepared.maxFindingsPerRule,
    tokens: prepared.tokens,
    method: prepared.method,
    explicitMethod: prepared.explicitMethod,
    onDiagnostic: onDiagnostic ? (d) => onDiagnostic(d, path) : undefined,
    histograms: prepared.options.histograms,
  });
  let offset = 0;
  for (const part of parts) {
    linter.absorb(part, offset);
    offset += part.lines;
  }
  return linter.finish({ bytes: size, sha256: await hashing, lines: offset, decodedBytes: size, gzip: false });
}
