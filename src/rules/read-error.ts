import { defineRule } from "./types.js";

export default defineRule({
  meta: {
    id: "read-error",
    severity: "error",
    description: "Report a file that cannot be read to the end (I/O failure, corrupt gzip).",
    messages: { failed: "Cannot read the file: {{reason}}" },
    scope: "file",
    docs:
      "The file could not be read completely: permissions, a directory given as a file, a disk error, or a truncated or corrupt gzip stream. " +
      "Findings before the failure are still reported. A read error makes `tunelint` exit with code 2 (an I/O failure), not 1.",
    since: "0.1.0",
  },
  create: () => ({
    readFailure({ reason }, report) {
      report({ messageId: "failed", line: null, data: { reason } });
    },
  }),
});
