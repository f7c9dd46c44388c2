/**
 * The text of an example, normalised for comparison across records (near-duplicates, conflicting answers, leaked
 * validation examples). Normalisation: Unicode NFKC, lower case, every run of white space made one space, trimmed.
 * Pure functions; no state.
 */
import { hash } from "node:crypto";
import type { DatasetFormat } from "../../types.js";

const ASCII = /^[\x00-\x7f]*$/;
const SPACES = /\s+/g;

/** NFKC (skipped for ASCII, where it is the identity), lower case, white space collapsed and trimmed. */
export function normalizeText(s: string): string {
  const t = (ASCII.test(s) ? s : s.normalize("NFKC")).toLowerCase();
  return t.replace(SPACES, " ").trim();
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** The text of a message's content: a string, or the text parts (and image URLs) of a part list. */
function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) {
    let out = "";
    for (const p of content) {
      if (!isObject(p)) continue;
      if (typeof p.text === "string") out += (out ? " " : "") + p.text;
      else if (isObject(p.image_url) && typeof p.image_url.url === "string") out += (out ? " " : "") + p.image_url.url;
    }
    return out;
  }
  return content === undefined || content === null ? "" : JSON.stringify(content);
}

/** A message as compared: its content, plus its tool calls (arguments decide what the model learns too). */
function messageText(m: Record<string, unknown>): string {
  const c = contentText(m.content);
  return m.tool_calls === undefined ? c : `${c} ${JSON.stringify(m.tool_calls)}`;
}

export interface ExampleText {
  /** Every message role by role (normalised): equal wholes mean the examples say exactly the same. */
  whole: string;
  /** What is shingled for MinHash: the non-system texts, normalised, joined by spaces. */
  body: string;
  /** The prompt (everything before the last assistant turn, normalised), or null where it does not apply. */
  prompt: string | null;
  /** The answer to that prompt (normalised). */
  answer: string | null;
  /** Message index of the answer (conversation), -1 for instruction `completion`. */
  answerIndex: number;
}

/**
 * The comparable text of a record, or null when it has none (no string anywhere it is expected).
 * Conversation: prompt = the messages before the last assistant message, answer = that message. Instruction: prompt
 * and completion. General (`text`): no prompt. Preference (DPO): input and both outputs; no prompt (two answers to one
 * prompt is the point of DPO).
 */
export function exampleText(record: Record<string, unknown>, format: DatasetFormat): ExampleText | null {
  if (format === "general") {
    if (typeof record.text !== "string") return null;
    const t = normalizeText(record.text);
    return t ? { whole: t, body: t, prompt: null, answer: null, answerIndex: -1 } : null;
  }
  if (format === "instruction") {
    if (typeof record.prompt !== "string" || typeof record.completion !== "string") return null;
    const prompt = normalizeText(record.prompt);
    const answer = normalizeText(record.completion);
    return {
      whole: `${prompt}\u0000${answer}`,
      body: `${prompt} ${answer}`,
      prompt: prompt || null,
      answer,
      answerIndex: -1,
    };
  }
  const lists: unknown[] =
    format === "conversation"
      ? [record.messages]
      : [isObject(record.input) ? record.input.messages : undefined, record.preferred_output, record.non_preferred_output];
  let whole = "";
  let body = "";
  let any = false;
  for (let l = 0; l < lists.length; l++) {
    const list = lists[l];
    if (l > 0) whole += `\u0003${l}`;
    if (!Array.isArray(list)) continue;
    for (const m of list) {
      if (!isObject(m)) continue;
      const role = typeof m.role === "string" ? m.role : "";
      const t = normalizeText(messageText(m));
      if (t) any = true;
      whole += `\u0001${role}\u0002${t}`;
      if (role !== "system" && t) body += (body ? " " : "") + t;
    }
  }
  if (!any) return null;
  let prompt: string | null = null;
  let answer: string | null = null;
  let answerIndex = -1;
  if (format === "conversation" && Array.isArray(record.messages)) {
    const msgs = record.messages;
    for (let i = msgs.length - 1; i >= 0; i--) {
      const m = msgs[i];
      if (isObject(m) && m.role === "assistant") {
        answerIndex = i;
        break;
      }
    }
    if (answerIndex > 0) {
      let p = "";
      let hasUser = false;
      for (let i = 0; i < answerIndex; i++) {
        const m = msgs[i];
        if (!isObject(m)) continue;
        const role = typeof m.role === "string" ? m.role : "";
        if (role !== "system") hasUser = true;
        p += `\u0001${role}\u0002${normalizeText(messageText(m))}`;
      }
      if (hasUser) {
        prompt = p;
        answer = normalizeText(messageText(msgs[answerIndex] as Record<string, unknown>));
      }
    }
  }
  return { whole, body, prompt, answer, answerIndex };
}

/** A 64-bit hash of a string as two unsigned 32-bit halves (SHA-256, native). */
export function hash64(s: string, out: Uint32Array, at: number): void {
  const b = hash("sha256", s, "buffer") as unknown as Buffer;
  out[at] = b.readUInt32LE(0);
  out[at + 1] = b.readUInt32LE(4);
}

/** A 32-bit hash of a line's bytes, ignoring surrounding spaces and tabs (as duplicate-example does). */
export function lineHash32(bytes: Buffer): number {
  let s = 0;
  let e = bytes.length;
  while (s < e && (bytes[s] === 0x20 || bytes[s] === 0x09)) s++;
  while (e > s && (bytes[e - 1] === 0x20 || bytes[e - 1] === 0x09)) e--;
  return (hash("sha256", bytes.subarray(s, e), "buffer") as unknown as Buffer).readUInt32LE(0);
}
