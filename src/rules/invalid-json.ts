import { findJsonSyntaxError } from "../io/json-text.js";
import { defineRule } from "./types.js";

/** A human hint for the usual ways a line fails to be one JSON value. */
export function jsonHint(text: string, reason: string): string {
  const t = text.trim();
  if (/^[{[\]}],?$/.test(t) || /[{[,]$/.test(t) || /^"[^"]*"\s*:/.test(t)) {
    return " Pretty-printed JSON is not JSONL: put each example on one line (e.g. `jq -c . file.json`).";
  }
  if (t.startsWith("[") && t.endsWith("]") && /^\[\s*\{/.test(t)) {
    return " This looks like a JSON array of examples: JSONL needs one object per line (`jq -c '.[]' file.json`).";
  }
  if (/after the end of the JSON value/.test(reason) && /\}\s*\{/.test(t)) {
    return " Two examples are on one line: put a newline between them.";
  }
  if (/unterminated/.test(reason) || /end of line/.test(reason)) {
    return " The line ends before the JSON does: a newline inside a string must be written as \\n.";
  }
  return "";
}

export default defineRule({
  meta: {
    id: "invalid-json",
    severity: "error",
    description: "Require every non-blank line to be exactly one valid JSON value.",
    messages: {
      invalid: "Invalid JSON: {{reason}}.{{hint}}",
      unserialisable: "Invalid JSON: the value cannot be written as JSON (a cycle, a BigInt, or nesting too deep to serialise).",
    },
    scope: "line",
    docs:
      "JSONL means one complete JSON value per line. The usual culprits: pretty-printed JSON spread over several lines, a JSON array of examples, " +
      "Python literals (`True`, `None`, single quotes) from `str(dict)` instead of `json.dumps`, trailing commas, and raw newlines inside strings. " +
      "The column points at the first character the parser could not accept.",
    examples: {
      bad: ["{'messages': []}", '{"messages": [],}'],
      good: ['{"messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello!"}]}'],
    },
    since: "0.1.0",
  },
  latin1View: "safe",
  create: () => ({
    parseError(ctx, report) {
      const err = findJsonSyntaxError(ctx.text) ?? { offset: 0, reason: "not valid JSON" };
      const column = err.offset + 1;
      if (ctx.reportedColumns.includes(column)) return;
      report({ messageId: "invalid", column, data: { reason: err.reason, hint: jsonHint(ctx.text, err.reason) } });
    },
    unserialisable(_ctx, report) {
      report({ messageId: "unserialisable", column: 1 });
    },
  }),
});
