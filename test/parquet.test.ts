/**
 * Pre-tokenized (Parquet) datasets end to end: real Parquet files written by hyparquet-writer in the test, read by the
 * built CLI (`tunelint check x.parquet --format json`) and by the library.
 */
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CLI, ROOT, lint } from "./helpers/lint.js";
import { writeParquet } from "./helpers/parquet.js";
import type { LintReport } from "../src/types.js";

function check(args: string[]): { code: number; doc: LintReport; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, "check", ...args, "--no-config", "--format", "json"], { encoding: "utf8" });
  return { code: r.status ?? -1, doc: JSON.parse(r.stdout) as LintReport, stderr: r.stderr };
}

const COLS = { input_ids: "list<int32>", attention_mask: "list<int32>", labels: "list<int32>" } as const;

function rows(n: number, len = 8): Record<string, unknown>[] {
  return Array.from({ length: n }, (_, r) => {
    const ids = Array.from({ length: len }, (_, i) => 1000 + ((r * 31 + i * 7) % 5000));
    return { input_ids: ids, attention_mask: ids.map(() => 1), labels: ids.map((t, i) => (i < len / 2 ? -100 : t)) };
  });
}

describe("tunelint check data.parquet", () => {
  it("a valid file (several row groups, int32 and int64 lists, position_ids) has no finding and reports rows", () => {
    const data = rows(7).map((r) => ({ ...r, position_ids: (r.input_ids as number[]).map((_, j) => j) }));
    const path = writeParquet({
      schema: { ...COLS, labels: "list<int64>", position_ids: "list<int64>" },
      rows: data,
      rowGroupSize: 3,
    });
    const r = check([path]);
    expect(r.code).toBe(0);
    const f = r.doc.files[0]!;
    expect(f.diagnostics).toEqual([]);
    expect(f.format).toBe("pretokenized");
    expect(f.records).toBe(7);
    expect(f.stats.formats).toEqual({ pretokenized: 7 });
  });

  it("findings carry the row number as line and a pointer to the column and position", () => {
    const data = rows(6);
    (data[1]!.attention_mask as number[])[5] = 3;
    (data[3]!.labels as number[])[6] = -7;
    data[4]!.labels = (data[4]!.labels as number[]).map(() => -100);
    data[5]!.attention_mask = (data[5]!.attention_mask as number[]).slice(2);
    const path = writeParquet({ schema: COLS, rows: data, rowGroupSize: 4 });
    const r = check([path]);
    expect(r.code).toBe(1);
    const got = r.doc.files[0]!.diagnostics.map((d) => [d.ruleId, d.line, d.column, d.pointer]);
    expect(got).toEqual([
      ["attention-mask-invalid", 2, 1, "/attention_mask/5"],
      ["labels-invalid", 4, 1, "/labels/6"],
      ["labels-none-trained", 5, 1, "/labels"],
      ["parquet-row-shape", 6, 1, "/attention_mask"],
    ]);
  });

  it("row numbers stay right across page-index slices of a big row group and across row groups", () => {
    const data = rows(5000, 4);
    (data[4998]!.attention_mask as number[])[1] = 9; // row 4999
    (data[2047]!.attention_mask as number[])[0] = 9; // row 2048: last of the first slice
    (data[2048]!.attention_mask as number[])[0] = 9; // row 2049: first of the second
    for (const pageIndex of [true, false]) {
      const path = writeParquet({ schema: COLS, rows: data, rowGroupSize: 4500, pageIndex });
      const d = check([path]).doc.files[0]!;
      expect(d.records).toBe(5000);
      expect(d.diagnostics.map((x) => [x.line, x.pointer])).toEqual([
        [2048, "/attention_mask/0"],
        [2049, "/attention_mask/0"],
        [4999, "/attention_mask/1"],
      ]);
    }
  });

  it("checks the schema: required columns, no others, lists of integers", () => {
    const path = writeParquet({
      schema: { input_ids: "list<int32>", labels: "list<double>", text: "string" },
      rows: [{ input_ids: [1, 2], labels: [1, 2], text: "Hi" }],
    });
    const d = check([path]).doc.files[0]!.diagnostics;
    expect(d.map((x) => [x.ruleId, x.line, x.column, x.pointer])).toEqual([
      ["parquet-columns", null, null, "/attention_mask"],
      ["parquet-columns", null, null, "/labels"],
      ["parquet-columns", null, null, "/text"],
    ]);
    expect(d[1]!.message).toContain("list<double>");
  });

  it("with --model: ids below the tokenizer's vocabulary size, rows within the model's limit", () => {
    const data = rows(3);
    (data[1]!.input_ids as number[])[2] = 128256; // Llama 3.1: 128,256 tokens (ids 0..128255)
    (data[1]!.input_ids as number[])[3] = 128255;
    const path = writeParquet({ schema: COLS, rows: data });
    const r = check([path, "--model", "meta-llama/Meta-Llama-3.1-8B-Instruct-Reference", "--max-seq-length", "7"]);
    const d = r.doc.files[0]!.diagnostics;
    expect(d.map((x) => [x.ruleId, x.line, x.pointer])).toEqual([
      ["token-limit", 1, "/input_ids"],
      ["token-id-out-of-range", 2, "/input_ids/2"],
      ["token-limit", 2, "/input_ids"],
      ["token-limit", 3, "/input_ids"],
    ]);
    expect(d[1]!.message).toContain("vocabulary size 128256");
    expect(d[0]!.message).toContain("8 tokens long, 1 over");
    // Qwen 3's vocabulary is larger: the same ids are tokens there
    const q = check([path, "--model", "Qwen/Qwen3-8B"]).doc.files[0]!.diagnostics;
    expect(q).toEqual([]);
  });

  it("without labels, a row whose attention_mask is all 0 trains nothing", () => {
    const path = writeParquet({
      schema: { input_ids: "list<int32>", attention_mask: "list<int32>" },
      rows: [
        { input_ids: [1, 2], attention_mask: [1, 0] },
        { input_ids: [1, 2], attention_mask: [0, 0] },
      ],
    });
    const d = check([path]).doc.files[0]!.diagnostics;
    expect(d.map((x) => [x.ruleId, x.line, x.column, x.pointer])).toEqual([["labels-none-trained", 2, 1, "/attention_mask"]]);
    expect(d[0]!.message).toMatch(/Every "attention_mask" value of this row is 0/);
  });

  it("refuses --method dpo once, at file level: preference training takes no pre-tokenized data", () => {
    const path = writeParquet({ schema: COLS, rows: rows(2) });
    const r = check([path, "--method", "dpo"]);
    expect(r.code).toBe(1);
    expect(r.doc.files[0]!.diagnostics.map((x) => [x.ruleId, x.line, x.pointer])).toEqual([["method-format-mismatch", null, ""]]);
    expect(r.doc.files[0]!.diagnostics[0]!.message).toMatch(/--method dpo cannot train on pre-tokenized \(Parquet\) data/);
    expect(check([path, "--method", "sft"]).code).toBe(0);
  });

  it("reads gzip and zstd pages; an unsupported codec, a corrupt file or a non-Parquet file is a read error (exit 2)", () => {
    for (const codec of ["GZIP", "ZSTD", "UNCOMPRESSED"] as const) {
      const data = rows(3);
      (data[2]!.labels as number[])[0] = -1;
      const d = check([writeParquet({ schema: COLS, rows: data, codec })]);
      expect([codec, d.code, d.doc.files[0]!.diagnostics.map((x) => [x.ruleId, x.line])]).toEqual([codec, 1, [["labels-invalid", 3]]]);
    }
    const lz4 = check([writeParquet({ schema: COLS, rows: rows(2), codec: "LZ4_RAW" })]);
    expect(lz4.code).toBe(2);
    expect(lz4.doc.files[0]!.diagnostics[0]!.message).toMatch(/compression LZ4_RAW is not supported/);

    const dir = writeParquet({ schema: COLS, rows: rows(2) }).replace(/data\.parquet$/, "");
    writeFileSync(`${dir}notparquet.parquet`, '{"text": "hi"}\n');
    const np = check([`${dir}notparquet.parquet`]);
    expect([np.code, np.doc.files[0]!.diagnostics.map((x) => x.ruleId)]).toEqual([2, ["read-error"]]);
    expect(np.doc.files[0]!.diagnostics[0]!.message).toContain('does not start with "PAR1"');
    writeFileSync(`${dir}cut.parquet`, Buffer.from("PAR1" + "x".repeat(100) + "PAR1"));
    expect(check([`${dir}cut.parquet`]).code).toBe(2);
    writeFileSync(`${dir}empty.parquet`, "");
    const e = check([`${dir}empty.parquet`]);
    expect([e.code, e.doc.files[0]!.diagnostics.map((x) => x.ruleId)]).toEqual([1, ["empty-file"]]);
  });

  it("the samples: pretokenized-valid passes, pretokenized-broken has one finding per broken row", async () => {
    expect((await lint(`${ROOT}samples/pretokenized-valid.parquet`)).diagnostics).toEqual([]);
    const b = await lint(`${ROOT}samples/pretokenized-broken.parquet`, { model: "meta-llama/Meta-Llama-3.1-8B-Instruct-Reference" });
    expect(b.diagnostics.map((x) => [x.line, x.ruleId])).toEqual([
      [2, "attention-mask-invalid"],
      [3, "labels-none-trained"],
      [4, "parquet-row-shape"],
      [5, "token-id-out-of-range"],
    ]);
  });

  it("a directory argument includes its Parquet files", () => {
    const path = writeParquet({ schema: COLS, rows: rows(2) });
    const r = check([path.replace(/\/data\.parquet$/, "")]);
    expect(r.doc.files.map((f) => f.format)).toEqual(["pretokenized"]);
  });
});

