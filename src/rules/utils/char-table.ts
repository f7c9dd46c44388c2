/**
 * Per-character facts for comparing texts without building normalised strings: for each UTF-16 unit, whether
 * normalisation (Unicode NFKC, then lower case) can be done on it alone, what it maps to, and how the MinHash word
 * splitter classes the result. Built lazily, 256 code units at a time, from the engine's own `normalize` and
 * `toLowerCase` (so it always agrees with them), the first time a character of that block is seen.
 *
 * A unit is *inert* when NFKC leaves it unchanged wherever it stands: NFKC maps it to itself, it is not a mark
 * (\p{M}: marks reorder and compose with what precedes them; variation selectors are the exception, they have
 * combining class 0 and compose with nothing) and it is not a Hangul conjoining jamo (vowels and trailing consonants
 * compose with the syllable before them). Its lower case must be one unit that is inert too. Surrogates are never
 * inert here: the caller looks at the whole code point (see `astralInert`).
 */

/** Bits of `info`: the unit normalises on its own; it is white space (`\s`); its word class (of the unit itself). */
export const INERT = 1;
export const SPACE = 2;
/** A letter or digit of a word (ASCII alphanumerics and non-separators outside ASCII). */
export const PART = 4;
/** A character that is a word of its own (scripts written without spaces). */
export const CHAR_WORD = 8;
/** The block has been built. */
const BUILT = 0x80;

const info = new Uint8Array(65536);
const lower = new Uint16Array(65536);

/** Scripts written without spaces: each character is a word (kana, CJK ideographs, Thai, Lao, Myanmar, Khmer). */
function isCharWord(c: number): boolean {
  return (
    (c >= 0x3040 && c <= 0x30ff) ||
    (c >= 0x3400 && c <= 0x4dbf) ||
    (c >= 0x4e00 && c <= 0x9fff) ||
    (c >= 0xf900 && c <= 0xfaff) ||
    (c >= 0x0e00 && c <= 0x0eff) ||
    (c >= 0x1000 && c <= 0x109f) ||
    (c >= 0x1780 && c <= 0x17ff)
  );
}

/** Separators outside ASCII: Latin-1 punctuation and symbols, general and CJK punctuation, full-width ASCII symbols. */
function isSeparator(c: number): boolean {
  return (
    (c >= 0x80 && c <= 0xbf && c !== 0xaa && c !== 0xb2 && c !== 0xb3 && c !== 0xb5 && c !== 0xb9 && c !== 0xba) ||
    c === 0xd7 ||
    c === 0xf7 ||
    (c >= 0x2000 && c <= 0x2bff) ||
    (c >= 0x3000 && c <= 0x303f) ||
    (c >= 0xfe30 && c <= 0xfe4f) ||
    (c >= 0xff00 && c <= 0xff0f) ||
    (c >= 0xff1a && c <= 0xff20) ||
    (c >= 0xff3b && c <= 0xff40) ||
    (c >= 0xff5b && c <= 0xff65)
  );
}

/** The word class of a unit as the MinHash splitter sees it: PART, CHAR_WORD or 0 (a separator). */
export function wordClass(c: number): number {
  if (c < 0x80) return (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) ? PART : 0;
  if (isCharWord(c)) return CHAR_WORD;
  return isSeparator(c) ? 0 : PART;
}

const MARK = /\p{M}/u;
const WHITE = /\s/;

function isVariationSelector(c: number): boolean {
  return c >= 0xfe00 && c <= 0xfe0f;
}

/** Inert on its own (before lower-casing): see the module comment. */
function selfInert(c: number): boolean {
  if (c >= 0xd800 && c <= 0xdfff) return false;
  if (c >= 0x1100 && c <= 0x11ff) return false; // Hangul jamo
  const s = String.fromCharCode(c);
  if (s.normalize("NFKC") !== s) return false;
  return isVariationSelector(c) || !MARK.test(s);
}

function buildBlock(b: number): void {
  const base = b << 8;
  for (let c = base; c < base + 256; c++) {
    let bits = 0;
    let l = c;
    if (selfInert(c)) {
      const s = String.fromCharCode(c).toLowerCase();
      if (s.length === 1) {
        const lc = s.charCodeAt(0);
        // Greek capital sigma lower-cases by context (final sigma): never inert. The lower case must stay in the
        // unit's word class (the digest classes the unit, then writes its lower case).
        if (c !== 0x3a3 && (lc === c || selfInert(lc)) && wordClass(lc) === wordClass(c)) {
          bits |= INERT;
          l = lc;
        }
      }
    }
    if (WHITE.test(String.fromCharCode(c))) bits |= SPACE;
    bits |= wordClass(c);
    info[c] = bits | BUILT;
    lower[c] = l;
  }
}

/** The facts of unit `c` (see the bit constants). */
export function charInfo(c: number): number {
  let v = info[c]!;
  if (v === 0) {
    buildBlock(c >>> 8);
    v = info[c]!;
  }
  return v;
}

/** What unit `c` normalises to when it is INERT (itself otherwise). */
export function lowerOf(c: number): number {
  return lower[c]!;
}

const astral = new Map<number, boolean>();

/** Whether a code point above U+FFFF (a surrogate pair) normalises to itself wherever it stands. */
export function astralInert(cp: number): boolean {
  let v = astral.get(cp);
  if (v === undefined) {
    const s = String.fromCodePoint(cp);
    v = s.normalize("NFKC") === s && s.toLowerCase() === s && (!MARK.test(s) || (cp >= 0xe0100 && cp <= 0xe01ef));
    if (astral.size < 4096) astral.set(cp, v);
  }
  return v;
}
