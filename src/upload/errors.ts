/**
 * Classification of Together API failures, and the redaction that keeps secrets out of every message.
 *
 * Every failure the uploader can meet (an HTTP status from the API or from the presigned storage URL, a dropped
 * connection, a time-out) is turned into a `TogetherApiError` with a stable `code`, a `category` and a `retryable`
 * flag. The CLI maps any of them to exit code 3; the retry loop only looks at `retryable` and `retryAfterMs`.
 */

export type TogetherErrorCategory = "auth" | "rate_limit" | "validation" | "billing" | "not_found" | "server" | "network";

/** Stable codes, for tests and tooling; never reworded, never reused. */
export type TogetherErrorCode =
  | "unauthorized"
  | "forbidden"
  | "insufficient_credits"
  | "model_not_found"
  | "not_found"
  | "token_limit_exceeded"
  | "invalid_dataset"
  | "invalid_request"
  | "rate_limited"
  | "server_error"
  | "timeout"
  | "network_error"
  | "processing_failed"
  | "file_changed"
  | "unexpected_response";

export interface TogetherErrorInfo {
  code: TogetherErrorCode;
  /** Human message, already redacted. */
  message: string;
  category: TogetherErrorCategory;
  retryable: boolean;
  /** HTTP status, when there was a response. */
  status?: number;
  /** How long the server asked us to wait (Retry-After, retry-after-ms, X-RateLimit-Reset), in ms. */
  retryAfterMs?: number;
  /** Together's own `error.code` / `error.type`, when it sent one. */
  togetherCode?: string;
  /** X-Request-Id (or similar), to quote to Together support. */
  requestId?: string;
}

export type HeadersLike = Headers | Record<string, string | string[] | undefined> | undefined | null;

export function headerValue(headers: HeadersLike, name: string): string | undefined {
  if (!headers) return undefined;
  if (typeof (headers as Headers).get === "function") {
    return (headers as Headers).get(name) ?? undefined;
  }
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(headers as Record<string, string | string[] | undefined>)) {
    if (k.toLowerCase() === lower) return Array.isArray(v) ? v[0] : v;
  }
  return undefined;
}

/**
 * Parses Retry-After (delta-seconds or an HTTP date), the non-standard retry-after-ms, and as a fallback
 * X-RateLimit-Reset (seconds until reset, or an epoch timestamp in seconds) when X-RateLimit-Remaining is 0.
 */
export function retryAfterMsFrom(headers: HeadersLike, now: number = Date.now()): number | undefined {
  const ms = headerValue(headers, "retry-after-ms");
  if (ms !== undefined && ms.trim() !== "") {
    const v = Number(ms);
    if (Number.isFinite(v) && v >= 0) return v;
  }
  const ra = headerValue(headers, "retry-after");
  if (ra !== undefined && ra.trim() !== "") {
    const secs = Number(ra);
    if (Number.isFinite(secs)) return Math.max(0, secs * 1000);
    const date = Date.parse(ra);
    if (!Number.isNaN(date)) return Math.max(0, date - now);
  }
  const remaining = headerValue(headers, "x-ratelimit-remaining");
  if (remaining !== undefined && Number(remaining) <= 0) {
    const reset = headerValue(headers, "x-ratelimit-reset");
    if (reset !== undefined) {
      const r = Number(reset);
      if (Number.isFinite(r)) {
        // Large values are epoch seconds, small ones are seconds from now.
        return r > 1e9 ? Math.max(0, r * 1000 - now) : Math.max(0, r * 1000);
      }
    }
  }
  return undefined;
}

function bodyObject(body: unknown): Record<string, unknown> | undefined {
  if (body && typeof body === "object") return body as Record<string, unknown>;
  if (typeof body === "string") {
    try {
      const parsed: unknown = JSON.parse(body);
      if (parsed && typeof parsed === "object") return parsed as Record<string, unknown>;
    } catch {
      /* not JSON */
    }
  }
  return undefined;
}

