import { MESSAGE_PATH, path, scalarPreview, typeName } from "./utils/record.js";
import { defineRule } from "./types.js";

const AT = path(MESSAGE_PATH);

export default defineRule({
  meta: {
    id: "message-not-object",
    severity: "error",
    description: "Require every message to be an object with `role` and `content`.",
    messages: { notObject: "A message must be an object with role and content, found {{type}}{{value}}." },
    scope: "record",
    formats: ["conversation", "preference"],
    docs: 'Each entry of `messages` is an object such as `{"role": "user", "content": "Hi"}`; a bare string or a `[role, content]` pair is rejected.',
    examples: { bad: ['{"messages": ["Hi", "Hello"]}'] },
    since: "0.1.0",
  },
  fromSchema({ error }) {
    if (error.keyword === "type" && AT.test(error.instancePath)) {
      return {
        messageId: "notObject",
        pointer: error.instancePath,
        data: { type: typeName(error.data), value: scalarPreview(error.data) },
      };
    }
    return undefined;
  },
});
