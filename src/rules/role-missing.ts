import { MESSAGE_PATH, path } from "./utils/record.js";
import { defineRule } from "./types.js";

const AT = path(MESSAGE_PATH);

export default defineRule({
  meta: {
    id: "role-missing",
    severity: "error",
    description: "Require every message to have a `role`.",
    messages: { missing: 'Message has no "role": add one of system, user, assistant, tool.' },
    scope: "record",
    formats: ["conversation", "preference"],
    docs: "Without a role the trainer cannot tell the prompt from the target. Other chat exports use `from`/`speaker`: rename them to `role`.",
    examples: { bad: ['{"messages": [{"content": "Hi"}]}'] },
    since: "0.1.0",
  },
  fromSchema({ error }) {
    if (
      error.keyword === "required" &&
      AT.test(error.instancePath) &&
      (error.params as { missingProperty: string }).missingProperty === "role"
    ) {
      return { messageId: "missing", pointer: error.instancePath };
    }
    return undefined;
  },
});
