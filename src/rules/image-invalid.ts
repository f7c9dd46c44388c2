import { DATA_URI, imageParts } from "./utils/images.js";
import { defineRule } from "./types.js";

const ACCEPTED = new Set(["image/jpeg", "image/jpg", "image/png", "image/webp"]);

export default defineRule({
  meta: {
    id: "image-invalid",
    severity: "error",
    description: "Require images to be base64 data URIs of JPEG, PNG or WebP.",
    messages: {
      notDataUri: "Image URL must be a base64 data URI (data:image/png;base64,...); remote URLs are not fetched for fine-tuning.",
      notBase64: "Image data URI must be base64-encoded (data:{{mime}};base64,...).",
      mime: "Image type {{mime}} is not accepted: use image/jpeg, image/png or image/webp.",
      badPayload: "Image data is not valid base64 (character {{char}} at position {{position}}).",
    },
    scope: "record",
    formats: ["conversation", "preference", "instruction"],
    docs:
      "Together's vision fine-tuning takes images inline as base64 data URIs of JPEG, PNG or WebP, in user messages and in the prompt of " +
      "the VLM instruction format. HTTP URLs, other image types and broken base64 make the upload fail.\n\n" +
      "**Deliberately stricter than Together's own SDK tests.** Together's Python SDK tests (`tests/unit/test_files_checks.py`) use the " +
      "placeholder `data:image/jpeg;base64,...` as a valid image, and its client-side check passes it, because it looks only at the prefix. " +
      "No server can decode `...` into an image, so tunelint reports it (`badPayload`): a dataset of placeholders would be accepted by the " +
      "client check and fail when the images are read for training.",
    since: "0.1.0",
  },
  latin1View: "safe",
  create: () => ({
    record(ctx, report) {
      for (const img of imageParts(ctx.record, ctx.format)) {
        const m = DATA_URI.exec(img.url);
        if (!m) {
          report({ messageId: "notDataUri", pointer: img.pointer });
          continue;
        }
        const mime = (m[1] ?? "").toLowerCase();
        if (!ACCEPTED.has(mime)) {
          report({ messageId: "mime", pointer: img.pointer, data: { mime: mime || "(none)" } });
          continue;
        }
        if (!m[3]) {
          report({ messageId: "notBase64", pointer: img.pointer, data: { mime } });
          continue;
        }
        const payload = img.url.slice(m[0].length);
        const bad = /[^A-Za-z0-9+/=]/.exec(payload);
        if (bad) report({ messageId: "badPayload", pointer: img.pointer, data: { char: JSON.stringify(bad[0]), position: bad.index + 1 } });
      }
    },
  }),
});
