import { defineRule } from "./types.js";

export default defineRule({
  meta: {
    id: "assistant-truncated",
    severity: "error",
    description: "Report examples whose cut at the limit would remove every trained token (with --model).",
    messages: {
      nothing:
        "The first trained token is at position {{prompt}}, past {{model}}'s limit of {{limit}}: truncated to the limit, this example teaches nothing.",
    },
    scope: "record",
    docs:
      "When an over-long example is truncated to the maximum sequence length, what remains is the prompt. If the prompt alone (system message, " +
      "earlier turns, the input of a DPO pair) already fills the limit, the assistant's reply, the only part the model learns from, is cut entirely. " +
      "Shorten the context, not the answer.",
    since: "0.1.0",
  },
  latin1View: "safe",
  create: () => ({
    record(ctx, report) {
      const t = ctx.tokens;
      if (!t || t.total <= t.limit) return;
      const prompt = t.promptTokens;
      if (prompt < t.limit) return;
      report({ messageId: "nothing", pointer: "", column: 1, data: { prompt, limit: t.limit, model: t.model } });
    },
  }),
});
