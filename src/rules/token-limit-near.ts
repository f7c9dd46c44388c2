import { defineRule } from "./types.js";

export default defineRule({
  meta: {
    id: "token-limit-near",
    severity: "warning",
    description: "Warn on examples close to the model's maximum sequence length (with --model).",
    messages: {
      near: "Example is {{count}} tokens, {{percent}}% of {{model}}'s {{method}} limit of {{limit}}.",
    },
    scope: "record",
    defaultOptions: { ratio: 0.9 },
    docs:
      "Examples just under the limit leave no room for a template change or a different tokenizer version, and usually mean the data was cut " +
      'to fit. The threshold is a ratio of the limit (default 0.9): set it with `"token-limit-near": ["warning", {"ratio": 0.95}]`.',
    since: "0.1.0",
  },
  latin1View: "safe",
  create: ({ options }) => ({
    record(ctx, report) {
      const t = ctx.tokens;
      const ratio = Number(options.ratio);
      if (!t || t.total > t.limit || t.total <= ratio * t.limit) return;
      report({
        messageId: "near",
        pointer: "",
        column: 1,
        data: {
          count: t.total,
          percent: Math.floor((t.total / t.limit) * 100),
          limit: t.limit,
          model: t.model,
          method: t.method.toUpperCase(),
        },
      });
    },
  }),
});
