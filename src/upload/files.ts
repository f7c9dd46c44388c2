/**
 * uploadFile (single PUT up to 5 GiB, multipart above) and waitForProcessing.
 */
import { stat } from "node:fs/promises";
import { createReadStream } from "node:fs";
import { createHash } from "node:crypto";
import { basename } from "node:path";
import { pipeline } from "node:stream";
import { createGunzip } from "node:zlib";
import { getClient, type TogetherClient } from "./client.js";
import { FileChangedError, TogetherApiError, UploadAbortedError, redactText } from "./errors.js";
import { hashFile, putFailure, VerifyingStream } from "./transfer.js";
import {
  MULTIPART_CONCURRENCY,
  MULTIPART_PART_SIZE,
  MULTIPART_THRESHOLD,
  type ExpectedContent,
  type TogetherFile,
  type UploadFileOptions,
  type UploadedFile,
  type WaitForProcessingOptions,
} from "./types.js";

export function fileTypeOf(path: string): string {
  const name = basename(path).toLowerCase();
  if (name.endsWith(".parquet")) return "parquet";
  if (name.endsWith(".csv")) return "csv";
  return "jsonl";
}

function verifiedSource(
  path: string,
  expected: { bytes: number; sha256?: string },
  linted: ExpectedContent,
  range?: { start: number; end: number },
  decompress?: "gzip",
) {
  const rs = createReadStream(path, range ? { start: range.start, end: range.end } : {});
  const verify = new VerifyingStream(path, expected, linted);
  if (decompress === "gzip") pipeline(rs, createGunzip(), verify, () => undefined);
  else pipeline(rs, verify, () => undefined);
  return verify;
}

/**
 * Upload one file to Together and return its id. Hashes the bytes while sending them and refuses (FileChangedError,
 * nothing completed on Together's side) when they are not the `expected` ones.
 */
export async function uploadFile(path: string, options: UploadFileOptions = {}): Promise<UploadedFile> {
  const client = getClient(options);
  const signal = client.signal;
  const gzip = options.decompress === "gzip";
  if (/\.(gz|zst|bz2|xz|zip)$/i.test(path) && !options.fileType && !gzip) {
    throw Object.assign(
      new Error(
        `${path}: Together does not accept compressed files; upload the decompressed .jsonl (or pass decompress: "gzip" for a .jsonl.gz)`,
      ),
      { code: "unsupported_file" },
    );
  }
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch (err) {
    throw Object.assign(new Error(`Cannot read ${path}: ${(err as Error).message}`), { code: "file_unreadable", cause: err });
  }
  const expected = options.expected ?? (await hashFile(path, { signal, decompress: options.decompress }));
  // A .jsonl.gz: the decompressed stream is verified as it is sent (its size is known only from the lint).
  if (gzip) size = expected.bytes;
  else if (size !== expected.bytes) throw new FileChangedError(path, expected, { bytes: size });
  if (signal?.aborted) throw new UploadAbortedError();

  const fileName = options.fileName ?? (gzip ? basename(path).replace(/\.gz$/i, "") : basename(path));
  const fileType = options.fileType ?? fileTypeOf(fileName);
  const purpose = options.purpose ?? "fine-tune";
  const threshold = options.multipartThreshold ?? MULTIPART_THRESHOLD;
  if (size > threshold) {
    if (gzip) {
      throw Object.assign(
        new Error(
          `${path}: decompressed it is ${size} bytes, above the ${threshold}-byte single upload; decompress it and upload the .jsonl`,
        ),
        { code: "unsupported_file" },
      );
    }
    const id = await uploadMultipart(client, path, size, expected, { ...options, fileName, fileType, purpose });
    return { id, fileName, bytes: size, sha256: expected.sha256, method: "multipart" };
  }

  const slot = await client.retry("create-file", () => client.createFileSlot({ purpose, file_name: fileName, file_type: fileType }));
  const report = (sent: number) => options.onProgress?.({ path, phase: "upload", bytesSent: sent, totalBytes: size });
  await client.retry("upload", async () => {
    report(0);
    const source = verifiedSource(path, expected, expected, undefined, options.decompress);
    const res = await client.put(slot.uploadUrl, source, size, { onBytes: report, step: "upload" });
    if (res.status < 200 || res.status >= 300) throw putFailure(res, slot.uploadUrl, "upload");
  });
  return { id: slot.fileId, fileName, bytes: size, sha256: expected.sha256, method: "single" };
}

