import { MESSAGE_PATH, path } from "./utils/record.js";
import { defineRule } from "./types.js";

const AT = path(MESSAGE_PATH);

export default defineRule({
  meta: {
    id: "content-missing",
    severity: "error",
    description: "Require every message to have `content` (unless it is an assistant tool call).",
    messages: { missing: 'Message has no "content": add the text (an empty assistant message is only allowed with tool_calls).' },
    scope: "record",
    formats: ["conversation", "preference"],
    docs: "Together requires `role` and `content` on every message. The one exception is an assistant message that only carries `tool_calls`.",
    examples: { bad: ['{"messages": [{"role": "user"}]}'] },
    since: "0.1.0",
  },
  fromSchema({ error }) {
    if (
      error.keyword === "required" &&
      AT.test(error.instancePath) &&
      (error.params as { missingProperty: string }).missingProperty === "content"
    ) {
      return { messageId: "missing", pointer: error.instancePath };
    }
    return undefined;
  },
});
