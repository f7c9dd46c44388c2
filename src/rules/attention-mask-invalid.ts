import { defineRule } from "./types.js";

export default defineRule({
  meta: {
    id: "attention-mask-invalid",
    severity: "error",
    description: "Require attention_mask values to be 0 or 1.",
    messages: {
      invalid: '"attention_mask" must hold only 0 and 1, found {{value}} at position {{index}}{{more}}.',
    },
    scope: "record",
    docs:
      "`attention_mask` says which tokens the model attends to: 1 for a real token, 0 for padding (which also gets label -100). " +
      "Any other value is an error. The first bad position of a row is reported, with the number of others.",
    since: "0.2.0",
  },
  create: () => ({
    row(ctx, report) {
      const mask = ctx.values.attention_mask;
      if (!Array.isArray(mask)) return;
      let first = -1;
      let n = 0;
      for (let i = 0; i < mask.length; i++) {
        const v = mask[i];
        if (v !== 0 && v !== 1 && v !== null) {
          if (first < 0) first = i;
          n++;
        }
      }
      if (first >= 0) {
        report({
          messageId: "invalid",
          pointer: `/attention_mask/${first}`,
          data: { value: String(mask[first]), index: first, more: n > 1 ? ` (and ${n - 1} more in this row)` : "" },
        });
      }
    },
  }),
});
