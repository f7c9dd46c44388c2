/** Byte sources for fix and convert: any async iterable of chunks (a file stream, stdin, an HTTP body), plain or gzip. */
import { createGunzip } from "node:zlib";
import { pipeline, Readable } from "node:stream";
import { READ_CHUNK_BYTES } from "../io/reader.js";

export type ByteSource = AsyncIterable<Buffer | Uint8Array | string> | NodeJS.ReadableStream;

function toBuffer(piece: Buffer | Uint8Array | string): Buffer {
  return typeof piece === "string" ? Buffer.from(piece) : Buffer.isBuffer(piece) ? piece : Buffer.from(piece);
}

/** The decoded bytes of a source: gzip (magic 1f 8b) is decompressed on the fly, with backpressure. */
export async function* decodedChunks(source: ByteSource, signal?: AbortSignal): AsyncGenerator<Buffer> {
  const it = (source as AsyncIterable<Buffer | Uint8Array | string>)[Symbol.asyncIterator]();
  const first = await it.next();
  if (first.done) return;
  const head = toBuffer(first.value);
  const rest = (async function* () {
    yield head;
    for (;;) {
      signal?.throwIfAborted();
      const r = await it.next();
      if (r.done) return;
      yield toBuffer(r.value);
    }
  })();
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) {
    const gunzip = createGunzip({ chunkSize: READ_CHUNK_BYTES });
    // pipeline destroys gunzip with the source's error, so the loop below throws it instead of hanging.
    pipeline(Readable.from(rest), gunzip, () => {});
    for await (const d of gunzip) yield d as Buffer;
    return;
  }
  yield* rest;
}