/** Extracts `{message, code}` from Together's `{"error": {"message", "type", "code"}}` and the usual variants. */
export function errorFields(body: unknown): { message?: string; code?: string } {
  const obj = bodyObject(body);
  if (!obj) {
    if (typeof body === "string" && body.trim() !== "") return { message: body.trim().slice(0, 500) };
    return {};
  }
  const err = obj.error;
  if (typeof err === "string") return { message: err, code: strOrUndef(obj.code) ?? strOrUndef(obj.type) };
  if (err && typeof err === "object") {
    const e = err as Record<string, unknown>;
    return {
      message: strOrUndef(e.message) ?? strOrUndef(obj.message),
      code: strOrUndef(e.code) ?? strOrUndef(e.type),
    };
  }
  return { message: strOrUndef(obj.message) ?? strOrUndef(obj.detail), code: strOrUndef(obj.code) ?? strOrUndef(obj.type) };
}

function strOrUndef(v: unknown): string | undefined {
  if (typeof v === "string" && v !== "") return v;
  if (typeof v === "number") return String(v);
  return undefined;
}

const MODEL_NOT_FOUND =
  /model[^.]*\b(not (found|available|supported)|does not exist|unknown|invalid|unsupported)|(unknown|invalid|unsupported) model|model_not_(found|available)/i;
const TOKEN_LIMIT = /token[s]? (limit|count)|too many tokens|exceeds? .*context|max(imum)? (sequence|context) length/i;
const DATASET = /dataset|training[_ ]file|jsonl|invalid (file|format)|validation[_ ]file/i;
const CREDITS = /credit|balance|billing|payment|quota/i;

/**
 * Classify an API failure. `status` is the HTTP status (0 or undefined: no response at all), `body` the parsed or raw
 * response body, `headers` the response headers.
 */
export function classifyTogetherError(status: number | undefined, body?: unknown, headers?: HeadersLike): TogetherErrorInfo {
  const { message: rawMessage, code: togetherCode } = errorFields(body);
  const requestId = headerValue(headers, "x-request-id") ?? headerValue(headers, "x-together-request-id") ?? headerValue(headers, "cf-ray");
  const serverSays = rawMessage ? redactText(rawMessage) : undefined;
  const base = { status: status || undefined, togetherCode, requestId };
  const withServer = (text: string) => (serverSays ? `${text}: ${serverSays}` : text);

  if (!status) {
    return {
      ...base,
      code: "network_error",
      category: "network",
      retryable: true,
      message: serverSays ? `Network error: ${serverSays}` : "Network error: no response from the Together API",
    };
  }
  const hay = `${rawMessage ?? ""} ${togetherCode ?? ""}`;
  if (status === 401) {
    return {
      ...base,
      code: "unauthorized",
      category: "auth",
      retryable: false,
      message: withServer("Together refused the API key (HTTP 401)"),
    };
  }
  if (status === 403) {
    return { ...base, code: "forbidden", category: "auth", retryable: false, message: withServer("Together denied access (HTTP 403)") };
  }
  if (status === 402 || (status === 400 && CREDITS.test(hay) && /insufficient|exceed|not enough|no /i.test(hay))) {
    return {
      ...base,
      code: "insufficient_credits",
      category: "billing",
      retryable: false,
      message: withServer(`Insufficient credits on the Together account (HTTP ${status})`),
    };
  }
  if (status === 429) {
    return {
      ...base,
      code: "rate_limited",
      category: "rate_limit",
      retryable: true,
      retryAfterMs: retryAfterMsFrom(headers),
      message: withServer("Rate limited by Together (HTTP 429)"),
    };
  }
  if ((status === 404 || status === 400 || status === 422) && MODEL_NOT_FOUND.test(hay)) {
    return {
      ...base,
      code: "model_not_found",
      category: "not_found",
      retryable: false,
      message: withServer(`Model not found (HTTP ${status})`),
    };
  }
  if (status === 404 || status === 410) {
    return { ...base, code: "not_found", category: "not_found", retryable: false, message: withServer(`Not found (HTTP ${status})`) };
  }
  if (status === 408) {
    return { ...base, code: "timeout", category: "server", retryable: true, message: withServer("The request timed out (HTTP 408)") };
  }
  if (status >= 500) {
    return {
      ...base,
      code: "server_error",
      category: "server",
      retryable: true,
      retryAfterMs: retryAfterMsFrom(headers),
      message: withServer(`Together server error (HTTP ${status})`),
    };
  }
  if (status >= 400) {
    const code: TogetherErrorCode = TOKEN_LIMIT.test(hay)
      ? "token_limit_exceeded"
      : DATASET.test(hay)
        ? "invalid_dataset"
        : "invalid_request";
    return {
      ...base,
      code,
      category: "validation",
      retryable: false,
      message: withServer(`Together rejected the request (HTTP ${status})`),
    };
  }
  return {
    ...base,
    code: "unexpected_response",
    category: "server",
    retryable: false,
    message: withServer(`Unexpected response from Together (HTTP ${status})`),
  };
}

