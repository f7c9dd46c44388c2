import { defineRule } from "./types.js";

export default defineRule({
  meta: {
    id: "too-few-examples",
    severity: "error",
    description: "Require a minimum number of examples in the file.",
    messages: { few: "The file has {{count}} {{examples}}; at least {{min}} {{required}}." },
    scope: "file",
    defaultOptions: { min: 1 },
    docs:
      "Together requires at least one example. A useful fine-tune needs far more: raise `min` in the config (for example " +
      '`"too-few-examples": ["error", {"min": 100}]`) to catch a truncated export. Lines that are not JSON objects do not count.',
    since: "0.1.0",
  },
  create: ({ options }) => ({
    end(ctx, report) {
      if (ctx.bytes === 0) return; // empty-file says it
      const min = Number(options.min);
      if (ctx.records < min)
        report({
          messageId: "few",
          line: null,
          data: {
            count: ctx.records,
            min,
            examples: ctx.records === 1 ? "example" : "examples",
            required: min === 1 ? "is required" : "are required",
          },
        });
    },
  }),
});
