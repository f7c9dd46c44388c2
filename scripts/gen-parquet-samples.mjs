#!/usr/bin/env node
/**
 * Writes the Parquet samples (samples/pretokenized-*.parquet): Together's pre-tokenized format, lists laid out as
 * pyarrow / `datasets` write them (optional group (LIST) { repeated group list { optional int32 element } }).
 * Token ids are Llama 3.1's (128000 <|begin_of_text|>, 128006/128007 header, 128009 <|eot_id|>).
 *   node scripts/gen-parquet-samples.mjs
 */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { ByteWriter, parquetWrite } from "hyparquet-writer";

const root = fileURLToPath(new URL("../", import.meta.url));
const list = (name) => [
  { name, repetition_type: "OPTIONAL", converted_type: "LIST", num_children: 1 },
  { name: "list", repetition_type: "REPEATED", num_children: 1 },
  { name: "element", type: "INT32", repetition_type: "OPTIONAL" },
];

function write(file, columns, rows) {
  const writer = new ByteWriter();
  parquetWrite({
    writer,
    schema: [{ name: "root", num_children: columns.length }, ...columns.flatMap(list)],
    columnData: columns.map((name) => ({ name, data: rows.map((r) => r[name] ?? null) })),
    rowGroupSize: 2,
    createdBy: "tunelint scripts/gen-parquet-samples.mjs",
  });
  writeFileSync(`${root}samples/${file}`, new Uint8Array(writer.getBuffer()));
}

// <|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\nHello!<|eot_id|>
const prompt = [128000, 128006, 882, 128007, 271, 13347, 128009, 128006, 78191, 128007, 271];
const answer = [9906, 0, 128009];
const row = (pad = 0) => {
  const ids = [...prompt, ...answer, ...Array(pad).fill(128004)];
  return {
    input_ids: ids,
    attention_mask: ids.map((_, i) => (i < prompt.length + answer.length ? 1 : 0)),
    labels: ids.map((t, i) => (i >= prompt.length && i < prompt.length + answer.length ? t : -100)),
    position_ids: ids.map((_, i) => i),
  };
};
const cols = ["input_ids", "attention_mask", "labels", "position_ids"];
write("pretokenized-valid.parquet", cols, [row(0), row(2), row(5)]);

const broken = [row(0), row(2), row(0), row(0), row(0)];
broken[1].attention_mask[3] = 2; // row 2: attention_mask only 0/1
broken[2].labels = broken[2].labels.map(() => -100); // row 3: trains nothing
broken[3].labels = broken[3].labels.slice(1); // row 4: lengths differ
broken[4].input_ids[12] = 200000; // row 5: not a Llama 3.1 token (with --model)
write("pretokenized-broken.parquet", cols, broken);
