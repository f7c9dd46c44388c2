/**
 * Strings of a line judged in its Latin-1 view (RecordContext.latin1): each char is one byte of the line's UTF-8, and
 * the engine guarantees the line is valid UTF-8 with no `\u` escape, so every string value maps back exactly.
 */

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
