/** Issue 17, item 25: the duplicate index has a stated, measured bound (bytes per distinct line). */
import { describe, expect, it } from "vitest";
import { HashIndex } from "../../src/util/hash-index.js";
import { lintRecord, createRecordLinter } from "../../src/lint/lint.js";
import { rng } from "../helpers/rng.js";

describe("HashIndex", () => {
  it("keeps line numbers up to 2^32 - 1 exactly", () => {
    const idx = new HashIndex(16);
    for (const [k, v] of [
      [2 ** 52 - 1, 2 ** 32 - 1],
      [12345, 1],
      [0, 2 ** 31],
    ] as const) {
      expect(idx.setIfAbsent(k, v)).toBeUndefined();
      expect(idx.get(k)).toBe(v);
    }
  });

  it("agrees with a Map on 200,000 random 52-bit keys (0 included), keeping the first value", () => {
    const r = rng(7);
    const idx = new HashIndex(16);
    const map = new Map<number, number>();
    const keys: number[] = [];
    for (let i = 1; i <= 200_000; i++) {
      const key = i % 997 === 0 ? 0 : i % 5 === 0 && keys.length ? keys[Math.floor(r() * keys.length)]! : Math.floor(r() * 2 ** 52);
      const got = idx.setIfAbsent(key, i);
      if (got !== map.get(key)) expect(got).toBe(map.get(key));
      if (!map.has(key)) {
        map.set(key, i);
        keys.push(key);
      }
    }
    expect(idx.size).toBe(map.size);
    for (const [k, v] of map) expect(idx.get(k)).toBe(v);
  });

  it("holds at most 32 bytes per distinct key (the bound the docs state), 130 for the Map it replaced", () => {
    const idx = new HashIndex();
    for (let n = 1; n <= 1_000_000; n++) {
      idx.setIfAbsent(Math.floor(n * 2654435761.123) % 2 ** 52, n);
      if (n % 50_000 === 0) expect(idx.bytes / n).toBeLessThanOrEqual(32);
    }
    expect(idx.bytes / 1_000_000).toBeGreaterThan(12);
  });
});

describe("duplicate-example keeps its behaviour", () => {
  it("reports later copies with the first line", () => {
    const l = createRecordLinter({ rules: {} });
    l.push({ text: "a" });
    l.push({ text: "b" });
    l.push({ text: "a" });
    const r = l.finish();
    const d = r.diagnostics.filter((x) => x.ruleId === "duplicate-example");
    expect(d).toEqual([expect.objectContaining({ line: 3, column: 1, pointer: "", messageId: "duplicate", data: { firstLine: 1 } })]);
    expect(lintRecord({ text: "a" }).diagnostics).toEqual([]);
  });
});
