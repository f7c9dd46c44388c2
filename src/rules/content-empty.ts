import { allMessages } from "./utils/record.js";
import { isBlankView } from "./utils/view.js";
import { defineRule } from "./types.js";

export default defineRule({
  meta: {
    id: "content-empty",
    severity: "warning",
    description: "Warn on empty or whitespace-only message content.",
    messages: {
      empty: "{{role}} message has empty content: it passes Together's checks but teaches nothing.",
      whitespace: "{{role}} message content is only whitespace.",
    },
    scope: "record",
    formats: ["conversation", "preference"],
    docs:
      "Empty strings pass Together's checker, but an empty assistant turn trains the model to answer with nothing and an empty user turn " +
      "wastes tokens. Usually a sign of a broken export. Assistant messages that carry `tool_calls` are exempt.",
    since: "0.1.0",
  },
  latin1View: "safe",
  create: () => ({
    record(ctx, report) {
      for (const { message, pointer } of allMessages(ctx.record, ctx.format)) {
        const c = message.content;
        if (typeof c !== "string" || !isBlankView(c, ctx.latin1)) continue;
        if (Array.isArray(message.tool_calls) && message.tool_calls.length > 0) continue;
        const role = typeof message.role === "string" ? message.role : "A";
        report({
          messageId: c.length === 0 ? "empty" : "whitespace",
          pointer: `${pointer}/content`,
          data: { role: role.charAt(0).toUpperCase() + role.slice(1) },
        });
      }
    },
  }),
});
