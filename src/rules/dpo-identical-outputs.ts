import { isObject } from "./utils/record.js";
import { defineRule } from "./types.js";

export default defineRule({
  meta: {
    id: "dpo-identical-outputs",
    severity: "warning",
    description: "Warn when the preferred and non-preferred outputs are the same.",
    messages: { same: "preferred_output and non_preferred_output are identical: the pair teaches no preference." },
    scope: "record",
    formats: ["preference"],
    docs:
      "DPO learns from the difference between the two replies. Identical replies contribute nothing but cost; they usually come from a bug in pair generation. " +
      "Replies are compared on their text, their reasoning (`reasoning` / `reasoning_content`) and, for tool-call outputs, their `tool_calls`: two " +
      "replies that differ only in their reasoning are a real pair.",
    since: "0.1.0",
  },
  latin1View: "safe",
  create: () => ({
    record(ctx, report) {
      const a = ctx.record.preferred_output;
      const b = ctx.record.non_preferred_output;
      if (!Array.isArray(a) || !Array.isArray(b) || a.length !== 1 || b.length !== 1) return;
      const x = a[0];
      const y = b[0];
      if (!isObject(x) || !isObject(y)) return;
      // Replies differ when their text, their reasoning or their tool calls differ (DPO with reasoning / tools).
      const reasoning = (m: Record<string, unknown>) => m.reasoning ?? m.reasoning_content;
      if (reasoning(x) !== reasoning(y)) return;
      if (typeof x.content === "string" && x.content === y.content && x.tool_calls === undefined && y.tool_calls === undefined) {
        report({ messageId: "same", pointer: "/non_preferred_output/0/content" });
      } else if (
        x.content == null &&
        y.content == null &&
        x.tool_calls !== undefined &&
        JSON.stringify(x.tool_calls) === JSON.stringify(y.tool_calls)
      ) {
        report({ messageId: "same", pointer: "/non_preferred_output/0/tool_calls" });
      }
    },
  }),
});
