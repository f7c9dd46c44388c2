import { defineRule } from "./types.js";

export default defineRule({
  meta: {
    id: "labels-none-trained",
    severity: "error",
    description: "Require at least one trained token per pre-tokenized row.",
    messages: {
      allMasked: 'Every label of this row is -100: it trains nothing (at least one position needs a token id in "labels").',
      noAttention: 'Every "attention_mask" value of this row is 0 and it has no labels: it trains nothing.',
    },
    scope: "record",
    docs:
      "A row whose labels are all -100 adds nothing to the loss: it costs compute and dilutes the batch. Usually the prompt mask " +
      "was applied to the whole row, or the row was truncated before the answer. Without a `labels` column every attended token " +
      "is trained, so a row whose `attention_mask` is all 0 trains nothing either.",
    since: "0.2.0",
  },
  create: () => ({
    row(ctx, report) {
      const labels = ctx.values.labels;
      if (Array.isArray(labels)) {
        if (labels.length > 0 && labels.every((v) => v === -100 || v === null)) report({ messageId: "allMasked", pointer: "/labels" });
        return;
      }
      if (labels !== undefined) return; // a null list: parquet-row-shape
      const mask = ctx.values.attention_mask;
      if (Array.isArray(mask) && mask.length > 0 && !mask.includes(1)) report({ messageId: "noAttention", pointer: "/attention_mask" });
    },
  }),
});
