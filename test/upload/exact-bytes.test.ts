/**
 * Issue 17 item 19: the uploader sends exactly the bytes the lint judged, in every path, including the parallel lint
 * of big files (workers read ranges while the main thread hashes the file).
 */
import { readdirSync, readlinkSync, statSync, writeFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { workerScript } from "../../src/lint/parallel.js";
import { uploadDataset } from "../../src/upload/index.js";
import { STUB_API_KEY, startTogetherStub, type TogetherStub } from "../helpers/together-stub.js";
import { GOOD_LINE, fastRetry, tmpFile } from "./helpers.js";

let stub: TogetherStub | undefined;
afterEach(async () => {
  await stub?.close();
  stub = undefined;
});

/** Descriptors of this process (main thread and worker threads) open on `path`. */
function openOn(path: string): number {
  let n = 0;
  for (const fd of readdirSync("/proc/self/fd")) {
    try {
      if (readlinkSync(`/proc/self/fd/${fd}`) === path) n++;
    } catch {
      /* closed meanwhile */
    }
  }
  return n;
}

const busy = (ms: number) => {
  const t = Date.now();
  while (Date.now() - t < ms);
};

describe.skipIf(!workerScript() || process.platform !== "linux")("upload after a parallel lint", { timeout: 120_000 }, () => {
  it("a file modified while the workers lint it is never uploaded as linted", async () => {
    stub = await startTogetherStub({ processing: ["COMPLETED"] });
    const lines = Math.ceil((32 * 1024 * 1024) / (GOOD_LINE.length + 1));
    const good = Array.from({ length: lines }, () => GOOD_LINE).join("\n") + "\n";
    const bad = good.slice(0, good.lastIndexOf('"assistant"')) + '"assistanx"' + good.slice(good.lastIndexOf('"assistant"') + 11);
    expect(bad.length).toBe(good.length);
    const path = tmpFile("big.jsonl", good);
    expect(statSync(path).size).toBeGreaterThan(32 * 1024 * 1024 - 1);

    // The main thread's hash pass reads one chunk per event-loop turn: slow each turn down, and once both workers have
    // opened the file, hold the main thread until they have read their ranges to the end. Then, while the hash pass is
    // still open (it has not reached the tail), put a role-unknown error into the last line.
    let modified: "yes" | "hash pass already done" | null = null;
    const hog = setInterval(() => {
      if (modified) return;
      if (openOn(path) >= 2) {
        const t0 = Date.now();
        while (openOn(path) >= 2 && Date.now() - t0 < 60_000) busy(5);
        modified = openOn(path) === 1 ? "yes" : "hash pass already done";
        if (modified === "yes") writeFileSync(path, bad);
        clearInterval(hog);
        return;
      }
      busy(100);
    }, 0);
    const result = await uploadDataset(path, {
      apiKey: STUB_API_KEY,
      baseUrl: stub.baseUrl,
      retry: fastRetry(),
      pollIntervalMs: 1,
      lint: { jobs: 2, parallelThreshold: 1, config: false },
    }).catch((e: unknown) => e);
    clearInterval(hog);
    expect(modified).toBe("yes");

    // Whatever happened, Together must not hold the modified bytes under a clean lint.
    // (Booleans only: a failing diff of 32 MiB strings would exhaust the heap.)
    const badBytes = Buffer.from(bad);
    const uploadedBad = [...stub.files.values()].some((f) => f.bytes !== null && f.bytes.equals(badBytes));
    expect(uploadedBad).toBe(false);
    const r = result as { status?: string; lint?: { fatal?: boolean; diagnostics: Array<{ ruleId: string; message: string }> } };
    expect(result instanceof Error ? result.message : r.status).toBe("LINT_FAILED");
    expect(r.lint?.fatal).toBe(true);
    expect(r.lint?.diagnostics.map((d) => d.ruleId).join(",")).toContain("read-error");
    expect(r.lint?.diagnostics.find((d) => d.ruleId === "read-error")?.message).toMatch(/changed while it was being read/);
    expect(stub.requests).toHaveLength(0);
  });
});
