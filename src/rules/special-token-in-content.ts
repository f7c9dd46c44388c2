import { columnInString } from "../io/json-text.js";
import { allMessages } from "./utils/record.js";
import { also, messageTexts, TokenMatcher } from "./utils/token-scan.js";
import { defineRule } from "./types.js";

export default defineRule({
  meta: {
    id: "special-token-in-content",
    severity: "error",
    description: "Disallow the model's special tokens written as text inside messages (with --model).",
    messages: {
      special:
        "{{token}} in {{role}} message text is a special token of {{model}}{{times}}: the tokenizer reads it as a control token, not as text, so the model learns to {{effect}}.",
    },
    scope: "record",
    formats: ["conversation", "preference"],
    docs:
      "A tokenizer matches the text of its special tokens anywhere in its input: `<|eot_id|>`, `<|start_header_id|>` (Llama 3), " +
      "`<|im_end|>` (Qwen), `<｜end▁of▁sentence｜>` (DeepSeek), `<end_of_turn>` (Gemma), `<|return|>` (gpt-oss), `</s>`... written inside a " +
      "message become the control token itself. The chat template already puts these tokens around every message; one more inside the " +
      "content ends the turn, opens a fake header or ends the sequence in the middle of the message, and the model learns to do the same " +
      "(stop early, or talk in both roles).\n\n" +
      "With `--model`, tunelint checks the text of every message (content, text parts, reasoning, tool-call arguments) against the control " +
      "tokens of that model's own tokenizer (the `added_tokens` of its tokenizer.json marked `special`, and those shaped `<|...|>` or " +
      "`<｜...｜>` such as Qwen's `<|fim_suffix|>` and DeepSeek's `<｜User｜>`; also for `--tokenizer` files) and reports each one with its " +
      "column. Other added tokens (Qwen's `<think>`, `<tool_call>`; Gemma's `<unused0>`) are ordinary text and not reported. " +
      "A model counted with a stand-in tokenizer (an estimate, see `token-count-estimate`) is not checked here: its markers are " +
      "left to `templated-content`.\n\n" +
      '**Severity: error.** Together\'s server rejects such examples ("message contains an invalid token: <|fim_suffix|>", reported by ' +
      "users), after the upload. Fix: remove the markers (they usually come from text that was already chat-templated; give the plain " +
      "messages and let the template add them), or, if the text must mention a token, break it up (`<|eot_id|` + `>`). The instruction " +
      "and general formats are not checked: there the text is the whole input and writing the markers is how a template is given.",
    examples: {
      bad: ['{"messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello!<|eot_id|>"}]}'],
      good: ['{"messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello!"}]}'],
    },
    since: "0.1.0",
  },
  latin1View: "safe",
  create: () => {
    let matcher: TokenMatcher | null = null;
    let source: readonly string[] | null = null;
    return {
      record(ctx, report) {
        const specials = ctx.specialTokens;
        if (!specials || specials.length === 0) return;
        if (source !== specials) {
          matcher = new TokenMatcher(specials);
          source = specials;
        }
        const model = ctx.model ?? "the model";
        for (const { message, pointer } of allMessages(ctx.record, ctx.format)) {
          const role = typeof message.role === "string" ? message.role : "a";
          for (const { text, pointer: p } of messageTexts(message, pointer)) {
            const hits = matcher!.find(text);
            if (hits.length === 0) continue;
            const hit = hits[0]!;
            report({
              messageId: "special",
              pointer: p,
              column: columnInString(ctx.text, p, hit.index),
              data: { token: hit.token, role, model, times: also(hits), effect: effectOf(hit.token) },
            });
          }
        }
      },
    };
  },
});

/** What the control token does in the middle of a message, for the message. */
function effectOf(token: string): string {
  if (/eot|end_of_turn|im_end|\|end\||eos|end_of_text|endoftext|end▁of▁sentence|<\/s>|return|eom/i.test(token))
    return "end its turn mid-message";
  if (/header|im_start|start_of_turn|\|start\||user|assistant|system|INST|SYS/i.test(token)) return "open a new turn mid-message";
  return "emit a control token where text belongs";
}
