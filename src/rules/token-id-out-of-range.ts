import { defineRule } from "./types.js";

export default defineRule({
  meta: {
    id: "token-id-out-of-range",
    severity: "error",
    description: "Require pre-tokenized ids to be tokens of the model: not negative, and below its vocabulary size (with --model).",
    messages: {
      negative: '"{{column}}" has {{value}} at position {{index}}: a token id is never negative{{more}}.',
      tooLarge: '"{{column}}" has {{value}} at position {{index}}, not a token of {{model}} (vocabulary size {{vocab}}){{more}}.',
    },
    scope: "record",
    docs:
      "Every id in `input_ids` (and every label other than -100) indexes the model's embedding table. A negative id is always wrong; " +
      "with `--model`, an id at or above the size of the model's tokenizer vocabulary (its highest token id + 1, added tokens " +
      "included) means the data was tokenized for another model, and the job fails or trains on the wrong tokens. " +
      "The first bad position of each column of a row is reported, with the number of others.",
    since: "0.2.0",
  },
  create: () => ({
    row(ctx, report) {
      const vocab = ctx.tokens?.vocabSize ?? Number.POSITIVE_INFINITY;
      for (const column of ["input_ids", "labels"]) {
        const list = ctx.values[column];
        if (!Array.isArray(list)) continue;
        let first = -1;
        let n = 0;
        for (let i = 0; i < list.length; i++) {
          const v = list[i] as number | null;
          if (v === null || (column === "labels" && v < 0)) continue; // labels: -100 and other negatives are labels-invalid's
          if (v < 0 || v >= vocab) {
            if (first < 0) first = i;
            n++;
          }
        }
        if (first < 0) continue;
        const value = list[first] as number;
        const more = n > 1 ? ` (and ${n - 1} more in this row)` : "";
        if (value < 0) report({ messageId: "negative", pointer: `/${column}/${first}`, data: { column, value, index: first, more } });
        else {
          report({
            messageId: "tooLarge",
            pointer: `/${column}/${first}`,
            data: { column, value, index: first, model: ctx.tokens!.model, vocab, more },
          });
        }
      }
    },
  }),
});
