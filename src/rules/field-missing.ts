import { defineRule } from "./types.js";

export default defineRule({
  meta: {
    id: "field-missing",
    severity: "error",
    description: "Require every key the record's format needs (prompt and completion, input and both outputs, ...).",
    messages: { missing: 'Missing "{{key}}" in {{where}}: the {{format}} format needs {{needs}}.' },
    scope: "record",
    docs:
      "Each format has required keys: instruction needs both `prompt` and `completion`; preference needs `input` (with `messages`), " +
      "`preferred_output` and `non_preferred_output`. A line with only some of them is recognised by the keys it has and reported for the rest.",
    examples: { bad: ['{"prompt": "Translate: cat"}'] },
    since: "0.1.0",
  },
  fromSchema({ error, format }) {
    if (error.keyword !== "required") return undefined;
    const key = String((error.params as { missingProperty: string }).missingProperty);
    const needs: Record<string, string> = {
      instruction: '"prompt" and "completion"',
      general: '"text"',
      conversation: '"messages"',
      preference: '"input" with "messages", "preferred_output" and "non_preferred_output"',
    };
    return {
      messageId: "missing",
      pointer: error.instancePath,
      data: { key, where: error.instancePath === "" ? "the record" : error.instancePath, format, needs: needs[format] ?? "" },
    };
  },
});
