import { defineRule } from "./types.js";

export default defineRule({
  meta: {
    id: "json-document",
    severity: "error",
    description: "Require JSON Lines, not one JSON document (an array of examples or a pretty-printed object).",
    messages: {
      array:
        "This file is one JSON array, not JSON Lines: Together needs one example per line. Convert it with `{{jq}}` (or `tunelint convert {{input}} -o {{output}}`).",
      object:
        "This file is pretty-printed JSON, not JSON Lines: Together needs each example on one line. Convert it with `{{jq}}` (or `tunelint convert {{input}} -o {{output}}`).",
    },
    scope: "file",
    docs:
      "LLaMA-Factory, FastChat and most `json.dump` calls write a dataset as one JSON array (`[{...}, {...}]`), often indented; " +
      "`jq .` and `json.dumps(indent=2)` write one object over many lines. Neither is JSON Lines, and judging such a file line by line " +
      "would bury you in one error per line. tunelint recognises it from its first lines (a file that starts with `[`, or with a " +
      "line holding only `{` followed by a key) and reports it once, at file level, with the command that converts it: " +
      "`jq -c '.[]' in.json > out.jsonl` for an array, `jq -c . in.json > out.jsonl` for pretty-printed objects, or " +
      "`tunelint convert`, which also maps ShareGPT and Alpaca records to Together's formats. The lines are then not judged one by one, " +
      "and no other file-level rule runs: convert the file, then check the result.",
    since: "0.2.0",
  },
  create: () => ({
    document(ctx, report) {
      const filter = ctx.kind === "array" ? "'.[]'" : ".";
      const jq = ctx.gzip ? `gunzip -c ${ctx.input} | jq -c ${filter} > ${ctx.output}` : `jq -c ${filter} ${ctx.input} > ${ctx.output}`;
      report({ messageId: ctx.kind, pointer: "", line: null, data: { jq, input: ctx.input, output: ctx.output } });
    },
  }),
});
