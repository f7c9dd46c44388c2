import { defineRule } from "./types.js";

export default defineRule({
  meta: {
    id: "file-extension",
    severity: "error",
    description: "Name dataset files `.jsonl` (or `.parquet`), the only extensions Together accepts.",
    messages: {
      wrong:
        "Together accepts only *.jsonl files (and *.parquet for pre-tokenized data): rename '{{name}}' to '{{suggested}}' before uploading.",
    },
    scope: "file",
    docs:
      "Together's upload accepts `.jsonl` for JSON lines and `.parquet` for pre-tokenized data, and refuses every other name " +
      "(`.json`, `.txt`, `.ndjson`...). tunelint still reads such a file and judges its lines, so you see everything at once, " +
      "but the name alone is an error: rename it. `.jsonl.gz` is fine: tunelint reads it as is, and `tunelint upload` sends the " +
      "decompressed JSONL. A `.json` file that holds one JSON array or a pretty-printed object is not JSON Lines at all: see `json-document`.",
    since: "0.1.0",
  },
  create: ({ path }) => ({
    end(_ctx, report) {
      if (path.startsWith("<")) return; // <stdin>, <records>: no file name to judge
      const name = path.split(/[\\/]/).pop() ?? path;
      if (/\.(?:jsonl|jsonl\.gz|parquet)$/i.test(name)) return;
      const base = name.replace(/\.gz$/i, "").replace(/\.(?:json|ndjson|txt|jsonlines|jsonl)$/i, "");
      report({ messageId: "wrong", line: null, data: { name, suggested: `${base}.jsonl` } });
    },
  }),
});