interface InitiateResponse {
  upload_id: string;
  file_id: string;
  parts: Array<{
    PartNumber?: number;
    part_number?: number;
    URL?: string;
    url?: string;
    Headers?: Record<string, string>;
    headers?: Record<string, string>;
  }>;
}

async function uploadMultipart(
  client: TogetherClient,
  path: string,
  size: number,
  expected: ExpectedContent,
  options: UploadFileOptions & { fileName: string; fileType: string; purpose: string },
): Promise<string> {
  const partSize = Math.max(1, options.partSize ?? MULTIPART_PART_SIZE);
  const numParts = Math.ceil(size / partSize);
  const concurrency = Math.min(MULTIPART_CONCURRENCY, Math.max(1, options.concurrency ?? MULTIPART_CONCURRENCY));
  const init = await client.call<InitiateResponse | null>("multipart-initiate", "POST", "/files/multipart/initiate", {
    json: { file_name: options.fileName, file_size: size, num_parts: numParts, purpose: options.purpose, file_type: options.fileType },
  });
  if (!init?.upload_id || !init.file_id || !Array.isArray(init.parts) || init.parts.length !== numParts) {
    throw new TogetherApiError({
      code: "unexpected_response",
      category: "server",
      retryable: false,
      step: "multipart-initiate",
      message: `Together's multipart initiate answer is not usable (expected ${numParts} part URLs)`,
    });
  }
  const { upload_id, file_id } = init;
  const abortUpload = async () => {
    try {
      await client.call("multipart-abort", "POST", "/files/multipart/abort", { json: { upload_id, file_id } }, { retry: false });
    } catch {
      /* best effort */
    }
  };

  try {
    const sentPerPart = new Array<number>(numParts).fill(0);
    const report = () =>
      options.onProgress?.({ path, phase: "upload", bytesSent: sentPerPart.reduce((a, b) => a + b, 0), totalBytes: size });
    const partDigests = new Array<string>(numParts);
    const etags = new Array<string>(numParts);

    // A sequential pass hashes the whole file and each part range while the parts go up in parallel. The upload
    // equals the linted bytes when every uploaded part's digest equals this pass's digest of the same range and
    // this pass's whole-file digest equals the lint's.
    const verifyPass = (async () => {
      const whole = createHash("sha256");
      const parts: string[] = [];
      let part = createHash("sha256");
      let inPart = 0;
      let total = 0;
      for await (const chunk of createReadStream(path, { signal: client.signal }) as AsyncIterable<Buffer>) {
        whole.update(chunk);
        total += chunk.length;
        let off = 0;
        while (off < chunk.length) {
          const take = Math.min(partSize - inPart, chunk.length - off);
          part.update(chunk.subarray(off, off + take));
          inPart += take;
          off += take;
          if (inPart === partSize) {
            parts.push(part.digest("hex"));
            part = createHash("sha256");
            inPart = 0;
          }
        }
      }
      if (inPart > 0) parts.push(part.digest("hex"));
      return { total, sha256: whole.digest("hex"), parts };
    })();
    verifyPass.catch(() => undefined);

    let next = 0;
    const worker = async () => {
      while (next < numParts) {
        const i = next++;
        const p = init.parts[i]!;
        const url = p.URL ?? p.url ?? "";
        const partNumber = p.PartNumber ?? p.part_number ?? i + 1;
        const start = i * partSize;
        const end = Math.min(size, start + partSize) - 1;
        const len = end - start + 1;
        await client.retry(`upload-part-${partNumber}`, async () => {
          sentPerPart[i] = 0;
          const src = verifiedSource(path, { bytes: len }, expected, { start, end });
          const res = await client.put(url, src, len, {
            headers: p.Headers ?? p.headers,
            onBytes: (n) => {
              sentPerPart[i] = n;
              report();
            },
            step: `upload-part-${partNumber}`,
          });
          if (res.status < 200 || res.status >= 300) throw putFailure(res, url, `upload-part-${partNumber}`);
          const etag = res.headers.etag;
          if (!etag) {
            throw new TogetherApiError({
              code: "unexpected_response",
              category: "server",
              retryable: true,
              step: `upload-part-${partNumber}`,
              message: `Part ${partNumber} was accepted without an ETag`,
            });
          }
          etags[i] = Array.isArray(etag) ? etag[0]! : etag;
          partDigests[i] = src.digest() ?? "";
        });
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, numParts) }, worker));

    const pass = await verifyPass;
    if (pass.total !== expected.bytes || pass.sha256 !== expected.sha256 || pass.parts.some((d, i) => d !== partDigests[i])) {
      throw new FileChangedError(path, expected, { bytes: pass.total, sha256: pass.sha256 });
    }
    await client.call("multipart-complete", "POST", "/files/multipart/complete", {
      json: {
        upload_id,
        file_id,
        parts: etags.map((etag, i) => ({ part_number: init.parts[i]!.PartNumber ?? init.parts[i]!.part_number ?? i + 1, etag })),
      },
    });
    return file_id;
  } catch (err) {
    await abortUpload();
    throw err;
  }
}

