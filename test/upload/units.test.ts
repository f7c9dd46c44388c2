import { describe, expect, it } from "vitest";
import { nearestModelIds, redactText, redactUrl, resolveBaseUrl, TogetherApiError } from "../../src/upload/index.js";
import { backoffDelay, defaultRetryPolicy } from "../../src/upload/retry.js";
import { createProgressRenderer } from "../../src/upload/progress.js";
import { storageErrorSummary } from "../../src/upload/transfer.js";
import { DEFAULT_MODELS, STUB_SIGNATURE } from "../helpers/together-stub.js";

describe("redaction", () => {
  it("drops presigned query strings, once", () => {
    const u = `https://bucket.s3.amazonaws.com/f/file-1?X-Amz-Signature=${STUB_SIGNATURE}&X-Amz-Credential=AKIA`;
    expect(redactUrl(u)).toBe("https://bucket.s3.amazonaws.com/f/file-1?<redacted>");
    expect(redactText(`PUT ${u} failed`)).toBe("PUT https://bucket.s3.amazonaws.com/f/file-1?<redacted> failed");
    expect(redactText(redactText(`PUT ${u} failed`))).toBe("PUT https://bucket.s3.amazonaws.com/f/file-1?<redacted> failed");
    expect(redactUrl("https://user:pw@host/x")).toBe("https://host/x");
  });

  it("keeps S3's CanonicalRequest / StringToSign (which carry the signature) out of error text", () => {
    const xml = `<Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match</Message><CanonicalRequest>PUT /f X-Amz-Signature=${STUB_SIGNATURE}</CanonicalRequest></Error>`;
    const s = storageErrorSummary(xml);
    expect(s).toBe("SignatureDoesNotMatch: The request signature we calculated does not match");
    expect(storageErrorSummary(`oops X-Amz-Signature=${STUB_SIGNATURE}`)).not.toContain(STUB_SIGNATURE);
  });
});

describe("nearestModelIds", () => {
  it("ranks the closest ids first", () => {
    expect(nearestModelIds("meta-llama/Llama-3.1-8B-Instruct", DEFAULT_MODELS)[0]).toBe("meta-llama/Meta-Llama-3.1-8B-Instruct-Reference");
    expect(nearestModelIds("qwen/qwen2.5-7b-instruct", DEFAULT_MODELS)[0]).toBe("Qwen/Qwen2.5-7B-Instruct");
    expect(nearestModelIds("totally-unrelated", DEFAULT_MODELS)).toEqual([]);
  });
});

describe("progress renderer", () => {
  it("draws bytes, rate and ETA on a TTY, nothing on a pipe", () => {
    let t = 0;
    const tty = {
      text: "",
      isTTY: true,
      columns: 200,
      write(s: string) {
        this.text += s;
      },
    };
    const r = createProgressRenderer(tty, () => t);
    r.onProgress({ path: "train.jsonl", phase: "upload", bytesSent: 0, totalBytes: 4 * 1024 ** 2 });
    t = 1000;
    r.onProgress({ path: "train.jsonl", phase: "upload", bytesSent: 1024 ** 2, totalBytes: 4 * 1024 ** 2 });
    expect(tty.text).toContain("1.0 MiB / 4.0 MiB  25%  1.0 MiB/s  ETA 3s");
    const pipe = {
      text: "",
      isTTY: false,
      write(s: string) {
        this.text += s;
      },
    };
    const p = createProgressRenderer(pipe);
    p.onProgress({ path: "a", phase: "upload", bytesSent: 1, totalBytes: 2 });
    p.status("a", "x");
    expect(pipe.text).toBe("");
  });
});

describe("resolveBaseUrl", () => {
  it("flag > env > default; adds /v1 to a bare origin; rejects non-URLs", () => {
    expect(resolveBaseUrl({ env: {} })).toBe("https://api.together.xyz/v1");
    expect(resolveBaseUrl({ env: { TOGETHER_BASE_URL: "http://127.0.0.1:8080/v1/" } })).toBe("http://127.0.0.1:8080/v1");
    expect(resolveBaseUrl({ baseUrl: "http://127.0.0.1:9000", env: { TOGETHER_BASE_URL: "http://x/v1" } })).toBe(
      "http://127.0.0.1:9000/v1",
    );
    expect(() => resolveBaseUrl({ baseUrl: "not a url", env: {} })).toThrow(/Invalid Together base URL/);
  });
});

describe("backoff", () => {
  const policy = { ...defaultRetryPolicy, random: () => 0.5 };
  it("grows exponentially with jitter, capped", () => {
    const e = TogetherApiError.from(503, "", {});
    const d = [1, 2, 3, 4, 10].map((n) => backoffDelay(policy, n, e));
    expect(d.slice(0, 4)).toEqual([375, 750, 1500, 3000]);
    expect(d[4]).toBe(22500);
  });
  it("honours Retry-After beyond the backoff cap (up to maxRetryAfterMs), with jitter", () => {
    const e = TogetherApiError.from(429, "", { "retry-after": "60" });
    expect(backoffDelay(policy, 1, e)).toBe(63000);
  });
});
