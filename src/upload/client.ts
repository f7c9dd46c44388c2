/**
 * The connection to Together: key and base URL resolution, the transport policy (time-outs, body caps, no redirects,
 * proxies, http only to loopback), the retry policy and rate-limit pacing, for every endpoint tunelint uses: the
 * uploader's and `models --refresh`'s.
 *
 * Why not the official SDK (`together-ai`, read at 0.52): it reads every answer whole (`response.json()`, no cap:
 * an endless body ate 7 GB), follows redirects to any host, ignores HTTPS_PROXY/NO_PROXY, turns a malformed JSON
 * answer into an error that is not an API failure, and its upload helper cannot do the verified presigned PUT. The
 * JSON endpoints tunelint needs are few and plain (below), so one small client does them all.
 */
import { Transform, pipeline, type Readable } from "node:stream";
import {
  TogetherApiError,
  UploadAbortedError,
  redactText,
  redactUrl,
  registerEnvSecrets,
  registerSecret,
  type HeadersLike,
} from "./errors.js";
import { DEFAULT_BASE_URL, DEFAULT_TIMEOUT_MS } from "./defaults.js";
import {
  MAX_JSON_RESPONSE_BYTES,
  MAX_STORAGE_RESPONSE_BYTES,
  ResponseTooLargeError,
  checkTransportUrl,
  httpRequest,
  isLoopbackHost,
  type HttpResponse,
} from "./http.js";
import { RateGate, resolvePolicy, withRetry, type RetryPolicy, type RetryEvent } from "./retry.js";

export { DEFAULT_BASE_URL } from "./defaults.js";

/** Options shared by every call that talks to Together. */
export interface TogetherClientOptions {
  /** Default: the TOGETHER_API_KEY environment variable. */
  apiKey?: string;
  /** Default: TOGETHER_BASE_URL, else https://api.together.xyz/v1. */
  baseUrl?: string;
  /**
   * Allow plain http:// to a host that is not loopback (the key then travels unencrypted). Default false: such a
   * base URL (or upload URL) is refused. `onWarning` is told when it is used.
   */
  allowHttp?: boolean;
  /** Told about risky settings in use (plain http). */
  onWarning?: (message: string) => void;
  /** Cancels everything (the CLI wires SIGINT to it). */
  signal?: AbortSignal;
  /** Retry/backoff settings (injectable delays for tests). */
  retry?: Partial<RetryPolicy>;
  /** Time-out of one API request (headers and body), and the idle time-out of an upload. Default 60 s. */
  timeoutMs?: number;
  /** Called before each retry (for logs). */
  onRetry?: (event: RetryEvent) => void;
  /** Environment to read TOGETHER_API_KEY, TOGETHER_BASE_URL and the proxy variables from. Default process.env. */
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
 * gets "/v1", since every Together endpoint lives under it. Throws a TypeError for something that is not a URL, and
 * for plain http to a host that is not loopback unless `allowHttp`.
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
    throw new TypeError(`Invalid Together base URL "${redactUrl(raw)}": use https:// (or http:// to a loopback address)`);
  }
  if (u.username || u.password) {
    throw new TypeError(
      `Invalid Together base URL "${redactUrl(raw)}": credentials in the URL are not used (the key comes from TOGETHER_API_KEY)`,
    );
  }
  checkTransportUrl(raw, "Together base URL", opts.allowHttp === true);
  return u.pathname === "/" || u.pathname === "" ? `${raw}/v1` : raw;
}

export interface CallOptions {
  query?: Record<string, string>;
  /** A JSON body. */
  json?: unknown;
  /** A form body (application/x-www-form-urlencoded). */
  form?: Record<string, string>;
}

const unexpected = (step: string, message: string, status?: number, retryable = false) =>
  new TogetherApiError({ code: "unexpected_response", category: "server", retryable, status, step, message });

/** The first characters of a body for an error message, redacted before it is cut (a cut secret is no longer findable). */
function snippet(body: Buffer): string {
  const text = redactText(body.subarray(0, 4096).toString("utf8"));
  const one = text.replace(/\s+/g, " ").trim();
  return one.length > 120 ? `${one.slice(0, 120)}…` : one;
}

