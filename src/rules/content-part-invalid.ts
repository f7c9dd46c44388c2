import { PARTS_PATH, typeName } from "./utils/record.js";
import { defineRule, type ReportArgs } from "./types.js";

const UNDER = new RegExp(`^${PARTS_PATH}/\\d+`);
const PART = new RegExp(`^${PARTS_PATH}/\\d+$`);

export default defineRule({
  meta: {
    id: "content-part-invalid",
    severity: "error",
    description: "Require multimodal content parts to be well-formed text or image_url parts.",
    messages: {
      notObject: 'A content part must be an object like {"type": "text", "text": "..."}, found {{type}}.',
      typeMissing: 'Content part has no "type": use "text" or "image_url".',
      typeUnknown: 'Unknown content part type {{value}}: use "text" or "image_url".',
      missing: 'Content part of type {{partType}} needs "{{key}}".',
      wrongType: '"{{key}}" of a content part must be {{expected}}, found {{type}}.',
      extraKey: 'Unknown key "{{key}}" in a content part.',
    },
    scope: "record",
    formats: ["conversation", "preference", "instruction"],
    docs:
      'Multimodal content is a list of parts: `{"type": "text", "text": "..."}` or ' +
      '`{"type": "image_url", "image_url": {"url": "data:image/png;base64,..."}}`. Anything else in the list is rejected.',
    since: "0.1.0",
  },
  fromSchema({ error }): ReportArgs | undefined {
    const p = error.instancePath;
    if (!UNDER.test(p) || error.keyword === "if" || error.keyword === "allOf") return undefined;
    const params = error.params as Record<string, string>;
    const isPart = PART.test(p);
    const key = p.split("/").pop() ?? "";
    if (isPart && error.keyword === "type") return { messageId: "notObject", pointer: p, data: { type: typeName(error.data) } };
    if (isPart && error.keyword === "required" && params.missingProperty === "type") return { messageId: "typeMissing", pointer: p };
    if (isPart && error.keyword === "required") {
      return {
        messageId: "missing",
        pointer: p,
        data: { partType: params.missingProperty === "text" ? '"text"' : '"image_url"', key: params.missingProperty ?? "" },
      };
    }
    if (p.endsWith("/type") && (error.keyword === "enum" || error.keyword === "type")) {
      return { messageId: "typeUnknown", pointer: p, data: { value: JSON.stringify(error.data) ?? "?" } };
    }
    if (error.keyword === "type") {
      return {
        messageId: "wrongType",
        pointer: p,
        data: { key, expected: String(params.type === "object" ? "an object" : `a ${params.type}`), type: typeName(error.data) },
      };
    }
    if (error.keyword === "required") {
      return { messageId: "missing", pointer: p, data: { partType: '"image_url"', key: params.missingProperty ?? "" } };
    }
    if (error.keyword === "additionalProperties") {
      return {
        messageId: "extraKey",
        pointer: `${p}/${params.additionalProperty}`,
        atKey: true,
        data: { key: params.additionalProperty ?? "" },
      };
    }
    return undefined;
  },
});
