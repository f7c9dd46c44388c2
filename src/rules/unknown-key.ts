import { FORMAT_KEYS } from "../dataset-formats/detect.js";
import { pointerOfKey } from "./utils/record.js";
import { nearest } from "../util/nearest.js";
import { defineRule } from "./types.js";

export default defineRule({
  meta: {
    id: "unknown-key",
    severity: "error",
    description: "Disallow top-level keys the record's format does not define.",
    messages: {
      unknown: 'Unknown key "{{key}}" in {{where}} ({{format}} format): Together rejects extra columns (allowed: {{allowed}}).{{hint}}',
    },
    scope: "record",
    docs:
      'Together rejects any key its format does not define (`Found extra column "id"`). This is the most common surprise when a dataset is ' +
      "exported from Hugging Face with its `id`, `source` or `split` columns. Drop them before the upload, e.g. `jq -c '{messages}'`.",
    examples: {
      bad: ['{"id": 7, "messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello!"}]}'],
      good: ['{"messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello!"}]}'],
    },
    since: "0.1.0",
  },
  fromSchema({ error, format }) {
    if (error.keyword !== "additionalProperties" || (error.instancePath !== "" && error.instancePath !== "/input")) return undefined;
    const key = String((error.params as { additionalProperty: string }).additionalProperty);
    const allowed = error.instancePath === "/input" ? ["messages", "tools"] : FORMAT_KEYS[format];
    const near = nearest(key, allowed, 1);
    return {
      messageId: "unknown",
      pointer: pointerOfKey(error.instancePath, key),
      atKey: true,
      data: {
        key,
        where: error.instancePath === "" ? "the record" : "input",
        format,
        allowed: allowed.join(", "),
        hint: near.length ? ` Did you mean "${near[0]}"?` : "",
      },
    };
  },
});
