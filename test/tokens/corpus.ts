/**
 * A deterministic, varied text corpus for tokenizer parity: English, code, CJK, emoji sequences, RTL scripts,
 * whitespace runs, numbers, special-token look-alikes for every family, and random code points.
 */
import { rng } from "../helpers/rng.js";

export { rng };

const ENGLISH = [
  "The quick brown fox jumps over the lazy dog.",
  "I'm sure they'll say it's fine, but we've seen what's happened before.",
  "Fine-tuning a model on 1,234,567 tokens costs $12.50 (approx.) — or does it?",
  'HELLO World!!! This Is MiXeD CaSe; semi-colons: colons, and "quotes".',
  "e.g. i.e. etc... U.S.A. Dr. Smith's 3rd-floor office @ 221B Baker St.",
  "Visit https://example.com/path?q=token%20count&x=1#frag or mail a.b@c.io",
];
const CODE = [
  "def fib(n: int) -> int:\n    if n < 2:\n        return n\n    return fib(n - 1) + fib(n - 2)\n",
  "function add(a, b) {\n\treturn a + b; // sum\n}\nconst x = add(1, 2) ?? 0;\n",
  '#include <stdio.h>\nint main(void) { printf("%d\\n", 42); return 0; }\n',
  "SELECT id, name FROM users WHERE created_at >= '2024-01-01' ORDER BY id DESC;",
  '{"role": "user", "content": [1, 2.5, true, null], "nested": {"a": "b"}}',
  "  if (x) {\r\n    y();\r\n  }\r\n",
  '<div class="a"><span>&lt;tag&gt; &amp; &#x27;</span></div>',
  "$ git commit -m 'fix: handle \\r\\n' && npm run build -- --watch",
];
const CJK = [
  "机器学习是人工智能的一个分支。我们今天讨论分词器。",
  "日本語の文章をトークン化します。カタカナとひらがな、漢字。",
  "한국어 토크나이저 테스트입니다. 띄어쓰기도 중요합니다.",
  "繁體中文與简体中文混合，包括標點符號：「」『』、。！？",
];
const EMOJI = ["😀😃😄😁😆😅🤣😂🙂🙃", "👩‍👩‍👧‍👦 family, 👍🏽 thumbs, 🏳️‍🌈 flag, 🇺🇸🇯🇵 flags, ❤️‍🔥", "Keycaps 1️⃣ 2️⃣ #️⃣ and variation selectors ☺︎ ☺️"];
const RTL = [
  "مرحبا بالعالم، هذا نص عربي لاختبار المقسم.",
  "שלום עולם, זהו טקסט בעברית.",
  "Mixed: English then العربية then English again (123) ١٢٣.",
  "فارسی: این یک آزمایش است.",
];
const OTHER = [
  "Ελληνικά κείμενα, кириллица: Привет, мир! देवनागरी लिपि ไทย ภาษา",
  "Ünïcödé àccénts: café, naïve, coöperate, Ångström, ß, ﬁ ligature, Ⅻ, ①",
  "Zero\u200bwidth\u200cjoiners\u200d and\u00adsoft hyphen, BOM \ufeff here, NBSP\u00a0there",
  "Combining: e\u0301 vs é, a\u0308 vs ä; Hangul jamo \u1100\u1161",
  "Math: ∑_{i=1}^{n} x_i² ≤ ∞, ∀x∃y, √2 ≈ 1.41421356, π = 3.14159…",
];
const WHITESPACE = [
  "   leading spaces",
  "trailing spaces   ",
  "tabs\t\t\tand\ttabs",
  "many\n\n\n\nnewlines\n",
  "     \n     \n  ",
  "\r\n\r\nwindows\r\nlines\r\n",
  "mixed \u3000ideographic\u3000space and \u2003em space",
  " ",
  "\n",
  "x" + " ".repeat(40) + "y",
  "\x1c\x1d\x1e\x1f\x85 python-whitespace",
];
const SPECIALS = [
  "<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nhi<|eot_id|>",
  "<|eom_id|> <|python_tag|> <|finetune_right_pad_id|> <|reserved_special_token_5|> <|reserved_special_token_250|>",
  "<|eot_id <|eot_id|| |eot_id|> <|EOT_ID|> < |eot_id| >",
  "<|im_start|>system\nx<|im_end|>\n<|im_start|>user<|im_end|> <|endoftext|>",
  "<think>\nreasoning\n</think>\n\n<tool_call>{}</tool_call><tool_response>ok</tool_response>",
  "<s>[INST] question [/INST] answer</s><s> [INST]x[/INST]",
  "<unk> <s > </ s> [INST ] [/ INST]",
  "<bos><start_of_turn>user\nhi<end_of_turn>\n<start_of_turn>model\n<eos><pad>",
  "<｜begin▁of▁sentence｜><｜User｜>hi<｜Assistant｜>yo<｜end▁of▁sentence｜>",
  "<｜tool▁calls▁begin｜><｜tool▁call▁begin｜>function<｜tool▁sep｜>f<｜tool▁call▁end｜>",
  "<|start|>assistant<|channel|>final<|message|>hi<|end|><|return|><|call|><|constrain|>",
  "<|startoftext|> <|endofprompt|> <|start|><|message|>",
];
const NUMBERS = [
  "0 1 12 123 1234 12345 123456 1234567",
  "3.14159 -2.5e-10 1,000,000 0x1F 0b1010 1_000",
  "2024-06-30T23:59:59Z 12:34:56.789",
];

