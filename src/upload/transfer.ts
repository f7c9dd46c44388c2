/**
 * Moving bytes: hashing a file, a stream that verifies it is sending exactly the linted bytes, and the presigned PUT.
 */
import { createHash, type Hash } from "node:crypto";
import { createReadStream } from "node:fs";
import http from "node:http";
import https from "node:https";
import { Transform, type Readable, type TransformCallback } from "node:stream";
import { FileChangedError, TogetherApiError, UploadAbortedError, networkError, redactText, redactUrl } from "./errors.js";

export async function hashFile(
  path: string,
  opts: { signal?: AbortSignal; start?: number; end?: number } = {},
): Promise<{ bytes: number; sha256: string }> {
  const h = createHash("sha256");
  let bytes = 0;
  const stream = createReadStream(path, { start: opts.start, end: opts.end, signal: opts.signal });
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

export interface PutResult {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/**
 * PUT a stream to a presigned URL with an exact Content-Length and no Authorization header.
 * Resolves on any HTTP answer; rejects with a classified network error (retryable) when the connection drops or
 * stays idle for `idleTimeoutMs`, with UploadAbortedError on abort, and with the source's own error (e.g.
 * FileChangedError) when the source fails.
 */
export function putStream(
  url: string,
  source: Readable,
  length: number,
  opts: {
    headers?: Record<string, string>;
    signal?: AbortSignal;
    idleTimeoutMs: number;
    onBytes?: (sent: number) => void;
    step?: string;
  },
): Promise<PutResult> {
  return new Promise<PutResult>((resolve, reject) => {
    let settled = false;
    let sourceError: Error | null = null;
    const u = new URL(url);
    const mod = u.protocol === "https:" ? https : http;
    const finish = (err: Error | null, value?: PutResult) => {
      if (settled) return;
      settled = true;
      opts.signal?.removeEventListener("abort", onAbort);
      source.unpipe();
      if (err) {
        source.destroy();
        req.destroy();
        reject(err);
      } else {
        // An early answer (e.g. a 5xx before the body was sent) leaves the file open and the request half-sent.
        if (!source.readableEnded) source.destroy();
        if (!req.writableFinished) req.destroy();
        resolve(value!);
      }
    };
    const onAbort = () => finish(new UploadAbortedError());

    const req = mod.request(u, {
      method: "PUT",
      headers: {
        "Content-Type": "application/octet-stream",
        ...(opts.headers ?? {}),
        "Content-Length": String(length),
      },
    });
    req.setTimeout(opts.idleTimeoutMs, () => {
      finish(
        networkError(
          Object.assign(new Error(`no progress for ${opts.idleTimeoutMs} ms`), { name: "TimeoutError" }),
          opts.step,
          `the upload URL ${redactUrl(url)}`,
        ),
      );
    });
    req.on("error", (err) => {
      if (sourceError) return finish(sourceError);
      finish(networkError(err, opts.step, `the upload URL ${redactUrl(url)}`));
    });
    req.on("response", (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on("data", (c: Buffer) => {
        if (size < 65536) chunks.push(c);
        size += c.length;
      });
      res.on("end", () => {
        if (sourceError) return finish(sourceError);
        finish(null, { status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") });
      });
      res.on("error", (err) => finish(networkError(err, opts.step, `the upload URL ${redactUrl(url)}`)));
    });

    let sent = 0;
    source.on("data", (c: Buffer) => {
      sent += c.length;
      opts.onBytes?.(sent);
    });
    source.on("error", (err) => {
      sourceError = err;
      finish(err);
    });
    if (opts.signal) {
      if (opts.signal.aborted) return onAbort();
      opts.signal.addEventListener("abort", onAbort, { once: true });
    }
    source.pipe(req);
  });
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
export function putFailure(res: PutResult, url: string, step: string): TogetherApiError {
  const headers = res.headers as Record<string, string | string[] | undefined>;
  const err = TogetherApiError.from(res.status, undefined, headers, step);
  const summary = storageErrorSummary(res.body);
  err.message = `Upload to ${redactUrl(url)} failed (HTTP ${res.status})${summary ? `: ${summary}` : ""}`;
  if (res.status === 403) err.message += " (the presigned URL may have expired)";
  return err;
}
