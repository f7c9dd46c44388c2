import { conversationOf, isObject } from "./utils/record.js";
import { defineRule } from "./types.js";

export default defineRule({
  meta: {
    id: "consecutive-roles",
    severity: "error",
    description: "Disallow two consecutive messages with the same role.",
    messages: { same: "Two {{role}} messages in a row (messages {{previous}} and {{index}}): roles must alternate; merge them." },
    scope: "record",
    formats: ["conversation", "preference"],
    docs:
      "Together rejects a conversation in which a role follows itself (`Invalid role turns`): user and assistant must alternate. " +
      "Merge the two messages into one. Consecutive `tool` messages (answers to parallel tool calls) are allowed.",
    examples: {
      bad: ['{"messages": [{"role": "user", "content": "a"}, {"role": "user", "content": "b"}, {"role": "assistant", "content": "c"}]}'],
    },
    since: "0.1.0",
  },
  latin1View: "safe",
  create: () => ({
    record(ctx, report) {
      const conv = conversationOf(ctx.record, ctx.format);
      if (!conv) return;
      let prev: unknown = undefined;
      for (let i = 0; i < conv.messages.length; i++) {
        const m = conv.messages[i];
        const role = isObject(m) ? m.role : undefined;
        if (typeof role === "string" && role === prev && role !== "tool") {
          report({ messageId: "same", pointer: `${conv.base}/${i}/role`, data: { role, previous: i - 1, index: i } });
        }
        prev = role;
      }
    },
  }),
});
