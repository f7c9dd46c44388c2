import { imageParts } from "./utils/images.js";
import { defineRule } from "./types.js";

export default defineRule({
  meta: {
    id: "too-many-images",
    severity: "error",
    description: "Limit the number of images in one example.",
    messages: { tooMany: "The example has {{count}} images; Together accepts at most {{max}} per example." },
    scope: "record",
    formats: ["conversation", "preference", "instruction"],
    defaultOptions: { max: 10 },
    docs: "Together accepts at most 10 images per example. Split long multi-image conversations.",
    since: "0.1.0",
  },
  latin1View: "safe",
  create: ({ options }) => ({
    record(ctx, report) {
      const max = Number(options.max);
      let count = 0;
      let at = "";
      for (const img of imageParts(ctx.record, ctx.format)) {
        count++;
        if (count === max + 1) at = img.pointer;
      }
      if (count > max) report({ messageId: "tooMany", pointer: at, data: { count, max } });
    },
  }),
});
