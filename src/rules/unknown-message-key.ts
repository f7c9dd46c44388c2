import { MESSAGE_PATH, path } from "./utils/record.js";
import { nearest } from "../util/nearest.js";
import { defineRule } from "./types.js";

const AT = path(MESSAGE_PATH);
const KNOWN = ["role", "content", "weight", "tool_calls", "tool_call_id", "name"];

export default defineRule({
  meta: {
    id: "unknown-message-key",
    severity: "warning",
    description: "Flag message keys that Together's format does not define.",
    messages: { unknown: 'Unknown message key "{{key}}" (known: {{known}}).{{hint}}' },
    scope: "record",
    formats: ["conversation", "preference"],
    docs:
      "A message holds `role`, `content`, and optionally `weight`, `tool_calls`, `tool_call_id` and `name`. Other keys are ignored at best " +
      "and rejected by stricter server versions; a misspelt `contents` or `Role` means the real field is missing.",
    since: "0.1.0",
  },
  fromSchema({ error }) {
    if (error.keyword !== "additionalProperties" || !AT.test(error.instancePath)) return undefined;
    const key = String((error.params as { additionalProperty: string }).additionalProperty);
    const near = nearest(key, KNOWN, 1);
    return {
      messageId: "unknown",
      pointer: `${error.instancePath}/${key.replace(/~/g, "~0").replace(/\//g, "~1")}`,
      atKey: true,
      data: { key, known: KNOWN.join(", "), hint: near.length && near[0] !== key ? ` Did you mean "${near[0]}"?` : "" },
    };
  },
});
