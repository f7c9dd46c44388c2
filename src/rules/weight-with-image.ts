import { imageParts } from "./utils/images.js";
import { defineRule } from "./types.js";

export default defineRule({
  meta: {
    id: "weight-with-image",
    severity: "error",
    description: "Disallow a non-zero weight on a message that holds images.",
    messages: { weighted: 'A message with images cannot have a non-zero weight: set "weight": 0 or remove it.' },
    scope: "record",
    formats: ["conversation", "preference"],
    docs: "Together does not train on image tokens: a message carrying images must have weight 0 (or no weight).",
    since: "0.1.0",
  },
  latin1View: "safe",
  create: () => ({
    record(ctx, report) {
      const seen = new Set<string>();
      for (const img of imageParts(ctx.record, ctx.format)) {
        if (img.field || seen.has(img.messagePointer)) continue;
        seen.add(img.messagePointer);
        const w = img.message.weight;
        if (w !== undefined && w !== 0) report({ messageId: "weighted", pointer: `${img.messagePointer}/weight` });
      }
    },
  }),
});
