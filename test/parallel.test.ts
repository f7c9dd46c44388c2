/**
 * The parallel check gives exactly the single-thread result: same line numbers, findings, order, duplicates across
 * ranges, stats and JSON (a low threshold forces workers on small files).
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { lintFile, prepareLint } from "../src/lint/lint.js";
import { lineBoundaries } from "../src/lint/parallel.js";
import { json } from "../src/report/json.js";
import { formatContext } from "../src/report/formatters.js";
import { summarize } from "../src/lint/lint.js";

const V = (i: number) => `{"messages": [{"role": "user", "content": "Q${i} 日本"}, {"role": "assistant", "content": "A${i}"}]}`;

function file(lines: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), "tunelint-par-"));
  const p = join(dir, "data.jsonl");
  writeFileSync(p, lines.join("\n"));
  return p;
}

async function both(path: string, jobs: number) {
  const single = await lintFile(path, await prepareLint({ config: false, jobs: 1 }));
  const multi = await lintFile(path, await prepareLint({ config: false, jobs, parallelThreshold: 1 }));
  return { single, multi };
}

describe("parallel check", () => {
  const lines: string[] = [];
  for (let i = 0; i < 3000; i++) {
    if (i % 97 === 5) lines.push("{broken");
    else if (i % 211 === 7) lines.push(V(i).replace('"user"', '"User"'));
    else if (i % 173 === 3)
      lines.push(V(i % 50)); // duplicates of early lines, spread over all ranges
    else if (i % 331 === 9) lines.push('{"text": "other format"}');
    else if (i % 401 === 11) lines.push("");
    else lines.push(V(i));
  }
  const path = file(lines);

  it.each([2, 3, 7])("with %i workers equals the single-thread run, JSON byte for byte", async (jobs) => {
    const { single, multi } = await both(path, jobs);
    expect(multi).toEqual(single);
    const ctx = formatContext();
    expect(json(summarize([multi]), ctx)).toBe(json(summarize([single]), ctx));
    expect(single.diagnostics.filter((d) => d.ruleId === "duplicate-example").length).toBeGreaterThan(10);
    expect(single.diagnostics.filter((d) => d.ruleId === "mixed-formats").length).toBeGreaterThan(5);
  });

  it.each([2, 3])("with %i jobs and no hashing (the main thread judges the first range) equals the single-thread run", async (jobs) => {
    const single = await lintFile(path, await prepareLint({ config: false, jobs: 1, hash: false }));
    const multi = await lintFile(path, await prepareLint({ config: false, jobs, parallelThreshold: 1, hash: false }));
    expect(multi).toEqual(single);
    const ctx = formatContext();
    expect(json(summarize([multi]), ctx)).toBe(json(summarize([single]), ctx));
  });

  it("handles a file without a final newline and a first line in another format", async () => {
    const p = file(['{"text": "first"}', ...Array.from({ length: 500 }, (_, i) => V(i)), V(1)]);
    const { single, multi } = await both(p, 4);
    expect(multi).toEqual(single);
    expect(single.format).toBe("general");
  });

  it("keeps every cross-record fact of a range larger than a page of facts (16,384 records)", async () => {
    // 40,000 records: duplicates, normalised copies and near-copies of lines in the first range, in every range
    const W = (i: number) =>
      `{"messages": [{"role": "user", "content": "Tell me about item ${i} and the weather in town ${i % 9} today please"}, {"role": "assistant", "content": "Item ${i} is fine."}]}`;
    const big: string[] = [];
    for (let i = 0; i < 40_000; i++) {
      if (i % 1009 === 17) big.push(W(i % 300));
      else if (i % 1013 === 19) big.push(W(i % 300).replace("Tell", "tell  "));
      else if (i % 997 === 23) big.push(W(i % 300).replace("today please", "today please now"));
      else big.push(W(i));
    }
    const p = file(big);
    for (const hash of [true, false]) {
      const single = await lintFile(p, await prepareLint({ config: false, jobs: 1, hash }));
      const multi = await lintFile(p, await prepareLint({ config: false, jobs: 2, parallelThreshold: 1, hash }));
      expect(multi).toEqual(single);
      const by = (id: string) => single.diagnostics.filter((d) => d.ruleId === id).length;
      expect(by("duplicate-example")).toBeGreaterThan(30);
      expect(by("near-duplicate")).toBeGreaterThan(60);
    }
  });

  it("locates conflicting answers at the same column whether merged at once or from a worker's facts", async () => {
    // The main thread's range merges right after each key (the column is found from the pointer, for a conflict
    // only); a worker computes every answer's column up front. Non-ASCII text before the answer moves the column.
    const prompts = ["Привет, мир", "日本語のテスト 😀", "café naïve", "ΣΊΣΥΦΟΣ 數據"];
    const recs = Array.from({ length: 900 }, (_, i) => {
      const user = prompts[i % 4]!;
      const answer = i % 3 === 0 ? "the same answer" : `answer ${i} 答え`;
      return i % 5 === 0
        ? JSON.stringify({ prompt: user, completion: answer })
        : JSON.stringify({
            messages: [
              { role: "system", content: "Be nice ☺" },
              { role: "user", content: user },
              { role: "assistant", content: answer },
            ],
          });
    });
    const p = file(recs);
    for (const jobs of [2, 3]) {
      const single = await lintFile(p, await prepareLint({ config: false, jobs: 1, hash: false, maxFindingsPerRule: 10_000 }));
      const multi = await lintFile(
        p,
        await prepareLint({ config: false, jobs, parallelThreshold: 1, hash: false, maxFindingsPerRule: 10_000 }),
      );
      expect(multi).toEqual(single);
      const conflicts = single.diagnostics.filter((d) => d.ruleId === "conflicting-answers");
      expect(conflicts.length).toBeGreaterThan(400);
      // in the first range (merged at once) and in the last (from a worker's facts)
      expect(conflicts.some((d) => d.line! < 100) && conflicts.some((d) => d.line! > 800)).toBe(true);
      const first = conflicts.find((d) => d.line === 8)!; // line 4 asked the same prompt, answered otherwise
      expect(first).toMatchObject({ messageId: "conflict", pointer: "/messages/2/content" });
      expect(first.column).toBe(recs[7]!.indexOf('"answer 7') + 1);
    }
  });

  it("counts tokens identically in workers (stats and token findings)", async () => {
    const model = "meta-llama/Meta-Llama-3.1-8B-Instruct-Reference";
    const p = file(Array.from({ length: 400 }, (_, i) => (i % 50 === 7 ? V(i).replace("Q", "Q ".repeat(60)) : V(i))));
    const single = await lintFile(p, await prepareLint({ config: false, jobs: 1, model, maxSeqLength: 80 }));
    const multi = await lintFile(
      p,
      await prepareLint({ config: false, jobs: 2, parallelThreshold: 1, model, maxSeqLength: 80, lazyTokenizer: true }),
    );
    expect(multi).toEqual(single);
    expect(single.stats.tokens).toMatchObject({ model, exact: true, limit: 80, overLimit: 8 });
    expect(single.diagnostics.filter((d) => d.ruleId === "token-limit").map((d) => d.line)).toEqual([8, 58, 108, 158, 208, 258, 308, 358]);
  });

  it("splits only at line starts", async () => {
    const p = file(Array.from({ length: 100 }, (_, i) => V(i)));
    const b = await lineBoundaries(p, (await import("node:fs")).statSync(p).size, 4);
    const buf = (await import("node:fs")).readFileSync(p);
    expect(b.length).toBe(5);
    for (const off of b.slice(1, -1)) expect(buf[off - 1]).toBe(0x0a);
  });
});
