/** Small helpers shared by rules. Pure functions only. */
import type { DatasetFormat } from "../../types.js";

/** Pointer of a conversation message: `/messages/N`, `/input/messages/N`, `/preferred_output/N`, `/non_preferred_output/N`. */
export const MESSAGE_PATH = "(?:(?:/input)?/messages|/(?:non_)?preferred_output)/\\d+";

/** Pointer of a content-part list: a message's `content`, or an instruction record's `prompt` / `completion` (VLM instruction format). */
export const PARTS_PATH = `(?:${MESSAGE_PATH}/content|/prompt|/completion)`;

/** Regex matching an ajv instancePath exactly (the pattern may use MESSAGE_PATH). */
export function path(pattern: string): RegExp {
  return new RegExp(`^${pattern}$`);
}

export function typeName(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The conversation to judge in a record: SFT `messages` or DPO `input.messages`, with its pointer. */
export function conversationOf(record: Record<string, unknown>, format: DatasetFormat): { messages: unknown[]; base: string } | null {
  if (format === "conversation" && Array.isArray(record.messages)) return { messages: record.messages, base: "/messages" };
  if (format === "preference" && isObject(record.input) && Array.isArray(record.input.messages)) {
    return { messages: record.input.messages, base: "/input/messages" };
  }
  return null;
}

/** Whether any message of a record (conversation, DPO input and outputs) satisfies `test`: a plain loop for hot paths. */
export function anyMessage(record: Record<string, unknown>, format: DatasetFormat, test: (m: Record<string, unknown>) => boolean): boolean {
  const lists: unknown[] =
    format === "conversation"
      ? [record.messages]
      : format === "preference"
        ? [isObject(record.input) ? record.input.messages : undefined, record.preferred_output, record.non_preferred_output]
        : [];
  for (const list of lists) {
    if (!Array.isArray(list)) continue;
    for (const m of list) if (isObject(m) && test(m)) return true;
  }
  return false;
}

/** Every message of a record (conversation, DPO input and outputs), with pointers. */
export function* allMessages(
  record: Record<string, unknown>,
  format: DatasetFormat,
): Generator<{ message: Record<string, unknown>; pointer: string; index: number }> {
  const conv = conversationOf(record, format);
  if (conv) {
    for (let i = 0; i < conv.messages.length; i++) {
      const m = conv.messages[i];
      if (isObject(m)) yield { message: m, pointer: `${conv.base}/${i}`, index: i };
    }
  }
  if (format === "preference") {
    for (const key of ["preferred_output", "non_preferred_output"]) {
      const out = record[key];
      if (!Array.isArray(out)) continue;
      for (let i = 0; i < out.length; i++) {
        const m = out[i];
        if (isObject(m)) yield { message: m, pointer: `/${key}/${i}`, index: i };
      }
    }
  }
}

/** Renders a value for a message, short and on one line. */
export function preview(value: unknown, max = 40): string {
  let s: string;
  try {
    s = typeof value === "string" ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  } catch {
    s = String(value);
  }
  if (s.length > max) s = s.slice(0, max - 1) + "…";
  return s;
}

export function isBlank(s: string): boolean {
  return s.trim().length === 0;
}

/** Pointer to member `key` of the value at `base`. */
export function pointerOfKey(base: string, key: string): string {
  return `${base}/${key.replace(/~/g, "~0").replace(/\//g, "~1")}`;
}

/** " <value>" for strings, numbers and booleans (after the type name in a message); "" for null, arrays, objects. */
export function scalarPreview(value: unknown): string {
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return ` ${preview(value)}`;
  return "";
}
