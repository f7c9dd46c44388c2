import { defineRule } from "./types.js";

export default defineRule({
  meta: {
    id: "assistant-missing",
    severity: "error",
    description: "Require at least one assistant message in a conversation.",
    messages: { missing: "No assistant message: there is nothing to train on (Together requires at least one)." },
    scope: "record",
    formats: ["conversation"],
    docs: "Supervised fine-tuning learns the assistant's turns. A conversation without one is rejected by Together.",
    examples: { bad: ['{"messages": [{"role": "user", "content": "Hi"}]}'] },
    since: "0.1.0",
  },
  latin1View: "safe",
  create: () => ({
    record(ctx, report) {
      const msgs = ctx.record.messages;
      if (!Array.isArray(msgs) || msgs.length === 0) return;
      if (msgs.some((m) => typeof m === "object" && m !== null && (m as { role?: unknown }).role === "assistant")) return;
      // Only judge conversations whose roles are all readable: otherwise role-* rules already explain the problem.
      if (!msgs.every((m) => typeof m === "object" && m !== null && typeof (m as { role?: unknown }).role === "string")) return;
      report({ messageId: "missing", pointer: "/messages" });
    },
  }),
});
