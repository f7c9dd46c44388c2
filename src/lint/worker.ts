/**
 * Worker thread: judges one byte range of a file (which starts right after a newline; range.ts) and posts back a
 * PartialResult. It receives bytes' location only, never parsed values (deep values can't be cloned).
 */
import { parentPort, workerData } from "node:worker_threads";
import { lintRange, type RangeResult, type WorkerJob } from "./range.js";
import { loadTokenContext } from "./token-context.js";
import { factBuffers } from "./facts.js";
import type { SharedTokenizer } from "../tokens/load.js";

export type { WorkerJob } from "./range.js";

/** What a worker posts last: its partial result, and the size and digest of the bytes it read. */
export type WorkerReply = RangeResult;

const job = workerData as WorkerJob;

async function run(): Promise<void> {
  const shared = job.tokenizerFollows
    ? await new Promise<SharedTokenizer | null>((resolve) =>
        parentPort!.once("message", (m: { tokenizer: SharedTokenizer | null }) => resolve(m.tokenizer)),
      )
    : null;
  const tokens = job.tokenRequest ? await loadTokenContext(job.tokenRequest, { eager: true, shared }) : null;
  const reply = await lintRange(job, tokens, job.progress ? (progress) => parentPort!.postMessage({ progress }) : undefined);
  tokens?.dispose?.();
  const { part } = reply;
  parentPort!.postMessage(reply, [
    part.tokenCounts.buffer as ArrayBuffer,
    part.trainedCounts.buffer as ArrayBuffer,
    ...Object.values(part.facts).flatMap(factBuffers),
  ]);
}

run().catch((e: unknown) => {
  parentPort!.postMessage({ error: (e as Error)?.message ?? String(e) });
});
