/**
 * Strings of a line judged in its Latin-1 view (RecordContext.latin1): each char is one byte of the line's UTF-8, and
 * the engine guarantees the line is valid UTF-8 with no `\u` escape, so every string value maps back exactly.
 */

/**
 * Thrown (by `needDecoded`) while a line is judged in its view: the engine judges the line again, decoded. For a
 * rule whose judgement the view cannot give exactly (e.g. a user's JSON Schema with patterns or lengths).
 */
export const JUDGE_DECODED = Symbol("judge-decoded");

/** On a line in its Latin-1 view, stop and have it judged again decoded; a no-op on a decoded line. */
export function needDecoded(ctx: { latin1?: boolean }): void {
  if (ctx.latin1) throw JUDGE_DECODED;
}

/** `s` as the view of the same line has it (the UTF-8 bytes of `s`, one char per byte). */
export function toView(s: string): string {
  return Buffer.from(s, "utf8").toString("latin1");
}

/** The string as the decoded line has it. */
export function decodeView(s: string, latin1: boolean | undefined): string {
  return latin1 ? Buffer.from(s, "latin1").toString("utf8") : s;
}

// An ASCII char that is not JavaScript whitespace, or the lead byte of a UTF-8 sequence whose code point cannot be
// whitespace (whitespace above ASCII: U+00A0 (C2), U+1680 (E1), U+2000-U+205F (E2), U+3000 (E3), U+FEFF (EF)).
const SURELY_NOT_BLANK = /[!-~\xc3-\xdf\xe4-\xee\xf0-\xf4]/;

/** `s.trim() === ""` of the decoded string, decoding only when the view cannot tell. */
export function isBlankView(s: string, latin1: boolean | undefined): boolean {
  if (!latin1) return s.trim().length === 0;
  if (SURELY_NOT_BLANK.test(s)) return false;
  return decodeView(s, true).trim().length === 0;
}

/** The UTF-16 offset, in the decoded line, of offset `at` of its Latin-1 view `s` (UTF-8 bytes, one char each). */
export function decodedOffset(s: string, at: number): number {
  let n = 0;
  for (let i = 0; i < at; i++) {
    const c = s.charCodeAt(i);
    // Each code point counts once at its first byte (continuation bytes are 10xxxxxx), twice above U+FFFF.
    if ((c & 0xc0) !== 0x80) n += c >= 0xf0 ? 2 : 1;
  }
  return n;
}
