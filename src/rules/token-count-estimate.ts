import { defineRule } from "./types.js";

export default defineRule({
  meta: {
    id: "token-count-estimate",
    severity: "warning",
    description: "Say when token counts are estimates rather than exact (with --model).",
    messages: {
      model:
        "Token counts for {{model}} are estimates: only one of its tokenizer and chat template is its own (pass both --tokenizer and --chat-template for exact counts).",
      tokenizer: "Token counts for {{model}} are estimates: {{note}}.",
      record: "Token count of this example is an estimate: {{note}}.",
      failed: "Token counting stopped at {{failure}}; later examples were not counted.",
    },
    scope: "file",
    docs:
      "tunelint counts exactly for the model families it ships (Llama 2, 3, 3.1 to 3.3, Qwen 2.5 and 3, Mistral and Mixtral, DeepSeek V3 and R1, " +
      "Gemma 3, gpt-oss), and for any other model with the tokenizer and chat template of its Hugging Face repository (the local Hugging Face " +
      "cache first, then the Hub). When those cannot be had (HF_HUB_OFFLINE set and nothing cached, the Hub unreachable, a repository without " +
      "a chat template) it estimates with a related tokenizer and says so here, once per file, with the reason, instead of staying silent. " +
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
      if (!ctx.tokens.exact) {
        if (ctx.tokens.note) report({ messageId: "tokenizer", line: null, data: { model: ctx.tokens.model, note: ctx.tokens.note } });
        else report({ messageId: "model", line: null, data: { model: ctx.tokens.model } });
      }
      if (ctx.tokens.failure) report({ messageId: "failed", line: null, data: { failure: ctx.tokens.failure } });
    },
  }),
});
