import { imageParts } from "./utils/images.js";
import { preview } from "./utils/record.js";
import { defineRule } from "./types.js";

export default defineRule({
  meta: {
    id: "image-not-in-user-message",
    severity: "error",
    description: "Allow images only in user messages.",
    messages: {
      notUser: "Image in the {{role}} message: Together accepts images only in user messages.",
      completion: "Image in the completion: Together accepts images only in the prompt (the completion is what the model learns to write).",
    },
    scope: "record",
    formats: ["conversation", "preference", "instruction"],
    docs:
      "Vision fine-tuning on Together learns to answer about images the user sends; images in system or assistant messages are rejected. " +
      "In the VLM instruction format the same holds for the two sides: images in `prompt`, text only in `completion`.",
    since: "0.1.0",
  },
  latin1View: "safe",
  create: () => ({
    record(ctx, report) {
      for (const img of imageParts(ctx.record, ctx.format)) {
        if (img.field === "completion") report({ messageId: "completion", pointer: img.pointer });
        else if (img.field === undefined && img.role !== "user")
          report({
            messageId: "notUser",
            pointer: img.pointer,
            data: { role: typeof img.role === "string" ? img.role : preview(img.role) },
          });
      }
    },
  }),
});
