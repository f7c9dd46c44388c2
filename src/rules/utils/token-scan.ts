/**
 * Finds literal tokens (special tokens, template markers) in text: a matcher built once per token list, indexed by
 * the tokens' first two characters, longest token first (the tokenizer's leftmost-longest match). Scans with native
 * indexOf on the first characters, so text without any of them costs one pass per distinct first character.
 */
import { isObject } from "./record.js";

export interface TokenHit {
  token: string;
  /** UTF-16 index in the text. */
  index: number;
  /** Occurrences of this token in the text. */
  count: number;
}

export class TokenMatcher {
  private readonly byPrefix = new Map<string, string[]>();
  private readonly firsts: string[];
  readonly size: number;

  constructor(tokens: Iterable<string>) {
    const uniq = [...new Set(tokens)].filter((t) => t.length > 0);
    this.size = uniq.length;
    for (const t of uniq) {
      const key = t.slice(0, 2);
      let list = this.byPrefix.get(key);
      if (!list) this.byPrefix.set(key, (list = []));
      list.push(t);
    }
    for (const list of this.byPrefix.values()) list.sort((a, b) => b.length - a.length);
    this.firsts = [...new Set(uniq.map((t) => t[0]!))];
  }

  /** Each distinct token found in `text` (first occurrence and count), in order of first occurrence. */
  find(text: string): TokenHit[] {
    if (this.size === 0) return [];
    let hits: Map<string, TokenHit> | null = null;
    for (const f of this.firsts) {
      let i = text.indexOf(f);
      while (i !== -1) {
        const t = this.matchAt(text, i);
        if (t) {
          hits ??= new Map();
          const h = hits.get(t);
          if (h) h.count++;
          else hits.set(t, { token: t, index: i, count: 1 });
          i = text.indexOf(f, i + t.length);
        } else i = text.indexOf(f, i + 1);
      }
    }
    return hits ? [...hits.values()].sort((a, b) => a.index - b.index) : [];
  }

  private matchAt(text: string, i: number): string | null {
    const two = this.byPrefix.get(text.slice(i, i + 2));
    if (two) for (const t of two) if (text.startsWith(t, i)) return t;
    const one = this.byPrefix.get(text[i]!);
    if (one) for (const t of one) if (text.startsWith(t, i)) return t;
    return null;
  }
}

/** The text fields of a message a chat template prints: content (string or text parts), reasoning, tool-call arguments. */
export function* messageTexts(message: Record<string, unknown>, pointer: string): Generator<{ text: string; pointer: string }> {
  const c = message.content;
  if (typeof c === "string") yield { text: c, pointer: `${pointer}/content` };
  else if (Array.isArray(c)) {
    for (let k = 0; k < c.length; k++) {
      const part = c[k];
      if (isObject(part) && typeof part.text === "string") yield { text: part.text, pointer: `${pointer}/content/${k}/text` };
    }
  }
  for (const key of ["reasoning", "reasoning_content"]) {
    const r = message[key];
    if (typeof r === "string") yield { text: r, pointer: `${pointer}/${key}` };
  }
  const calls = message.tool_calls;
  if (Array.isArray(calls)) {
    for (let j = 0; j < calls.length; j++) {
      const call = calls[j];
      const fn = isObject(call) ? call.function : undefined;
      if (isObject(fn) && typeof fn.arguments === "string")
        yield { text: fn.arguments, pointer: `${pointer}/tool_calls/${j}/function/arguments` };
    }
  }
}

/** " (3 times)", " (5 in this text: a, b)" or "": what else a text holds beside its first hit, for a message. */
export function also(hits: TokenHit[]): string {
  const total = hits.reduce((n, h) => n + h.count, 0);
  if (total <= 1) return "";
  if (hits.length === 1) return ` (${total} times)`;
  const names = hits.slice(0, 4).map((h) => h.token);
  return ` (${total} in this text: ${names.join(", ")}${hits.length > 4 ? ", …" : ""})`;
}
