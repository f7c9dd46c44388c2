import { isObject } from "./utils/record.js";
import { defineRule } from "./types.js";

export default defineRule({
  meta: {
    id: "dpo-input-ends-with-assistant",
    severity: "error",
    description: "Disallow a preference input conversation that ends with an assistant message.",
    messages: {
      ends: "The input conversation ends with an assistant message: it must end with the turn the outputs answer (usually user).",
    },
    scope: "record",
    formats: ["preference"],
    docs: "The preferred and non-preferred outputs are the next assistant turn, so the input must stop before it. Together rejects inputs whose last message is from the assistant.",
    since: "0.1.0",
  },
  latin1View: "safe",
  create: () => ({
    record(ctx, report) {
      const input = ctx.record.input;
      if (!isObject(input) || !Array.isArray(input.messages) || input.messages.length === 0) return;
      const i = input.messages.length - 1;
      const last = input.messages[i];
      if (isObject(last) && last.role === "assistant") report({ messageId: "ends", pointer: `/input/messages/${i}` });
    },
  }),
});
