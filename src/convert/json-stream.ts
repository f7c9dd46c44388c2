/**
 * Streams the records of a dataset file without holding the file: a JSON array (`[{...}, {...}]`, pretty-printed or
 * not), JSONL (one value per line; a bad line never hides the next), or a sequence of concatenated JSON values
 * (pretty-printed objects one after another).
 *
 * The array/sequence reader is a byte scanner that finds where each top-level element starts and ends (strings and
 * nesting tracked, nothing else), then hands the element's bytes to JSON.parse: only one element is held at a time,
 * and an element that is not valid JSON is reported with its line and skipped without losing the ones after it.
 * Measured against stream-json and @streamparser/json on a 300 MB array (see src/convert/README.md): several times
 * faster, at a flat peak RSS.
 */
import { DEFAULT_MAX_LINE_BYTES, LineSplitter, type RawLine } from "../io/reader.js";
import { decodedChunks, type ByteSource } from "./source.js";

export type Container = "array" | "jsonl" | "sequence";

/** One element of the input. */
export interface SourceItem {
  /** 0-based position of the element in the file (array index, or record number). */
  index: number;
  /** 1-based line where the element starts. */
  line: number;
  /** The parsed value (undefined when `error` is set or the line is blank). */
  value?: unknown;
  /** The element's text (JSONL: the line; array: the element's JSON). */
  text: string;
  /** Why the element could not be read (invalid JSON...). */
  error?: string;
  /** A blank JSONL line (not a record). */
  blank?: boolean;
}

const SNIFF_BYTES = 64 * 1024;

/** Reads records from a byte source, detecting the container (array, JSONL or concatenated values). */
export async function* readRecords(
  source: ByteSource,
  options: { maxElementBytes?: number; signal?: AbortSignal; onContainer?: (c: Container) => void } = {},
): AsyncGenerator<SourceItem> {
  const max = options.maxElementBytes ?? DEFAULT_MAX_LINE_BYTES;
  const chunks = decodedChunks(source, options.signal);
  // Sniff: the first non-whitespace byte, and whether the first line is a complete JSON value.
  const head: Buffer[] = [];
  let headLength = 0;
  let done = false;
  const it = chunks[Symbol.asyncIterator]();
  while (headLength < SNIFF_BYTES) {
    const r = await it.next();
    if (r.done) {
      done = true;
      break;
    }
    head.push(r.value);
    headLength += r.value.length;
  }
  const first = Buffer.concat(head);
  const container = sniff(first, done);
  options.onContainer?.(container);
  async function* all(): AsyncGenerator<Buffer> {
    try {
      if (first.length) yield first;
      if (done) return;
      for (;;) {
        const r = await it.next();
        if (r.done) return;
        yield r.value;
      }
    } finally {
      await it.return?.(undefined);
    }
  }
  if (container === "jsonl") yield* jsonl(all(), max);
  else yield* elements(all(), container, max);
}

function sniff(head: Buffer, complete: boolean): Container {
  let i = 0;
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) i = 3;
  while (i < head.length && (head[i] === 0x20 || head[i] === 0x09 || head[i] === 0x0a || head[i] === 0x0d)) i++;
  if (head[i] === 0x5b) return "array";
  if (head[i] !== 0x7b) return "jsonl";
  const nl = head.indexOf(0x0a, i);
  if (nl === -1 && !complete) return "jsonl"; // a first line longer than the sniff: JSONL
  const line = head.subarray(i, nl === -1 ? head.length : nl).toString("utf8");
  try {
    JSON.parse(line);
    return "jsonl";
  } catch {
    return "sequence"; // `{` on its own line: pretty-printed objects
  }
}

async function* jsonl(chunks: AsyncIterable<Buffer>, max: number): AsyncGenerator<SourceItem> {
  const pending: RawLine[] = [];
  const splitter = new LineSplitter((l) => pending.push(l), max);
  let index = 0;
  const item = (l: RawLine): SourceItem => {
    if (l.oversized) return { index: index++, line: l.line, text: "", error: `the line is longer than ${max} bytes (--max-line-bytes)` };
    let b = l.bytes;
    if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) b = b.subarray(3);
    const text = b.toString("utf8");
    if (/^[ \t]*$/.test(text)) return { index: -1, line: l.line, text, blank: true };
    const at = index++;
    try {
      return { index: at, line: l.line, text, value: JSON.parse(text) };
    } catch (e) {
      return { index: at, line: l.line, text, error: `invalid JSON (${(e as Error).message})` };
    }
  };
  for await (const c of chunks) {
    splitter.push(c);
    while (pending.length) yield item(pending.shift()!);
  }
  splitter.end();
  while (pending.length) yield item(pending.shift()!);
}

/**
 * Top-level elements of a JSON array (or of a sequence of values). States: before the array, between elements
 * (expecting a value, a comma or the closing bracket), inside an element (depth, in-string, escape).
 */
