import { describe, expect, it } from "vitest";
import { DEFAULT_PARALLEL_THRESHOLD, lineBoundaries, mainHeadStart, parallelThreshold } from "../../src/lint/parallel.js";

describe("parallel split by estimated work", () => {
  it("splits a 16 MB file when tokens are counted, and keeps the structural check of it on one thread", () => {
    expect(parallelThreshold(2, true)).toBeLessThan(16e6);
    expect(parallelThreshold(2, true)).toBeGreaterThanOrEqual(1024 * 1024);
    expect(parallelThreshold(2, false)).toBe(DEFAULT_PARALLEL_THRESHOLD);
    expect(parallelThreshold(2, false)).toBeGreaterThan(16e6);
  });
  it("needs less per worker the more workers share the work, and never splits for one job", () => {
    expect(parallelThreshold(4, true)).toBeLessThan(parallelThreshold(2, true));
    expect(parallelThreshold(1, true)).toBe(Infinity);
  });
});

describe("the main thread's head start", () => {
  it("gives the first range about `first` bytes more than the others, still split at line starts", async () => {
    const { mkdtempSync, writeFileSync, readFileSync, rmSync } = await import("node:fs");
    const { join } = await import("node:path");
    const { tmpdir } = await import("node:os");
    const dir = mkdtempSync(join(tmpdir(), "tunelint-bounds-"));
    try {
      const p = join(dir, "a.jsonl");
      writeFileSync(p, Array.from({ length: 4000 }, (_, i) => JSON.stringify({ text: `line ${i} `.repeat(1 + (i % 7)) }) + "\n").join(""));
      const buf = readFileSync(p);
      const even = await lineBoundaries(p, buf.length, 3);
      const ahead = await lineBoundaries(p, buf.length, 3, 30_000);
      for (const b of [even, ahead]) {
        expect(b[0]).toBe(0);
        expect(b.at(-1)).toBe(buf.length);
        for (const off of b.slice(1, -1)) expect(buf[off - 1]).toBe(0x0a);
      }
      const sizes = (b: number[]) => b.slice(1).map((e, i) => e - b[i]!);
      const [a0, a1, a2] = sizes(ahead);
      // line lengths are under 200 bytes: each boundary moves to the next line start at most that far
      expect(Math.abs(a0! - a1! - 30_000)).toBeLessThan(400);
      expect(Math.abs(a1! - a2!)).toBeLessThan(400);
      const [e0, e1] = sizes(even);
      expect(Math.abs(e0! - e1!)).toBeLessThan(400);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it("is a fraction of a second of counting work, never more than an even share", () => {
    expect(mainHeadStart(16e6, 2)).toBeGreaterThan(100_000);
    expect(mainHeadStart(16e6, 2)).toBeLessThan(2e6);
    expect(mainHeadStart(1000, 2)).toBe(500);
    expect(mainHeadStart(16e6, 1)).toBe(0);
  });
});
