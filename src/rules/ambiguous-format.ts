import { FORMAT_KEYS } from "../dataset-formats/detect.js";
import { pointerOfKey } from "./utils/record.js";
import { defineRule } from "./types.js";
import type { DatasetFormat } from "../types.js";

/** The keys that name a format (its required keys); `tools` and `weight` are shared, so they name none. */
const OWNER = new Map<string, DatasetFormat>();
for (const [format, keys] of Object.entries(FORMAT_KEYS) as [DatasetFormat, string[]][]) {
  for (const k of keys) if (k !== "tools" && k !== "weight") OWNER.set(k, format);
}

export default defineRule({
  meta: {
    id: "ambiguous-format",
    severity: "error",
    description: "Disallow a record that carries the keys of two dataset formats.",
    messages: {
      twoFormats:
        'The record has "{{key}}" of the {{other}} format beside the keys of the {{format}} format: Together rejects a record that matches two formats. Keep one format per line.',
    },
    scope: "record",
    docs:
      "Together ignores extra fields (see `unknown-key`), but not a record that could be read in two formats: `messages` beside `text`, " +
      "`prompt` beside `messages`, `input` beside `prompt`... is an error on the server. tunelint reads such a record in the first format " +
      "that matches (conversation, preference, instruction, general) and reports each key of another format here. Drop the keys of the " +
      "format you do not train on.",
    examples: {
      bad: ['{"messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello!"}], "text": "Hi Hello!"}'],
    },
    since: "0.2.0",
  },
  fromSchema({ error, format }) {
    if (error.keyword !== "additionalProperties" || error.instancePath !== "") return undefined;
    const key = String((error.params as { additionalProperty: string }).additionalProperty);
    const other = OWNER.get(key);
    if (!other || other === format) return undefined;
    return { messageId: "twoFormats", pointer: pointerOfKey("", key), atKey: true, data: { key, other, format } };
  },
});