export class TogetherClient {
  readonly apiKey: string;
  readonly baseUrl: string;
  readonly policy: RetryPolicy;
  readonly gate: RateGate;
  readonly signal?: AbortSignal;
  readonly timeoutMs: number;
  readonly onRetry?: (e: RetryEvent) => void;
  readonly env: Record<string, string | undefined>;
  readonly allowHttp: boolean;
  private readonly onWarning?: (message: string) => void;
  private warned = new Set<string>();

  constructor(opts: TogetherClientOptions = {}) {
    this.env = opts.env ?? process.env;
    this.apiKey = resolveApiKey(opts);
    registerSecret(this.apiKey);
    registerEnvSecrets(this.env);
    this.allowHttp = opts.allowHttp === true;
    this.onWarning = opts.onWarning;
    this.baseUrl = resolveBaseUrl({ ...opts, env: this.env });
    this.policy = resolvePolicy(opts.retry);
    this.gate = new RateGate(this.policy);
    this.signal = opts.signal;
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.onRetry = opts.onRetry;
    this.checkUrl(this.baseUrl, "Together base URL");
  }

  /** Refuse (or, with allowHttp, warn once about) a URL the key or the data would travel to in clear text. */
  checkUrl(url: string, what: string): URL {
    const u = checkTransportUrl(url, what, this.allowHttp);
    if (u.protocol === "http:" && !isLoopbackHost(u.hostname) && !this.warned.has(u.host)) {
      this.warned.add(u.host);
      this.onWarning?.(`${what} ${redactUrl(url)} is plain http (--allow-http): the traffic to ${u.host} is not encrypted.`);
    }
    return u;
  }

  /**
   * One JSON call: the key, the time-out, the body cap, no redirect, Together's errors classified; retried with this
   * client's policy unless `retry: false`. Resolves with the parsed JSON (null for an empty body).
   */
  async call<T = unknown>(
    step: string,
    method: string,
    path: string,
    body: CallOptions = {},
    extra: { beforeRetry?: (e: TogetherApiError) => Promise<T | undefined>; retry?: boolean } = {},
  ): Promise<T> {
    const once = () => this.callOnce<T>(step, method, path, body);
    if (extra.retry === false) return once();
    return withRetry(step, once, {
      policy: this.policy,
      signal: this.signal,
      onRetry: this.onRetry,
      gate: this.gate,
      beforeRetry: extra.beforeRetry,
    });
  }

  private async callOnce<T>(step: string, method: string, path: string, body: CallOptions): Promise<T> {
    const qs = body.query ? `?${new URLSearchParams(body.query).toString()}` : "";
    const url = `${this.baseUrl}${path}${qs}`;
    const headers: Record<string, string> = { Authorization: `Bearer ${this.apiKey}`, Accept: "application/json" };
    let payload: string | undefined;
    if (body.json !== undefined) {
      headers["Content-Type"] = "application/json";
      payload = JSON.stringify(body.json);
    } else if (body.form) {
      headers["Content-Type"] = "application/x-www-form-urlencoded";
      payload = new URLSearchParams(body.form).toString();
    }
    const res = await this.send(url, method, headers, payload, step);
    this.gate.observe(res.headers as HeadersLike);
    if (res.status >= 300 && res.status < 400) {
      throw unexpected(
        step,
        `${method} ${redactUrl(url)} answered a redirect (HTTP ${res.status}${res.headers.location ? ` to ${redactUrl(String(res.headers.location))}` : ""}); ` +
          `tunelint follows no redirect of an API call (check the base URL)`,
        res.status,
      );
    }
    const text = res.body.toString("utf8");
    if (res.status < 200 || res.status >= 300) throw TogetherApiError.from(res.status, text, res.headers as HeadersLike, step);
    if (text.trim() === "") return null as T;
    try {
      return JSON.parse(text) as T;
    } catch {
      // Never V8's own message: it quotes the body around the error, and a cut secret is no longer redactable.
      throw unexpected(
        step,
        `${method} ${redactUrl(url)} answered HTTP ${res.status} with malformed JSON (${res.body.length} bytes: ${snippet(res.body)})`,
        res.status,
      );
    }
  }

