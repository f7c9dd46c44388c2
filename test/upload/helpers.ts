import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FileResult } from "../../src/types.js";
import type { RetryPolicy } from "../../src/upload/index.js";

export function tmpFile(name: string, content: string | Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), "tunelint-upload-"));
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}

export const sha256 = (b: Buffer | string) => createHash("sha256").update(b).digest("hex");

export const GOOD_LINE = JSON.stringify({
  messages: [
    { role: "user", content: "hi" },
    { role: "assistant", content: "hello" },
  ],
});

export function dataset(lines = 20): string {
  return Array.from({ length: lines }, () => GOOD_LINE).join("\n") + "\n";
}

/** A lint stand-in: hashes the file like the core does, with the counts asked for. */
export function fakeLint(counts: { errors?: number; warnings?: number } = {}) {
  const calls: string[] = [];
  const fn = async (path: string): Promise<FileResult> => {
    calls.push(path);
    const buf = readFileSync(path);
    return {
      path,
      format: "conversation",
      records: 1,
      errorCount: counts.errors ?? 0,
      warningCount: counts.warnings ?? 0,
      infoCount: 0,
      diagnostics: [],
      stats: { bytes: buf.length, sha256: sha256(buf), lines: 1, blankLines: 0, formats: {} },
    };
  };
  return Object.assign(fn, { calls });
}

/** Retry policy with recorded, instant sleeps. */
export function fastRetry(extra: Partial<RetryPolicy> = {}): Partial<RetryPolicy> & { sleeps: number[] } {
  const sleeps: number[] = [];
  return {
    sleeps,
    random: () => 0.5,
    sleep: async (ms: number) => {
      sleeps.push(ms);
    },
    ...extra,
  };
}
