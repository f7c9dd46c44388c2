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

/**
 * What the cross-record rules compare, as numbers (no strings kept): 64-bit hashes of the normalised whole example,
 * of its prompt and of its answer (as `exampleText` defines them), and the words of its non-system text hashed into
 * the MinHash word buffer (`wordCount` of them, read by `sketchWords`). Each message is normalised and hashed once.
 */
export interface ExampleDigest {
  /** [wholeHi, wholeLo, promptHi, promptLo, answerHi, answerLo]. */
  hashes: Uint32Array;
  hasPrompt: boolean;
  /** Message index of the answer (conversation), -1 for instruction `completion`. */
  answerIndex: number;
  wordCount: number;
}

const digestOut: ExampleDigest = { hashes: new Uint32Array(6), hasPrompt: false, answerIndex: -1, wordCount: 0 };
const h = new Uint32Array(2);
let digestRecord: Record<string, unknown> | null = null;
let digestFormat: DatasetFormat | null = null;
let digestResult: ExampleDigest | null = null;

/** Folds a role code and a message hash into a running 64-bit hash at `out[at]`, `out[at + 1]`. */
function fold(out: Uint32Array, at: number, role: number, hi: number, lo: number): void {
  out[at] = fmix32((Math.imul(out[at]! ^ role, 0x9e3779b1) ^ hi) >>> 0);
  out[at + 1] = fmix32((Math.imul(out[at + 1]! ^ role, 0x85ebca77) ^ lo ^ out[at]!) >>> 0);
}

function roleCode(role: string): number {
  return role === "system" ? 1 : role === "user" ? 2 : role === "assistant" ? 3 : role === "tool" ? 4 : 5 + role.length;
}

/**
 * The digest of a record (the same object is returned for the record just digested: the rules ask in turn), or null
 * when it has no text. `words` receives the words (see minhash `resetWords` / `appendWords`).
 */
export function exampleDigest(
  record: Record<string, unknown>,
  format: DatasetFormat,
  words: { reset(): void; append(text: string): number },
): ExampleDigest | null {
  if (record === digestRecord && format === digestFormat) return digestResult;
  digestRecord = record;
  digestFormat = format;
  digestResult = computeDigest(record, format, words);
  return digestResult;
}

function computeDigest(
  record: Record<string, unknown>,
  format: DatasetFormat,
  words: { reset(): void; append(text: string): number },
): ExampleDigest | null {
  const d = digestOut;
  const x = d.hashes;
  x.fill(0);
  d.hasPrompt = false;
  d.answerIndex = -1;
  words.reset();
  if (format === "general") {
    if (typeof record.text !== "string") return null;
    const t = normalizeText(record.text);
    if (!t) return null;
    hash64(t, h, 0);
    fold(x, 0, 0, h[0]!, h[1]!);
    d.wordCount = words.append(t);
    return d;
  }
  if (format === "instruction") {
    if (typeof record.prompt !== "string" || typeof record.completion !== "string") return null;
    const p = normalizeText(record.prompt);
    const a = normalizeText(record.completion);
    hash64(p, h, 0);
    fold(x, 0, 2, h[0]!, h[1]!);
    fold(x, 2, 2, h[0]!, h[1]!);
    hash64(a, h, 0);
    fold(x, 0, 3, h[0]!, h[1]!);
    x[4] = h[0]!;
    x[5] = h[1]!;
    d.hasPrompt = p.length > 0;
    words.append(p);
    d.wordCount = words.append(a);
    return d;
  }
  const lists: unknown[] =
    format === "conversation"
      ? [record.messages]
      : [isObject(record.input) ? record.input.messages : undefined, record.preferred_output, record.non_preferred_output];
  let any = false;
  // Conversation: the answer is the last assistant message; the prompt hash is the whole hash just before it.
  let last = -1;
  if (format === "conversation" && Array.isArray(record.messages)) {
    for (let i = record.messages.length - 1; i >= 0; i--) {
      const m = record.messages[i];
      if (isObject(m) && m.role === "assistant") {
        last = i;
        break;
      }
    }
  }
  let hasUser = false;
  let n = 0;
  for (let l = 0; l < lists.length; l++) {
    const list = lists[l];
    if (l > 0) fold(x, 0, 100 + l, 0, 0);
    if (!Array.isArray(list)) continue;
    for (let i = 0; i < list.length; i++) {
      const m = list[i];
      if (!isObject(m)) continue;
      const role = typeof m.role === "string" ? m.role : "";
      if (l === 0 && i === last) {
        x[2] = x[0]!;
        x[3] = x[1]!;
      }
      const t = normalizeText(messageText(m));
      if (t) any = true;
      hash64(t, h, 0);
      fold(x, 0, roleCode(role), h[0]!, h[1]!);
      if (l === 0 && i === last) {
        x[4] = h[0]!;
        x[5] = h[1]!;
      }
      if (l === 0 && last >= 0 && i < last && role !== "system") hasUser = true;
      if (role !== "system" && t) n = words.append(t);
    }
  }
  if (!any) return null;
  d.wordCount = n;
  if (last > 0 && hasUser) {
    d.hasPrompt = true;
    d.answerIndex = last;
  }
  return d;
}
