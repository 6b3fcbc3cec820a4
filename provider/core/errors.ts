/**
 * Typed errors shared by both platforms.
 *
 * Errors cross the dynamic-provider gRPC boundary as their `message` only, so every message is
 * self-contained: which platform, what was refused, why, and what the user can do. Messages never
 * contain an API key (see redact.ts) nor personal data (phone numbers, names).
 */

export type Platform = "burki" | "woodpecker";

export const PLATFORM_TITLE: Record<Platform, string> = { burki: "Burki", woodpecker: "Woodpecker" };

/** Base class of every error this package throws on purpose. */
export class CampaignsError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Bad or missing configuration (API key, base URL, tunables). */
export class ConfigurationError extends CampaignsError {}

export interface ApiErrorDetails {
  platform: Platform;
  status: number;
  method: string;
  path: string;
  /** The vendor's machine-readable code, e.g. `CAMPAIGN_NOT_EXIST`, when its error dialect has one. */
  vendorCode?: string;
  /** The vendor's human-readable message (`detail`, `message`), already redacted. */
  vendorMessage: string;
  requestId?: string;
}

/** The API answered with an error status. */
export class ApiError extends CampaignsError {
  readonly platform: Platform;
  readonly status: number;
  readonly method: string;
  readonly path: string;
  readonly vendorCode?: string;
  readonly vendorMessage: string;
  readonly requestId?: string;

  constructor(details: ApiErrorDetails, message?: string) {
    super(message ?? ApiError.describe(details));
    this.platform = details.platform;
    this.status = details.status;
    this.method = details.method;
    this.path = details.path;
    this.vendorCode = details.vendorCode;
    this.vendorMessage = details.vendorMessage;
    this.requestId = details.requestId;
  }

  static describe(d: ApiErrorDetails): string {
    const code = d.vendorCode ? ` ${d.vendorCode}` : "";
    const rid = d.requestId ? ` (request id ${d.requestId})` : "";
    return `${PLATFORM_TITLE[d.platform]} API refused ${d.method} ${d.path}: HTTP ${d.status}${code}: ${d.vendorMessage}${rid}`;
  }
}

/**
 * Said wherever a setting may be wrong: `pulumi refresh` and `pulumi destroy` do not run the program,
 * so the engine configures the provider with the stack config recorded in state by the last
 * `pulumi up` (for dynamic providers it records the whole stack config, secrets encrypted:
 * pkg/resource/deploy/target.go `GetPackageConfig`). Measured with the real CLI (test/e2e).
 */
export const RECORDED_CONFIG_NOTE =
  "After `pulumi config set`, `pulumi refresh` and `pulumi destroy` still use the values recorded by the " +
  "last `pulumi up`: run `pulumi up` first, or add `--run-program`.";

/** 401 (and 403 where the vendor uses it for keys): the key is missing, wrong or lacks access. */
export class AuthenticationError extends ApiError {
  constructor(details: ApiErrorDetails) {
    const p = details.platform;
    super(
      details,
      `${PLATFORM_TITLE[p]} authentication failed (HTTP ${details.status} on ${details.method} ${details.path}: ` +
        `${details.vendorMessage}). Check the API key: pulumi config set --secret ${p}:apiKey <key> ` +
        `(or the ${p.toUpperCase()}_API_KEY environment variable), and that ${p}:baseUrl points at the right service. ` +
        RECORDED_CONFIG_NOTE,
    );
  }
}

/**
 * A request that changes something was sent, but no answer came back (connection reset, timeout,
 * a 5xx from a gateway). The change may or may not have been applied; callers must look before
 * they try again, so a create never leaves a duplicate campaign.
 */
export class OutcomeUnknownError extends CampaignsError {
  constructor(
    readonly platform: Platform,
    readonly method: string,
    readonly path: string,
    readonly reason: string,
    options?: { cause?: unknown; baseUrl?: string },
  ) {
    const at = options?.baseUrl ? ` at ${options.baseUrl}` : "";
    super(
      `${PLATFORM_TITLE[platform]}${at} did not confirm ${method} ${path} (${reason}); it may or may not have been applied.`,
      options,
    );
  }
}

/**
 * The API could not be reached at all (retries exhausted, deadline passed, DNS, refused). The
 * message is composed by the HTTP client: it names the base URL in use and the config key.
 */
export class TransportError extends CampaignsError {
  constructor(
    readonly platform: Platform,
    readonly method: string,
    readonly path: string,
    readonly reason: string,
    options?: { cause?: unknown; message?: string },
  ) {
    super(
      options?.message ?? `Could not reach ${PLATFORM_TITLE[platform]} for ${method} ${path}: ${reason}.`,
      options,
    );
  }
}

/**
 * The service at the configured base URL answered something that is not the vendor's API: a
 * route 404 (`{"detail":"Not Found"}` from FastAPI, a proxy's HTML page, an empty 404), a 405, or
 * a 200 that is not the expected JSON. Almost always a wrong `<platform>:baseUrl`. Never means
 * "gone": the resource stays in the state. Deliberately not an ApiError, so no `status === 404`
 * check anywhere can mistake it for the vendor's not-found answer.
 */
export class EndpointError extends ConfigurationError {
  constructor(
    message: string,
    readonly platform: Platform,
    readonly status: number,
    readonly method: string,
    readonly path: string,
    readonly baseUrl: string,
  ) {
    super(message);
  }
}

/**
 * The vendor's own "not found" answer (Burki `{"detail":"Campaign not found"}`, Woodpecker
 * `CAMPAIGN_NOT_EXIST`). `subject` says what is missing: `campaign`, `import`, `schedule`, `step`,
 * `version`, or `resource` when the answer does not say.
 */
export class NotFoundError extends ApiError {
  constructor(
    details: ApiErrorDetails,
    readonly subject: NotFoundSubject,
  ) {
    super(details);
  }
}

export type NotFoundSubject = "campaign" | "import" | "schedule" | "step" | "version" | "resource";

/** Is this the vendor saying that the campaign (or another `subject`) does not exist? */
export function isNotFound(e: unknown, subject: NotFoundSubject = "campaign"): e is NotFoundError {
  return e instanceof NotFoundError && e.subject === subject;
}

/** A campaign in the state no longer exists at the vendor (deleted outside Pulumi). */
export class CampaignGoneError extends CampaignsError {
  constructor(platform: Platform, label: string) {
    super(
      `${label} no longer exists in ${PLATFORM_TITLE[platform]} (deleted outside Pulumi). Run \`pulumi refresh\` ` +
        `to drop it from the state, then \`pulumi up\` to create it again.`,
    );
  }
}

/** A bounded wait ran out. */
export class WaitTimeoutError extends CampaignsError {}

export function isApiError(e: unknown, status?: number): e is ApiError {
  return e instanceof ApiError && (status === undefined || e.status === status);
}

export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * The resource exists but did not reach the desired configuration (a contact import failed after
 * the campaign was created, a start was refused after an edit). The dynamic-provider host turns
 * an error with `id` into a partial failure: the engine records the resource with `properties`,
 * so nothing is orphaned and the next `pulumi up` finishes the job.
 */
export class PartialFailureError extends CampaignsError {
  readonly reasons: string[];
  constructor(
    message: string,
    readonly id: string,
    readonly properties: Record<string, unknown>,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.reasons = [message];
  }
}
