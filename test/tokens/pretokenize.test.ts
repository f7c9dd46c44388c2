/**
 * The hand-written pre-tokenizer (src/tokens/pretokenize.ts) cuts text into exactly the pieces the Llama 3 and Qwen
 * Split regexes cut it into (as bpe.ts runs them: translated to a JavaScript `u` regex, verified against Rust), on the
 * parity corpus and on random strings over the characters where the alternatives and their backtracking differ.
 */
import { describe, expect, it } from "vitest";
import { translate } from "../../src/tokens/bpe.js";
import { LLAMA3_SPLIT, QWEN_SPLIT, splitLlamaStyle } from "../../src/tokens/pretokenize.js";
import { makeCorpus, rng } from "./corpus.js";

function byRegex(re: RegExp, s: string): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let pos = 0;
  while (pos < s.length) {
    re.lastIndex = pos;
    const m = re.exec(s);
    // every character matches one alternative of these regexes: no stretch between matches
    if (!m || m.index !== pos || m[0].length === 0) throw new Error(`no match at ${pos} of ${JSON.stringify(s)}`);
    out.push([pos, pos + m[0].length]);
    pos += m[0].length;
  }
  return out;
}

function byHand(s: string, digits: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  splitLlamaStyle(s, digits, (a, b) => {
    out.push([a, b]);
    return 1;
  });
  return out;
}

// letters (ASCII, Latin-1, CJK, astral), marks (not letters), digits (ASCII, Arabic-Indic, astral), White_Space
// (and look-alikes that are not: U+FEFF, U+200B), CR/LF, apostrophes and the contraction letters, punctuation, emoji
const ALPHABET = [
  ..."aZéßſ日本語한𝐀\u0301\u0308",
  ..."09٣𝟎½",
  ..." \t\n\r\u000b\u000c\u0085\u00a0\u1680\u2003\u2028\u2029\u202f\u3000\ufeff\u200b",
  ..."'''sStTrReEvVmMlLdD",
  ...'.,!?-_()[]"/\\#@',
  ..."😀👍🏽\u{1F1EB}",
];

describe("hand-written pre-tokenizer", () => {
  const cases: Array<[string, string, number]> = [
    ["Llama 3", LLAMA3_SPLIT, 3],
    ["Qwen", QWEN_SPLIT, 1],
  ];
  it.each(cases)("%s: the regex's pieces on the parity corpus and 20,000 random strings", (_name, split, digits) => {
    const re = new RegExp(translate(split), "yu");
    const r = rng(11);
    const random = Array.from({ length: 20_000 }, () => {
      const len = 1 + Math.floor(r() * 24);
      let s = "";
      for (let i = 0; i < len; i++) s += ALPHABET[Math.floor(r() * ALPHABET.length)];
      return s;
    });
    const texts = [...makeCorpus(1200, 5), ...random, "", " ", "\n", "  \n  x", "a  ", "'s'S'ſ're'RE've'll'LL'd'M'x", "1234567"];
    const diffs: string[] = [];
    for (const s of texts) {
      if (!s.length) continue;
      const want = byRegex(re, s);
      const got = byHand(s, digits);
      if (JSON.stringify(got) !== JSON.stringify(want))
        diffs.push(`${JSON.stringify(s)}: ${JSON.stringify(got)} vs ${JSON.stringify(want)}`);
    }
    expect(diffs.slice(0, 5)).toEqual([]);
  });
});
