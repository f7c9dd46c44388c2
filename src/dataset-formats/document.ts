/**
 * Is this file one JSON document (a JSON array as LLaMA-Factory or FastChat export, or one pretty-printed object)
 * rather than JSON Lines? Judged from the first lines only, never by holding the file: a JSONL file never starts
 * with `[` (an array line is not an example), and a pretty-printed object starts with a line that is just `{`,
 * followed by a line holding a key.
 */

export type DocumentKind = "array" | "object";

export interface HeadLine {
  /** The decoded line (BOM removed), or its first bytes when the line was too long to hold. */
  text: string;
  /** false when `text` is only the start of an over-long line. */
  complete: boolean;
}

/** How many physical lines the sniffer may ask for before it must decide. */
export const SNIFF_MAX_LINES = 64;

const BLANK = /^[ \t\r]*$/;

function parses(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

/**
 * The verdict on the head of a file: a document kind, "jsonl" (judge the lines one by one), or "more" when the next
 * line is needed. With `final` (no more lines, or the cap was reached), never "more".
 */
export function sniffDocument(head: readonly HeadLine[], final = false): DocumentKind | "jsonl" | "more" {
  const nonBlank = head.filter((l) => !BLANK.test(l.text));
  const first = nonBlank[0];
  if (!first) return final || head.length >= SNIFF_MAX_LINES ? "jsonl" : "more";
  const t = first.text.trim();
  if (t.startsWith("[")) {
    // A complete one-line array is a document only when it holds examples (objects); `[1, 2]` is one bad line.
    if (!first.complete) return "array";
    const p = parses(t);
    if (!p.ok) return "array";
    const v = p.value as unknown[];
    return v.length > 0 && v.every((x) => typeof x === "object" && x !== null && !Array.isArray(x)) ? "array" : "jsonl";
  }
  if (t === "{" && first.complete) {
    const second = nonBlank[1];
    if (!second) return final || head.length >= SNIFF_MAX_LINES ? "jsonl" : "more";
    const s = second.text.trim();
    return s.startsWith('"') || s.startsWith("}") ? "object" : "jsonl";
  }
  return "jsonl";
}

/** A shell-safe word (single quotes when needed). */
function shellWord(s: string): string {
  return /^[\w./@%+=:,-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Input and output file names for the conversion hint (shell-quoted). */
export function conversionNames(path: string): { input: string; output: string } {
  const input = path.startsWith("<") ? "in.json" : path;
  const base = input.replace(/\.gz$/i, "").replace(/\.(?:json|jsonl|ndjson|txt)$/i, "");
  const output = `${base}.jsonl` === input.replace(/\.gz$/i, "") ? `${base}.converted.jsonl` : `${base}.jsonl`;
  return { input: shellWord(input), output: shellWord(output) };
}
