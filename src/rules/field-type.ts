import { scalarPreview, typeName } from "./utils/record.js";
import { defineRule } from "./types.js";

export default defineRule({
  meta: {
    id: "field-type",
    severity: "error",
    description: "Require each field to have the type its format defines (text, prompt and completion are strings, input is an object...).",
    messages: { wrongType: '"{{key}}" must be {{expected}}, found {{type}}{{value}}.' },
    scope: "record",
    docs:
      "`text` is a string; `prompt` and `completion` are strings or, in the VLM instruction format, lists of `text` / `image_url` parts; `input` is an object with `messages`; `preferred_output` and `non_preferred_output` " +
      'are lists. A number, null or a nested object in their place is rejected (`Invalid value type for "text" key`).',
    examples: { bad: ['{"text": null}', '{"prompt": 42, "completion": "c"}'] },
    since: "0.1.0",
  },
  fromSchema({ error }) {
    if (error.keyword !== "type") return undefined;
    const t = String((error.params as { type: string | string[] }).type);
    const expected = t === "object" ? "an object" : t === "array" ? "a list" : `a ${t}`;
    const key = error.instancePath.split("/").pop() ?? "";
    // prompt and completion may also be part lists (VLM instruction format)
    const parts = error.instancePath === "/prompt" || error.instancePath === "/completion";
    return {
      messageId: "wrongType",
      pointer: error.instancePath,
      data: {
        key,
        expected: parts ? "a string (or a list of text/image_url parts)" : expected,
        type: typeName(error.data),
        value: scalarPreview(error.data),
      },
    };
  },
});
