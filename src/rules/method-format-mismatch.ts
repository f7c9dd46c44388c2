import { DATASET_FORMATS } from "../types.js";
import { defineRule } from "./types.js";

const FORMATS = DATASET_FORMATS;

export default defineRule({
  meta: {
    id: "method-format-mismatch",
    severity: "error",
    description: "Require preference data for --method dpo and non-preference data for --method sft.",
    messages: {
      needsPreference:
        "--method dpo trains on preference pairs, but this line is {{format}} data (the first such line; input + preferred_output + non_preferred_output needed).",
      needsSft: "--method sft cannot train on preference pairs (the first such line): use --method dpo, or conversation data.",
      parquetDpo:
        "--method dpo cannot train on pre-tokenized (Parquet) data: Together's preference training takes only JSONL in the preference format.",
    },
    scope: "file",
    docs:
      "Together trains DPO only on the preference format and SFT only on the other formats. The first line that does not fit the method given " +
      "with `--method` is reported (once per file). Without `--method`, preference files are judged against the DPO limit and no line is reported. " +
      "Together's preference training does not accept pre-tokenized data: `--method dpo` with a Parquet file is reported once, at file level.",
    since: "0.1.0",
  },
  latin1View: "safe",
  create: () => {
    let reported = false;
    return {
      columns(ctx, report) {
        if (ctx.explicitMethod === "dpo") report({ messageId: "parquetDpo", pointer: "", line: null });
      },
      // key: format index, plus 10 for an explicit --method dpo, 20 for an explicit --method sft.
      key: (ctx) => FORMATS.indexOf(ctx.format) + (ctx.explicitMethod === "dpo" ? 10 : ctx.explicitMethod === "sft" ? 20 : 0),
      merge({ key }, report) {
        if (reported || key < 10) return;
        const method = key >= 20 ? "sft" : "dpo";
        const format = FORMATS[key % 10]!;
        if (method === "dpo" && format !== "preference") {
          reported = true;
          report({ messageId: "needsPreference", pointer: "", column: 1, data: { format } });
        } else if (method === "sft" && format === "preference") {
          reported = true;
          report({ messageId: "needsSft", pointer: "", column: 1 });
        }
      },
    };
  },
});
