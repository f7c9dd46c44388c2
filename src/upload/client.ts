/**
 * The connection to Together: key and base URL resolution, the official SDK for the JSON endpoints, and raw HTTP for
 * the two steps the SDK cannot do the way tunelint needs (the 302 of POST /v1/files and the presigned PUT).
 *
 * Why the SDK, and where not (decided by reading together-ai 0.52 `src/lib/upload.ts`, `src/client.ts`):
 * - JSON endpoints (GET /files/{id}, GET /fine-tunes/models/limits, POST /fine-tunes, GET /models, multipart
 *   initiate/complete/abort) go through `together-ai`: typed resources, the key in one place, `signal` and `timeout`
 *   per request, its errors carry status + parsed body + headers which we feed to `classifyTogetherError`.
 *   Its own retry loop is switched off (`maxRetries: 0`): it does not retry a 500, ignores X-RateLimit-Remaining,
 *   and sleeps on a private timer that tests cannot shorten; `withRetry` does all of that instead.
 * - The upload itself is ours. `client.files.upload()` rejects when its check fails but does not return, so it keeps
 *   uploading the file anyway; on a bad extension it returns inside the Promise executor and never settles (hangs);
 *   it reads the base URL from TOGETHER_API_BASE_URL at import time (ignoring the client's baseURL); sends the full
 *   local path as `file_name`; re-reads the file from disk with no check that these are the linted bytes; has no
 *   retry of a failed PUT, no progress, no AbortSignal, and no multipart flow for files above 5 GiB.
 * The SDK is imported lazily, on the first API call, so `tunelint check` and `import { lintFile }` never load it.
 */
import type Together from "together-ai";
import { TogetherApiError, UploadAbortedError, networkError, redactUrl, registerSecret, type HeadersLike } from "./errors.js";
import { RateGate, resolvePolicy, withRetry, type RetryPolicy, type RetryEvent } from "./retry.js";

export const DEFAULT_BASE_URL = "https://api.together.xyz/v1";

/** Options shared by every call that talks to Together. */
export interface TogetherClientOptions {
  /** Default: the TOGETHER_API_KEY environment variable. */
  apiKey?: string;
  /** Default: TOGETHER_BASE_URL, else https://api.together.xyz/v1. */
  baseUrl?: string;
  /** Cancels everything (the CLI wires SIGINT to it). */
  signal?: AbortSignal;
  /** Retry/backoff settings (injectable delays for tests). */
  retry?: Partial<RetryPolicy>;
  /** Time-out of one API request, and the idle time-out of an upload (no byte accepted for that long). Default 60 s. */
  timeoutMs?: number;
  /** Called before each retry (for logs). */
  onRetry?: (event: RetryEvent) => void;
  /** Environment to read TOGETHER_API_KEY / TOGETHER_BASE_URL from. Default process.env. */
  env?: Record<string, string | undefined>;
  /** Reuse one client (one rate-limit gate) across calls; the other client options are then ignored. */
  client?: TogetherClient;
}

/** No API key: the CLI exits 2 before doing any work. */
export class MissingApiKeyError extends Error {
  override name = "MissingApiKeyError";
  code = "missing_api_key" as const;
  constructor() {
    super(
      "No Together API key: set TOGETHER_API_KEY (export TOGETHER_API_KEY=...; create one at https://api.together.ai/settings/api-keys).",
    );
  }
}

export function resolveApiKey(opts: TogetherClientOptions = {}): string {
  const env = opts.env ?? process.env;
  const key = (opts.apiKey ?? env.TOGETHER_API_KEY ?? "").trim();
  if (!key) throw new MissingApiKeyError();
  return key;
}

/**
 * --base-url, else TOGETHER_BASE_URL, else https://api.together.xyz/v1. A URL without a path (http://host:port)
 * gets "/v1", since every Together endpoint lives under it. Throws a TypeError for something that is not a URL.
 */
export function resolveBaseUrl(opts: TogetherClientOptions = {}): string {
  const env = opts.env ?? process.env;
  const raw = ((opts.baseUrl ?? env.TOGETHER_BASE_URL ?? "").trim() || DEFAULT_BASE_URL).replace(/\/+$/, "");
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new TypeError(`Invalid Together base URL "${redactUrl(raw)}" (expected something like ${DEFAULT_BASE_URL})`);
  }
  if (u.protocol !== "http:" && u.protocol !== "https:") {
    throw new TypeError(`Invalid Together base URL "${redactUrl(raw)}": use http:// or https://`);
  }
  return u.pathname === "/" || u.pathname === "" ? `${raw}/v1` : raw;
}

type SdkModule = typeof import("together-ai");
let sdkModule: Promise<SdkModule> | null = null;
const loadSdk = (): Promise<SdkModule> => (sdkModule ??= import("together-ai"));

type SdkRequestOptions = { signal?: AbortSignal; timeout?: number; maxRetries?: number };
type WithResponse<T> = { withResponse(): Promise<{ data: T; response: Response }> };

export class TogetherClient {
  readonly apiKey: string;
  readonly baseUrl: string;
  readonly policy: RetryPolicy;
  readonly gate: RateGate;
  readonly signal?: AbortSignal;
  readonly timeoutMs: number;
  readonly onRetry?: (e: RetryEvent) => void;
  private sdkClient: Together | null = null;
  private mod: SdkModule | null = null;

