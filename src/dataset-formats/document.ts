/**
 * Is this file one JSON document (a JSON array as LLaMA-Factory or FastChat export, or one pretty-printed object)
 * rather than JSON Lines? Judged from the first lines only, never by holding the file: a JSONL file never starts
 * with `[` (an array line is not an example), and a pretty-printed object starts with a line that is just `{`,
 * followed by a line holding a key.
 */

import { detectFormat } from "./detect.js";

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
  const last = final || head.length >= SNIFF_MAX_LINES;
  if (!first) return last ? "jsonl" : "more";
  const t = first.text.trim();
  let kind: DocumentKind;
  if (t.startsWith("[")) {
    // Too long to hold: no JSONL example starts with `[`.
    if (!first.complete) return "array";
    const p = parses(t);
    if (p.ok) {
      // A complete one-line array is a document only when it holds examples (objects); `[1, 2]` is one bad line.
      const v = p.value as unknown[];
      return v.length > 0 && v.every((x) => typeof x === "object" && x !== null && !Array.isArray(x)) ? "array" : "jsonl";
    }
    // `[`, `[{`, or `[{...},` (one element per line)
    if (!/^\[\s*(?:\{\s*)?$/.test(t) && !/^\[\s*\{.*[}\]]\s*,$/.test(t)) return "jsonl";
    kind = "array";
  } else if (t === "{" && first.complete) {
    const second = nonBlank[1];
    if (!second) return last ? "jsonl" : "more";
    const s = second.text.trim();
    if (!s.startsWith('"') && !s.startsWith("}")) return "jsonl";
    kind = "object";
  } else return "jsonl";
  // The opening looks like a document. It is one unless the first two lines are one example cut in two (pretty printers
  // never close the top-level value on its first key's line), or an example (a complete line that is an object in a
  // dataset format) follows within the next lines: then it was a JSONL file with broken lines.
  const second = nonBlank[1];
  if (second?.complete) {
    const joined = parses(first.text + second.text);
    if (joined.ok && !Array.isArray(joined.value)) return "jsonl";
  }
  for (const l of nonBlank.slice(1)) if (isExample(l)) return "jsonl";
  if (nonBlank.length > CONFIRM_LINES || last) return kind;
  return "more";
}

/** Non-blank lines after the opening line that must hold no example before a document is declared. */
const CONFIRM_LINES = 8;

function isExample(l: HeadLine): boolean {
  if (!l.complete) return false;
  const p = parses(l.text.trim());
  return (
    p.ok &&
    typeof p.value === "object" &&
    p.value !== null &&
    !Array.isArray(p.value) &&
    detectFormat(p.value as Record<string, unknown>) !== null
  );
}

/** A shell-safe word (single quotes when needed). */
function shellWord(s: string): string {
  return /^[\w./@%+=:,-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Input and output file names for the conversion hint (shell-quoted). */
export function conversionNames(path: string): { input: string; output: string; gzip: boolean } {
  const input = path.startsWith("<") ? "in.json" : path;
  const base = input.replace(/\.gz$/i, "").replace(/\.(?:json|jsonl|ndjson|txt)$/i, "");
  const output = `${base}.jsonl` === input.replace(/\.gz$/i, "") ? `${base}.converted.jsonl` : `${base}.jsonl`;
  return { input: shellWord(input), output: shellWord(output), gzip: /\.gz$/i.test(input) };
}
