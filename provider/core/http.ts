/**
 * HTTP over undici: one keep-alive pool per origin, connect/headers/body timeouts, undici's retry
 * interceptor driven by our policy (retry.ts), an overall deadline per request, an optional
 * per-account limiter, typed errors and redaction. The pools and body encodings are in http-wire.ts;
 * the messages of failures without a vendor's answer in http-failures.ts.
 */
import type { Dispatcher } from "undici";
import {
  ApiError,
  AuthenticationError,
  EndpointError,
  NotFoundError,
  OutcomeUnknownError,
  type NotFoundSubject,
  type Platform,
  PLATFORM_TITLE,
} from "./errors";
import { endpointErrorFor, transportFailureFor, type FailureContext } from "./http-failures";
import { buildQuery, headerValue, parseBody, poolFor } from "./http-wire";
import type { ConcurrencyLimiter } from "./limiter";
import { redact } from "./redact";
import { DEFAULT_RETRY_POLICY, RETRYABLE_STATUS, decideRetry, type RetryPolicy } from "./retry";

export { closeAllPools, encodeMultipart } from "./http-wire";

export interface Timeouts {
  connectMs: number;
  /** Time to the response headers of one attempt. */
  headersMs: number;
  /** Time between body chunks of one attempt. */
  bodyMs: number;
  /** Everything, retries and backoff included, for one request. */
  requestMs: number;
}

export const DEFAULT_TIMEOUTS: Timeouts = {
  connectMs: 10_000,
  headersMs: 30_000,
  bodyMs: 30_000,
  requestMs: 120_000,
};

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export interface VendorError {
  code?: string;
  message: string;
}

export interface HttpClientOptions {
  platform: Platform;
  /** e.g. `https://api.burki.dev` or `https://api.woodpecker.co/rest` (a path prefix is kept). */
  baseUrl: string;
  /** Credential headers; their values are treated as secrets. */
  authHeaders: Record<string, string>;
  /** Reads the vendor's error dialect out of an error response body. */
  parseError: (status: number, body: unknown, text: string) => VendorError;
  /**
   * Whether a 404 is the vendor's own not-found answer, and for what. Undefined for anything else
   * (a framework's route 404, a proxy's HTML page, an empty body): that is an EndpointError, never
   * "gone".
   */
  classifyNotFound?: (body: unknown) => NotFoundSubject | undefined;
  /** How the vendor says "no such campaign", for messages (e.g. `{"detail": "Campaign not found"}`). */
  notFoundAnswer?: string;
  limiter?: ConcurrencyLimiter;
  timeouts?: Partial<Timeouts>;
  retry?: Partial<RetryPolicy>;
  userAgent?: string;
}

export interface HttpRequest {
  method: HttpMethod;
  /** Path below the base URL, starting with `/`. */
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  json?: unknown;
  /** A pre-encoded body (multipart uploads). */
  body?: { contentType: string; data: Buffer };
  /**
   * Whether repeating the request after an ambiguous failure is harmless. Defaults to true for
   * GET/PUT/PATCH/DELETE and false for POST.
   */
  idempotent?: boolean;
  /**
   * The vendor's not-found answers (by subject) returned to the caller as a 404 response instead
   * of thrown: `["campaign"]` on a read. Only the vendor's own answer qualifies (classifyNotFound);
   * any other 404 or 405 throws an EndpointError.
   */
  notFound?: readonly NotFoundSubject[];
}

export interface HttpResponse<T = unknown> {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: T;
}

/** Counters for tests and the benchmark. */
export interface HttpStats {
  requests: number;
  attempts: number;
  retries: number;
  status429: number;
}

export class HttpClient {
  readonly platform: Platform;
  readonly stats: HttpStats = { requests: 0, attempts: 0, retries: 0, status429: 0 };
  private readonly origin: string;
  private readonly basePath: string;
  private readonly timeouts: Timeouts;
  private readonly policy: RetryPolicy;
  private readonly secrets: string[];
  /** The configured base URL, without trailing slashes (what messages show). */
  readonly baseUrl: string;

  constructor(private readonly opts: HttpClientOptions) {
    this.platform = opts.platform;
    let url: URL;
    try {
      url = new URL(opts.baseUrl);
    } catch {
      throw new TypeError(`${PLATFORM_TITLE[opts.platform]} base URL is not a valid URL: ${opts.baseUrl}`);
    }
    this.origin = url.origin;
    this.baseUrl = opts.baseUrl.replace(/\/+$/, "");
    this.basePath = url.pathname.replace(/\/+$/, "");
    this.timeouts = { ...DEFAULT_TIMEOUTS, ...opts.timeouts };
    this.policy = { ...DEFAULT_RETRY_POLICY, ...opts.retry };
    this.secrets = Object.values(opts.authHeaders).flatMap((v) => [v, v.replace(/^Bearer\s+/i, "")]);
  }

  /** The time one request may take, retries included. */
  get requestBudgetMs(): number {
    return this.timeouts.requestMs;
  }

  async request<T = unknown>(req: HttpRequest): Promise<HttpResponse<T>> {
    const run = () => this.send<T>(req);
    return this.opts.limiter ? this.opts.limiter.run(run) : run();
  }

