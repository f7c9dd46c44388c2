import { defineRule } from "./types.js";

const GIB = 1024 ** 3;

export default defineRule({
  meta: {
    id: "file-too-large",
    severity: "error",
    description: "Keep the file under Together's maximum upload size.",
    messages: { tooLarge: "The file is {{size}} GiB; Together accepts at most {{max}} GiB." },
    scope: "file",
    defaultOptions: { maxBytes: Math.round(50.1 * GIB) },
    docs:
      "Together's Python SDK refuses files over 50.1 GiB (its TypeScript SDK says 4.9 GB; set `maxBytes` to match the client you use). " +
      "The size is that of the bytes uploaded, so a gzip file is measured compressed. Split the dataset into several files.",
    since: "0.1.0",
  },
  create: ({ options }) => ({
    end(ctx, report) {
      const max = Number(options.maxBytes);
      if (ctx.bytes > max) {
        report({
          messageId: "tooLarge",
          line: null,
          data: { size: +(ctx.bytes / GIB).toFixed(3), max: +(max / GIB).toFixed(3) },
        });
      }
    },
  }),
});
