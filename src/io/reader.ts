/**
 * Streaming line reader: bytes in, physical lines out.
 *
 * - A line ends at LF (0x0A). A CR directly before the LF is stripped; a lone CR is not a line end.
 * - Line numbers are exact, 1-based physical line numbers; blank lines count.
 * - Only the current line is held in memory: a partial line is a list of chunk slices joined once.
 * - A line longer than `maxLineBytes` is not held at all: it is reported as oversized and skipped.
 * - gzip input (magic bytes 1f 8b) is decompressed transparently; `bytes` and `sha256` are always
 *   those of the raw input (what an upload would send).
 *
 * Measured (see ../shared/reference/performance.md): a splitter on 0x0A over 1 MiB chunks with a per-line
 * strict decode is about 1.5x faster than readline and gives exact line numbers (readline splits on a lone CR).
 */
import { createHash, type Hash } from "node:crypto";
import { createReadStream, readFileSync } from "node:fs";

export interface RawLine {
  /** 1-based physical line number. */
  line: number;
  /** Byte offset of the first byte of the line in the (decompressed) stream. */
  offset: number;
  /** The line's bytes without LF and without a CR directly before it. Empty when oversized. */
  bytes: Buffer;
  /** Byte length of the line (without LF/CR); for oversized lines the full length seen. */
  length: number;
  /** true when the line was longer than maxLineBytes and its bytes were dropped. */
  oversized: boolean;
  /** true when a CR before the LF was stripped (CR LF line end). */
  crlf?: boolean;
  /** Oversized lines only: their first bytes (at most HEAD_BYTES), enough to tell what the line starts with. */
  head?: Buffer;
}

/** Bytes kept of an oversized line. */
export const HEAD_BYTES = 256;

export interface ReadSummary {
  /** Raw bytes read from the source (compressed size for gzip). */
  bytes: number;
  /** SHA-256 hex of the raw bytes. */
  sha256: string;
  /** Physical lines delivered. */
  lines: number;
  /** Decompressed byte count (equals `bytes` for plain input). */
  decodedBytes: number;
  gzip: boolean;
  /** gzip input with hashing on: SHA-256 of the decompressed bytes (what `upload` sends for a .jsonl.gz). */
  decodedSha256?: string;
}

export const DEFAULT_MAX_LINE_BYTES = 64 * 1024 * 1024;
/**
 * Read size. A chunk stays alive while its lines are judged; a large one outlives minor collections, is promoted,
 * and its buffer is freed only by a full collection. 64 KiB chunks die young: peak RSS of a 251 MB structural check
 * on one thread 147 -> 86 MiB against 1 MiB chunks, CPU within the noise (5.24 vs 5.37 s, 4 alternating runs;
 * with exact counts, 50 MB on two threads 183 -> 151 MiB), Node 20.
 */
export const READ_CHUNK_BYTES = 64 * 1024;
/** A file this small is read in one call (see openFile). */
const WHOLE_FILE_BYTES = 1024 * 1024;

/**
 * Splits a byte stream into lines. Push chunks in order, then call `end()`.
 * The callback runs synchronously for each complete line.
 */
export class LineSplitter {
  private parts: Buffer[] = [];
  private partLength = 0;
  private oversized = false;
  private head: Buffer | undefined;
  private lineNo = 0;
  private lineStart = 0;
  private position = 0;

  constructor(
    private readonly onLine: (line: RawLine) => void,
    private readonly maxLineBytes: number = DEFAULT_MAX_LINE_BYTES,
  ) {}

  get lines(): number {
    return this.lineNo;
  }

  get bytesSeen(): number {
    return this.position;
  }

  push(chunk: Buffer): void {
    let start = 0;
    const n = chunk.length;
    while (start < n) {
      const nl = chunk.indexOf(0x0a, start);
      if (nl === -1) {
        this.accumulate(chunk, start, n);
        break;
      }
      if (this.partLength === 0 && !this.oversized) {
        // Fast path: the whole line is inside this chunk.
        this.emitSlice(chunk.subarray(start, nl), nl - start);
      } else {
        this.accumulate(chunk, start, nl);
        this.emitParts();
      }
      this.position += nl + 1 - start;
      this.lineStart = this.position;
      start = nl + 1;
    }
  }

  /** Flush a final line without a trailing newline. */
  end(): void {
    if (this.partLength > 0 || this.oversized) this.emitParts();
  }

  private accumulate(chunk: Buffer, from: number, to: number): void {
    const len = to - from;
    if (len === 0) return;
    if (to === chunk.length) this.position += len; // bytes up to a newline are counted by push()
    if (this.oversized) {
      this.partLength += len;
      return;
    }
    if (this.partLength + len > this.maxLineBytes + 1) {
      // +1: a CR that will be stripped may be the extra byte.
      this.oversized = true;
      const start = Buffer.concat([...this.parts, chunk.subarray(from, Math.min(to, from + HEAD_BYTES))]);
      this.head = Buffer.from(start.subarray(0, HEAD_BYTES));
      this.parts = [];
      this.partLength += len;
      return;
    }
    // Copy: the caller may reuse the chunk's memory (and slices would pin 1 MiB chunks).
    this.parts.push(Buffer.from(chunk.subarray(from, to)));
    this.partLength += len;
  }

