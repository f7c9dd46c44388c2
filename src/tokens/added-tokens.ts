/**
 * The control tokens of a Hugging Face tokenizer.json, as text: its `added_tokens` marked `special: true` (BOS/EOS,
 * turn and header markers, reserved tokens), plus the added tokens shaped like control markers, `<|...|>` or
 * `<｜...｜>`, that some tokenizers leave unmarked (Qwen's `<|fim_suffix|>`, DeepSeek's `<｜User｜>` and
 * `<｜tool▁calls▁begin｜>`). The tokenizer matches their text anywhere in the input and turns it into the token, so the
 * same text inside a message's content is read as a control token, not as characters. Other added tokens (Qwen's
 * `<think>` and `<tool_call>`, Gemma's `<unused0>` and HTML tags) are left out: they are written as text on purpose.
 */
const MARKER = /^(?:<\|[^|]*\|>|<｜[^｜]*｜>)$/u;

export function specialTokensOf(json: { added_tokens?: unknown }): readonly string[] {
  const out: string[] = [];
  const list = Array.isArray(json.added_tokens) ? (json.added_tokens as unknown[]) : [];
  for (const t of list) {
    if (typeof t !== "object" || t === null) continue;
    const { content, special } = t as { content?: unknown; special?: unknown };
    if (typeof content !== "string" || content.length === 0) continue;
    if (special === true || MARKER.test(content)) out.push(content);
  }
  return out;
}
