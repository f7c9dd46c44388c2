/**
 * Writes small Parquet files for tests from a JSON description (no binary fixtures committed): the columns and their
 * types, the rows, the row-group size and the codec. Lists are written the way pyarrow / `datasets` write them:
 * `optional group <name> (LIST) { repeated group list { optional <type> element } }`.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { gzipSync } from "node:zlib";
import { ByteWriter, parquetWrite } from "hyparquet-writer";

export type ColumnType = "list<int32>" | "list<int64>" | "list<double>" | "list<string>" | "int64" | "string" | "double";

export interface ParquetSpec {
  schema: Record<string, ColumnType>;
  rows: Record<string, unknown>[];
  rowGroupSize?: number;
  codec?: "UNCOMPRESSED" | "SNAPPY" | "GZIP" | "ZSTD" | "LZ4_RAW";
  /** Write the page index (offset index) hyparquet-writer adds by default; false to leave it out. */
  pageIndex?: boolean;
}

const LEAF: Record<string, Record<string, unknown>> = {
  int32: { type: "INT32" },
  int64: { type: "INT64" },
  double: { type: "DOUBLE" },
  string: { type: "BYTE_ARRAY", converted_type: "UTF8" },
};

function schemaOf(spec: ParquetSpec): Record<string, unknown>[] {
  const names = Object.keys(spec.schema);
  const out: Record<string, unknown>[] = [{ name: "root", num_children: names.length }];
  for (const name of names) {
    const t = spec.schema[name]!;
    const m = /^list<(\w+)>$/.exec(t);
    if (m) {
      out.push({ name, repetition_type: "OPTIONAL", converted_type: "LIST", num_children: 1 });
      out.push({ name: "list", repetition_type: "REPEATED", num_children: 1 });
      out.push({ name: "element", repetition_type: "OPTIONAL", ...LEAF[m[1]!] });
    } else out.push({ name, repetition_type: "OPTIONAL", ...LEAF[t] });
  }
  return out;
}

function valueOf(v: unknown, t: ColumnType): unknown {
  if (v === null || v === undefined) return null;
  const big = t === "int64" || t === "list<int64>";
  if (Array.isArray(v)) return v.map((x) => (x === null ? null : big ? BigInt(x as number) : x));
  return big ? BigInt(v as number) : v;
}

/**
 * A valid zstd frame holding `input` in raw (stored) blocks: enough to exercise a reader's ZSTD path without a zstd
 * compressor (RFC 8878: magic, single-segment frame header with a 4-byte content size, blocks of at most 128 KiB).
 */
export function zstdStored(input: Uint8Array): Uint8Array {
  const MAX = 128 * 1024;
  const blocks = Math.max(1, Math.ceil(input.length / MAX));
  const out = new Uint8Array(4 + 1 + 4 + blocks * 3 + input.length);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, 0xfd2fb528, true);
  out[4] = 0xa0; // FCS field 4 bytes, single segment, no checksum
  dv.setUint32(5, input.length, true);
  let o = 9;
  for (let b = 0; b < blocks; b++) {
    const chunk = input.subarray(b * MAX, Math.min(input.length, (b + 1) * MAX));
    const header = (b === blocks - 1 ? 1 : 0) | (0 << 1) | (chunk.length << 3);
    out[o] = header & 0xff;
    out[o + 1] = (header >> 8) & 0xff;
    out[o + 2] = (header >> 16) & 0xff;
    out.set(chunk, o + 3);
    o += 3 + chunk.length;
  }
  return out;
}

export function parquetBytes(spec: ParquetSpec): Uint8Array {
  const writer = new ByteWriter();
  const gzip = (input: Uint8Array) => new Uint8Array(gzipSync(input));
  // LZ4_RAW is written as if stored (no real compressor): only for the "unsupported codec" test, never decoded.
  parquetWrite({
    writer,
    schema: schemaOf(spec) as never,
    columnData: Object.entries(spec.schema).map(([name, t]) => ({
      name,
      data: spec.rows.map((r) => valueOf(r[name], t)) as never,
      offsetIndex: spec.pageIndex !== false,
    })),
    rowGroupSize: spec.rowGroupSize ?? 1000,
    codec: spec.codec ?? "SNAPPY",
    compressors: { GZIP: gzip, ZSTD: zstdStored, LZ4_RAW: (x: Uint8Array) => x } as never,
  });
  return new Uint8Array(writer.getBuffer());
}

/** Writes `spec` to a new temporary file named `name` and returns its path. */
export function writeParquet(spec: ParquetSpec, name = "data.parquet"): string {
  const path = join(mkdtempSync(join(tmpdir(), "tunelint-parquet-")), name);
  writeFileSync(path, parquetBytes(spec));
  return path;
}

/** A `*.parquet.json` fixture (a ParquetSpec as JSON) written as `<name>.parquet` in a temporary directory. */
export function parquetFromFixture(fixturePath: string): string {
  const spec = JSON.parse(readFileSync(fixturePath, "utf8")) as ParquetSpec;
  return writeParquet(spec, basename(fixturePath).replace(/\.json$/, ""));
}
