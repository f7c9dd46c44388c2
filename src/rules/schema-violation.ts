import { defineRule } from "./types.js";

export default defineRule({
  meta: {
    id: "schema-violation",
    severity: "error",
    description: "Report any other departure from the format's JSON Schema.",
    messages: { violation: "{{where}} {{problem}} ({{format}} schema)." },
    scope: "record",
    docs: "The catch-all for schema errors that no more specific rule explains. The published schemas are in `schemas/` of the package.",
    since: "0.1.0",
  },
  fromSchema({ error, format }) {
    return {
      messageId: "violation",
      pointer: error.instancePath,
      data: { where: error.instancePath || "The record", problem: error.message ?? error.keyword, format },
    };
  },
});
