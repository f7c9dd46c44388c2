/**
 * Every string value of a parsed record with its JSON Pointer (built only when asked), and the column of a character
 * inside a string value of the line's JSON text (escapes counted as the raw text has them).
 */
import { locatePointer } from "../../io/json-text.js";
import type { RecordContext, Report } from "../types.js";
import type { Found } from "./secrets.js";

function escapeToken(t: string): string {
  return t.replace(/~/g, "~0").replace(/\//g, "~1");
}

/**
 * Calls `visit(s, pointer)` for every string value (not keys) under `value`, depth first, in document order.
 * Iterative: a record nested thousands deep (which JSON.parse accepts) cannot overflow the stack.
 */
export function eachString(value: unknown, visit: (s: string, pointer: () => string) => void): void {
  const path: string[] = [];
  const pointer = () => (path.length ? "/" + path.map(escapeToken).join("/") : "");
  if (typeof value === "string") return visit(value, pointer);
  if (typeof value !== "object" || value === null) return;
  interface Frame {
    v: unknown[] | Record<string, unknown>;
    keys: string[] | null;
    i: number;
  }
  const frameOf = (v: object): Frame =>
    Array.isArray(v) ? { v, keys: null, i: 0 } : { v: v as Record<string, unknown>, keys: Object.keys(v), i: 0 };
  const stack: Frame[] = [frameOf(value)];
  while (stack.length) {
    const f = stack[stack.length - 1]!;
    const n = f.keys ? f.keys.length : (f.v as unknown[]).length;
    if (f.i >= n) {
      stack.pop();
      path.pop();
      continue;
    }
    const k = f.keys ? f.keys[f.i]! : String(f.i);
    const child = f.keys ? (f.v as Record<string, unknown>)[k] : (f.v as unknown[])[f.i];
    f.i++;
    if (typeof child === "string") {
      path.push(k);
      visit(child, pointer);
      path.pop();
    } else if (typeof child === "object" && child !== null) {
      path.push(k);
      stack.push(frameOf(child));
    }
  }
}

/** 1-based column in `text` of UTF-16 index `index` of the string value at `pointer`. */
export function columnInString(text: string, pointer: string, index: number): number {
  let i = locatePointer(text, pointer).offset;
  if (text.charCodeAt(i) !== 0x22) return i + 1;
  i++;
  for (let k = 0; k < index && i < text.length; k++) {
    if (text.charCodeAt(i) === 0x5c) i += text.charCodeAt(i + 1) === 0x75 ? 6 : 2;
    else i++;
  }
  return i + 1;
}

/**
 * Reports every match `find` makes in the record's strings of at least `minLength` characters, as message `found` at
 * the match's own column, with its masked value (credential-found, personal-data).
 */
export function reportFoundInStrings(ctx: RecordContext, report: Report, minLength: number, find: (s: string) => Found[]): void {
  eachString(ctx.record, (s, pointer) => {
    if (s.length < minLength) return;
    for (const f of find(s)) {
      const p = pointer();
      report({
        messageId: "found",
        pointer: p,
        column: columnInString(ctx.text, p, f.index),
        data: { label: f.label, kind: f.kind, masked: f.masked },
      });
    }
  });
}
