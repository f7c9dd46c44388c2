import { columnInString } from "../io/json-text.js";
import { allMessages } from "./utils/record.js";
import { also, messageTexts, TokenMatcher } from "./utils/token-scan.js";
import { toView } from "./utils/view.js";
import { defineRule } from "./types.js";

/** Chat-template markers of the common model families, unambiguous enough to mean "this text was already templated". */
const MARKERS: Record<string, string[]> = {
  "ChatML (Qwen, Yi, Hermes)": ["<|im_start|>", "<|im_end|>"],
  "Llama 3": ["<|begin_of_text|>", "<|start_header_id|>", "<|end_header_id|>", "<|eot_id|>", "<|eom_id|>", "<|end_of_text|>"],
  "Llama 2 / Mistral": ["[INST]", "[/INST]", "<<SYS>>", "<</SYS>>"],
  Mistral: [
    "[AVAILABLE_TOOLS]",
    "[/AVAILABLE_TOOLS]",
    "[TOOL_CALLS]",
    "[TOOL_RESULTS]",
    "[/TOOL_RESULTS]",
    "[SYSTEM_PROMPT]",
    "[/SYSTEM_PROMPT]",
  ],
  Gemma: ["<start_of_turn>", "<end_of_turn>"],
  DeepSeek: ["<｜begin▁of▁sentence｜>", "<｜end▁of▁sentence｜>", "<｜User｜>", "<｜Assistant｜>", "<｜tool▁calls▁begin｜>"],
  "Phi / GLM": ["<|user|>", "<|assistant|>", "<|system|>", "<|end|>", "<|observation|>"],
  "gpt-oss (harmony)": ["<|start|>", "<|channel|>", "<|message|>", "<|return|>", "<|call|>", "<|constrain|>"],
  "GPT / Qwen": ["<|endoftext|>"],
  Kimi: ["<|im_user|>", "<|im_assistant|>", "<|im_system|>", "<|im_middle|>"],
};

const FAMILY = new Map<string, string>();
for (const [family, list] of Object.entries(MARKERS)) for (const m of list) if (!FAMILY.has(m)) FAMILY.set(m, family);

export default defineRule({
  meta: {
    id: "templated-content",
    severity: "warning",
    description: "Warn on message text that is already chat-templated (template markers of a common model family).",
    messages: {
      marker:
        "{{role}} message text contains {{marker}}{{times}}, a {{family}} chat-template marker: give plain messages, the model's own template adds its markers.",
    },
    scope: "record",
    formats: ["conversation", "preference"],
    docs:
      "A conversation's messages are rendered with the model's chat template at training time, which adds every turn marker itself. " +
      "Text that already carries markers (`<|im_start|>assistant`, `<|start_header_id|>`, `[INST]`, `<start_of_turn>`, `<｜Assistant｜>`, " +
      "`<|channel|>`...) was templated twice, usually by an export that applied a template and then wrapped the result in `messages`. " +
      "The model then learns to write the markers of another template as text, or, when they are its own special tokens, to end or " +
      "switch turns mid-message.\n\n" +
      "Works without `--model`: the markers of the common families (ChatML, Llama 2 and 3, Mistral, Gemma, DeepSeek, Phi/GLM, gpt-oss, Kimi) " +
      "are listed in the rule. With `--model`, markers that are that model's own special tokens are reported by " +
      "[`special-token-in-content`](special-token-in-content.md) instead (an error), and this rule reports the others. The general " +
      "(`text`) and instruction formats are not checked: there, writing the template by hand is deliberate.\n\n" +
      "**Severity: warning.** Markers of another family are ordinary text to the model's tokenizer and Together accepts them; the examples " +
      "only train badly. Fix: convert the templated text back into `messages` (one message per turn, no markers).",
    examples: {
      bad: ['{"messages": [{"role": "user", "content": "<|im_start|>user\\nHi<|im_end|>"}, {"role": "assistant", "content": "Hello!"}]}'],
      good: ['{"messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello!"}]}'],
    },
    since: "0.1.0",
  },
  latin1View: "safe",
  create: () => {
    let matcher: TokenMatcher | null = null;
    // The same markers as a line's Latin-1 view spells them (non-ASCII ones like <｜Assistant｜> as UTF-8 bytes).
    let viewMatcher: TokenMatcher | null = null;
    let source: readonly string[] | null | undefined;
    return {
      record(ctx, report) {
        if (matcher === null || source !== ctx.specialTokens) {
          const own = new Set(ctx.specialTokens ?? []);
          const markers = [...FAMILY.keys()].filter((m) => !own.has(m));
          matcher = new TokenMatcher(markers);
          viewMatcher = new TokenMatcher(markers.map(toView));
          source = ctx.specialTokens;
        }
        for (const { message, pointer } of allMessages(ctx.record, ctx.format)) {
          const role = typeof message.role === "string" ? message.role.charAt(0).toUpperCase() + message.role.slice(1) : "A";
          for (const { text, pointer: p } of messageTexts(message, pointer)) {
            const hits = (ctx.latin1 ? viewMatcher! : matcher).find(text);
            if (hits.length === 0) continue;
            const hit = hits[0]!;
            report({
              messageId: "marker",
              pointer: p,
              column: columnInString(ctx.text, p, hit.index),
              data: { role, marker: hit.token, family: FAMILY.get(hit.token)!, times: also(hits) },
            });
          }
        }
      },
    };
  },
});
