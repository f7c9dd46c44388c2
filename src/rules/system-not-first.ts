import { conversationOf, isObject } from "./utils/record.js";
import { defineRule } from "./types.js";

export default defineRule({
  meta: {
    id: "system-not-first",
    severity: "warning",
    description: "Require a system message, if any, to be the first message.",
    messages: {
      notFirst: "System message at position {{index}}: a system message must come first (many chat templates drop or reject a later one).",
    },
    scope: "record",
    formats: ["conversation", "preference"],
    docs:
      "Together's docs define a conversation as an optional system message followed by alternating user and assistant turns. Chat templates " +
      "of Llama, Mistral and Gemma only place the first message as the system prompt; a later one is rendered as something else or raises an error.",
    since: "0.1.0",
  },
  latin1View: "safe",
  create: () => ({
    record(ctx, report) {
      const conv = conversationOf(ctx.record, ctx.format);
      if (!conv) return;
      for (let i = 1; i < conv.messages.length; i++) {
        const m = conv.messages[i];
        if (isObject(m) && m.role === "system") report({ messageId: "notFirst", pointer: `${conv.base}/${i}/role`, data: { index: i } });
      }
    },
  }),
});
