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
    docs: "DPO learns from the difference between the two replies. Identical replies contribute nothing but cost; they usually come from a bug in pair generation.",
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
      if (isObject(x) && isObject(y) && typeof x.content === "string" && x.content === y.content) {
        report({ messageId: "same", pointer: "/non_preferred_output/0/content" });
      }
    },
  }),
});
