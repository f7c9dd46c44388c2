import { defineRule } from "./types.js";

export default defineRule({
  meta: {
    id: "dpo-output-role",
    severity: "error",
    description: "Require preference outputs to be assistant messages.",
    messages: { role: 'The message in "{{key}}" must have role "assistant", found {{role}}.' },
    scope: "record",
    formats: ["preference"],
    docs: "Both outputs of a preference example are candidate assistant replies, so their role must be `assistant`.",
    since: "0.1.0",
  },
  fromSchema({ error }) {
    const m = /^\/((?:non_)?preferred_output)\/\d+\/role$/.exec(error.instancePath);
    if (!m || (error.keyword !== "const" && error.keyword !== "enum")) return undefined;
    return { messageId: "role", pointer: error.instancePath, data: { key: m[1]!, role: JSON.stringify(error.data) ?? "?" } };
  },
});
