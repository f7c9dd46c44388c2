import { defineRule } from "./types.js";

const REQUIRED = ["input_ids", "attention_mask"];
const KNOWN = new Set([...REQUIRED, "labels", "position_ids"]);

export default defineRule({
  meta: {
    id: "parquet-columns",
    severity: "error",
    description: "Require a Parquet file to have Together's pre-tokenized columns, as lists of integers, and no others.",
    messages: {
      missing:
        'Missing column "{{column}}": Together\'s pre-tokenized format needs input_ids and attention_mask (labels and position_ids are optional).',
      unknown:
        'Column "{{column}}" is not part of Together\'s pre-tokenized format (input_ids, attention_mask, labels, position_ids): drop it before uploading.',
      type: 'Column "{{column}}" must be a list of integers, found {{type}}.',
    },
    scope: "file",
    docs:
      "Together fine-tunes on pre-tokenized data given as a Parquet file with the columns `input_ids` and `attention_mask` (required), " +
      "`labels` (optional: -100 masks a token out of the loss) and `position_ids` (optional), each a list of integers per row (`list<int32>` " +
      "or `list<int64>`, as `datasets` and pyarrow write them). Any other column, or one of these with another type (strings, floats, " +
      "a scalar), is an error. The file is judged from its schema, before any row is read.",
    since: "0.2.0",
  },
  create: () => ({
    columns(ctx, report) {
      const names = new Set(ctx.columns.map((c) => c.name));
      for (const column of REQUIRED) {
        if (!names.has(column)) report({ messageId: "missing", pointer: `/${column}`, line: null, data: { column } });
      }
      for (const c of ctx.columns) {
        if (!KNOWN.has(c.name)) report({ messageId: "unknown", pointer: `/${c.name}`, line: null, data: { column: c.name } });
        else if (!c.intList) report({ messageId: "type", pointer: `/${c.name}`, line: null, data: { column: c.name, type: c.type } });
      }
    },
  }),
});
