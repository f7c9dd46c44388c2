import { defineRule } from "./types.js";

export default defineRule({
  meta: {
    id: "line-too-long",
    severity: "error",
    description: "Reject lines longer than the line-size cap (--max-line-bytes).",
    messages: {
      tooLong:
        "The line is {{size}} bytes, over the {{max}}-byte cap; it was not parsed. Raise --max-line-bytes if it is meant to be this big.",
    },
    scope: "line",
    docs:
      "A single line of hundreds of megabytes is almost always a broken export (a whole file on one line, a missing newline between records). " +
      "Parsing it would need several times its size in memory, so tunelint skips it and says so. The default cap is 64 MiB; " +
      "set `--max-line-bytes` (or `maxLineBytes` in the config) to change it.",
    since: "0.1.0",
  },
  create: () => ({
    raw(ctx, report) {
      if (ctx.oversized) report({ messageId: "tooLong", column: 1, data: { size: ctx.length, max: ctx.maxLineBytes } });
    },
  }),
});