describe("Parquet from another writer (Apache Impala)", () => {
  it("reads its list<int32> column with null lists and null elements, and names the other columns' types", async () => {
    const { openParquet } = await import("../src/io/parquet.js");
    const f = await openParquet(`${ROOT}test/fixtures/parquet/nullable.impala.parquet`);
    expect(f.columns.map((c) => [c.name, c.type, c.intList])).toEqual([
      ["id", "int64", false],
      ["int_array", "list<int32>", true],
      ["int_array_Array", "list<group>", false],
      ["int_map", "map", false],
      ["int_Map_Array", "list<group>", false],
      ["nested_struct", "struct", false],
    ]);
    const got: unknown[] = [];
    await f.readRows(["int_array"], (row, v) => got.push([row, v.int_array]));
    expect(got.slice(0, 3)).toEqual([
      [1, [1, 2, 3]],
      [2, [null, 1, 2, null, 3, null]],
      [3, []],
    ]);
    expect(got.length).toBe(7);
  });
});

describe("streaming", () => {
  /** Peak heap (after a forced collection every 500 rows) while the built reader reads every row of `path`. */
  function peakHeap(path: string): { rows: number; peak: number } {
    const script = `
      const { openParquet } = await import(${JSON.stringify(`${ROOT}dist/io/parquet.js`)});
      gc(); const base = process.memoryUsage().heapUsed; let peak = 0, n = 0;
      const f = await openParquet(${JSON.stringify(path)});
      await f.readRows(["input_ids", "attention_mask", "labels"], () => {
        if (++n % 500 === 0) { gc(); peak = Math.max(peak, process.memoryUsage().heapUsed - base); }
      });
      console.log(JSON.stringify({ rows: n, peak }));`;
    const r = spawnSync(process.execPath, ["--expose-gc", "--input-type=module", "-e", script], { encoding: "utf8" });
    return JSON.parse(r.stdout) as { rows: number; peak: number };
  }

  it("memory is bounded by a row group, not by the file: 4x the rows, about the same peak heap", () => {
    const small = writeParquet({ schema: COLS, rows: rows(5000, 64), rowGroupSize: 1000, pageIndex: false });
    const large = writeParquet({ schema: COLS, rows: rows(20000, 64), rowGroupSize: 1000, pageIndex: false });
    const s = peakHeap(small);
    const l = peakHeap(large);
    expect([s.rows, l.rows]).toEqual([5000, 20000]);
    console.log(`peak heap: ${s.peak} bytes for 5,000 rows, ${l.peak} for 20,000`);
    // all 20,000 rows x 3 x 64 values held at once would be well over 30 MB of JS arrays
    expect(l.peak).toBeLessThan(Math.max(2 * s.peak, 8 * 1024 * 1024));
  });
});
