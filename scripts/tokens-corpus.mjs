/** A small varied corpus for scripts (the tests use test/tokens/corpus.ts): English, code, CJK, emoji, RTL,
 * whitespace runs and random code points. Deterministic. */
export function makeCorpusForScript(n, seed = 3) {
  let s = seed >>> 0;
  const r = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const fixed = [
    "The quick brown fox jumps over the lazy dog.",
    "I'm sure they'll say it's fine, but we've seen what's happened.",
    "def fib(n):\n    return n if n < 2 else fib(n-1) + fib(n-2)\n",
    "function f(a, b) {\n\treturn a + b;\n}",
    "机器学习是人工智能的一个分支。",
    "日本語の文章をトークン化します。",
    "한국어 토크나이저 테스트입니다.",
    "👩‍👩‍👧‍👦 🏳️‍🌈 🇺🇸 😀😃",
    "مرحبا بالعالم",
    "שלום עולם",
    "   leading",
    "trailing   ",
    "tabs\t\tand\n\n\nnewlines",
    "\r\nwindows\r\n",
    "x" + " ".repeat(33) + "y",
    "Ünïcödé àccénts ß ﬁ Ⅻ",
    "Zero\u200bwidth\u00adsoft\ufeffbom",
    "[INST] look-alike [/INST] <<SYS>> <|im_start|>",
    "0 12 123 1234 3.14159 1,000,000",
    "\n",
    " ",
  ];
  const blocks = [
    [0x20, 0x7e],
    [0xa0, 0x24f],
    [0x400, 0x4ff],
    [0x600, 0x6ff],
    [0x3040, 0x30ff],
    [0x4e00, 0x9fff],
    [0x1f300, 0x1faff],
    [0x2000, 0x206f],
  ];
  const out = [...fixed];
  while (out.length < n) {
    const parts = [];
    const k = 1 + Math.floor(r() * 4);
    for (let i = 0; i < k; i++) {
      if (r() < 0.5) parts.push(fixed[Math.floor(r() * fixed.length)]);
      else {
        const [lo, hi] = blocks[Math.floor(r() * blocks.length)];
        let x = "";
        for (let j = 0, len = 1 + Math.floor(r() * 20); j < len; j++) x += String.fromCodePoint(lo + Math.floor(r() * (hi - lo + 1)));
        parts.push(x);
      }
    }
    out.push(parts.join([" ", "", "\n", "  "][Math.floor(r() * 4)]));
  }
  return out;
}