  private async send<T>(req: HttpRequest): Promise<HttpResponse<T>> {
    const idempotent = req.idempotent ?? req.method !== "POST";
    const path = `${this.basePath}${req.path}${buildQuery(req.query)}`;
    const shownPath = req.path; // what messages show: no base path, no query
    const deadline = Date.now() + this.timeouts.requestMs;
    const headers: Record<string, string> = {
      accept: "application/json",
      "user-agent": this.opts.userAgent ?? "pulumi-campaigns",
      ...this.opts.authHeaders,
    };
    let body: string | Buffer | undefined;
    if (req.json !== undefined) {
      headers["content-type"] = "application/json";
      body = JSON.stringify(req.json);
    } else if (req.body) {
      headers["content-type"] = req.body.contentType;
      body = req.body.data;
    }

    let attempt = 0;
    let lastRetryReason = "";
    const stats = this.stats;
    const policy = this.policy;
    stats.requests++;
    stats.attempts++;
    const retry = (
      err: Error & { statusCode?: number; code?: string; headers?: Record<string, string | string[]> },
      _ctx: unknown,
      cb: (e: Error | null) => void,
    ) => {
      attempt++;
      if (err.statusCode === 429) {
        stats.status429++;
        this.opts.limiter?.rateLimited();
      }
      const decision = decideRetry(
        {
          statusCode: err.statusCode,
          code: err.statusCode ? undefined : err.code,
          retryAfter: err.headers?.["retry-after"],
        },
        { attempt, idempotent, policy, deadline },
      );
      if (!decision.retry) {
        lastRetryReason = decision.reason;
        cb(err);
        return undefined;
      }
      stats.retries++;
      stats.attempts++;
      return setTimeout(() => cb(null), decision.delayMs);
    };

    // A failure without an answer, worded by http-failures.ts (`attempt` as it stands then).
    const failed = (e: unknown, retryReason: string) =>
      transportFailureFor(
        this.failureContext(),
        { method: req.method, path: shownPath, idempotent, attempts: attempt, deadline, retryReason },
        e,
      );
    let res: Dispatcher.ResponseData;
    try {
      res = await poolFor(this.origin, this.timeouts).request({
        path,
        method: req.method,
        headers,
        body,
        signal: AbortSignal.timeout(Math.max(1, deadline - Date.now())),
        retryOptions: {
          retry,
          // Every status and method reaches our policy, which decides.
          methods: ["GET", "POST", "PUT", "PATCH", "DELETE"],
          statusCodes: [...RETRYABLE_STATUS],
          maxRetries: Math.max(policy.maxAttempts, policy.maxRateLimitedAttempts),
        },
      } as Dispatcher.RequestOptions);
    } catch (e) {
      throw failed(e, lastRetryReason);
    }

    let text: string;
    try {
      text = await res.body.text();
    } catch (e) {
      throw failed(e, "");
    }
    const parsed = parseBody(text, String(res.headers["content-type"] ?? ""));
    const status = res.statusCode;
    if (status !== 429) this.opts.limiter?.answered();
    if (status < 400) return { status, headers: res.headers, body: parsed as T };
    if (status === 404 || status === 405) {
      const subject = status === 404 ? this.opts.classifyNotFound?.(parsed) : undefined;
      if (subject === undefined) {
        throw this.endpointError(
          req.method,
          shownPath,
          status,
          parsed,
          String(res.headers["content-type"] ?? ""),
        );
      }
      if (req.notFound?.includes(subject)) return { status, headers: res.headers, body: parsed as T };
    }
    const vendor = this.opts.parseError(status, parsed, text);
    const details = {
      platform: this.platform,
      status,
      method: req.method,
      path: shownPath,
      vendorCode: vendor.code,
      vendorMessage: redact(vendor.message, this.secrets),
      requestId: headerValue(res.headers, "x-request-id"),
    };
    if (status === 401) throw new AuthenticationError(details);
    if (status === 404) throw new NotFoundError(details, this.opts.classifyNotFound!(parsed)!);
    if (!idempotent && status >= 500) {
      // A 5xx after a create or action was sent: it may have been applied before the failure.
      throw new OutcomeUnknownError(
        this.platform,
        req.method,
        shownPath,
        `HTTP ${status}: ${details.vendorMessage}`,
        { baseUrl: this.baseUrl },
      );
    }
    const err = new ApiError(details);
    if (attempt > 0 && (status === 429 || status >= 500)) {
      err.message += ` (after ${attempt} attempt${attempt === 1 ? "" : "s"}; ${lastRetryReason})`;
    }
    throw err;
  }

  /**
   * An answer that is not the vendor's API: a 404 that is not its not-found answer, a 405, or a
   * success body of the wrong shape (http-failures.ts words it).
   */
  endpointError(
    method: string,
    path: string,
    status: number,
    body: unknown,
    contentType = "",
  ): EndpointError {
    return endpointErrorFor(this.failureContext(), { method, path, status, body, contentType });
  }

  private failureContext(): FailureContext {
    return {
      platform: this.platform,
      baseUrl: this.baseUrl,
      apiRoot: `${this.origin}${this.basePath}`,
      ...(this.opts.notFoundAnswer !== undefined ? { notFoundAnswer: this.opts.notFoundAnswer } : {}),
      requestMs: this.timeouts.requestMs,
      secrets: this.secrets,
    };
  }
}
