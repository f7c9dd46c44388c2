/**
 * Applies fix operations (set a value, remove a member) to a parsed record and, surgically, to its JSON text: only
 * the edited spans change, every other byte of the line stays as it was (number literals, escapes, key order,
 * spacing). When the text edit cannot be proven equal to the value edit (duplicate keys), the record is serialised
 * instead.
 */
import { locatePointer, parsePointer } from "../io/json-text.js";
import type { FixOperation } from "../rules/types.js";

const WS = (c: number) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;

/** End (exclusive) of the JSON value starting at `i` (after whitespace). */
export function valueEnd(text: string, i: number): number {
  const n = text.length;
  const c = text.charCodeAt(i);
  const skipString = (j: number): number => {
    j++;
    while (j < n) {
      const d = text.charCodeAt(j);
      if (d === 0x5c) j += 2;
      else if (d === 0x22) return j + 1;
      else j++;
    }
    return n;
  };
  if (c === 0x22) return skipString(i);
  if (c === 0x7b || c === 0x5b) {
    let depth = 0;
    let j = i;
    while (j < n) {
      const d = text.charCodeAt(j);
      if (d === 0x22) {
        j = skipString(j);
        continue;
      }
      if (d === 0x7b || d === 0x5b) depth++;
      else if (d === 0x7d || d === 0x5d) {
        depth--;
        if (depth === 0) return j + 1;
      }
      j++;
    }
    return n;
  }
  let j = i;
  while (j < n) {
    const d = text.charCodeAt(j);
    if (d === 0x2c || d === 0x7d || d === 0x5d || WS(d)) break;
    j++;
  }
  return j;
}

/** The value at `pointer` in a parsed value (undefined when it does not exist). */
export function getAt(value: unknown, pointer: string): unknown {
  let v = value;
  for (const t of parsePointer(pointer)) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<string, unknown>)[t];
  }
  return v;
}

function parentOf(value: unknown, pointer: string): { parent: Record<string, unknown> | unknown[]; key: string } | null {
  const tokens = parsePointer(pointer);
  const key = tokens.pop();
  if (key === undefined) return null;
  let v = value;
  for (const t of tokens) {
    if (v === null || typeof v !== "object") return null;
    v = (v as Record<string, unknown>)[t];
  }
  if (v === null || typeof v !== "object") return null;
  return { parent: v as Record<string, unknown>, key };
}

/** Applies the operations to `value` in place. */
export function applyToValue(value: unknown, ops: readonly FixOperation[]): void {
  // Removals of array elements go from the highest index down, so earlier pointers stay valid.
  for (const op of [...ops].sort(byPointerDesc)) {
    const p = parentOf(value, op.pointer);
    if (!p) continue;
    if (op.op === "set") (p.parent as Record<string, unknown>)[p.key] = op.value;
    else if (Array.isArray(p.parent)) p.parent.splice(Number(p.key), 1);
    else delete p.parent[p.key];
  }
}

function byPointerDesc(a: FixOperation, b: FixOperation): number {
  const ta = parsePointer(a.pointer);
  const tb = parsePointer(b.pointer);
  for (let i = 0; i < Math.min(ta.length, tb.length); i++) {
    if (ta[i] === tb[i]) continue;
    const na = Number(ta[i]);
    const nb = Number(tb[i]);
    if (Number.isInteger(na) && Number.isInteger(nb)) return nb - na;
    return 0;
  }
  return tb.length - ta.length;
}

export interface TextEdit {
  start: number;
  end: number;
  replacement: string;
  /** The text that was there (for the report). */
  before: string;
}

/** The span a `remove` takes out: the member with its separating comma (after it, or before it when it is last). */
function removalSpan(text: string, pointer: string): { start: number; end: number; member: string } | null {
  const tokens = parsePointer(pointer);
  const last = tokens[tokens.length - 1];
  const isIndex = last !== undefined && /^(0|[1-9]\d*)$/.test(last);
  const at = locatePointer(text, pointer, { key: true });
  if (!at.exact) return null;
  let start = at.offset;
  let i = start;
  // Object member: key, ':', value. An array element (or a value located directly) is just the value.
  if (text.charCodeAt(i) === 0x22 && !isArrayParent(text, pointer)) {
    i = valueEnd(text, i);
    while (i < text.length && WS(text.charCodeAt(i))) i++;
    if (text.charCodeAt(i) !== 0x3a) return null;
    i++;
    while (i < text.length && WS(text.charCodeAt(i))) i++;
  } else if (!isIndex) return null;
  const valueStop = valueEnd(text, i);
  const member = text.slice(start, valueStop);
  let end = valueStop;
  let j = end;
  while (j < text.length && WS(text.charCodeAt(j))) j++;
  if (text.charCodeAt(j) === 0x2c) {
    end = j + 1;
    while (end < text.length && WS(text.charCodeAt(end))) end++;
  } else {
    // Last member: take the comma before it (if any) instead.
    let k = start - 1;
    while (k >= 0 && WS(text.charCodeAt(k))) k--;
    if (text.charCodeAt(k) === 0x2c) start = k;
  }
  return { start, end, member };
}