/** One-line summary of Together's validation_report (the whole report stays available on the error). */
export function describeValidationReport(report: unknown): string {
  if (report == null) return "";
  if (typeof report === "string") return redactText(report).slice(0, 2000);
  if (typeof report === "object") {
    const r = report as Record<string, unknown>;
    const parts: string[] = [];
    for (const key of ["message", "error", "detail", "reason"]) {
      if (typeof r[key] === "string") parts.push(r[key] as string);
    }
    for (const key of ["errors", "issues", "messages"]) {
      const list = r[key];
      if (Array.isArray(list)) {
        for (const item of list.slice(0, 10)) {
          if (typeof item === "string") parts.push(item);
          else if (item && typeof item === "object") {
            const it = item as Record<string, unknown>;
            const where = it.line ?? it.line_number ?? it.row;
            const msg = it.message ?? it.error ?? it.detail ?? JSON.stringify(it);
            parts.push(where !== undefined ? `line ${String(where)}: ${String(msg)}` : String(msg));
          }
        }
      }
    }
    const text = parts.length ? parts.join("; ") : JSON.stringify(report);
    return redactText(text).slice(0, 2000);
  }
  return String(report);
}

const DONE = new Set(["COMPLETED"]);
const FAILED = new Set(["FAILED", "INVALID_FORMAT", "ERROR"]);

/** Poll GET /v1/files/{id} until processing_status is COMPLETED; FAILED / INVALID_FORMAT throw with the report. */
export async function waitForProcessing(fileId: string, options: WaitForProcessingOptions = {}): Promise<TogetherFile> {
  const client = getClient(options);
  const start = Date.now();
  let interval = options.pollIntervalMs ?? 500;
  const maxInterval = Math.max(interval, options.maxPollIntervalMs ?? 5_000);
  const timeout = options.processingTimeoutMs ?? 30 * 60_000;
  for (let polls = 0; ; polls++) {
    const answer = await client.call<unknown>("processing", "GET", `/files/${encodeURIComponent(fileId)}`);
    // Anything but a file object (an array, null, a string) is not an answer to "what is this file's status".
    if (!answer || typeof answer !== "object" || Array.isArray(answer)) {
      throw new TogetherApiError({
        code: "unexpected_response",
        category: "server",
        retryable: false,
        step: "processing",
        message: `Together answered GET /files/${fileId} with ${Array.isArray(answer) ? "an array" : answer === null ? "null" : `a ${typeof answer}`} instead of a file object; its processing status is unknown`,
        fileId,
      });
    }
    const file = answer as TogetherFile;
    options.onStatus?.(file);
    const status = typeof file?.processing_status === "string" ? file.processing_status.toUpperCase() : undefined;
    // Files uploaded for purposes other than fine-tune skip validation and carry no status.
    if (status === undefined || DONE.has(status)) return file;
    if (FAILED.has(status)) {
      const summary = describeValidationReport(file.validation_report);
      throw new TogetherApiError({
        code: "processing_failed",
        category: "validation",
        retryable: false,
        step: "processing",
        message: `Together could not process file ${fileId} (${status})${summary ? `: ${summary}` : ""}`,
        validationReport: file.validation_report,
        fileId,
      });
    }
    if (Date.now() - start > timeout) {
      throw new TogetherApiError({
        code: "timeout",
        category: "server",
        retryable: false,
        step: "processing",
        message: `File ${fileId} is still ${status} after ${Math.round(timeout / 1000)} s; it was uploaded, check it later (GET /v1/files/${fileId})`,
      });
    }
    await client.policy.sleep(interval, client.signal);
    interval = Math.min(maxInterval, Math.round(interval * 1.5));
  }
}