/** The one error type the uploader throws for anything the remote side refused or failed. */
export class TogetherApiError extends Error implements TogetherErrorInfo {
  override name = "TogetherApiError";
  code: TogetherErrorCode;
  category: TogetherErrorCategory;
  retryable: boolean;
  status?: number;
  retryAfterMs?: number;
  togetherCode?: string;
  requestId?: string;
  /** What the uploader was doing: "create-file", "put", "processing", "limits", "create-job", ... */
  step?: string;
  /** How many attempts were made before giving up. */
  attempts?: number;
  /** Together's validation report (processing FAILED / INVALID_FORMAT). */
  validationReport?: unknown;
  /** Nearest model ids (model_not_found). */
  suggestions?: string[];
  /** The Together file the failure concerns (processing failures). */
  fileId?: string;

  constructor(info: TogetherErrorInfo & { step?: string; cause?: unknown; validationReport?: unknown; fileId?: string }) {
    super(redactText(info.message), info.cause !== undefined ? { cause: info.cause } : undefined);
    this.code = info.code;
    this.category = info.category;
    this.retryable = info.retryable;
    this.status = info.status;
    this.retryAfterMs = info.retryAfterMs;
    this.togetherCode = info.togetherCode;
    this.requestId = info.requestId;
    this.step = info.step;
    this.validationReport = info.validationReport;
    this.fileId = info.fileId;
  }

  static from(status: number | undefined, body: unknown, headers: HeadersLike, step?: string): TogetherApiError {
    return new TogetherApiError({ ...classifyTogetherError(status, body, headers), step });
  }

  toJSON(): Record<string, unknown> {
    return {
      code: this.code,
      category: this.category,
      message: this.message,
      retryable: this.retryable,
      ...(this.status !== undefined ? { status: this.status } : {}),
      ...(this.step ? { step: this.step } : {}),
      ...(this.requestId ? { requestId: this.requestId } : {}),
      ...(this.fileId ? { fileId: this.fileId } : {}),
      ...(this.suggestions?.length ? { suggestions: this.suggestions } : {}),
      ...(this.validationReport !== undefined ? { validationReport: redactDeep(this.validationReport) } : {}),
    };
  }
}

/** Raised when the run is cancelled through its AbortSignal (Ctrl-C in the CLI). */
export class UploadAbortedError extends Error {
  override name = "UploadAbortedError";
  constructor(message = "Upload cancelled") {
    super(message);
  }
}

/** Raised when the file on disk no longer holds the bytes that were linted. */
export class FileChangedError extends Error {
  override name = "FileChangedError";
  code = "file_changed" as const;
  constructor(
    public path: string,
    public expected: { bytes: number; sha256: string },
    public actual: { bytes: number; sha256?: string },
  ) {
    super(
      `${path} changed after it was linted (linted ${expected.bytes} bytes, sha256 ${expected.sha256.slice(0, 12)}…; ` +
        `now ${actual.bytes} bytes${actual.sha256 ? `, sha256 ${actual.sha256.slice(0, 12)}…` : ""}). ` +
        `Nothing was kept: run the command again to lint and upload the current file.`,
    );
  }
}

