import { defineRule } from "./types.js";

export default defineRule({
  meta: {
    id: "token-limit",
    severity: "error",
    description: "Keep every example within the target model's maximum sequence length (with --model).",
    messages: {
      over: "Example is {{count}} tokens, {{over}} over {{model}}'s {{method}} limit of {{limit}}{{estimate}}.",
      rowOver: "Row is {{count}} tokens long, {{over}} over {{model}}'s SFT limit of {{limit}}.",
    },
    scope: "record",
    docs:
      "An example longer than the model's maximum sequence length is truncated or rejected after you have paid for the upload and waited in the queue. " +
      "With `--model`, tunelint renders each example with the model's official chat template and counts it with the model's own tokenizer, exactly as " +
      "Hugging Face `apply_chat_template(messages, tokenize=True)` does. The limit is the model's SFT limit, or its DPO limit for `--method dpo` " +
      "(and for preference files when no method is given); `--max-seq-length` overrides it. Shorten or split the example.\n\n" +
      "Pre-tokenized (Parquet) rows are measured by the length of `input_ids` (padding included: it is part of the sequence) against " +
      "the model's SFT limit.\n\n" +
      "Reasoning (`reasoning` or `reasoning_content` beside `content`) is counted as the model's template prints it: tunelint hands it " +
      "to the template as `reasoning_content`. The Qwen 3 template renders it inside `<think>...</think>` for the assistant turns after " +
      "the last user message and drops it from earlier turns. The other shipped templates ignore it, so it adds no tokens: " +
      "Llama 3 / 3.1 / 3.2 / 2, Qwen 2.5, Mistral, Gemma 3, DeepSeek V3 and DeepSeek R1 (R1 also drops `<think>` text from earlier " +
      "assistant turns), and gpt-oss, whose template reads a `thinking` field instead. Where a model's template ignores it, Together " +
      "does not train on it either, as far as the template decides the training text.",
    since: "0.1.0",
  },
  latin1View: "safe",
  create: () => ({
    row(ctx, report) {
      const ids = ctx.values.input_ids;
      const t = ctx.tokens;
      if (!t || !Array.isArray(ids) || ids.length <= t.limit) return;
      report({
        messageId: "rowOver",
        pointer: "/input_ids",
        data: { count: ids.length, over: ids.length - t.limit, limit: t.limit, model: t.model },
      });
    },
    record(ctx, report) {
      const t = ctx.tokens;
      if (!t || t.total <= t.limit) return;
      report({
        messageId: "over",
        pointer: "",
        column: 1,
        data: {
          count: t.total,
          over: t.total - t.limit,
          limit: t.limit,
          model: t.model,
          method: t.method.toUpperCase(),
          estimate: t.exact ? "" : " (estimated count)",
        },
      });
    },
  }),
});
