import { isBlankView } from "./utils/view.js";
import { defineRule } from "./types.js";

export default defineRule({
  meta: {
    id: "field-empty",
    severity: "warning",
    description: "Warn on empty or whitespace-only text, prompt or completion.",
    messages: { empty: '"{{key}}" is empty: the example passes Together\'s checks but teaches nothing.' },
    scope: "record",
    formats: ["instruction", "general"],
    docs: "An empty completion trains the model to say nothing; an empty text or prompt wastes an example. Usually a missing value in the source data.",
    since: "0.1.0",
  },
  latin1View: "safe",
  create: () => ({
    record(ctx, report) {
      for (const key of ctx.format === "general" ? ["text"] : ["prompt", "completion"]) {
        const v = ctx.record[key];
        if (typeof v === "string" && isBlankView(v, ctx.latin1)) report({ messageId: "empty", pointer: `/${key}`, data: { key } });
      }
    },
  }),
});
