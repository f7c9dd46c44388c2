import { defineRule } from "./types.js";

export default defineRule({
  meta: {
    id: "labels-invalid",
    severity: "error",
    description: "Require each label to be -100 (not trained) or a token id.",
    messages: {
      invalid: '"labels" must be -100 (not trained) or a token id, found {{value}} at position {{index}}{{more}}.',
    },
    scope: "record",
    docs:
      "`labels` holds, for each position, the token the model learns to predict, or -100 to leave the position out of the loss " +
      "(the prompt, padding). Another negative value is neither: PyTorch's cross-entropy ignores only -100, so -1 or -200 make the job " +
      "fail or train on garbage. Ids at or above the model's vocabulary size are `token-id-out-of-range` (with `--model`).",
    since: "0.2.0",
  },
  create: () => ({
    row(ctx, report) {
      const labels = ctx.values.labels;
      if (!Array.isArray(labels)) return;
      let first = -1;
      let n = 0;
      for (let i = 0; i < labels.length; i++) {
        const v = labels[i] as number | null;
        if (v !== null && v < 0 && v !== -100) {
          if (first < 0) first = i;
          n++;
        }
      }
      if (first >= 0) {
        report({
          messageId: "invalid",
          pointer: `/labels/${first}`,
          data: { value: String(labels[first]), index: first, more: n > 1 ? ` (and ${n - 1} more in this row)` : "" },
        });
      }
    },
  }),
});
