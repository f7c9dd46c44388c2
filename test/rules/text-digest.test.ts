/**
 * The one-pass digest of a text (rules/utils/example-text.ts `digestText`) against the definition it replaces:
 * `hash64(normalizeText(s))` and the words `wordBuffer.append(normalizeText(s))` splits, on decoded strings and on
 * their Latin-1 views, for texts built from the characters where normalisation is not per unit (combining marks,
 * compatibility forms, final sigma, Hangul jamo, astral letters, odd white space).
 */
import { describe, expect, it } from "vitest";
import { digestText, exampleDigest, hash64, normalizeText } from "../../src/rules/utils/example-text.js";
import { bufferedWords, wordBuffer } from "../../src/rules/utils/minhash.js";
import { toView } from "../../src/rules/utils/view.js";
import { rng } from "../helpers/rng.js";

const POOL = [
  ..."abcXYZ019 ,.!?-_'\"\t\n\r\v\f",
  ..."éÉçÇßẞİıΣσςΑΩДжЖЁё",
  "e\u0301",
  "\u0301",
  "\u064e",
  "\u0627\u0644\u0639",
  "ﬁ",
  "Ａｂ１",
  "ｶﾞ",
  "²½",
  "\u00a0",
  "\u2003",
  "\u3000",
  "\ufeff",
  "\u2028",
  "\u200d",
  "\u1100\u1161\u11a8",
  "가",
  "中文字",
  "ひらがなカタカナ",
  "ไทย",
  "🙂",
  "⚠️",
  "👩‍💻",
  "🇯🇵",
  "𝐀𝐁",
  "𐐀",
  "\ud800",
  "\udc00",
  "℃",
  "Ⅻ",
  "ǅ",
  "\u0345",
];

function expected(s: string): { hash: number[]; words: number[]; length: number } {
  const t = normalizeText(s);
  const out = new Uint32Array(2);
  hash64(t, out, 0);
  wordBuffer.reset();
  wordBuffer.append(t);
  return { hash: [...out], words: [...bufferedWords()], length: t.length };
}

function actual(s: string, latin1: boolean): { hash: number[]; words: number[]; length: number } {
  const out = new Uint32Array(2);
  wordBuffer.reset();
  const length = digestText(latin1 ? toView(s) : s, latin1, true, out, 0);
  return { hash: [...out], words: [...bufferedWords()], length };
}

const hasLoneSurrogate = (s: string) => /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(s);

describe("digestText", () => {
  it("equals hash64 and the word split of normalizeText on 5,000 random texts, decoded and in the Latin-1 view", () => {
    const r = rng(15);
    let views = 0;
    for (let n = 0; n < 5000; n++) {
      let s = "";
      const k = Math.floor(r() * 24);
      for (let i = 0; i < k; i++) s += POOL[Math.floor(r() * POOL.length)];
      const want = expected(s);
      expect(actual(s, false), JSON.stringify(s)).toEqual(want);
      if (!hasLoneSurrogate(s)) {
        views++;
        expect(actual(s, true), JSON.stringify(s)).toEqual(want);
      }
    }
    expect(views).toBeGreaterThan(3000);
  });

  it("handles the plain cases the fast pass takes", () => {
    for (const s of ["", "   ", "  Hello,   World!  ", "Модель должна ОТВЕЧАТЬ", "模型 应该 清楚地", "ＡＢＣ", "Ωmega ΣΑΣ", "x🙂y"]) {
      expect(actual(s, false)).toEqual(expected(s));
      expect(actual(s, true)).toEqual(expected(s));
    }
    expect(actual("  ", false).length).toBe(0);
  });

  it("appends words after those already in the buffer, and adds none when asked not to", () => {
    const out = new Uint32Array(2);
    wordBuffer.reset();
    wordBuffer.append("one two");
    digestText("Three Four", false, true, out, 0);
    expect(wordBuffer.size).toBe(4);
    const all = [...bufferedWords()];
    wordBuffer.reset();
    wordBuffer.append("one two three four");
    expect(all).toEqual([...bufferedWords()]);
    wordBuffer.reset();
    digestText("not counted here", false, false, out, 0);
    expect(wordBuffer.size).toBe(0);
  });

  it("gives a record the same digest whatever was digested before it (the repeated system prompt is reused), in both views", () => {
    const conv = (system: string, user: string) => ({
      messages: [
        { role: "system", content: system },
        { role: "user", content: user },
        { role: "assistant", content: "Ответ: да." },
      ],
    });
    const viewOf = (r: ReturnType<typeof conv>) => JSON.parse(toView(JSON.stringify(r))) as Record<string, unknown>;
    const digest = (r: Record<string, unknown>, latin1: boolean) => [...exampleDigest(r, "conversation", latin1)!.hashes];
    const a = conv("Tu es un assistant précis.", "Quelle heure est-il ?");
    const b = conv("Tu es un assistant précis.", "Quel temps fait-il ?");
    const c = conv("Tu es un assistant PRÉCIS.", "Quel temps fait-il ?");
    const first = digest(b, false);
    digest(a, false);
    expect(digest(structuredClone(b), false)).toEqual(first);
    expect(digest(viewOf(b), true)).toEqual(first);
    digest(viewOf(a), true);
    expect(digest(structuredClone(b), false)).toEqual(first);
    // Case differs only: the same normalised text, so the same digest.
    expect(digest(c, false)).toEqual(first);
    expect(digest(conv("Tu es un assistant bref.", "Quel temps fait-il ?"), false)).not.toEqual(first);
    // A decoded text spelt like the view of another ("Ã©" is the view of "é") is another text.
    digest(viewOf(b), true);
    expect(digest(conv("Tu es un assistant prÃ©cis.", "Quel temps fait-il ?"), false)).not.toEqual(first);
  });
});
