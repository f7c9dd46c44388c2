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
  // An abort interrupts a read that is waiting (stdin with no data yet): the stream is destroyed with the reason.
  const destroyable = source as { destroy?: (e?: Error) => void };
  const onAbort = () => destroyable.destroy?.(Object.assign(new Error("aborted"), { name: "AbortError" }));
  signal?.addEventListener("abort", onAbort, { once: true });
  try {
    yield* afterHead(it, signal);
  } finally {
    signal?.removeEventListener("abort", onAbort);
  }
}

async function* afterHead(it: AsyncIterator<Buffer | Uint8Array | string>, signal?: AbortSignal): AsyncGenerator<Buffer> {
  const first = await it.next();
  if (first.done) return;
  const head = toBuffer(first.value);
  const rest = (async function* () {
    try {
      yield head;
      for (;;) {
        signal?.throwIfAborted();
        const r = await it.next();
        if (r.done) return;
        yield toBuffer(r.value);
      }
    } finally {
      // Stopped early (an error, an abort, a consumer that broke off): release the source (a stream is destroyed).
      await it.return?.();
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
