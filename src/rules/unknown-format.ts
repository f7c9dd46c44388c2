import { FORMAT_KEYS } from "../dataset-formats/detect.js";
import { nearest } from "../util/nearest.js";
import { defineRule } from "./types.js";

const ALL_KEYS = Object.values(FORMAT_KEYS).flat();

export default defineRule({
  meta: {
    id: "unknown-format",
    severity: "error",
    description: "Require every object to be in one of Together's formats.",
    messages: {
      unknown:
        "No dataset format matches the keys {{keys}}: expected messages (conversation), prompt + completion (instruction), text (general) or input + preferred_output + non_preferred_output (preference).{{hint}}",
    },
    scope: "record",
    docs:
      "Together recognises a format by its keys: `messages`; `prompt` and `completion`; `text`; or `input`, `preferred_output` and `non_preferred_output`. " +
      "An object with none of them cannot be trained on. A near miss (`message`, `Messages`, `conversations`) is named in the message.",
    examples: { bad: ['{"conversations": [{"from": "human", "value": "Hi"}]}'] },
    since: "0.1.0",
  },
  latin1View: "safe",
  create: () => ({
    unknownFormat(ctx, report) {
      const keys = Object.keys(ctx.record);
      let hint = "";
      for (const k of keys) {
        const near = nearest(k, ALL_KEYS, 1);
        if (near.length) {
          hint = ` Did you mean "${near[0]}" instead of "${k}"?`;
          break;
        }
      }
      if (!hint && keys.includes("conversations"))
        hint = ' ShareGPT-style "conversations" must be converted to "messages" with role/content.';
      report({
        messageId: "unknown",
        pointer: "",
        data: { keys: keys.length ? keys.map((k) => JSON.stringify(k)).join(", ") : "(none)", hint },
      });
    },
  }),
});
