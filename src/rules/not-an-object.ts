import { typeName } from "./utils/record.js";
import { defineRule } from "./types.js";

export default defineRule({
  meta: {
    id: "not-an-object",
    severity: "error",
    description: "Require every line to be a JSON object.",
    messages: {
      notObject: "The line is a JSON {{type}}, not an object: each line must be one example object.",
      array: "The line is a JSON array: each line must be one example object (if this array holds examples, write one per line).",
    },
    scope: "line",
    docs: 'Every Together format is a JSON object per line (`{"messages": [...]}`, `{"text": "..."}`...). A bare string, number or array is rejected.',
    examples: { bad: ['"just a string"', "[1, 2, 3]"] },
    since: "0.1.0",
  },
  latin1View: "safe",
  create: () => ({
    value(ctx, report) {
      const v = ctx.value;
      if (typeof v === "object" && v !== null && !Array.isArray(v)) return;
      report({ messageId: Array.isArray(v) ? "array" : "notObject", pointer: "", data: { type: typeName(v) } });
    },
  }),
});
