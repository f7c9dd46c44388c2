/**
 * `tunelint fix` as a library: the meaning-preserving repairs of the fixable rules (their `fix`, beside each rule),
 * applied line by line. A line that holds a record always stays a line (record count kept); a blank line is removed;
 * a line that is not JSON is kept as it is. Every change is returned: line, pointer, rule id, before -> after.
 */
import { detectFormat } from "../dataset-formats/detect.js";
import { LineSplitter, DEFAULT_MAX_LINE_BYTES, type RawLine } from "../io/reader.js";
import { rules } from "../rules/index.js";
import type { FixOperation, Rule } from "../rules/types.js";
import { applyTextEdits, applyToValue, getAt, textEdits } from "./edit.js";
import { decodedChunks, type ByteSource } from "./source.js";

/** One change made by a fix. */
export interface FixChange {
  /** 1-based input line (null for a record given as a value). */
  line: number | null;
  /** JSON Pointer into the record ("" for a line-level change). */
  pointer: string;
  ruleId: string;
  /** What was there (JSON text of the value or member, or a description for line-level changes). */
  before: string;
  /** What is there now ("" when removed). */
  after: string;
}

export interface FixOptions {
  /** Rule ids whose fixes are not applied (e.g. rules turned off). Default: every fixable rule fixes. */
  skip?: Iterable<string>;
}

export interface FixRecordResult {
  /** The repaired record (a copy; the input is not modified). */
  record: unknown;
  /** The repaired JSON text: the input text with only the edited spans changed (or the compact JSON of a value). */
  text: string;
  changes: FixChange[];
}

const ALL_FIXABLE: readonly Rule[] = rules.filter((r) => r.meta.fixable && r.fix);
const fixable = (skip?: Iterable<string>): readonly Rule[] => {
  if (!skip) return ALL_FIXABLE;
  const off = new Set(skip);
  return off.size ? ALL_FIXABLE.filter((r) => !off.has(r.meta.id)) : ALL_FIXABLE;
};

/**
 * Repairs one record: a parsed value or its JSON text (one JSONL line without the line end). Only the record-level
 * fixes run here (role case and aliases, weights, extra top-level keys, null content beside tool calls). A value
 * that is not a JSON object of a known format comes back unchanged.
 */
/**
 * The record-level fixes applied to `record` itself (no copy, no text): for converters that own the object.
 * Returns the changes made.
 */
export function fixValueInPlace(record: Record<string, unknown>, options: FixOptions = {}): FixChange[] {
  const format = detectFormat(record);
  if (!format) return [];
  const ops: { op: FixOperation; ruleId: string }[] = [];
  const touched = new Set<string>();
  for (const rule of fixable(options.skip)) {
    for (const op of rule.fix!.record?.({ record, format, text: "" }) ?? []) {
      if (touched.has(op.pointer)) continue;
      touched.add(op.pointer);
      ops.push({ op, ruleId: rule.meta.id });
    }
  }
  if (ops.length === 0) return [];
  const befores = ops.map(({ op }) => describeValue(op, getAt(record, op.pointer)));
  applyToValue(
    record,
    ops.map((o) => o.op),
  );
  return ops.map(({ op, ruleId }, i) => ({
    line: null,
    pointer: op.pointer,
    ruleId,
    before: befores[i]!,
    after: op.op === "set" ? JSON.stringify(op.value) : "",
  }));
}

export function fixRecord(input: unknown, options: FixOptions & { line?: number } = {}): FixRecordResult {
  const line = options.line ?? null;
  const isText = typeof input === "string";
  let value: unknown;
  let text: string;
  if (isText) {
    text = input;
    try {
      value = JSON.parse(text);
    } catch {
      return { record: undefined, text, changes: [] };
    }
  } else {
    value = input === undefined ? undefined : structuredCloneJson(input);
    text = "";
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    return { record: value, text: isText ? text : safeStringify(value), changes: [] };
  }
  const record = value as Record<string, unknown>;
  const format = detectFormat(record);
  if (!format) return { record, text: isText ? text : safeStringify(record), changes: [] };

  const ops: { op: FixOperation; ruleId: string }[] = [];
  const touched = new Set<string>();
  for (const rule of fixable(options.skip)) {
    for (const op of rule.fix!.record?.({ record, format, text }) ?? []) {
      // One change per place: a later rule never edits what an earlier one already did.
      if (touched.has(op.pointer)) continue;
      touched.add(op.pointer);
      ops.push({ op, ruleId: rule.meta.id });
    }
  }
  if (ops.length === 0) return { record, text: isText ? text : safeStringify(record), changes: [] };

  const beforeValues = ops.map(({ op }) => getAt(record, op.pointer));
  const fixed = structuredCloneJson(record) as Record<string, unknown>;
  applyToValue(
    fixed,
    ops.map((o) => o.op),
  );
  let outText: string;
  const edits = isText
    ? textEdits(
        text,
        ops.map((o) => o.op),
      )
    : null;
  if (edits) {
    outText = applyTextEdits(text, edits);
    // Proof: the edited text must parse to exactly the edited value; otherwise (duplicate keys...) serialise it.
    if (safeStringify(JSON.parse(outText)) !== safeStringify(fixed)) outText = safeStringify(fixed);
  } else outText = safeStringify(fixed);
  const befores = ops.map(({ op }, i) =>
    op.op === "set" && op.before !== undefined ? op.before : describeValue(op, beforeValues[i], isText ? text : ""),
  );
  const changes = ops.map(({ op, ruleId }, i) => ({
    line,
    pointer: op.pointer,
    ruleId,
    before: befores[i]!,
    after: op.op === "set" ? JSON.stringify(op.value) : "",
  }));
  changes.sort((a, b) => comparePointers(a.pointer, b.pointer));
  return { record: fixed, text: outText, changes };
}