/** Map connection-level failures (fetch "fetch failed", ECONNRESET, time-outs) to a classified error. */
export function networkError(err: unknown, step?: string, what = "the Together API"): TogetherApiError {
  const e = err as { name?: string; code?: string; message?: string; cause?: { code?: string; message?: string; name?: string } };
  const code = e?.cause?.code ?? e?.code;
  const isTimeout =
    e?.name === "TimeoutError" ||
    e?.cause?.name === "TimeoutError" ||
    code === "ETIMEDOUT" ||
    code === "UND_ERR_HEADERS_TIMEOUT" ||
    code === "UND_ERR_BODY_TIMEOUT" ||
    code === "UND_ERR_CONNECT_TIMEOUT" ||
    /timed? ?out/i.test(e?.message ?? "");
  const detail = code ?? e?.cause?.message ?? e?.message ?? "connection failed";
  return new TogetherApiError({
    code: isTimeout ? "timeout" : "network_error",
    category: "network",
    retryable: true,
    message: isTimeout
      ? `Timed out waiting for ${what} (${redactText(String(detail))})`
      : `Connection to ${what} failed (${redactText(String(detail))})`,
    step,
    cause: err,
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Redaction

const secrets = new Set<string>();

/** Register a secret (the API key) so that `redactText` removes it from anything it renders. */
export function registerSecret(secret: string | undefined): void {
  if (secret && secret.length >= 4) secrets.add(secret);
}

/** Drop the query string (the presigned signature) and any credentials from a URL. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    const hadQuery = u.search !== "" && u.search !== "?<redacted>";
    u.username = "";
    u.password = "";
    u.search = "";
    u.hash = "";
    return u.toString() + (hadQuery ? "?<redacted>" : "");
  } catch {
    return url.replace(/\?.*$/, "?<redacted>");
  }
}

const URL_WITH_QUERY = /\bhttps?:\/\/[^\s"'<>?]+\?(?!<redacted>)[^\s"'<>]*/gi;
const BEARER = /(bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi;
/** user:password@ (or a bare user token@) in any URL. */
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@"'<>]+@/gi;
/** Query-style parameters that carry a signature or a credential, anywhere in text (S3 error bodies quote them bare). */
const SECRET_PARAMS =
  /\b(X-Amz-(?:Signature|Credential|Security-Token)|Signature|AWSAccessKeyId|Policy|sig|access_token|token|api[_-]?key|key)=(?!<redacted>)[^&\s"'<>]+/gi;
/** "wandb_key": "...", "api_key": "..." inside JSON text. */
const SECRET_JSON_FIELD =
  /("(?:[A-Za-z0-9]*_)?(?:api_?key|wandb_(?:api_)?key|token|secret|password|authorization)"\s*:\s*")(?:[^"\\]|\\.)*"/gi;

/** Keys whose values are credentials, whatever the value looks like. */
export const SECRET_KEY =
  /^(authorization|password|passwd|secret|token|access_token|refresh_token|hf_token|api_?key|wandb_(api_)?key|.+_api_?key|.+_secret|.+_token|.+_password)$/i;

/** Remove registered secrets, bearer tokens, URL credentials, presigned query strings and signatures from free text. */
export function redactText(text: string): string {
  let out = text;
  for (const s of secrets) out = out.split(s).join("<redacted>");
  out = out
    .replace(URL_CREDENTIALS, "$1")
    .replace(URL_WITH_QUERY, (m) => redactUrl(m))
    .replace(BEARER, "$1<redacted>")
    .replace(SECRET_PARAMS, "$1=<redacted>")
    .replace(SECRET_JSON_FIELD, '$1<redacted>"');
  return out;
}

/**
 * A copy of `value` fit to leave the uploader: every string through `redactText`, and the value of every key that
 * names a credential (`wandb_key`, `api_key`, `token`, ...) replaced. For the JSON document and for any object shown
 * as text (Together's validation report, the job).
 */
export function redactDeep(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return redactText(value);
  if (value === null || typeof value !== "object") return value;
  if (depth > 64) return "<too deep>";
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    out[redactText(k)] = SECRET_KEY.test(k) && v !== null && v !== "" && typeof v !== "boolean" ? "<redacted>" : redactDeep(v, depth + 1);
  }
  return out;
}

/** The environment variables whose values are secrets tunelint may meet (registered by every Together client). */
export const SECRET_ENV = ["TOGETHER_API_KEY", "HF_TOKEN", "HUGGING_FACE_HUB_TOKEN", "HUGGINGFACE_TOKEN", "WANDB_API_KEY"];

export function registerEnvSecrets(env: Record<string, string | undefined>): void {
  for (const name of SECRET_ENV) registerSecret(env[name]?.trim());
}