  private async send(
    url: string,
    method: string,
    headers: Record<string, string>,
    body: string | undefined,
    step: string,
  ): Promise<HttpResponse> {
    try {
      return await httpRequest(url, {
        method,
        headers,
        body,
        signal: this.signal,
        timeoutMs: this.timeoutMs,
        maxBodyBytes: MAX_JSON_RESPONSE_BYTES,
        overflow: "error",
        env: this.env,
        step,
      });
    } catch (err) {
      if (err instanceof ResponseTooLargeError) throw unexpected(step, `${method} ${redactUrl(url)}: ${err.message}`);
      throw err;
    }
  }

  /** Retry any operation that throws TogetherApiError, with this client's policy, signal and rate gate. */
  retry<T>(step: string, op: (attempt: number) => Promise<T>): Promise<T> {
    return withRetry(step, op, { policy: this.policy, signal: this.signal, onRetry: this.onRetry, gate: this.gate });
  }

  /**
   * POST /v1/files: the one documented redirect. Returns the presigned URL of the 302 and the file id; the URL must
   * be https (or loopback / --allow-http). One attempt; the caller retries.
   */
  async createFileSlot(form: Record<string, string>, step = "create-file"): Promise<{ uploadUrl: string; fileId: string }> {
    const url = `${this.baseUrl}/files`;
    const res = await this.send(
      url,
      "POST",
      { Authorization: `Bearer ${this.apiKey}`, "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" },
      new URLSearchParams(form).toString(),
      step,
    );
    this.gate.observe(res.headers as HeadersLike);
    if (res.status >= 300 && res.status < 400) {
      const location = typeof res.headers.location === "string" ? res.headers.location : undefined;
      const fileId = typeof res.headers["x-together-file-id"] === "string" ? res.headers["x-together-file-id"] : undefined;
      if (!location || !fileId) {
        throw unexpected(
          step,
          `POST ${url} answered ${res.status} without ${!location ? "a Location" : "an X-Together-File-Id"} header`,
          res.status,
        );
      }
      const uploadUrl = new URL(location, url).toString();
      try {
        this.checkUrl(uploadUrl, "Together's upload URL");
      } catch (e) {
        throw unexpected(step, (e as Error).message, res.status);
      }
      return { uploadUrl, fileId };
    }
    if (res.status >= 200 && res.status < 300) {
      throw unexpected(step, `POST ${url} answered ${res.status} instead of a 302 redirect to the upload URL`, res.status);
    }
    throw TogetherApiError.from(res.status, res.body.toString("utf8"), res.headers as HeadersLike, step);
  }

  /**
   * PUT a stream to a presigned storage URL with an exact Content-Length and no Authorization header. Resolves on
   * any HTTP answer (its body capped at 64 KiB, read within the time-out); rejects with a classified network error
   * (retryable) when the connection drops or no byte moves for `timeoutMs`, with UploadAbortedError on abort, and
   * with the source's own error (e.g. FileChangedError) when the source fails.
   */
  async put(
    url: string,
    source: Readable,
    length: number,
    opts: { headers?: Record<string, string>; onBytes?: (sent: number) => void; step: string },
  ): Promise<HttpResponse> {
    this.checkUrl(url, "Together's upload URL");
    let sent = 0;
    let progress: () => void = () => undefined;
    // Counts what undici takes from the source (progress and the idle timer); the source's errors reach undici
    // through it (pipeline destroys it with the same error), which aborts the request before its last byte.
    const counter = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        sent += chunk.length;
        opts.onBytes?.(sent);
        progress();
        cb(null, chunk);
      },
    });
    pipeline(source, counter, () => undefined);
    try {
      return await httpRequest(url, {
        method: "PUT",
        headers: { "Content-Type": "application/octet-stream", ...(opts.headers ?? {}), "Content-Length": String(length) },
        body: counter,
        signal: this.signal,
        timeoutMs: this.timeoutMs,
        idle: { register: (f) => (progress = f) },
        maxBodyBytes: MAX_STORAGE_RESPONSE_BYTES,
        overflow: "truncate",
        env: this.env,
        step: opts.step,
        what: `the upload URL ${redactUrl(url)}`,
      });
    } catch (err) {
      if (this.signal?.aborted) throw new UploadAbortedError();
      throw err;
    } finally {
      if (!source.destroyed) source.destroy();
      if (!counter.destroyed) counter.destroy();
    }
  }

  describeUrl(url: string): string {
    return redactUrl(url);
  }
}

export function getClient(opts: TogetherClientOptions = {}): TogetherClient {
  return opts.client ?? new TogetherClient(opts);
}
