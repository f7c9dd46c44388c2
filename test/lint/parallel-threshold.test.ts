import { describe, expect, it } from "vitest";
import { DEFAULT_PARALLEL_THRESHOLD, parallelThreshold } from "../../src/lint/parallel.js";

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
