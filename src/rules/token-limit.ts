import { defineRule } from "./types.js";

export default defineRule({
  meta: {
    id: "token-limit",
    severity: "error",
    description: "Keep every example within the target model's maximum sequence length (with --model).",
    messages: {
      over: "Example is {{count}} tokens, {{over}} over {{model}}'s {{method}} limit of {{limit}}{{estimate}}.",
    },
    scope: "record",
    docs:
      "An example longer than the model's maximum sequence length is truncated or rejected after you have paid for the upload and waited in the queue. " +
      "With `--model`, tunelint renders each example with the model's official chat template and counts it with the model's own tokenizer, exactly as " +
      "Hugging Face `apply_chat_template(messages, tokenize=True)` does. The limit is the model's SFT limit, or its DPO limit for `--method dpo` " +
      "(and for preference files when no method is given); `--max-seq-length` overrides it. Shorten or split the example.",
    since: "0.1.0",
  },
  latin1View: "safe",
  create: () => ({
    record(ctx, report) {
      const t = ctx.tokens;
      if (!t || t.total <= t.limit) return;
      report({
        messageId: "over",
        pointer: "",
        column: 1,
        data: {
          count: t.total,
          over: t.total - t.limit,
          limit: t.limit,
          model: t.model,
          method: t.method.toUpperCase(),
          estimate: t.exact ? "" : " (estimated count)",
        },
      });
    },
  }),
});
