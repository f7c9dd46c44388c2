import { defineRule } from "./types.js";

export default defineRule({
  meta: {
    id: "file-extension",
    severity: "warning",
    description: "Name dataset files `.jsonl`, the only JSON extension Together accepts.",
    messages: {
      wrong: "Together accepts only files named *.jsonl; rename '{{name}}' before uploading.",
      gzip: "Together accepts only uncompressed *.jsonl; decompress '{{name}}' before uploading.",
    },
    scope: "file",
    docs:
      "Together's upload checks the extension: `.jsonl` for JSON lines (and `.parquet` for pre-tokenized data). " +
      "tunelint reads `.ndjson`, `.json` and gzip files too, so it can lint them where they are, and tells you what to change before the upload.",
    since: "0.1.0",
  },
  create: ({ path }) => ({
    end(_ctx, report) {
      if (path.startsWith("<")) return; // <stdin>, <records>: no file name to judge
      const name = path.split(/[\\/]/).pop() ?? path;
      if (/\.jsonl$/i.test(name)) return;
      report({ messageId: /\.jsonl\.gz$/i.test(name) ? "gzip" : "wrong", line: null, data: { name } });
    },
  }),
});
