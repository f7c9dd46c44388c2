/**
 * Moving bytes: hashing a file, a stream that verifies it is sending exactly the linted bytes, and the storage errors.
 */
import { createHash, type Hash } from "node:crypto";
import { createReadStream } from "node:fs";
import { createGunzip } from "node:zlib";
import { Transform, type TransformCallback } from "node:stream";
import { FileChangedError, TogetherApiError, UploadAbortedError, redactText, redactUrl } from "./errors.js";
import type { HttpResponse } from "./http.js";

export async function hashFile(
  path: string,
  opts: { signal?: AbortSignal; start?: number; end?: number; decompress?: "gzip" } = {},
): Promise<{ bytes: number; sha256: string }> {
  const h = createHash("sha256");
  let bytes = 0;
  const raw = createReadStream(path, { start: opts.start, end: opts.end, signal: opts.signal });
  const stream = opts.decompress === "gzip" ? raw.pipe(createGunzip()) : raw;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      h.update(chunk);
      bytes += chunk.length;
    }
  } catch (err) {
    if (opts.signal?.aborted) throw new UploadAbortedError();
    throw err;
  }
  return { bytes, sha256: h.digest("hex") };
}

/**
 * Passes bytes through while hashing them, and holds back the last chunk until the end of the input proves that
 * the whole stream has exactly `expected.bytes` bytes with SHA-256 `expected.sha256`. On a mismatch it errors
 * instead of sending that last chunk, so the receiver never gets the full declared Content-Length and the upload
 * cannot complete with different bytes.
 *
 * With only `bytes` given (multipart parts), it checks the length and reports the part's digest via `digest()`.
 */
export class VerifyingStream extends Transform {
  private hash: Hash = createHash("sha256");
  private pending: Buffer | null = null;
  private seen = 0;
  private result: string | null = null;

  constructor(
    private path: string,
    private expected: { bytes: number; sha256?: string },
    private linted: { bytes: number; sha256: string } = { bytes: expected.bytes, sha256: expected.sha256 ?? "" },
  ) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.seen += chunk.length;
    if (this.seen > this.expected.bytes) {
      cb(new FileChangedError(this.path, this.linted, { bytes: Math.max(this.seen, this.linted.bytes + 1) }));
      return;
    }
    this.hash.update(chunk);
    const prev = this.pending;
    this.pending = chunk;
    cb(null, prev ?? undefined);
  }

  override _flush(cb: TransformCallback): void {
    const digest = this.hash.digest("hex");
    this.result = digest;
    if (this.seen !== this.expected.bytes || (this.expected.sha256 !== undefined && digest !== this.expected.sha256)) {
      cb(
        new FileChangedError(this.path, this.linted, { bytes: this.seen, sha256: this.expected.sha256 !== undefined ? digest : undefined }),
      );
      return;
    }
    cb(null, this.pending ?? undefined);
  }

  /** Digest of what passed (after the end). */
  digest(): string | null {
    return this.result;
  }
}

/** A short, safe summary of a storage error body: S3's <Code>/<Message>, never its CanonicalRequest/StringToSign. */
export function storageErrorSummary(body: string): string {
  const code = /<Code>([^<]{1,100})<\/Code>/.exec(body)?.[1];
  const msg = /<Message>([^<]{1,300})<\/Message>/.exec(body)?.[1];
  let text = code || msg ? [code, msg].filter(Boolean).join(": ") : body.trimStart().startsWith("<") ? "" : body;
  text = text.replace(/\s+/g, " ").slice(0, 300);
  text = text.replace(/(X-Amz-[A-Za-z-]+|Signature|AWSAccessKeyId|Policy|sig|token)=[^&\s"'<>]*/gi, "$1=<redacted>");
  return redactText(text);
}

/** Classify a non-2xx answer of the storage URL (S3 sends XML; 5xx and 408/429 are retried). */
export function putFailure(res: HttpResponse, url: string, step: string): TogetherApiError {
  const err = TogetherApiError.from(res.status, undefined, res.headers, step);
  const summary = storageErrorSummary(res.body.toString("utf8"));
  err.message = `Upload to ${redactUrl(url)} failed (HTTP ${res.status})${summary ? `: ${summary}` : ""}`;
  if (res.status >= 300 && res.status < 400) err.message += " (a redirect of the presigned upload: tunelint follows none)";
  if (res.status === 403) err.message += " (the presigned URL may have expired)";
  return err;
}
