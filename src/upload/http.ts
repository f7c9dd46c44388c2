/**
 * The one HTTP transport of everything that talks to Together (the uploader and `models --refresh`), on undici:
 *
 * - **Bounded in time.** Every request has its own AbortController and a plain setTimeout, cleared when the request
 *   settles (AbortSignal.any([run, AbortSignal.timeout()]) lost its timer after a garbage collection on Node 20.20).
 *   JSON calls have one deadline for headers and body; an upload has an idle time-out (no byte sent or received for
 *   that long) and, once the answer starts, a deadline for the answer's body.
 * - **Bounded in memory.** A response body is read up to a cap, then the connection is dropped: a JSON answer over
 *   the cap is an API failure, a storage answer keeps its first bytes (enough for S3's <Code>/<Message>).
 * - **No redirect is followed.** undici's `request` never follows one; a 3xx is returned to the caller, which
 *   accepts it only where Together documents it (the 302 of POST /v1/files to the presigned upload URL).
 * - **Proxies.** HTTPS_PROXY / HTTP_PROXY / NO_PROXY (and their lower-case forms) through undici's
 *   EnvHttpProxyAgent, read from the environment the client was given.
 * - **Plain http only where it is safe.** Loopback hosts, or an explicit opt-in (`allowHttp`) that the caller warns about.
 *
 * undici is loaded on the first request, so `tunelint check` and `import { lintFile }` never load it.
 */
import type { Readable } from "node:stream";
import type { Dispatcher } from "undici";
import { UploadAbortedError, networkError, redactUrl } from "./errors.js";

export type HttpHeaders = Record<string, string | string[] | undefined>;

export interface HttpResponse {
  status: number;
  headers: HttpHeaders;
  body: Buffer;
  /** true when the body was longer than the cap and only its first bytes were kept. */
  truncated: boolean;
}

/** Largest JSON answer read from the API (GET /models is the largest real one, well under 1 MiB). */
export const MAX_JSON_RESPONSE_BYTES = 8 * 1024 * 1024;
/** What is kept of a storage (presigned PUT) answer: S3 error documents are a few hundred bytes. */
export const MAX_STORAGE_RESPONSE_BYTES = 64 * 1024;

type Env = Record<string, string | undefined>;
type Undici = typeof import("undici");
let undiciModule: Promise<Undici> | null = null;
// undici is CommonJS: Node's ESM loader gives its exports as named ones, a bundler (the CLI's esbuild bundle) may give
// them only as `default`.
const loadUndici = (): Promise<Undici> =>
  (undiciModule ??= import("undici").then((m) =>
    (m as { EnvHttpProxyAgent?: unknown }).EnvHttpProxyAgent ? m : (m as unknown as { default: Undici }).default,
  ));

const envOf = (env: Env, name: string): string => env[name] ?? env[name.toLowerCase()] ?? "";

/** The proxy settings in `env`, as EnvHttpProxyAgent options (empty strings: no proxy). */
export function proxySettings(env: Env): { httpProxy: string; httpsProxy: string; noProxy: string } {
  const httpProxy = envOf(env, "HTTP_PROXY");
  return { httpProxy, httpsProxy: envOf(env, "HTTPS_PROXY") || httpProxy, noProxy: envOf(env, "NO_PROXY") };
}

/** One dispatcher per environment's proxy settings (connection pools are reused across requests). */
const dispatchers = new Map<string, Promise<Dispatcher>>();
export function dispatcherFor(env: Env): Promise<Dispatcher> {
  const settings = proxySettings(env);
  const key = JSON.stringify(settings);
  let d = dispatchers.get(key);
  if (!d) {
    // https targets (Together, the storage URLs) go through a CONNECT tunnel; http targets (loopback, --allow-http) as
    // absolute-URI requests, which every proxy accepts (many refuse CONNECT to a port other than 443).
    d = loadUndici().then((u) => new u.EnvHttpProxyAgent({ ...settings, proxyTunnel: false }));
    dispatchers.set(key, d);
  }
  return d;
}

/** 127.0.0.0/8, ::1 and localhost: the only hosts plain http is allowed to without an explicit opt-in. */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/^\[|\]$/g, "");
  if (h === "localhost" || h.endsWith(".localhost")) return true;
  if (h === "::1" || h === "0:0:0:0:0:0:0:1") return true;
  if (h.startsWith("::ffff:127.")) return true;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

export class InsecureUrlError extends TypeError {
  override name = "InsecureUrlError";
}

/**
 * Refuses a URL that would carry the key or the data in clear text: http:// to a host that is not loopback, unless
 * `allowHttp`. Any scheme but http and https is refused.
 */
export function checkTransportUrl(url: string, what: string, allowHttp: boolean): URL {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new TypeError(`${what} "${redactUrl(url)}" is not a URL`);
  }
  if (u.protocol === "https:") return u;
  if (u.protocol !== "http:") throw new TypeError(`${what} "${redactUrl(url)}": use https:// (or http:// to a loopback address)`);
  if (isLoopbackHost(u.hostname) || allowHttp) return u;
  throw new InsecureUrlError(
    `${what} "${redactUrl(url)}" is plain http to a host that is not loopback: the API key and the data would travel unencrypted. ` +
      `Use https://, or pass --allow-http (allowHttp) if you really mean it.`,
  );
}

