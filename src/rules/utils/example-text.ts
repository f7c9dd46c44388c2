/**
 * The text of an example, normalised for comparison across records (near-duplicates, conflicting answers, leaked
 * validation examples). Normalisation: Unicode NFKC, lower case, every run of white space made one space, trimmed.
 * Pure functions; no state.
 */
import type { DatasetFormat } from "../../types.js";
import { astralInert, CHAR_WORD, charInfo, INERT, lowerOf, PART, SPACE, wordClass } from "./char-table.js";
import { fmix32, reserveWords, wordBuffer } from "./minhash.js";

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

/**
 * A 64-bit hash of a string as two unsigned 32-bit halves (two multiplicative lanes over UTF-16 units, mixed).
 * `digestText` computes the same hash of a text's normalised form without building it as a string.
 */
export function hash64(s: string, out: Uint32Array, at: number): void {
  const u = room(s.length);
  for (let i = 0; i < s.length; i++) u[i] = s.charCodeAt(i);
  hashUnits(u, s.length, out, at);
}

/** `hash64` of the first `len` units of `u`. */
function hashUnits(u: Uint16Array, len: number, out: Uint32Array, at: number): void {
  let h1 = 0x811c9dc5 ^ len;
  let h2 = 0x9747b28c;
  for (let i = 0; i < len; i++) {
    const c = u[i]!;
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h1 ^= h1 >>> 13;
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
    h2 ^= h2 >>> 15;
  }
  out[at] = fmix32(h1 ^ Math.imul(h2, 0x27d4eb2f));
  out[at + 1] = fmix32(h2 ^ Math.imul(h1, 0x165667b1));
}

// ---------- one pass: normalise, hash and split into words without building the normalised string ----------

const FNV = 0x811c9dc5;
/** Word class of each ASCII unit. */
const ASCII_CLASS = new Uint8Array(128);
for (let c = 0; c < 128; c++) ASCII_CLASS[c] = wordClass(c);

/** The normalised text being digested, as UTF-16 units (white space already collapsed); grown as needed. */
let units = new Uint16Array(1 << 14);

function room(size: number): Uint16Array {
  if (units.length < size + 1) units = new Uint16Array(Math.max(size + 1, units.length * 2));
  return units;
}

/**
 * Writes the normalised units of `s` into `u` (white space collapsed, none at either end) and, when `words`, appends
 * its words to the MinHash word buffer (as `wordBuffer.append` would). Returns how many units, or -1 (and no words
 * added) at the first unit that does not normalise on its own (see char-table.ts). `latin1`:
 * `s` is a Latin-1 view string (one char per byte of valid UTF-8), decoded code point by code point. `normalized`: `s`
 * is already NFKC and lower case (the fall-back), so every unit is taken as it is and only white space collapses.
 */