/** Document order for pointers: array indexes compared as numbers (/messages/2 before /messages/10). */
function comparePointers(a: string, b: string): number {
  const ta = a.split("/");
  const tb = b.split("/");
  for (let i = 0; i < Math.min(ta.length, tb.length); i++) {
    if (ta[i] === tb[i]) continue;
    const na = /^\d+$/.test(ta[i]!) ? Number(ta[i]) : NaN;
    const nb = /^\d+$/.test(tb[i]!) ? Number(tb[i]) : NaN;
    if (!Number.isNaN(na) && !Number.isNaN(nb)) return na - nb;
    return ta[i]! < tb[i]! ? -1 : 1;
  }
  return ta.length - tb.length;
}

/** The before-text of an operation: the member (`"id": 7`) for removals, the value for sets. */
function describeValue(op: FixOperation, before: unknown, text = ""): string {
  const key = op.pointer
    .slice(op.pointer.lastIndexOf("/") + 1)
    .replace(/~1/g, "/")
    .replace(/~0/g, "~");
  const v = text ? (literalAt(text, op.pointer) ?? safeStringify(before)) : safeStringify(before);
  return op.op === "remove" ? `${JSON.stringify(key)}: ${v}` : v;
}

function literalAt(text: string, pointer: string): string | undefined {
  const edits = textEdits(text, [{ op: "set", pointer, value: null }]);
  return edits?.[0]?.before;
}

function structuredCloneJson(v: unknown): unknown {
  const s = safeStringify(v);
  return s === undefined || s === "" ? v : JSON.parse(s);
}

function safeStringify(v: unknown): string {
  try {
    return JSON.stringify(v) ?? "";
  } catch {
    return "";
  }
}

/** One output line of a fix. */
export interface FixedLine {
  /** 1-based input line. */
  line: number;
  /** The repaired line without its line end (null when the line was removed: blank). */
  text: string | null;
  /** The same as bytes (a line no fix touched keeps its exact bytes, invalid UTF-8 included). */
  bytes: Buffer | null;
  /** true when the line ends in CR LF (kept only when the CR LF fix is skipped). */
  crlf: boolean;
  /** true when the line holds a JSON object (a record). */
  record: boolean;
  changes: FixChange[];
}

/** Repairs one physical line (bytes without the line end; `crlf` when it ended in CR LF). */
export function fixLine(raw: { line: number; bytes: Buffer; crlf?: boolean }, options: FixOptions = {}): FixedLine {
  const changes: FixChange[] = [];
  let bytes: Buffer | null = raw.bytes;
  let crlf = raw.crlf === true;
  for (const rule of fixable(options.skip)) {
    if (!rule.fix!.line || bytes === null) continue;
    const f = rule.fix!.line({ line: raw.line, bytes, crlf });
    if (!f) continue;
    if (f.bytes !== undefined) bytes = f.bytes;
    if (f.crlf === false) crlf = false;
    changes.push({ line: raw.line, pointer: "", ruleId: rule.meta.id, before: f.before, after: f.after });
  }
  if (bytes === null) return { line: raw.line, text: null, bytes: null, crlf: false, record: false, changes };
  let text = bytes.toString("utf8");
  let record = false;
  if (/^[ \t]*\{/.test(text)) {
    const r = fixRecord(text, { ...options, line: raw.line });
    record = r.record !== null && typeof r.record === "object" && !Array.isArray(r.record);
    if (r.changes.length) {
      text = r.text;
      bytes = Buffer.from(text, "utf8");
      changes.push(...r.changes);
    }
  }
  return { line: raw.line, text, bytes, crlf, record, changes };
}

/**
 * Repairs a JSONL byte stream (plain or gzip) line by line. Yields every input line's outcome in order; the caller
 * writes `text` + "\n" for each line whose text is not null. Memory: one line at a time.
 */
export async function* fixStream(
  source: ByteSource,
  options: FixOptions & { maxLineBytes?: number; signal?: AbortSignal } = {},
): AsyncGenerator<FixedLine> {
  const pending: RawLine[] = [];
  const splitter = new LineSplitter((l) => pending.push(l), options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES);
  for await (const chunk of decodedChunks(source, options.signal)) {
    splitter.push(chunk);
    while (pending.length) yield oneLine(pending.shift()!, options);
  }
  splitter.end();
  while (pending.length) yield oneLine(pending.shift()!, options);
}

function oneLine(l: RawLine, options: FixOptions): FixedLine {
  if (l.oversized) {
    throw Object.assign(new Error(`line ${l.line} is longer than the line-size cap (${l.length} bytes): raise --max-line-bytes.`), {
      code: "ELINETOOLONG",
    });
  }
  return fixLine({ line: l.line, bytes: l.bytes, crlf: l.crlf }, options);
}
