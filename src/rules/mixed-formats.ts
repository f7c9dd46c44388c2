import type { DatasetFormat } from "../types.js";
import { defineRule } from "./types.js";

const FORMATS: DatasetFormat[] = ["conversation", "instruction", "general", "preference"];

export default defineRule({
  meta: {
    id: "mixed-formats",
    severity: "error",
    description: "Require every line of a file to use the same format.",
    messages: {
      mixed:
        "This line is in the {{format}} format but the file is {{fileFormat}} (from line {{firstLine}}): every line must use the same format.",
    },
    scope: "file",
    docs:
      "Together decides the dataset format once and rejects a file whose lines disagree. The file's format is the format of its first " +
      "recognisable line; every line in another format is reported.",
    since: "0.1.0",
  },
  latin1View: "safe",
  create: () => {
    let first: { line: number; format: DatasetFormat } | null = null;
    return {
      key: (ctx) => FORMATS.indexOf(ctx.format),
      merge({ line, key }, report) {
        const format = FORMATS[key]!;
        if (!first) first = { line, format };
        else if (format !== first.format) {
          report({ messageId: "mixed", pointer: "", column: 1, data: { format, fileFormat: first.format, firstLine: first.line } });
        }
      },
    };
  },
});
