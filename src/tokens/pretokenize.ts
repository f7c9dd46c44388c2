/**
 * A hand-written pre-tokenizer for the Split regex of Llama 3 (and, with single digits, Qwen 2.5 / 3):
 *
 *   (?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+
 *
 * exactly as bpe.ts runs it as a JavaScript `u` regex (`\s` = White_Space, `(?i:'s...)` = '[sSſ]|'[tT]|...; verified
 * against the Rust reference): the same pieces, found without a regex call, a match object or a string per piece. At
 * each position the alternatives are tried in order, each with the regex's own backtracking worked out:
 * - `[^\r\n\p{L}\p{N}]?\p{L}+`: a letter run, or one character that is neither CR, LF, letter nor digit followed by one;
 * - `\p{N}{1,3}`: up to 3 (or 1) digits;
 * - ` ?[^\s\p{L}\p{N}]+[\r\n]*`: an optional space, a run of "other" characters, then CR/LF;
 * - `\s*[\r\n]+`: whitespace up to and including the last CR or LF of the whitespace run;
 * - `\s+(?!\S)`: the whitespace run, less its last character when a non-space follows (at least one character);
 * - `\s+`: the whitespace run.
 * Characters are code points (an astral character is two UTF-16 units). test/tokens/pretokenize.test.ts compares the
 * pieces with the regex's on random and adversarial text; the parity tests compare the counts with Rust.
 */

export const LLAMA3_SPLIT =
  "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
export const QWEN_SPLIT =
  "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

const L = 1; // \p{L}
const N = 2; // \p{N}
const W = 4; // White_Space
const NL = 8; // CR or LF
const DONE = 0x80; // the class of this BMP unit is computed

const RE_L = /\p{L}/u;
const RE_N = /\p{N}/u;
const RE_W = /\p{White_Space}/u;

/** Class bits of each BMP unit (DONE set once computed; filled by blocks of 256 as text needs them). */
const BMP = new Uint8Array(65536);
const astral = new Map<number, number>();

function classOfString(ch: string): number {
  return (RE_L.test(ch) ? L : 0) | (RE_N.test(ch) ? N : 0) | (RE_W.test(ch) ? W : 0) | (ch === "\r" || ch === "\n" ? NL : 0);
}

function fillBlock(c: number): number {
  const base = c & 0xff00;
  for (let u = base; u < base + 256; u++) {
    // surrogates: the text is well-formed, so a lone one never reaches here (pairs are read as code points)
    BMP[u] = DONE | (u >= 0xd800 && u <= 0xdfff ? 0 : classOfString(String.fromCharCode(u)));
  }
  return BMP[c]!;
}

function astralClass(cp: number): number {
  let k = astral.get(cp);
  if (k === undefined) {
    k = classOfString(String.fromCodePoint(cp));
    if (astral.size < 65536) astral.set(cp, k);
  }
  return k;
}

/**
 * Calls `piece(start, end)` for each pre-token of `s` (UTF-16 offsets), in order; returns the sum of what it returns.
 * `digits`: 3 for Llama 3, 1 for Qwen.
 */
export function splitLlamaStyle(s: string, digits: number, piece: (start: number, end: number) => number): number {
  const n = s.length;
  let total = 0;
  let p = 0;
  // class and width (1 or 2 units) of the character at i; kw = k | (width << 8)
  const at = (i: number): number => {
    const c = s.charCodeAt(i);
    if (c < 0xd800 || c > 0xdbff) {
      const k = BMP[c]!;
      return (k & DONE ? k : fillBlock(c)) & 0x7f;
    }
    const d = i + 1 < n ? s.charCodeAt(i + 1) : 0;
    if (d >= 0xdc00 && d <= 0xdfff) return astralClass(((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000) | 0x200;
    return 0; // (not reached: the text is well-formed)
  };
  const width = (kw: number) => (kw & 0x200 ? 2 : 1);
  /** End of the run of characters with `mask` bits (any of them, or none of them when `none`) from i. */
  const runOf = (i: number, mask: number, none: boolean): number => {
    while (i < n) {
      const kw = at(i);
      if (none ? (kw & mask) !== 0 : (kw & mask) === 0) break;
      i += width(kw);
    }
    return i;
  };
  while (p < n) {
    const c0 = s.charCodeAt(p);
    const k0 = at(p);
    const w0 = width(k0);
    let e = -1;
    // (?i:'s|'t|'re|'ve|'m|'ll|'d)
    if (c0 === 0x27 && p + 1 < n) {
      const c1 = s.charCodeAt(p + 1) | 0x20;
      const c2 = p + 2 < n ? s.charCodeAt(p + 2) | 0x20 : 0;
      if (c1 === 0x73 || c1 === 0x74 || c1 === 0x6d || c1 === 0x64 || s.charCodeAt(p + 1) === 0x17f) e = p + 2;
      else if ((c1 === 0x72 || c1 === 0x76) && c2 === 0x65) e = p + 3;
      else if (c1 === 0x6c && c2 === 0x6c) e = p + 3;
      // `| 0x20` maps only A-Z onto a-z among the letters compared (and some non-letters onto them: check exactly)
      if (e > 0 && !contraction(s, p, e)) e = -1;
    }
    if (e < 0) {
      if (k0 & L) e = runOf(p + w0, L, false);
      else if (!(k0 & (N | NL)) && p + w0 < n && at(p + w0) & L) e = runOf(p + w0, L, false);
    }
    if (e < 0 && k0 & N) {
      e = p + w0;
      for (let k = 1; k < digits && e < n; k++) {
        const kw = at(e);
        if (!(kw & N)) break;
        e += width(kw);
      }
    }
    if (e < 0) {
      const other = (kw: number) => (kw & (L | N | W)) === 0;
      let q = -1;
      if (c0 === 0x20 && p + 1 < n && other(at(p + 1))) q = p + 1;
      else if (other(k0)) q = p;
      if (q >= 0) {
        e = runOf(q, L | N | W, true);
        while (e < n && (s.charCodeAt(e) === 0x0d || s.charCodeAt(e) === 0x0a)) e++;
      }
    }
    if (e < 0) {
      // whitespace (every White_Space character is one BMP unit)
      const q = runOf(p, W, false);
      let last = -1;
      for (let i = q - 1; i >= p; i--) {
        const c = s.charCodeAt(i);
        if (c === 0x0d || c === 0x0a) {
          last = i;
          break;
        }
      }
      if (last >= 0) e = last + 1;
      else if (q === n || q - p === 1) e = q;
      else e = q - 1;
    }
    total += piece(p, e);
    p = e;
  }
  return total;
}

/** Whether s[p..e) is one of the contractions as the translated regex spells them: '[sSſ] '[tT] '[mM] '[dD] '[rR][eE] '[vV][eE] '[lL][lL]. */
function contraction(s: string, p: number, e: number): boolean {
  const a = s.charCodeAt(p + 1);
  if (e === p + 2) return "sStTmMdD\u017f".includes(String.fromCharCode(a));
  const b = s.charCodeAt(p + 2);
  return (
    ((a === 0x72 || a === 0x52 || a === 0x76 || a === 0x56) && (b === 0x65 || b === 0x45)) ||
    ((a === 0x6c || a === 0x4c) && (b === 0x6c || b === 0x4c))
  );
}
