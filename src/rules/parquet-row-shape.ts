import { defineRule } from "./types.js";

export default defineRule({
  meta: {
    id: "parquet-row-shape",
    severity: "error",
    description: "Require every pre-tokenized row to hold non-empty lists of equal length, without nulls.",
    messages: {
      nullList: '"{{column}}" is null in this row: every row needs its list of integers.',
      nullValue: '"{{column}}" has a null at position {{index}}: every value must be an integer.',
      empty: '"input_ids" is empty: the row holds no token.',
      length: '"{{column}}" has {{count}} values but "input_ids" has {{expected}}: the lists of a row must have the same length.',
    },
    scope: "record",
    docs:
      "In Together's pre-tokenized format, position `i` of `attention_mask`, `labels` and `position_ids` describes token `i` of " +
      "`input_ids`, so every list of a row has the same length, and none is null or holds a null (a missing value from a dataframe " +
      "export). The line of a finding is the row number (from 1); the pointer names the column and the position.",
    since: "0.2.0",
  },
  create: () => ({
    row(ctx, report) {
      const ids = ctx.values.input_ids;
      for (const [column, v] of Object.entries(ctx.values)) {
        if (v === null) {
          report({ messageId: "nullList", pointer: `/${column}`, data: { column } });
          continue;
        }
        const list = v as unknown[];
        const at = list.indexOf(null);
        if (at >= 0) report({ messageId: "nullValue", pointer: `/${column}/${at}`, data: { column, index: at } });
        if (column === "input_ids") {
          if (list.length === 0) report({ messageId: "empty", pointer: "/input_ids" });
        } else if (Array.isArray(ids) && list.length !== ids.length) {
          report({ messageId: "length", pointer: `/${column}`, data: { column, count: list.length, expected: ids.length } });
        }
      }
    },
  }),
});
