import { defineRule } from "./types.js";

export default defineRule({
  meta: {
    id: "empty-file",
    severity: "error",
    description: "Require the file to have content.",
    messages: { empty: "The file is empty (0 bytes): Together rejects empty files." },
    scope: "file",
    docs: "Together refuses an empty upload. An empty file usually means an export step failed silently upstream.",
    since: "0.1.0",
  },
  create: () => ({
    end(ctx, report) {
      if (ctx.bytes === 0) report({ messageId: "empty", line: null });
    },
  }),
});
