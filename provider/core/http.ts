/**
 * HTTP over undici: one keep-alive pool per origin, connect/headers/body timeouts, undici's retry
 * interceptor driven by our policy (retry.ts), an overall deadline per request, an optional
 * per-account limiter, typed errors and redaction.
 */
import { Pool, interceptors, type Dispatcher } from "undici";
import { baseUrlAdvice } from "./credentials";
import {
  ApiError,
  AuthenticationError,
  EndpointError,
  NotFoundError,
  OutcomeUnknownError,
  TransportError,
  type NotFoundSubject,
  type Platform,
  PLATFORM_TITLE,
} from "./errors";
import type { ConcurrencyLimiter } from "./limiter";
import { redact } from "./redact";
import {
  DEFAULT_RETRY_POLICY,
  MAYBE_SENT_ERROR_CODES,
  RETRYABLE_STATUS,
  decideRetry,
  type RetryPolicy,
} from "./retry";

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

const pools = new Map<string, Dispatcher>();

function poolFor(origin: string, t: Timeouts): Dispatcher {
  const key = `${origin}|${t.connectMs}|${t.headersMs}|${t.bodyMs}`;
  let d = pools.get(key);
  if (!d) {
    d = new Pool(origin, {
      connections: 32,
      keepAliveTimeout: 30_000,
      connectTimeout: t.connectMs,
      headersTimeout: t.headersMs,
      bodyTimeout: t.bodyMs,
    }).compose(interceptors.retry({ throwOnError: false }));
    pools.set(key, d);
  }
  return d;
}

/** Close every pool (tests and the benchmark end cleanly with this). */
export async function closeAllPools(): Promise<void> {
  const all = [...pools.values()];
  pools.clear();
  await Promise.all(all.map((p) => p.close().catch(() => undefined)));
}

function buildQuery(q: HttpRequest["query"]): string {
  if (!q) return "";
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== undefined) params.append(k, String(v));
  const s = params.toString();
  return s ? `?${s}` : "";
}

function parseBody(text: string, contentType: string | undefined): unknown {
  if (text === "") return undefined;
  if ((contentType ?? "").includes("json") || /^[[{"]/.test(text.trimStart())) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
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
      throw this.transportFailure(req.method, shownPath, idempotent, e, lastRetryReason, attempt, deadline);
    }

    let text: string;
    try {
      text = await res.body.text();
    } catch (e) {
      throw this.transportFailure(req.method, shownPath, idempotent, e, "", attempt, deadline);
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
   * success body of the wrong shape. Names the base URL, the request, the config key, and the
   * corrected value when the base URL has a known mistake.
   */
  endpointError(
    method: string,
    path: string,
    status: number,
    body: unknown,
    contentType = "",
  ): EndpointError {
    const title = PLATFORM_TITLE[this.platform];
    const url = `${this.origin}${this.basePath}${path}`;
    const got = `HTTP ${status} and ${describeBody(body, contentType)}`;
    let why: string;
    if (status === 404) {
      const own = this.opts.notFoundAnswer ? ` (${this.opts.notFoundAnswer})` : "";
      why = `which is not ${title}'s own not-found answer${own}: there is no ${title} API at ${url}`;
    } else if (status === 405) {
      why = `(method not allowed): ${url} exists but is not the ${title} API route for ${method}`;
    } else {
      why = `which is not what ${title}'s API returns for it`;
    }
    return new EndpointError(
      redact(
        `${title} at ${this.baseUrl} answered ${method} ${path} with ${got}, ${why}. ` +
          `${baseUrlAdvice(this.platform, this.baseUrl)} This request changed nothing and nothing was ` +
          `taken for deleted: the resource stays in the Pulumi state.`,
        this.secrets,
      ),
      this.platform,
      status,
      method,
      path,
      this.baseUrl,
    );
  }

  private transportFailure(
    method: string,
    path: string,
    idempotent: boolean,
    e: unknown,
    retryReason: string,
    attempts: number,
    deadline: number,
  ): Error {
    const err = e as Error & { code?: string; name?: string };
    const code = err.code ?? err.name ?? "error";
    const timedOut =
      err.name === "TimeoutError" ||
      err.name === "AbortError" ||
      code === "UND_ERR_ABORTED" ||
      code === "UND_ERR_HEADERS_TIMEOUT" ||
      code === "UND_ERR_BODY_TIMEOUT";
    const title = PLATFORM_TITLE[this.platform];
    const budget = Math.round(this.timeouts.requestMs / 1000);
    const tries =
      attempts > 1
        ? `, after ${attempts} attempts${/deadline/.test(retryReason) || Date.now() >= deadline ? ` within the ${budget}s request deadline` : ""}`
        : "";
    const reason = redact(
      timedOut ? `no answer within ${budget}s` : describeFailure(code, err.message),
      this.secrets,
    );
    if (!idempotent && (timedOut || MAYBE_SENT_ERROR_CODES.has(code))) {
      return new OutcomeUnknownError(this.platform, method, path, reason, {
        cause: e,
        baseUrl: this.baseUrl,
      });
    }
    const advice = baseUrlAdvice(this.platform, this.baseUrl);
    const message = timedOut
      ? `${title} at ${this.baseUrl} did not answer ${method} ${path} within ${budget}s${tries}. ${advice} ` +
        `If the service is only slow, raise ${this.platform}:requestTimeoutSeconds.`
      : `Could not reach ${title} at ${this.baseUrl} for ${method} ${path}: ${reason}${tries}. ${advice}`;
    return new TransportError(this.platform, method, path, reason, {
      cause: e,
      message: redact(message, this.secrets),
    });
  }
}

/** A connection failure in words (the code stays, for searching). */
function describeFailure(code: string, message: string): string {
  switch (code) {
    case "ECONNREFUSED":
      return `connection refused (${message}): nothing is listening there`;
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return `the host name does not resolve (${message})`;
    case "UND_ERR_CONNECT_TIMEOUT":
      return `the connection could not be opened in time (${code})`;
    case "ECONNRESET":
    case "UND_ERR_SOCKET":
    case "UND_ERR_CLOSED":
      return `the connection was closed without an answer (${code})`;
    default:
      return message.includes(code) ? message : `${code}: ${message}`;
  }
}

/** What came back, in a few words: `{"detail":"Not Found"}`, an HTML page, an empty body. */
function describeBody(body: unknown, contentType: string): string {
  if (body === undefined || body === "") return "an empty body";
  if (typeof body === "string") {
    if (/html/i.test(contentType) || /^\s*</.test(body)) return "an HTML page";
    const t = body.trim().replace(/\s+/g, " ");
    return `the text "${t.length > 80 ? `${t.slice(0, 80)}…` : t}"`;
  }
  const json = JSON.stringify(body);
  return `the body ${json.length > 120 ? `${json.slice(0, 120)}…` : json}`;
}

function headerValue(h: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
}

/** Encode a multipart/form-data body into a Buffer (so a 429 can replay it). */
export async function encodeMultipart(form: FormData): Promise<{ contentType: string; data: Buffer }> {
  const r = new Response(form);
  const data = Buffer.from(await r.arrayBuffer());
  return { contentType: r.headers.get("content-type") ?? "multipart/form-data", data };
}
