import { defineRule } from "./types.js";

export default defineRule({
  meta: {
    id: "mixed-formats",
    severity: "error",
    description: "Require every line of a file to use the same format.",
    messages: {
      mixed:
        "This line is in the {{format}} format but the file is {{fileFormat}} (from line {{firstLine}}): every line must use the same format.",
    },
    scope: "record",
    docs:
      "Together decides the dataset format once and rejects a file whose lines disagree. The file's format is the format of its first " +
      "recognisable line; every line in another format is reported.",
    since: "0.1.0",
  },
  create: () => {
    let firstLine = 0;
    return {
      record(ctx, report) {
        if (!firstLine) firstLine = ctx.line;
        if (ctx.format !== ctx.fileFormat) {
          report({ messageId: "mixed", pointer: "", data: { format: ctx.format, fileFormat: ctx.fileFormat, firstLine } });
        }
      },
    };
  },
});