const GROUPS = [ENGLISH, CODE, CJK, EMOJI, RTL, OTHER, WHITESPACE, SPECIALS, NUMBERS];
export const FIXED_STRINGS: string[] = GROUPS.flat();

const BLOCKS: Array<[number, number]> = [
  [0x20, 0x7e],
  [0xa0, 0x24f],
  [0x370, 0x3ff],
  [0x400, 0x4ff],
  [0x590, 0x5ff],
  [0x600, 0x6ff],
  [0x900, 0x97f],
  [0xe00, 0xe7f],
  [0x3040, 0x30ff],
  [0x4e00, 0x9fff],
  [0xac00, 0xd7a3],
  [0x1f300, 0x1faff],
  [0x2000, 0x206f],
  [0xff00, 0xffef],
  [0x0, 0x1f],
];

/** Mixes fixed pieces with random code points; deterministic for a seed. */
export function makeCorpus(n: number, seed = 1): string[] {
  const r = rng(seed);
  const pick = <T>(a: T[]) => a[Math.floor(r() * a.length)]!;
  const out = [...FIXED_STRINGS];
  while (out.length < n) {
    const parts: string[] = [];
    const k = 1 + Math.floor(r() * 4);
    for (let i = 0; i < k; i++) {
      const kind = r();
      if (kind < 0.6) parts.push(pick(pick(GROUPS)));
      else {
        const [lo, hi] = pick(BLOCKS);
        let s = "";
        const len = 1 + Math.floor(r() * 24);
        for (let j = 0; j < len; j++) s += String.fromCodePoint(lo + Math.floor(r() * (hi - lo + 1)));
        parts.push(s);
      }
    }
    out.push(parts.join(pick(["", " ", "\n", "  ", "\t"])));
  }
  return out;
}

/** Conversations built from the corpus: system/no system, 1 to 3 turns, a quarter with tools. */
export function makeConversations(
  strings: string[],
  n: number,
  seed = 2,
): Array<{ messages: Array<Record<string, unknown>>; tools?: unknown[] }> {
  const r = rng(seed);
  const pick = () => strings[Math.floor(r() * strings.length)]!;
  const convs: Array<{ messages: Array<Record<string, unknown>>; tools?: unknown[] }> = [];
  for (let i = 0; i < n; i++) {
    const messages: Array<Record<string, unknown>> = [];
    if (r() < 0.5) messages.push({ role: "system", content: pick() });
    const turns = 1 + Math.floor(r() * 3);
    for (let t = 0; t < turns; t++) {
      messages.push({ role: "user", content: pick() });
      messages.push({ role: "assistant", content: r() < 0.2 ? `<think>${pick()}</think>${pick()}` : pick() });
    }
    convs.push({ messages });
  }
  return convs;
}
