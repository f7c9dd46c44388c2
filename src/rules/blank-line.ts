import { defineRule } from "./types.js";

export default defineRule({
  meta: {
    id: "blank-line",
    severity: "error",
    description: "Disallow empty and whitespace-only lines.",
    messages: {
      empty: "Empty line: every line must be one JSON example (Together fails on blank lines).",
      whitespace: "Line holds only whitespace: every line must be one JSON example.",
    },
    scope: "line",
    docs:
      "Together parses every line as JSON, and an empty line is not JSON. A trailing newline at the end of the file is fine; " +
      "an extra empty line after it is not. Remove blank lines (`grep -v '^\\s*$'`); `tunelint fix` removes them.",
    since: "0.1.0",
    fixable: "whitespace",
  },
  fix: {
    // A blank line is no record: removing it changes no example (the fixer never removes a line that holds one).
    line({ bytes }) {
      for (const b of bytes) if (b !== 0x20 && b !== 0x09) return undefined;
      return { bytes: null, before: JSON.stringify(bytes.toString("latin1")), after: "(line removed)" };
    },
  },
  latin1View: "safe",
  create: () => ({
    text(ctx, report) {
      if (ctx.blank) report({ messageId: ctx.text.length === 0 ? "empty" : "whitespace", column: 1 });
    },
  }),
});