  private emitParts(): void {
    if (this.oversized) {
      const line: RawLine = {
        line: ++this.lineNo,
        offset: this.lineStart,
        bytes: Buffer.alloc(0),
        length: this.partLength,
        oversized: true,
        head: this.head,
      };
      this.parts = [];
      this.partLength = 0;
      this.oversized = false;
      this.head = undefined;
      this.onLine(line);
      return;
    }
    const buf = this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts, this.partLength);
    this.parts = [];
    this.partLength = 0;
    this.emitSlice(buf, buf.length);
  }

  private emitSlice(buf: Buffer, len: number): void {
    let bytes = buf;
    let crlf = false;
    if (len > 0 && buf[len - 1] === 0x0d) {
      bytes = buf.subarray(0, len - 1);
      len -= 1;
      crlf = true;
    }
    if (len > this.maxLineBytes) {
      const head = Buffer.from(bytes.subarray(0, HEAD_BYTES));
      this.onLine({ line: ++this.lineNo, offset: this.lineStart, bytes: Buffer.alloc(0), length: len, oversized: true, head });
      return;
    }
    this.onLine({ line: ++this.lineNo, offset: this.lineStart, bytes, length: len, oversized: false, crlf });
  }
}

export interface ReadOptions {
  maxLineBytes?: number;
  signal?: AbortSignal;
  /** Compute the SHA-256 (default true; workers reading a range don't need it). */
  hash?: boolean;
  /** Called after each chunk with the raw (as stored, compressed for gzip) bytes read so far. */
  onChunk?: (rawBytesRead: number) => void;
}

function isGzipMagic(chunk: Buffer): boolean {
  return chunk.length >= 2 && chunk[0] === 0x1f && chunk[1] === 0x8b;
}

/**
 * Reads a stream of bytes line by line, calling `onLine` synchronously for each line.
 * Resolves with the raw byte count and SHA-256 of everything read.
 */
export async function readLines(
  source: AsyncIterable<Buffer | Uint8Array | string>,
  onLine: (line: RawLine) => void,
  options: ReadOptions = {},
): Promise<ReadSummary> {
  const hash: Hash | null = options.hash === false ? null : createHash("sha256");
  const splitter = new LineSplitter(onLine, options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES);
  let raw = 0;
  let gunzip: ReturnType<typeof import("node:zlib").createGunzip> | null = null;
  // A gzip failure (bad data, bad CRC, trailing garbage) is kept here and thrown from this function: the gunzip
  // stream's error must never be left unobserved (an unhandled 'error' event takes the whole process down).
  let gzipError: Error | null = null;
  let gzipEnded = false;
  let wake: (() => void) | null = null;
  let first = true;
  let decodedHash: Hash | null = null;

  const waitGzip = (ready: (resolve: () => void) => void) =>
    new Promise<void>((resolve) => {
      wake = resolve;
      ready(resolve);
    }).finally(() => (wake = null));

  for await (const piece of source) {
    options.signal?.throwIfAborted();
    const chunk = typeof piece === "string" ? Buffer.from(piece) : Buffer.isBuffer(piece) ? piece : Buffer.from(piece);
    raw += chunk.length;
    hash?.update(chunk);
    options.onChunk?.(raw);
    if (first) {
      first = false;
      if (isGzipMagic(chunk)) {
        // zlib loads only for a gzip file: a plain check's start-up does not pay for it.
        const { createGunzip } = await import("node:zlib");
        gunzip = createGunzip({ chunkSize: READ_CHUNK_BYTES });
        decodedHash = hash ? createHash("sha256") : null;
        gunzip.on("data", (d: Buffer) => {
          decodedHash?.update(d);
          splitter.push(d);
        });
        gunzip.on("end", () => {
          gzipEnded = true;
          wake?.();
        });
        gunzip.on("error", (e: Error) => {
          gzipError ??= e;
          wake?.();
        });
      }
    }
    if (gunzip) {
      if (gzipError) break;
      if (!gunzip.write(chunk)) {
        const gz = gunzip;
        await waitGzip((resolve) => gz.once("drain", resolve));
      }
      if (gzipError) break;
    } else {
      splitter.push(chunk);
    }
  }
  if (gunzip) {
    if (!gzipError) {
      gunzip.end();
      if (!gzipEnded) await waitGzip(() => {});
    }
    if (gzipError) {
      gunzip.destroy();
      throw gzipError;
    }
  }
  splitter.end();
  return {
    bytes: raw,
    sha256: hash ? hash.digest("hex") : "",
    lines: splitter.lines,
    decodedBytes: splitter.bytesSeen,
    gzip: gunzip !== null,
    ...(decodedHash ? { decodedSha256: decodedHash.digest("hex") } : {}),
  };
}

/**
 * Opens a file as a byte stream (READ_CHUNK_BYTES chunks), or, when its size is known to be at most 1 MiB, as one
 * chunk read in a single call (no stream: for the many small files a pre-commit hook passes, about a millisecond
 * each of stream set-up and I/O round trips saved). Either way the file is read while iterated, so a read failure
 * surfaces where the reader handles it.
 */
export function openFile(path: string, signal?: AbortSignal, size?: number): AsyncIterable<Buffer> {
  if (size !== undefined && size <= WHOLE_FILE_BYTES) {
    return {
      async *[Symbol.asyncIterator]() {
        signal?.throwIfAborted();
        yield readFileSync(path);
      },
    };
  }
  return createReadStream(path, { highWaterMark: READ_CHUNK_BYTES, signal });
}
