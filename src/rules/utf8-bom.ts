import { defineRule } from "./types.js";

export default defineRule({
  meta: {
    id: "utf8-bom",
    severity: "error",
    description: "Disallow a UTF-8 byte order mark at the start of a line.",
    messages: { bom: "The line starts with a UTF-8 byte order mark (EF BB BF); Together fails on it. Save the file as UTF-8 without BOM." },
    scope: "line",
    docs:
      "Some editors and Windows tools write a byte order mark at the start of the file. JSON parsers (Python's `json.loads` included) " +
      "reject it, so Together fails on line 1. A BOM at the start of a later line usually means files were concatenated.",
    since: "0.1.0",
    fixable: "whitespace",
  },
  fix: {
    line({ bytes }) {
      if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
        return { bytes: bytes.subarray(3), before: "EF BB BF (byte order mark)", after: "(removed)" };
      }
      return undefined;
    },
  },
  create: () => ({
    raw(ctx, report) {
      const b = ctx.bytes;
      if (b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) report({ messageId: "bom", column: 1 });
    },
  }),
});
