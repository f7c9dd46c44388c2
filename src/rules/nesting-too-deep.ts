import { defineRule } from "./types.js";

export default defineRule({
  meta: {
    id: "nesting-too-deep",
    severity: "error",
    description: "Limit how deeply objects and arrays nest in a line.",
    messages: { deep: "JSON nested {{depth}} levels deep (limit {{max}}); Together's Python parser fails beyond about 1,000 levels." },
    scope: "line",
    defaultOptions: { maxDepth: 500 },
    docs:
      "Python's `json.loads`, which Together's checker and servers use, raises RecursionError at about 1,000 levels of nesting, and deeply nested " +
      "values break chat templates that serialise tool arguments. No real example needs hundreds of levels; such a line is a bug or an attack. " +
      "tunelint measures the depth without recursion, so even a 100,000-level line is judged in milliseconds.",
    since: "0.1.0",
  },
  // The engine measures depth only past its limit: this rule's option sets it.
  limits: (options) => ({ maxDepth: Number(options.maxDepth) }),
  latin1View: "safe",
  create: () => ({
    value(ctx, report) {
      if (ctx.depth > ctx.maxDepth) report({ messageId: "deep", column: 1, data: { depth: ctx.depth, max: ctx.maxDepth } });
    },
  }),
});
