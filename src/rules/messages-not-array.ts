import { typeName } from "./utils/record.js";
import { defineRule } from "./types.js";

export default defineRule({
  meta: {
    id: "messages-not-array",
    severity: "error",
    description: "Require `messages` to be an array of message objects.",
    messages: { notArray: "`messages` must be an array of messages, found {{type}}." },
    scope: "record",
    formats: ["conversation", "preference"],
    docs: 'A conversation is a list: `"messages": [{"role": "user", "content": "..."}, ...]`. A string (often a JSON-encoded list) or an object is rejected.',
    examples: { bad: ['{"messages": "[{\\"role\\": \\"user\\"}]"}'] },
    since: "0.1.0",
  },
  fromSchema({ error }) {
    if (error.keyword === "type" && /^(?:\/input)?\/messages$/.test(error.instancePath)) {
      return { messageId: "notArray", pointer: error.instancePath, data: { type: typeName(error.data) } };
    }
    return undefined;
  },
});
