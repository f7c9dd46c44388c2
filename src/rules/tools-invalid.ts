import { typeName } from "./utils/record.js";
import { defineRule } from "./types.js";

const UNDER = /^(?:\/input)?\/tools(?:\/|$)/;

export default defineRule({
  meta: {
    id: "tools-invalid",
    severity: "error",
    description: "Require `tools` to be a list of function definitions.",
    messages: { invalid: "Invalid tool definition at {{where}}: {{problem}}." },
    scope: "record",
    formats: ["conversation", "preference"],
    docs: '`tools` lists the functions the assistant may call: `[{"type": "function", "function": {"name": "...", "description": "...", "parameters": {JSON Schema}}}]`.',
    since: "0.1.0",
  },
  fromSchema({ error }) {
    const p = error.instancePath;
    if (!UNDER.test(p)) return undefined;
    const params = error.params as Record<string, unknown>;
    const problem =
      error.keyword === "type"
        ? `expected ${String(params.type)}, found ${typeName(error.data)}`
        : error.keyword === "required"
          ? `"${String(params.missingProperty)}" is missing`
          : error.keyword === "additionalProperties"
            ? `unknown key "${String(params.additionalProperty)}"`
            : error.keyword === "const"
              ? `expected ${JSON.stringify(params.allowedValue)}`
              : (error.message ?? error.keyword);
    return { messageId: "invalid", pointer: p, data: { where: p.replace(/^\/input/, "") || "/tools", problem } };
  },
});