  constructor(opts: TogetherClientOptions = {}) {
    this.apiKey = resolveApiKey(opts);
    registerSecret(this.apiKey);
    this.baseUrl = resolveBaseUrl(opts);
    this.policy = resolvePolicy(opts.retry);
    this.gate = new RateGate(this.policy);
    this.signal = opts.signal;
    this.timeoutMs = opts.timeoutMs ?? 60_000;
    this.onRetry = opts.onRetry;
  }

  /** The official SDK client (loaded on first use), with its own retries off: `withRetry` does them. */
  async sdk(): Promise<Together> {
    if (!this.sdkClient) {
      this.mod = await loadSdk();
      this.sdkClient = new this.mod.Together({
        apiKey: this.apiKey,
        baseURL: this.baseUrl,
        maxRetries: 0,
        timeout: this.timeoutMs,
        logLevel: "off",
      });
    }
    return this.sdkClient;
  }

  /** One SDK call with our retry policy; `fn` receives the per-request options to pass on. */
  async sdkCall<T>(
    step: string,
    fn: (sdk: Together, req: SdkRequestOptions) => WithResponse<T>,
    extra: { beforeRetry?: (e: TogetherApiError) => Promise<T | undefined>; retry?: boolean } = {},
  ): Promise<T> {
    const once = async () => {
      try {
        const sdk = await this.sdk();
        const { data, response } = await fn(sdk, { signal: this.signal, timeout: this.timeoutMs, maxRetries: 0 }).withResponse();
        this.gate.observe(response.headers);
        return data;
      } catch (err) {
        throw this.mapSdkError(err, step);
      }
    };
    if (extra.retry === false) return once();
    return withRetry(step, once, {
      policy: this.policy,
      signal: this.signal,
      onRetry: this.onRetry,
      gate: this.gate,
      beforeRetry: extra.beforeRetry,
    });
  }

  /** Retry any operation that throws TogetherApiError, with this client's policy, signal and rate gate. */
  retry<T>(step: string, op: (attempt: number) => Promise<T>): Promise<T> {
    return withRetry(step, op, { policy: this.policy, signal: this.signal, onRetry: this.onRetry, gate: this.gate });
  }

  mapSdkError(err: unknown, step: string): Error {
    if (this.signal?.aborted || err instanceof UploadAbortedError) return new UploadAbortedError();
    const m = this.mod;
    if (m && err instanceof m.APIUserAbortError) return new UploadAbortedError();
    if (m && err instanceof m.APIConnectionTimeoutError) {
      return networkError(Object.assign(new Error("request timed out"), { name: "TimeoutError" }), step);
    }
    if (m && err instanceof m.APIConnectionError) return networkError((err as { cause?: unknown }).cause ?? err, step);
    if (m && err instanceof m.APIError && err.status) {
      const headers = err.headers as HeadersLike;
      this.gate.observe(headers);
      return TogetherApiError.from(err.status, err.error, headers, step);
    }
    if (err instanceof TogetherApiError) return err;
    if (err instanceof Error) return err;
    return new Error(String(err));
  }

  /** Signal for one raw request: the run's signal plus a time-out. */
  requestSignal(timeoutMs = this.timeoutMs): AbortSignal {
    const t = AbortSignal.timeout(timeoutMs);
    return this.signal ? AbortSignal.any([this.signal, t]) : t;
  }

  /**
   * POST /v1/files without following the redirect: returns the presigned URL and the file id.
   * One attempt; the caller retries.
   */
  async createFileSlot(form: Record<string, string>, step = "create-file"): Promise<{ uploadUrl: string; fileId: string }> {
    const url = `${this.baseUrl}/files`;
    let res: Response;
    try {
      res = await fetch(url, {
        method: "POST",
        redirect: "manual",
        headers: {
          Authorization: `Bearer ${this.apiKey}`,
          "Content-Type": "application/x-www-form-urlencoded",
          Accept: "application/json",
        },
        body: new URLSearchParams(form).toString(),
        signal: this.requestSignal(),
      });
    } catch (err) {
      if (this.signal?.aborted) throw new UploadAbortedError();
      throw networkError(err, step);
    }
    this.gate.observe(res.headers);
    if (res.status >= 300 && res.status < 400) {
      await res.body?.cancel().catch(() => undefined);
      const location = res.headers.get("location");
      const fileId = res.headers.get("x-together-file-id");
      if (!location || !fileId) {
        throw new TogetherApiError({
          code: "unexpected_response",
          category: "server",
          retryable: false,
          status: res.status,
          step,
          message: `POST ${url} answered ${res.status} without ${!location ? "a Location" : "an X-Together-File-Id"} header`,
        });
      }
      return { uploadUrl: new URL(location, url).toString(), fileId };
    }
    const text = await res.text().catch(() => "");
    if (res.ok) {
      throw new TogetherApiError({
        code: "unexpected_response",
        category: "server",
        retryable: false,
        status: res.status,
        step,
        message: `POST ${url} answered ${res.status} instead of a 302 redirect to the upload URL`,
      });
    }
    throw TogetherApiError.from(res.status, text, res.headers, step);
  }

  describeUrl(url: string): string {
    return redactUrl(url);
  }
}

export function getClient(opts: TogetherClientOptions & { client?: TogetherClient } = {}): TogetherClient {
  return opts.client ?? new TogetherClient(opts);
}
