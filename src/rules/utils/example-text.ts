/**
 * The text of an example, normalised for comparison across records (near-duplicates, conflicting answers, leaked
 * validation examples). Normalisation: Unicode NFKC, lower case, every run of white space made one space, trimmed.
 * Pure functions; no state.
 */
import type { DatasetFormat } from "../../types.js";

const ASCII = /^[\x00-\x7f]*$/;
const SPACES = /\s+/g;
/** White space other than single spaces between words (nothing to collapse without it). */
const UNUSUAL_SPACE = /[^\S ]| {2}|^ | $/;

/** NFKC (skipped for ASCII, where it is the identity), lower case, white space collapsed and trimmed. */
export function normalizeText(s: string): string {
  const t = (ASCII.test(s) ? s : s.normalize("NFKC")).toLowerCase();
  return UNUSUAL_SPACE.test(t) ? t.replace(SPACES, " ").trim() : t;
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
// The last record's text: near-duplicate, conflicting-answers and validation-leak all ask for the same record in turn.
let memoRecord: Record<string, unknown> | null = null;
let memoFormat: DatasetFormat | null = null;
let memoText: ExampleText | null = null;

export function exampleText(record: Record<string, unknown>, format: DatasetFormat): ExampleText | null {
  if (record === memoRecord && format === memoFormat) return memoText;
  memoText = computeText(record, format);
  memoRecord = record;
  memoFormat = format;
  return memoText;
}

function computeText(record: Record<string, unknown>, format: DatasetFormat): ExampleText | null {
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
  // Conversation: the normalised parts of `whole` before each message, to cut the prompt without normalising again.
  let answerIndex = -1;
  let promptEnd = -1;
  let hasUser = false;
  let answerText = "";
  for (let l = 0; l < lists.length; l++) {
    const list = lists[l];
    if (l > 0) whole += `\u0003${l}`;
    if (!Array.isArray(list)) continue;
    for (let i = 0; i < list.length; i++) {
      const m = list[i];
      if (!isObject(m)) continue;
      const role = typeof m.role === "string" ? m.role : "";
      if (format === "conversation" && role === "assistant") {
        answerIndex = i;
        promptEnd = whole.length;
      }
      const t = normalizeText(messageText(m));
      if (t) any = true;
      if (i === answerIndex && l === 0) answerText = t;
      whole += `\u0001${role}\u0002${t}`;
      if (role !== "system" && t) body += (body ? " " : "") + t;
    }
  }
  if (!any) return null;
  let prompt: string | null = null;
  let answer: string | null = null;
  if (answerIndex > 0) {
    const msgs = record.messages as unknown[];
    for (let i = 0; i < answerIndex; i++) {
      const m = msgs[i];
      if (isObject(m) && m.role !== "system") hasUser = true;
    }
    if (hasUser) {
      prompt = whole.slice(0, promptEnd);
      answer = answerText;
    }
  } else answerIndex = -1;
  return { whole, body, prompt, answer, answerIndex };
}

/** A 64-bit hash of a string as two unsigned 32-bit halves (two multiplicative lanes over UTF-16 units, mixed). */
export function hash64(s: string, out: Uint32Array, at: number): void {
  let h1 = 0x811c9dc5 ^ s.length;
  let h2 = 0x9747b28c;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h1 ^= h1 >>> 13;
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
    h2 ^= h2 >>> 15;
  }
  out[at] = fmix32(h1 ^ Math.imul(h2, 0x27d4eb2f));
  out[at + 1] = fmix32(h2 ^ Math.imul(h1, 0x165667b1));
}

function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A 32-bit hash of a line's bytes, ignoring surrounding spaces and tabs (as duplicate-example does). */
export function lineHash32(bytes: Buffer): number {
  let s = 0;
  let e = bytes.length;
  while (s < e && (bytes[s] === 0x20 || bytes[s] === 0x09)) s++;
  while (e > s && (bytes[e - 1] === 0x20 || bytes[e - 1] === 0x09)) e--;
  let h = 0x811c9dc5;
  for (let i = s; i < e; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
  return fmix32(h);
}
