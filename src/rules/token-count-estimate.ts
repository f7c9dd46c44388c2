import { defineRule } from "./types.js";

export default defineRule({
  meta: {
    id: "token-count-estimate",
    severity: "warning",
    description: "Say when token counts are estimates rather than exact (with --model).",
    messages: {
      model:
        "Token counts for {{model}} are estimates: tunelint does not ship its exact tokenizer and chat template (pass --tokenizer and --chat-template for exact counts).",
      record: "Token count of this example is an estimate: {{note}}.",
      failed: "Token counting stopped at {{failure}}; later examples were not counted.",
    },
    scope: "file",
    docs:
      "tunelint counts exactly for the model families it ships (Llama 2, 3, 3.1 to 3.3, Qwen 2.5 and 3, Mistral and Mixtral, DeepSeek V3 and R1, " +
      "Gemma 3, gpt-oss). For any other model it estimates with a related tokenizer and says so here, once per file, instead of staying silent. " +
      "A single example can also fall back to an estimate when the model's chat template refuses it (for instance a template that rejects a system message).",
    since: "0.1.0",
  },
  latin1View: "safe",
  create: () => ({
    record(ctx, report) {
      const t = ctx.tokens;
      if (t && !t.exact && t.note) report({ messageId: "record", pointer: "", column: 1, data: { note: t.note } });
    },
    end(ctx, report) {
      if (!ctx.tokens) return;
      if (!ctx.tokens.exact) report({ messageId: "model", line: null, data: { model: ctx.tokens.model } });
      if (ctx.tokens.failure) report({ messageId: "failed", line: null, data: { failure: ctx.tokens.failure } });
    },
  }),
});
