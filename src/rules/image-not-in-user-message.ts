import { imageParts } from "./utils/images.js";
import { defineRule } from "./types.js";

export default defineRule({
  meta: {
    id: "image-not-in-user-message",
    severity: "error",
    description: "Allow images only in user messages.",
    messages: { notUser: "Image in the {{role}} message: Together accepts images only in user messages." },
    scope: "record",
    formats: ["conversation", "preference"],
    docs: "Vision fine-tuning on Together learns to answer about images the user sends; images in system or assistant messages are rejected.",
    since: "0.1.0",
  },
  latin1View: "safe",
  create: () => ({
    record(ctx, report) {
      for (const img of imageParts(ctx.record, ctx.format)) {
        if (img.role !== "user") report({ messageId: "notUser", pointer: img.pointer, data: { role: String(img.role) } });
      }
    },
  }),
});