function mapUnits(s: string, latin1: boolean, normalized: boolean, u: Uint16Array, words: boolean): number {
  let n = 0;
  let pending = false;
  const end = s.length;
  // At most one word per unit of `s` (a view has at least as many units as the text).
  let w = wordBuffer.size;
  const out = words ? reserveWords(w, end + 1) : null;
  let wh = FNV;
  let inWord = false;
  for (let i = 0; i < end;) {
    let c = s.charCodeAt(i++);
    let cls: number;
    let lo = -1;
    if (c < 0x80) {
      if (c === 0x20 || (c >= 0x09 && c <= 0x0d)) {
        pending = n > 0;
        cls = 0;
      } else {
        if (c >= 0x41 && c <= 0x5a) c += 32;
        cls = ASCII_CLASS[c]!;
        if (pending) {
          u[n++] = 0x20;
          pending = false;
        }
        u[n++] = c;
      }
    } else {
      if (latin1) {
        if (c < 0xe0) c = ((c & 0x1f) << 6) | (s.charCodeAt(i++) & 0x3f);
        else if (c < 0xf0) {
          c = ((c & 0x0f) << 12) | ((s.charCodeAt(i) & 0x3f) << 6) | (s.charCodeAt(i + 1) & 0x3f);
          i += 2;
        } else {
          const cp =
            ((c & 0x07) << 18) | ((s.charCodeAt(i) & 0x3f) << 12) | ((s.charCodeAt(i + 1) & 0x3f) << 6) | (s.charCodeAt(i + 2) & 0x3f);
          i += 3;
          if (!astralInert(cp)) return -1;
          c = 0xd800 + ((cp - 0x10000) >>> 10);
          lo = 0xdc00 + ((cp - 0x10000) & 0x3ff);
        }
        if (i > end) return -1;
      } else if (c >= 0xd800 && c <= 0xdbff) {
        const d = s.charCodeAt(i);
        if (d >= 0xdc00 && d <= 0xdfff) {
          if (!normalized && !astralInert(((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000)) return -1;
          lo = d;
          i++;
        }
      }
      if (lo >= 0) {
        cls = PART;
        if (pending) {
          u[n++] = 0x20;
          pending = false;
        }
        u[n++] = c;
        u[n++] = lo;
      } else {
        const v = charInfo(c);
        if (!(v & INERT) && !normalized) return -1;
        if (v & SPACE) {
          pending = n > 0;
          cls = 0;
        } else {
          // An inert unit's lower case is in the same word class (char-table.ts makes sure).
          cls = v & (PART | CHAR_WORD);
          if (!normalized) c = lowerOf(c);
          if (pending) {
            u[n++] = 0x20;
            pending = false;
          }
          u[n++] = c;
        }
      }
    }
    if (out === null) continue;
    if (cls === PART) {
      wh = Math.imul(wh ^ c, 0x01000193);
      if (lo >= 0) wh = Math.imul(wh ^ lo, 0x01000193);
      inWord = true;
      continue;
    }
    if (inWord) {
      out[w++] = fmix32(wh);
      wh = FNV;
      inWord = false;
    }
    if (cls === CHAR_WORD) out[w++] = fmix32(Math.imul(FNV ^ c, 0x01000193));
  }
  if (out !== null) {
    if (inWord) out[w++] = fmix32(wh);
    wordBuffer.size = w;
  }
  return n;
}

/**
 * Hashes `normalizeText(s)` into `out[at]`, `out[at + 1]` (as `hash64` would) and, when `words`, appends its words to
 * the MinHash word buffer (as `wordBuffer.append` would), without building the normalised string: NFKC and lower
 * case are applied unit by unit where they act on units alone (almost all text; see char-table.ts), and a text with
 * anything else (combining marks, compatibility forms, ...) is normalised whole first. `latin1`: `s` is a Latin-1
 * view string (see RecordContext.latin1). Returns the length of the normalised text (0: it is empty).
 */
export function digestText(s: string, latin1: boolean, words: boolean, out: Uint32Array, at: number): number {
  // Normalising unit by unit never lengthens a text (a view has at least as many units as it decodes to).
  let u = room(s.length);
  let len = mapUnits(s, latin1, false, u, words);
  if (len < 0) {
    const t = (latin1 ? Buffer.from(s, "latin1").toString("utf8") : s).normalize("NFKC").toLowerCase();
    u = room(t.length);
    len = mapUnits(t, false, true, u, words);
  }
  // hash64 of the units: the values the string-building version gave, so the indexes' layout (and which candidates
  // a near-duplicate search visits first, at most 16 per band) and every finding stay exactly as they were.
  hashUnits(u, len, out, at);
  return len;
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
 * when it has no text. The record's words are left in the MinHash word buffer (`wordBuffer`, read by `sketchWords`).
 * `latin1`: the record's strings are the Latin-1 view of its line (RecordContext.latin1); the digest is the same.
 */
export function exampleDigest(record: Record<string, unknown>, format: DatasetFormat, latin1 = false): ExampleDigest | null {
  if (record === digestRecord && format === digestFormat) return digestResult;
  digestRecord = record;
  digestFormat = format;
  digestResult = computeDigest(record, format, latin1);
  return digestResult;
}

// The last system prompt digested (many datasets repeat one in every example): its text, view flag and digest.
let lastSystem: string | null = null;
let lastSystemView = false;
const lastSystemHash = new Uint32Array(3);

/** `digestText` of a message's text (`messageText`: content, text parts, tool calls) into h[0], h[1]. */
function digestMessage(m: Record<string, unknown>, latin1: boolean, words: boolean): number {
  const c = m.content;
  if (typeof c !== "string" || m.tool_calls !== undefined) return digestText(messageText(m), latin1, words, h, 0);
  if (words) return digestText(c, latin1, true, h, 0);
  // Without words (a system message): the same text as the last one gives the same digest.
  if (c === lastSystem && latin1 === lastSystemView) {
    h[0] = lastSystemHash[0]!;
    h[1] = lastSystemHash[1]!;
    return lastSystemHash[2]!;
  }
  const n = digestText(c, latin1, false, h, 0);
  lastSystem = c;
  lastSystemView = latin1;
  lastSystemHash[0] = h[0]!;
  lastSystemHash[1] = h[1]!;
  lastSystemHash[2] = n;
  return n;
}

function computeDigest(record: Record<string, unknown>, format: DatasetFormat, latin1: boolean): ExampleDigest | null {
  const d = digestOut;
  const x = d.hashes;
  x.fill(0);
  d.hasPrompt = false;
  d.answerIndex = -1;
  wordBuffer.reset();
  if (format === "general") {
    if (typeof record.text !== "string") return null;
    if (digestText(record.text, latin1, true, h, 0) === 0) return null;
    fold(x, 0, 0, h[0]!, h[1]!);
    d.wordCount = wordBuffer.size;
    return d;
  }
  if (format === "instruction") {
    if (typeof record.prompt !== "string" || typeof record.completion !== "string") return null;
    d.hasPrompt = digestText(record.prompt, latin1, true, h, 0) > 0;
    fold(x, 0, 2, h[0]!, h[1]!);
    fold(x, 2, 2, h[0]!, h[1]!);
    digestText(record.completion, latin1, true, h, 0);
    fold(x, 0, 3, h[0]!, h[1]!);
    x[4] = h[0]!;
    x[5] = h[1]!;
    d.wordCount = wordBuffer.size;
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
      // System prompts count for the whole hash, not for the words (see near-duplicate).
      if (digestMessage(m, latin1, role !== "system") > 0) any = true;
      fold(x, 0, roleCode(role), h[0]!, h[1]!);
      if (l === 0 && i === last) {
        x[4] = h[0]!;
        x[5] = h[1]!;
      }
      if (l === 0 && last >= 0 && i < last && role !== "system") hasUser = true;
    }
  }
  if (!any) return null;
  d.wordCount = wordBuffer.size;
  if (last > 0 && hasUser) {
    d.hasPrompt = true;
    d.answerIndex = last;
  }
  return d;
}
