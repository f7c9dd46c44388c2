import { FORMAT_KEYS } from "../dataset-formats/detect.js";
import { pointerOfKey } from "./utils/record.js";
import { nearest } from "../util/nearest.js";
import { defineRule, type FixOperation } from "./types.js";

/** Keys of any format: never dropped by the fixer (a record with `text` beside `messages` holds content). */
const FORMAT_KEY_SET = new Set(Object.values(FORMAT_KEYS).flat());

export default defineRule({
  meta: {
    id: "unknown-key",
    severity: "warning",
    description: "Flag top-level keys the record's format does not define (Together ignores them).",
    messages: {
      unknown:
        'Unknown key "{{key}}" in {{where}} ({{format}} format): Together ignores other fields during training; remove them to shrink the upload (`tunelint fix` drops them).{{hint}}',
    },
    scope: "record",
    docs:
      'Together\'s docs: "You can have other fields, but they will be ignored during training", and they recommend removing them to speed up ' +
      "upload and processing. Extra columns are the usual leftovers of a Hugging Face export (`id`, `source`, `split`); they cost upload " +
      "bytes and nothing else, so this is a warning. A misspelt key is named (`mesages` -> `messages`), because then the real field is " +
      "missing too. Drop them with `tunelint fix` (it lists every key it drops), or e.g. `jq -c '{messages}'`.\n\n" +
      "The format keys are different: a record that also carries the keys of another format (`text` beside `messages`) matches two " +
      "formats, which Together rejects; that is `ambiguous-format`, an error. `tools` next to a preference record belongs inside `input`. " +
      "`tunelint fix` keeps both: they are content, and only you know which one is meant.",
    examples: {
      bad: ['{"id": 7, "messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello!"}]}'],
      good: ['{"messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello!"}]}'],
    },
    since: "0.1.0",
    fixable: "code",
  },
  fix: {
    // Together ignores extra top-level columns in training: dropping them changes no example. A key of another format
    // (`text` beside `messages`) is content, and stays.
    record({ record, format }) {
      const ops: FixOperation[] = [];
      const allowed = [...FORMAT_KEYS[format], "weight"]; // the sample weight belongs to every format
      for (const key of Object.keys(record)) {
        if (!allowed.includes(key) && !FORMAT_KEY_SET.has(key)) ops.push({ op: "remove", pointer: pointerOfKey("", key) });
      }
      return ops;
    },
  },
  fromSchema({ error, format }) {
    if (error.keyword !== "additionalProperties" || (error.instancePath !== "" && error.instancePath !== "/input")) return undefined;
    const key = String((error.params as { additionalProperty: string }).additionalProperty);
    const allowed = error.instancePath === "/input" ? ["messages", "tools"] : [...FORMAT_KEYS[format], "weight"];
    const near = nearest(key, allowed, 1);
    let hint = near.length ? ` Did you mean "${near[0]}"?` : "";
    if (format === "preference" && error.instancePath === "" && key === "tools") hint = ' For preference data, put "tools" inside "input".';
    return {
      messageId: "unknown",
      pointer: pointerOfKey(error.instancePath, key),
      atKey: true,
      data: { key, where: error.instancePath === "" ? "the record" : "input", format, hint },
    };
  },
});
