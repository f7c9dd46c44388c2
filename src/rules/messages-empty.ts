import { defineRule } from "./types.js";

export default defineRule({
  meta: {
    id: "messages-empty",
    severity: "error",
    description: "Require `messages` to hold at least one message.",
    messages: { empty: "`messages` is empty: an example needs at least one message (and an assistant reply to learn from)." },
    scope: "record",
    formats: ["conversation", "preference"],
    docs: "Together rejects an empty conversation. It usually comes from a filter that removed every turn of an example.",
    examples: { bad: ['{"messages": []}'] },
    since: "0.1.0",
  },
  fromSchema({ error }) {
    if (error.keyword === "minItems" && /^(?:\/input)?\/messages$/.test(error.instancePath)) {
      return { messageId: "empty", pointer: error.instancePath };
    }
    return undefined;
  },
});