async function* elements(chunks: AsyncIterable<Buffer>, container: "array" | "sequence", max: number): AsyncGenerator<SourceItem> {
  let line = 1;
  let started = container === "sequence"; // seen the opening '['
  let closed = false;
  let depth = 0;
  let inString = false;
  let escape = false;
  let inElement = false;
  let scalar = false; // a top-level number/literal/string element
  let parts: Buffer[] = [];
  let partLength = 0;
  let oversized = false;
  let elementLine = 0;
  let index = 0;
  let bom = true;
  let trailing: string | null = null; // garbage after the closing bracket
  const out: SourceItem[] = [];

  const finish = (chunk: Buffer, from: number, to: number) => {
    take(chunk, from, to);
    const buf = parts.length === 1 ? parts[0]! : Buffer.concat(parts, partLength);
    parts = [];
    partLength = 0;
    inElement = false;
    if (oversized) {
      oversized = false;
      out.push({ index: index++, line: elementLine, text: "", error: `the element is longer than ${max} bytes (--max-line-bytes)` });
      return;
    }
    const text = buf.toString("utf8");
    const at = index++;
    try {
      out.push({ index: at, line: elementLine, text, value: JSON.parse(text) });
    } catch (e) {
      out.push({ index: at, line: elementLine, text, error: `invalid JSON (${(e as Error).message})` });
    }
  };
  const take = (chunk: Buffer, from: number, to: number) => {
    if (to <= from || oversized) return;
    if (partLength + (to - from) > max) {
      oversized = true;
      parts = [];
      return;
    }
    parts.push(Buffer.from(chunk.subarray(from, to)));
    partLength += to - from;
  };

  for await (const chunk of chunks) {
    let i = 0;
    if (bom) {
      bom = false;
      if (chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) i = 3;
    }
    // Lines are counted lazily (native indexOf) up to where an element starts, and at the end of the chunk.
    let counted = i;
    const countTo = (to: number) => {
      let k = chunk.indexOf(0x0a, counted);
      while (k !== -1 && k < to) {
        line++;
        k = chunk.indexOf(0x0a, k + 1);
      }
      counted = to;
    };
    let start = inElement ? 0 : -1;
    const n = chunk.length;
    while (i < n) {
      if (inElement) {
        if (inString) {
          // Jump to the next quote; it closes the string unless an odd run of backslashes precedes it.
          if (escape) {
            escape = false;
            i++;
            continue;
          }
          const q = chunk.indexOf(0x22, i);
          if (q === -1) {
            // The string goes on in the next chunk: note a trailing backslash run.
            let bs = 0;
            for (let k = n - 1; k >= i && chunk[k] === 0x5c; k--) bs++;
            escape = bs % 2 === 1;
            i = n;
            break;
          }
          let bs = 0;
          for (let k = q - 1; k >= i && chunk[k] === 0x5c; k--) bs++;
          if (bs % 2 === 1) {
            i = q + 1;
            continue;
          }
          inString = false;
          i = q + 1;
          if (scalar && depth === 0) {
            finish(chunk, start, i);
            start = -1;
          }
          continue;
        }
        const c = chunk[i]!;
        if (scalar) {
          // numbers and literals end at a delimiter
          if (c === 0x2c || c === 0x5d || c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0x7b || c === 0x5b) {
            finish(chunk, start, i);
            start = -1;
            continue; // re-read the delimiter outside the element
          }
          i++;
          continue;
        }
        if (c === 0x22) inString = true;
        else if (c === 0x7b || c === 0x5b) depth++;
        else if (c === 0x7d || c === 0x5d) {
          depth--;
          if (depth === 0) {
            finish(chunk, start, i + 1);
            start = -1;
          }
        }
        i++;
        continue;
      }
      const c = chunk[i]!;
      // Between elements.
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) {
        i++;
        continue;
      }
      countTo(i);
      if (closed) {
        trailing ??= `unexpected ${JSON.stringify(String.fromCharCode(c))} after the end of the array (line ${line})`;
        i++;
        continue;
      }
      if (!started) {
        if (c === 0x5b) started = true;
        i++;
        continue;
      }
      if (container === "array" && c === 0x2c) {
        i++;
        continue;
      }
      if (container === "array" && c === 0x5d) {
        closed = true;
        i++;
        continue;
      }
      inElement = true;
      elementLine = line;
      start = i;
      depth = 0;
      scalar = false;
      if (c === 0x7b || c === 0x5b) depth = 1;
      else if (c === 0x22) {
        inString = true;
        scalar = true;
      } else scalar = true;
      i++;
    }
    countTo(n);
    if (inElement && start !== -1) take(chunk, start, n);
    while (out.length) yield out.shift()!;
  }
  if (inElement) {
    if (scalar && !inString) {
      const buf = Buffer.concat(parts, partLength);
      parts = [];
      const text = buf.toString("utf8");
      const at = index++;
      let item: SourceItem;
      try {
        item = { index: at, line: elementLine, text, value: JSON.parse(text) };
      } catch (e) {
        item = { index: at, line: elementLine, text, error: `invalid JSON (${(e as Error).message})` };
      }
      yield item;
    } else {
      yield {
        index: index++,
        line: elementLine,
        text: Buffer.concat(parts, partLength).toString("utf8").slice(0, 200),
        error: "the file ends inside this element (truncated JSON)",
      };
    }
  }
  if (container === "array" && started && !closed) {
    yield { index: -1, line, text: "", error: "the JSON array is not closed: the file ends before its ']' (truncated?)" };
  }
  if (trailing) yield { index: -1, line, text: "", error: trailing };
}
