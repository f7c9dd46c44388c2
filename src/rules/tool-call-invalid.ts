import { MESSAGE_PATH, typeName } from "./utils/record.js";
import { defineRule } from "./types.js";

const UNDER = new RegExp(`^${MESSAGE_PATH}/(?:tool_calls|tool_call_id|name)(?:/|$)`);

export default defineRule({
  meta: {
    id: "tool-call-invalid",
    severity: "error",
    description: "Require assistant tool calls to follow the OpenAI function-call shape.",
    messages: { invalid: "Invalid tool call at {{where}}: {{problem}}." },
    scope: "record",
    formats: ["conversation", "preference"],
    docs:
      'A tool call is `{"id": "call_1", "type": "function", "function": {"name": "get_weather", "arguments": "{...}"}}` in the ' +
      "assistant message's `tool_calls` list; the tool's answer is a `tool` message with `tool_call_id`. `arguments` may be a JSON string or an object.",
    since: "0.1.0",
  },
  fromSchema({ error }) {
    const p = error.instancePath;
    if (!UNDER.test(p) || error.keyword === "if") return undefined;
    const params = error.params as Record<string, unknown>;
    let problem: string;
    switch (error.keyword) {
      case "type":
        problem = `expected ${Array.isArray(params.type) ? (params.type as string[]).join(" or ") : String(params.type)}, found ${typeName(error.data)}`;
        break;
      case "required":
        problem = `"${String(params.missingProperty)}" is missing`;
        break;
      case "additionalProperties":
        problem = `unknown key "${String(params.additionalProperty)}"`;
        break;
      case "const":
        problem = `expected ${JSON.stringify(params.allowedValue)}`;
        break;
      case "minLength":
        problem = "must not be empty";
        break;
      default:
        problem = error.message ?? error.keyword;
    }
    return { messageId: "invalid", pointer: p, data: { where: p.replace(/^.*?\/(tool_calls|tool_call_id|name)/, "$1"), problem } };
  },
});
