/**
 * What core/http.ts says when a request fails without a vendor's answer: a connection that could not be
 * made or was lost, no answer in time, or an answer that is not the vendor's API (a route 404, a 405, a
 * web page). Each message names the base URL, the request and the config key, and gives the corrected
 * value when the base URL has a known mistake. Secrets are redacted from every message.
 */
import { baseUrlAdvice } from "./credentials";
import { EndpointError, OutcomeUnknownError, TransportError, type Platform, PLATFORM_TITLE } from "./errors";
import { redact } from "./redact";
import { MAYBE_SENT_ERROR_CODES } from "./retry";

/** What the messages need to know of the client that sent the request. */
export interface FailureContext {
  platform: Platform;
  /** The configured base URL, without trailing slashes (what messages show). */
  baseUrl: string;
  /** Origin and base path: where the request looked for the API. */
  apiRoot: string;
  /** How the vendor says "no such campaign" (e.g. `{"detail": "Campaign not found"}`). */
  notFoundAnswer?: string;
  /** The time one request may take, retries included. */
  requestMs: number;
  /** The credential values, redacted from every message. */
  secrets: readonly string[];
}

/** An answer to `method path` that is not the vendor's API. */
export interface UnexpectedAnswer {
  method: string;
  path: string;
  status: number;
  body: unknown;
  contentType?: string;
}

/** A request that failed without an answer, after `attempts` attempts. */
export interface FailedRequest {
  method: string;
  path: string;
  idempotent: boolean;
  attempts: number;
  /** Its deadline (ms since epoch): the request's time budget, retries included. */
  deadline: number;
  /** Why the retry policy stopped retrying, if it did. */
  retryReason: string;
}

/**
 * An answer that is not the vendor's API: a 404 that is not its not-found answer, a 405, or a
 * success body of the wrong shape. Names the base URL, the request, the config key, and the
 * corrected value when the base URL has a known mistake.
 */
export function endpointErrorFor(ctx: FailureContext, answer: UnexpectedAnswer): EndpointError {
  const { method, path, status, body, contentType = "" } = answer;
  const title = PLATFORM_TITLE[ctx.platform];
  const url = `${ctx.apiRoot}${path}`;
  const got = `HTTP ${status} and ${describeBody(body, contentType)}`;
  let why: string;
  if (status === 404) {
    const own = ctx.notFoundAnswer ? ` (${ctx.notFoundAnswer})` : "";
    why = `which is not ${title}'s own not-found answer${own}: there is no ${title} API at ${url}`;
  } else if (status === 405) {
    why = `(method not allowed): ${url} exists but is not the ${title} API route for ${method}`;
  } else {
    why = `which is not what ${title}'s API returns for it`;
  }
  return new EndpointError(
    redact(
      `${title} at ${ctx.baseUrl} answered ${method} ${path} with ${got}, ${why}. ` +
        `${baseUrlAdvice(ctx.platform, ctx.baseUrl)} This request changed nothing and nothing was ` +
        `taken for deleted: the resource stays in the Pulumi state.`,
      ctx.secrets,
    ),
    ctx.platform,
    status,
    method,
    path,
    ctx.baseUrl,
  );
}

/**
 * A request that got no answer: a TransportError, or an OutcomeUnknownError for a non-idempotent
 * request that may have been applied before the failure (the caller then looks it up, never resends).
 */
export function transportFailureFor(ctx: FailureContext, request: FailedRequest, e: unknown): Error {
  const { method, path, idempotent, attempts, deadline, retryReason } = request;
  const err = e as Error & { code?: string; name?: string };
  const code = err.code ?? err.name ?? "error";
  const timedOut =
    err.name === "TimeoutError" ||
    err.name === "AbortError" ||
    code === "UND_ERR_ABORTED" ||
    code === "UND_ERR_HEADERS_TIMEOUT" ||
    code === "UND_ERR_BODY_TIMEOUT";
  const title = PLATFORM_TITLE[ctx.platform];
  const budget = Math.round(ctx.requestMs / 1000);
  const tries =
    attempts > 1
      ? `, after ${attempts} attempts${/deadline/.test(retryReason) || Date.now() >= deadline ? ` within the ${budget}s request deadline` : ""}`
      : "";
  const reason = redact(
    timedOut ? `no answer within ${budget}s` : describeFailure(code, err.message),
    ctx.secrets,
  );
  if (!idempotent && (timedOut || MAYBE_SENT_ERROR_CODES.has(code))) {
    return new OutcomeUnknownError(ctx.platform, method, path, reason, {
      cause: e,
      baseUrl: ctx.baseUrl,
    });
  }
  const advice = baseUrlAdvice(ctx.platform, ctx.baseUrl);
  const message = timedOut
    ? `${title} at ${ctx.baseUrl} did not answer ${method} ${path} within ${budget}s${tries}. ${advice} ` +
      `If the service is only slow, raise ${ctx.platform}:requestTimeoutSeconds.`
    : `Could not reach ${title} at ${ctx.baseUrl} for ${method} ${path}: ${reason}${tries}. ${advice}`;
  return new TransportError(ctx.platform, method, path, reason, {
    cause: e,
    message: redact(message, ctx.secrets),
  });
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
