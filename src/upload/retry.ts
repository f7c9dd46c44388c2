/**
 * Bounded retries with exponential backoff and jitter, honouring Retry-After and X-RateLimit-Remaining.
 * Every delay goes through `RetryPolicy.sleep`, so tests run with zero (or recorded) delays.
 */
import { TogetherApiError, UploadAbortedError, headerValue, retryAfterMsFrom, type HeadersLike } from "./errors.js";

export interface RetryPolicy {
  /** Retries after the first attempt (so at most `retries + 1` attempts). Default 3 (about 2-4 s of backoff in all). */
  retries: number;
  /** First backoff delay; doubles on each retry. Default 500 ms. */
  baseDelayMs: number;
  /** Cap of one backoff delay of our own choosing. Default 30 s. */
  maxDelayMs: number;
  /**
   * A Retry-After longer than this is not waited out: the call fails at once with a rate_limit error that says how
   * long Together asked to wait. Default 120 s.
   */
  maxRetryAfterMs: number;
  /** Source of jitter in [0, 1). Default Math.random. */
  random: () => number;
  /** How to wait. Default: a timer that the AbortSignal cancels. */
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export interface RetryEvent {
  step: string;
  attempt: number;
  delayMs: number;
  error: TogetherApiError;
}

export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(new UploadAbortedError());
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(t);
      reject(new UploadAbortedError());
    };
    const t = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

export const defaultRetryPolicy: RetryPolicy = {
  retries: 3,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 120_000,
  random: Math.random,
  sleep: abortableSleep,
};

export function resolvePolicy(p?: Partial<RetryPolicy>): RetryPolicy {
  return { ...defaultRetryPolicy, ...(p ?? {}) };
}

/** Delay before retry number `retry` (1-based). */
export function backoffDelay(policy: RetryPolicy, retry: number, error: TogetherApiError): number {
  if (error.retryAfterMs !== undefined) {
    // Honour the server, plus up to 10% jitter so that parallel clients don't return in lockstep. Waits longer than
    // maxRetryAfterMs never get here (withRetry gives up instead), so this is capped by it.
    return Math.min(policy.maxRetryAfterMs, Math.round(error.retryAfterMs * (1 + 0.1 * policy.random())));
  }
  const exp = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  // "Equal jitter": half fixed, half random.
  return Math.round(exp / 2 + (exp / 2) * policy.random());
}

/**
 * Pacing shared by all the calls of one client: when a response says X-RateLimit-Remaining: 0 (or a 429 arrives),
 * the next request waits until the window resets instead of spending a request on a certain 429.
 */
export class RateGate {
  private notBefore = 0;
  constructor(private policy: RetryPolicy) {}

  observe(headers: HeadersLike): void {
    const remaining = headerValue(headers, "x-ratelimit-remaining");
    if (remaining === undefined || Number(remaining) > 0) return;
    const wait = retryAfterMsFrom(headers) ?? 1000;
    this.notBefore = Math.max(this.notBefore, Date.now() + Math.min(wait, this.policy.maxRetryAfterMs));
  }

  async wait(signal?: AbortSignal): Promise<void> {
    const ms = this.notBefore - Date.now();
    if (ms > 0) await this.policy.sleep(Math.round(ms * (1 + 0.1 * this.policy.random())), signal);
  }
}

/**
 * Run `op` with bounded retries. `op` must throw TogetherApiError for remote failures (anything else propagates
 * unchanged). Non-retryable errors, abort, and the last failure are rethrown with `attempts` filled in.
 */
export async function withRetry<T>(
  step: string,
  op: (attempt: number) => Promise<T>,
  opts: {
    policy: RetryPolicy;
    signal?: AbortSignal;
    onRetry?: (e: RetryEvent) => void;
    /** Called before a retry; may return a value that ends the loop (e.g. the job that was created after all). */
    beforeRetry?: (error: TogetherApiError) => Promise<T | undefined>;
    gate?: RateGate;
  },
): Promise<T> {
  const { policy, signal } = opts;
  for (let attempt = 1; ; attempt++) {
    if (signal?.aborted) throw new UploadAbortedError();
    await opts.gate?.wait(signal);
    try {
      return await op(attempt);
    } catch (err) {
      if (signal?.aborted) throw new UploadAbortedError();
      if (!(err instanceof TogetherApiError)) throw err;
      err.step ??= step;
      err.attempts = attempt;
      if (!err.retryable || attempt > policy.retries) {
        if (err.retryable && attempt > 1) err.message = `${err.message} (gave up after ${attempt} attempts)`;
        throw err;
      }
      if (err.retryAfterMs !== undefined && err.retryAfterMs > policy.maxRetryAfterMs) {
        err.message = `${err.message}; Together asked to wait ${Math.ceil(err.retryAfterMs / 1000)} s, try again later`;
        throw err;
      }
      const delayMs = backoffDelay(policy, attempt, err);
      opts.onRetry?.({ step, attempt, delayMs, error: err });
      await policy.sleep(delayMs, signal);
      if (opts.beforeRetry) {
        const done = await opts.beforeRetry(err);
        if (done !== undefined) return done;
      }
    }
  }
}
