import { MESSAGE_PATH, path, scalarPreview, typeName } from "./utils/record.js";
import { defineRule } from "./types.js";

const AT = path(`${MESSAGE_PATH}/role`);

export default defineRule({
  meta: {
    id: "role-not-string",
    severity: "error",
    description: "Require `role` to be a string.",
    messages: { notString: '"role" must be a string, found {{type}}{{value}}.' },
    scope: "record",
    formats: ["conversation", "preference"],
    docs: "Roles are the strings `system`, `user`, `assistant` or `tool`; numeric speaker ids or null are rejected.",
    since: "0.1.0",
  },
  fromSchema({ error }) {
    if (error.keyword === "type" && AT.test(error.instancePath)) {
      return {
        messageId: "notString",
        pointer: error.instancePath,
        data: { type: typeName(error.data), value: scalarPreview(error.data) },
      };
    }
    return undefined;
  },
});
