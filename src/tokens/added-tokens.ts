/**
 * The special tokens of a Hugging Face tokenizer.json: its `added_tokens` marked `special: true` (BOS/EOS, turn and
 * header markers, reserved tokens). The tokenizer matches their text anywhere in the input and turns it into the
 * control token, so the same text inside a message's content is read as a control token, not as characters.
 * Added tokens that are not special (Qwen's `<think>`, `<tool_call>`) are ordinary vocabulary and not listed.
 */
export function specialTokensOf(json: { added_tokens?: unknown }): readonly string[] {
  const out: string[] = [];
  const list = Array.isArray(json.added_tokens) ? (json.added_tokens as unknown[]) : [];
  for (const t of list) {
    if (typeof t !== "object" || t === null) continue;
    const { content, special } = t as { content?: unknown; special?: unknown };
    if (special === true && typeof content === "string" && content.length > 0) out.push(content);
  }
  return out;
}
