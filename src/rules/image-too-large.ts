import { DATA_URI, base64Bytes, imageParts } from "./utils/images.js";
import { defineRule } from "./types.js";

export default defineRule({
  meta: {
    id: "image-too-large",
    severity: "error",
    description: "Limit the size of each image.",
    messages: { tooLarge: "Image is {{size}} MB decoded; Together accepts at most {{max}} MB per image." },
    scope: "record",
    formats: ["conversation", "preference", "instruction"],
    defaultOptions: { maxBytes: 10 * 1024 * 1024 },
    docs: "Each image may be at most 10 MB. Resize or recompress larger images (the size is measured on the decoded bytes, not the base64 text).",
    since: "0.1.0",
  },
  latin1View: "safe",
  create: ({ options }) => ({
    record(ctx, report) {
      const max = Number(options.maxBytes);
      for (const img of imageParts(ctx.record, ctx.format)) {
        const m = DATA_URI.exec(img.url);
        if (!m || !m[3]) continue;
        const size = base64Bytes(img.url.slice(m[0].length));
        if (size > max) {
          report({
            messageId: "tooLarge",
            pointer: img.pointer,
            data: { size: +(size / 1048576).toFixed(2), max: +(max / 1048576).toFixed(2) },
          });
        }
      }
    },
  }),
});
