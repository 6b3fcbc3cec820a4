/**
 * Retry policy: exponential backoff with full jitter, honouring Retry-After, bounded by a deadline.
 *
 * The decision is pure so it can be unit-tested; http.ts plugs it into undici's retry interceptor.
 *
 * What is retried, and why:
 * - 429: the vendor did not process the request (Woodpecker documents that overflow is dropped),
 *   so it is safe for every method, including a create.
 * - 500/502/503/504 and connection failures after the request may have been written: only for
 *   idempotent requests. A create or a state action that failed this way is reported as
 *   OutcomeUnknownError and the caller re-reads before it acts again.
 * - Failures before a connection existed (refused, DNS, connect timeout): safe for every method.
 */

export interface RetryPolicy {
  /** Total attempts, the first included. */
  maxAttempts: number;
  /** Backoff base: attempt n waits up to base * 2^n (full jitter). */
  baseDelayMs: number;
  /** Cap of one backoff. */
  maxDelayMs: number;
  /**
   * Total attempts when the failures are 429s. A 429 means the request was not processed (safe to
   * send again) and the account is busy, not broken: several stacks sharing one Woodpecker account
   * can keep its queue full for a while, and giving up after a few tries would fail an operation
   * that only had to wait. The request deadline still bounds the whole.
   */
  maxRateLimitedAttempts: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 6,
  baseDelayMs: 200,
  maxDelayMs: 15_000,
  maxRateLimitedAttempts: 20,
};

export const RETRYABLE_STATUS = [429, 500, 502, 503, 504] as const;

/** Connection never established: the request cannot have reached the server. */
export const NOT_SENT_ERROR_CODES = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ENETDOWN",
  "ENETUNREACH",
  "EHOSTDOWN",
  "EHOSTUNREACH",
  "UND_ERR_CONNECT_TIMEOUT",
]);

/** The request may have been written before the failure. */
export const MAYBE_SENT_ERROR_CODES = new Set([
  "ECONNRESET",
  "EPIPE",
  "UND_ERR_SOCKET",
  "UND_ERR_CLOSED",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
]);

export interface FailedAttempt {
  /** HTTP status, when a response arrived. */
  statusCode?: number;
  /** Error code (`ECONNRESET`, `UND_ERR_HEADERS_TIMEOUT`, …), when none did. */
  code?: string;
  /** The Retry-After header of the response, if any. */
  retryAfter?: string | string[];
}

export interface RetryContext {
  /** 1 for the first failed attempt. */
  attempt: number;
  idempotent: boolean;
  policy: RetryPolicy;
  /** Absolute time (ms since epoch) after which no new attempt may start. */
  deadline: number;
  now?: number;
  random?: () => number;
}

export type RetryDecision = { retry: true; delayMs: number } | { retry: false; reason: string };

/** Retry-After as milliseconds: either delta-seconds or an HTTP date. Undefined when absent/invalid. */
export function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  if (v === undefined || v.trim() === "") return undefined;
  const seconds = Number(v);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Full jitter (AWS architecture blog): uniform in [0, min(cap, base * 2^attempt)). */
export function fullJitterDelay(
  attempt: number,
  policy: RetryPolicy,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return Math.floor(random() * ceiling);
}

export function isRetryableFailure(f: FailedAttempt, idempotent: boolean): boolean {
  if (f.statusCode !== undefined) {
    if (f.statusCode === 429) return true;
    return idempotent && (RETRYABLE_STATUS as readonly number[]).includes(f.statusCode);
  }
  if (f.code && NOT_SENT_ERROR_CODES.has(f.code)) return true;
  return idempotent && f.code !== undefined && MAYBE_SENT_ERROR_CODES.has(f.code);
}

export function decideRetry(f: FailedAttempt, ctx: RetryContext): RetryDecision {
  const now = ctx.now ?? Date.now();
  if (!isRetryableFailure(f, ctx.idempotent)) return { retry: false, reason: "not retryable" };
  const cap =
    f.statusCode === 429
      ? Math.max(ctx.policy.maxAttempts, ctx.policy.maxRateLimitedAttempts)
      : ctx.policy.maxAttempts;
  if (ctx.attempt >= cap) return { retry: false, reason: `gave up after ${ctx.attempt} attempts` };
  const jitter = fullJitterDelay(ctx.attempt, ctx.policy, ctx.random);
  const retryAfter = parseRetryAfter(f.retryAfter, now);
  // Retry-After is a floor set by the server; a little jitter on top keeps clients from stampeding.
  const delayMs = retryAfter !== undefined ? retryAfter + Math.min(jitter, ctx.policy.baseDelayMs) : jitter;
  if (now + delayMs >= ctx.deadline) return { retry: false, reason: "the operation deadline would pass" };
  return { retry: true, delayMs };
}