function isArrayParent(text: string, pointer: string): boolean {
  const tokens = parsePointer(pointer);
  tokens.pop();
  const parentPointer = tokens.map((t) => "/" + t.replace(/~/g, "~0").replace(/\//g, "~1")).join("");
  const at = locatePointer(text, parentPointer);
  return at.exact && text.charCodeAt(at.offset) === 0x5b;
}

/** The members of the object starting at `open` ('{'): key start, value end, key. */
function members(text: string, open: number): { key: string; keyStart: number; valueEnd: number }[] | null {
  const out: { key: string; keyStart: number; valueEnd: number }[] = [];
  let i = open + 1;
  const ws = () => {
    while (i < text.length && WS(text.charCodeAt(i))) i++;
  };
  for (;;) {
    ws();
    const c = text.charCodeAt(i);
    if (c === 0x7d) return out;
    if (c !== 0x22) return null;
    const keyStart = i;
    const keyEnd = valueEnd(text, i);
    let key: string;
    try {
      key = JSON.parse(text.slice(keyStart, keyEnd)) as string;
    } catch {
      return null;
    }
    i = keyEnd;
    ws();
    if (text.charCodeAt(i) !== 0x3a) return null;
    i++;
    ws();
    const end = valueEnd(text, i);
    out.push({ key, keyStart, valueEnd: end });
    i = end;
    ws();
    if (text.charCodeAt(i) === 0x2c) i++;
  }
}

/**
 * Spans that remove `keys` from the object at `parent` with their commas, as one valid edit: a member followed by a
 * kept member goes with the comma after it; the members after the last kept one go with the comma before them.
 */
function objectRemovals(text: string, parent: string, keys: Set<string>): TextEdit[] | null {
  const at = locatePointer(text, parent);
  if (!at.exact || text.charCodeAt(at.offset) !== 0x7b) return null;
  const list = members(text, at.offset);
  if (!list) return null;
  const found = new Set(list.filter((m) => keys.has(m.key)).map((m) => m.key));
  if (found.size !== keys.size || list.filter((m) => keys.has(m.key)).length !== keys.size) return null; // duplicates
  const lastKept = list.reduce((k, m, idx) => (keys.has(m.key) ? k : idx), -1);
  const edits: TextEdit[] = [];
  for (let idx = 0; idx <= lastKept; idx++) {
    const m = list[idx]!;
    if (!keys.has(m.key)) continue;
    const end = list[idx + 1]!.keyStart;
    edits.push({ start: m.keyStart, end, replacement: "", before: text.slice(m.keyStart, m.valueEnd) });
  }
  const tail = list.slice(lastKept + 1);
  if (tail.length) {
    const start = lastKept >= 0 ? list[lastKept]!.valueEnd : tail[0]!.keyStart;
    // One span for the trailing run; its `before` is the first member (the others get their own entries below).
    edits.push({
      start,
      end: tail[tail.length - 1]!.valueEnd,
      replacement: "",
      before: tail.map((m) => text.slice(m.keyStart, m.valueEnd)).join(", "),
    });
  }
  return edits;
}

/** Text edits for the operations, or null when one cannot be located exactly. */
export function textEdits(text: string, ops: readonly FixOperation[]): TextEdit[] | null {
  const edits: TextEdit[] = [];
  // Removals of object members are planned per object, so neighbouring members and their commas stay valid JSON.
  const byParent = new Map<string, Set<string>>();
  for (const op of ops) {
    if (op.op !== "remove") continue;
    const tokens = parsePointer(op.pointer);
    const key = tokens.pop()!;
    const parent = tokens.map((t) => "/" + t.replace(/~/g, "~0").replace(/\//g, "~1")).join("");
    if (isArrayParent(text, op.pointer)) continue;
    if (!byParent.has(parent)) byParent.set(parent, new Set());
    byParent.get(parent)!.add(key);
  }
  for (const [parent, keys] of byParent) {
    const e = objectRemovals(text, parent, keys);
    if (!e) return null;
    edits.push(...e);
  }
  for (const op of ops) {
    if (op.op === "remove" && !isArrayParent(text, op.pointer)) continue;
    if (op.op === "set") {
      const at = locatePointer(text, op.pointer);
      if (!at.exact) return null;
      const end = valueEnd(text, at.offset);
      edits.push({ start: at.offset, end, replacement: JSON.stringify(op.value), before: text.slice(at.offset, end) });
    } else {
      const span = removalSpan(text, op.pointer);
      if (!span) return null;
      edits.push({ start: span.start, end: span.end, replacement: "", before: span.member });
    }
  }
  edits.sort((a, b) => b.start - a.start);
  for (let i = 1; i < edits.length; i++) if (edits[i]!.end > edits[i - 1]!.start) return null; // overlapping
  return edits;
}

export function applyTextEdits(text: string, edits: readonly TextEdit[]): string {
  let out = text;
  for (const e of edits) out = out.slice(0, e.start) + e.replacement + out.slice(e.end);
  return out;
}
