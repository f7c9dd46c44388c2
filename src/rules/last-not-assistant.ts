import { isObject } from "./utils/record.js";
import { defineRule } from "./types.js";

export default defineRule({
  meta: {
    id: "last-not-assistant",
    severity: "warning",
    description: "Warn when a conversation does not end with an assistant turn.",
    messages: {
      notLast: "The conversation ends with a {{role}} message: trailing turns after the last assistant reply are not learned from.",
    },
    scope: "record",
    formats: ["conversation"],
    docs: "Only assistant turns are trained on. Messages after the last assistant turn cost tokens and teach nothing; often a sign the reply was cut off in export.",
    since: "0.1.0",
  },
  latin1View: "safe",
  create: () => ({
    record(ctx, report) {
      const msgs = ctx.record.messages;
      if (!Array.isArray(msgs) || msgs.length === 0) return;
      const last = msgs[msgs.length - 1];
      if (!isObject(last) || typeof last.role !== "string" || last.role === "assistant") return;
      if (!msgs.some((m) => isObject(m) && m.role === "assistant")) return; // assistant-missing covers it
      report({ messageId: "notLast", pointer: `/messages/${msgs.length - 1}`, data: { role: last.role } });
    },
  }),
});