export interface HttpRequestOptions {
  method: string;
  headers?: Record<string, string>;
  body?: string | Buffer | Readable;
  /** The run's signal (Ctrl-C). */
  signal?: AbortSignal;
  /** JSON calls: deadline of the whole exchange. */
  timeoutMs: number;
  /**
   * Uploads: instead of one deadline, fail when neither a byte is sent nor one received for `timeoutMs`; `progress`
   * is called by the caller's source stream for each chunk sent (it resets the idle timer).
   */
  idle?: { register(onProgress: () => void): void };
  /** Cap of the response body. */
  maxBodyBytes: number;
  /** Over the cap: "error" (JSON: the answer is unusable) or "truncate" (keep the first bytes, drop the connection). */
  overflow: "error" | "truncate";
  env: Env;
  /** For messages: which step, and what the URL is ("the Together API", "the upload URL ..."). */
  step?: string;
  what?: string;
}

export class ResponseTooLargeError extends Error {
  override name = "ResponseTooLargeError";
}

/**
 * One HTTP exchange, bounded in time and memory, no redirect followed. Resolves with any HTTP answer (including
 * 3xx and errors); rejects with a classified network error (retryable) on a dropped connection or a time-out,
 * with UploadAbortedError when the run's signal fires, with ResponseTooLargeError for a JSON body over the cap,
 * and with the request body's own error (e.g. FileChangedError) when the source stream fails.
 */
export async function httpRequest(url: string, opts: HttpRequestOptions): Promise<HttpResponse> {
  const what = opts.what ?? "the Together API";
  if (opts.signal?.aborted) throw new UploadAbortedError();
  const [u, dispatcher] = await Promise.all([loadUndici(), dispatcherFor(opts.env)]);
  const ac = new AbortController();
  let timedOut = false;
  let sourceError: Error | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      timedOut = true;
      ac.abort();
    }, opts.timeoutMs);
  };
  const onRunAbort = () => ac.abort();
  opts.signal?.addEventListener("abort", onRunAbort, { once: true });
  const body = opts.body;
  if (body && typeof body !== "string" && !Buffer.isBuffer(body)) {
    body.once("error", (e: Error) => {
      sourceError = e;
      ac.abort();
    });
  }
  // Uploads: the idle timer is re-armed by every byte sent until the answer starts; from then on the answer's body
  // has one fixed deadline (an answer that trickles forever must not keep the request alive).
  let fixed = false;
  arm();
  opts.idle?.register(() => {
    if (!fixed) arm();
  });
  const fail = (err: unknown): never => {
    if (sourceError) throw sourceError;
    if (opts.signal?.aborted) throw new UploadAbortedError();
    if (timedOut) {
      throw networkError(
        Object.assign(new Error(opts.idle ? `no progress for ${opts.timeoutMs} ms` : `no complete answer within ${opts.timeoutMs} ms`), {
          name: "TimeoutError",
        }),
        opts.step,
        what,
      );
    }
    if (err instanceof ResponseTooLargeError) throw err;
    throw networkError(err, opts.step, what);
  };
  try {
    let res: Dispatcher.ResponseData;
    try {
      res = await u.request(url, {
        method: opts.method as Dispatcher.HttpMethod,
        headers: opts.headers,
        body: body as string | Buffer | Readable | undefined,
        dispatcher,
        signal: ac.signal,
        // Our own timer bounds the exchange; undici's defaults (300 s) would only come later.
        headersTimeout: 0,
        bodyTimeout: 0,
      });
    } catch (err) {
      return fail(err);
    }
    fixed = true;
    if (opts.idle) arm();
    const chunks: Buffer[] = [];
    let size = 0;
    let truncated = false;
    try {
      for await (const chunk of res.body as AsyncIterable<Buffer>) {
        if (size + chunk.length > opts.maxBodyBytes) {
          const keep = opts.maxBodyBytes - size;
          if (keep > 0) chunks.push(chunk.subarray(0, keep));
          size = opts.maxBodyBytes;
          truncated = true;
          break;
        }
        chunks.push(chunk);
        size += chunk.length;
      }
    } catch (err) {
      return fail(err);
    }
    if (truncated) {
      res.body.destroy();
      if (opts.overflow === "error") {
        throw new ResponseTooLargeError(
          `${what} sent an answer larger than ${Math.round(opts.maxBodyBytes / 1024)} KiB (HTTP ${res.statusCode}); it was not read to the end`,
        );
      }
    }
    if (sourceError) throw sourceError;
    return { status: res.statusCode, headers: res.headers as HttpHeaders, body: Buffer.concat(chunks), truncated };
  } finally {
    clearTimeout(timer);
    opts.signal?.removeEventListener("abort", onRunAbort);
  }
}
