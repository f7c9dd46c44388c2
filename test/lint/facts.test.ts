/**
 * The fact log a byte range keeps for the main thread: every fact comes back in order with its line, key and words,
 * across page boundaries, and each page is let go once drained.
 */
import { describe, expect, it } from "vitest";
import { drainFacts, factBuffers, FactWriter } from "../../src/lint/facts.js";

describe("fact log", () => {
  it.each([0, 1, 11])("gives back 40,000 facts of width %i in order, across pages", (width) => {
    const w = new FactWriter(width);
    const words = new Uint32Array(width);
    for (let i = 0; i < 40_000; i++) {
      for (let k = 0; k < width; k++) words[k] = (i * 31 + k) >>> 0;
      // keys up to 2^52 (duplicate-example's hash) and small integers alike
      w.push(i * 3 + 1, i % 2 ? 2 ** 52 - i : i % 7, words);
    }
    const log = w.log;
    expect(log.count).toBe(40_000);
    expect(log.lines.length).toBe(3); // pages of 16,384
    expect(factBuffers(log).length).toBe(width ? 9 : 6);
    let n = 0;
    const seen = new Uint32Array(width);
    drainFacts(log, seen, (line, key, got) => {
      expect(line).toBe(n * 3 + 1);
      expect(key).toBe(n % 2 ? 2 ** 52 - n : n % 7);
      for (let k = 0; k < width; k++) if (got[k] !== (n * 31 + k) >>> 0) throw new Error(`fact ${n} word ${k}: ${got[k]}`);
      n++;
    });
    expect(n).toBe(40_000);
    // drained pages are dropped
    expect(log.lines.every((p) => p.length === 0) && log.keys.every((p) => p.length === 0)).toBe(true);
  });

  it("gives nothing for an empty log", () => {
    const w = new FactWriter(5);
    let n = 0;
    drainFacts(w.log, new Uint32Array(5), () => n++);
    expect(n).toBe(0);
    expect(factBuffers(w.log)).toEqual([]);
  });
});
