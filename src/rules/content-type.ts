import { MESSAGE_PATH, path, scalarPreview, typeName } from "./utils/record.js";
import { defineRule } from "./types.js";

const AT = path(`${MESSAGE_PATH}/content`);

export default defineRule({
  meta: {
    id: "content-type",
    severity: "error",
    description: "Require `content` to be a string or a list of content parts.",
    messages: {
      wrongType: '"content" must be a string (or a list of text/image parts), found {{type}}{{value}}.',
      outputNotString: "The content of a preference output must be a string, found {{type}}.",
    },
    scope: "record",
    formats: ["conversation", "preference"],
    docs: 'Content is text, or for multimodal models a list of parts (`{"type": "text", ...}`, `{"type": "image_url", ...}`). Numbers, booleans and objects are rejected. DPO outputs must be plain strings.',
    examples: { bad: ['{"messages": [{"role": "user", "content": 42}]}'] },
    since: "0.1.0",
  },
  fromSchema({ error }) {
    if (error.keyword !== "type" || !AT.test(error.instancePath) || error.data === null) return undefined;
    const isOutput = /preferred_output/.test(error.instancePath);
    return {
      messageId: isOutput && Array.isArray(error.data) ? "outputNotString" : "wrongType",
      pointer: error.instancePath,
      data: { type: typeName(error.data), value: scalarPreview(error.data) },
    };
  },
});
