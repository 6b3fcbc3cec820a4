/**
 * Woodpecker REST API v2 campaigns client (https://api.woodpecker.co/rest, reference/woodpecker-api.md).
 *
 * Quirks handled here: `x-api-key` auth; two error dialects (`{title,status,detail,timestamp}` and
 * `{code,message,details}`); run/pause/stop/make_editable/delete answer 200 with an empty body;
 * there is no v2 list (v1 `campaign_list`, which reports errors inside a 200); and one request at a
 * time per account — every call goes through the account's limiter.
 */
import { isCampaignJson } from "../core/campaign";
import { endpointFor, numberSetting } from "../core/credentials";
import { AuthenticationError, type NotFoundSubject } from "../core/errors";
import {
  HttpClient,
  type HttpClientOptions,
  type HttpRequest,
  type HttpResponse,
  type VendorError,
} from "../core/http";
import { limiterFor } from "../core/limiter";

export type ApiWeekday = "MONDAY" | "TUESDAY" | "WEDNESDAY" | "THURSDAY" | "FRIDAY" | "SATURDAY" | "SUNDAY";

export interface ApiVersion {
  id?: string;
  version?: string;
  subject?: string | null;
  message?: string;
  signature?: string;
  track_opens?: boolean;
}

export interface ApiStep {
  id?: string;
  type: "START" | "EMAIL" | "LINKEDIN" | string;
  followup?: ApiStep | null;
  followup_after?: { range: string; value: number } | null;
  delivery_time?: Partial<Record<ApiWeekday, Array<{ from: string; to: string }>>> | null;
  body?: { versions?: ApiVersion[]; action_type?: string; linkedin_account_id?: number } | null;
}

export interface ApiSettings {
  timezone: string;
  prospect_timezone?: boolean;
  daily_enroll?: number;
  gdpr_unsubscribe?: boolean;
  list_unsubscribe?: boolean;
  open_disabled_list?: string[];
  auto_pause_prospect_from_domain?: boolean;
  catch_all_verification_mode?: string;
}

export interface ApiCampaign {
  id: number;
  name: string;
  status: string;
  email_account_ids: number[];
  settings: ApiSettings;
  steps: ApiStep;
}

export interface ApiCampaignBody {
  name?: string;
  email_account_ids?: number[];
  settings?: Partial<ApiSettings>;
  steps?: ApiStep;
}

export interface V1CampaignListItem {
  id: number;
  name: string;
  status: string;
  created?: string;
}

/** Both v2 error dialects (and the 500 `{type:"UNKNOWN"}` one) → code + message. */
export function parseWoodpeckerError(status: number, body: unknown, text: string): VendorError {
  const b = (body ?? {}) as Record<string, unknown>;
  if (typeof b.code === "string") {
    const details = typeof b.details === "string" && b.details ? ` (${b.details})` : "";
    return { code: b.code, message: `${String(b.message ?? b.code)}${details}` };
  }
  if (typeof b.detail === "string") return { message: b.detail };
  if (typeof b.type === "string" && typeof b.message === "string")
    return { code: b.type, message: b.message };
  const trimmed = text.trim();
  return { message: trimmed ? trimmed.slice(0, 300) : `HTTP ${status}` };
}

/**
 * Woodpecker's own not-found answer, and for what: 404 `{"code": "CAMPAIGN_NOT_EXIST", …}` in the
 * business dialect [DOC]; the same answer in the problem dialect (`{"title", "status", "detail"}`,
 * the code or "campaign … not found" in `detail`) is accepted too, since which dialect a route
 * uses is not documented. Other `…_NOT_EXIST` / `…_NOT_FOUND` codes name their subject. Anything
 * else — a route 404 (`"No endpoint …"`, a proxy's page, an empty body) — is not "gone".
 */
export function classifyWoodpeckerNotFound(body: unknown): NotFoundSubject | undefined {
  if (!body || typeof body !== "object") return undefined;
  const b = body as Record<string, unknown>;
  if (typeof b.code === "string") {
    const code = b.code.toUpperCase();
    if (/^CAMPAIGNS?_NOT_(?:EXISTS?|FOUND)$/.test(code)) return "campaign";
    if (/^STEPS?_NOT_(?:EXISTS?|FOUND)$/.test(code)) return "step";
    if (/^VERSIONS?_NOT_(?:EXISTS?|FOUND)$/.test(code)) return "version";
    if (/_NOT_(?:EXISTS?|FOUND)$/.test(code)) return "resource";
    return undefined;
  }
  const text = [b.detail, b.message].filter((x): x is string => typeof x === "string").join(" ");
  if (/\bCAMPAIGNS?_NOT_(?:EXISTS?|FOUND)\b/i.test(text)) return "campaign";
  if (/\bcampaign\b[^.]*\b(?:not\s+found|(?:does\s+not|doesn't|not)\s+exists?)\b/i.test(text))
    return "campaign";
  return undefined;
}

/** How the HTTP client reads Woodpecker's answers (error dialects and not-found). */
export const WOODPECKER_DIALECT: Pick<
  HttpClientOptions,
  "parseError" | "classifyNotFound" | "notFoundAnswer"
> = {
  parseError: parseWoodpeckerError,
  classifyNotFound: classifyWoodpeckerNotFound,
  notFoundAnswer: "404 CAMPAIGN_NOT_EXIST",
};

export class WoodpeckerClient {
  constructor(readonly http: HttpClient) {}

  /**
   * A v2 request. A 2xx whose body is a v1 error (`{"status": {"status": "ERROR", …}}`, e.g.
   * E_URL_NOT_FOUND) means the request reached the v1 API — a base URL ending in /v1 — and did
   * nothing: an EndpointError, never a success (a DELETE would otherwise count as done).
   */
  private async call<T = unknown>(req: HttpRequest): Promise<HttpResponse<T>> {
    const r = await this.http.request<T>(req);
    const status = (r.body as { status?: { status?: unknown } } | undefined)?.status;
    if (status && typeof status === "object" && status.status === "ERROR") {
      throw this.http.endpointError(req.method, req.path, r.status, r.body);
    }
    return r;
  }

  private path(id: number, rest = ""): string {
    return `/v2/campaigns/${id}${rest}`;
  }

  async getCampaign(id: number): Promise<ApiCampaign | undefined> {
    const path = this.path(id);
    const r = await this.call<ApiCampaign>({ method: "GET", path, notFound: ["campaign"] });
    if (r.status === 404) return undefined;
    if (!isCampaignJson<ApiCampaign>(r.body)) throw this.http.endpointError("GET", path, r.status, r.body);
    return r.body;
  }

  /** POST create (not idempotent: an ambiguous failure surfaces as OutcomeUnknownError). */
  async createCampaign(body: ApiCampaignBody): Promise<ApiCampaign> {
    const r = await this.call<ApiCampaign>({ method: "POST", path: "/v2/campaigns", json: body });
    return r.body;
  }

  async patchCampaign(id: number, body: ApiCampaignBody): Promise<void> {
    await this.call({ method: "PATCH", path: this.path(id), json: body });
  }

  /** run / pause / stop / make_editable: 200 with an empty body. */
  async action(id: number, action: "run" | "pause" | "stop" | "make_editable"): Promise<void> {
    await this.call({ method: "POST", path: this.path(id, `/${action}`) });
  }

  /**
   * DELETE; "gone" only on Woodpecker's CAMPAIGN_NOT_EXIST (any other 404 throws EndpointError).
   * A 409 CAMPAIGN_RELATED_TO_ACTIVE_WORKFLOW is thrown as ApiError.
   */
  async deleteCampaign(id: number): Promise<"deleted" | "gone"> {
    const r = await this.call({ method: "DELETE", path: this.path(id), notFound: ["campaign"] });
    return r.status === 404 ? "gone" : "deleted";
  }

  /** Append a step after `parentId` (the current last step). Not idempotent. */
  async addStep(id: number, parentId: string, step: ApiStep): Promise<void> {
    await this.call({
      method: "POST",
      path: this.path(id, "/steps"),
      json: { parent_id: parentId, step },
    });
  }

  async deleteStep(id: number, stepId: string): Promise<void> {
    await this.call({
      method: "DELETE",
      path: this.path(id, `/steps/${stepId}`),
      notFound: ["step"],
    });
  }

  /** Replaces the step's whole delivery_time. */
  async patchStepDeliveryTime(
    id: number,
    stepId: string,
    deliveryTime: ApiStep["delivery_time"],
  ): Promise<void> {
    await this.call({
      method: "PATCH",
      path: this.path(id, `/steps/${stepId}`),
      json: { delivery_time: deliveryTime },
    });
  }

  async patchVersion(id: number, stepId: string, versionId: string, body: ApiVersion): Promise<void> {
    await this.call({
      method: "PATCH",
      path: this.path(id, `/steps/${stepId}/versions/${versionId}`),
      json: body,
    });
  }

  async getBounceShieldThreshold(id: number): Promise<number | undefined> {
    const r = await this.call<{ bounce_rate_threshold?: number | null } | null>({
      method: "GET",
      path: this.path(id, "/bounce_shield/threshold"),
    });
    return r.body?.bounce_rate_threshold ?? undefined;
  }

  async setBounceShieldThreshold(id: number, threshold: number | undefined): Promise<void> {
    if (threshold === undefined) {
      await this.call({
        method: "DELETE",
        path: this.path(id, "/bounce_shield/threshold"),
        notFound: ["resource"], // no threshold set (a missing campaign is thrown)
      });
    } else {
      await this.call({
        method: "PUT",
        path: this.path(id, "/bounce_shield/threshold"),
        json: { bounce_rate_threshold: threshold },
      });
    }
  }

  /** v1 campaign_list: the only list. Errors come inside a 200 (`status.status === "ERROR"`). */
  async listCampaigns(): Promise<V1CampaignListItem[]> {
    const r = await this.http.request<unknown>({ method: "GET", path: "/v1/campaign_list" });
    if (Array.isArray(r.body)) return r.body as V1CampaignListItem[];
    const status = (r.body as { status?: { status?: string; code?: string; msg?: string } } | undefined)
      ?.status;
    if (status?.status === "ERROR") {
      if (status.code === "E_SESSION") {
        throw new AuthenticationError({
          platform: "woodpecker",
          status: 401,
          method: "GET",
          path: "/v1/campaign_list",
          vendorCode: status.code,
          vendorMessage: status.msg ?? "invalid API key",
        });
      }
      // v1's "no such route" inside a 200: the base URL is wrong (e.g. it ends in /v1).
      if (status.code === "E_URL_NOT_FOUND") {
        throw this.http.endpointError("GET", "/v1/campaign_list", r.status, r.body);
      }
      return []; // E_NO_CAMPAIGNS and friends: an empty list
    }
    if (typeof r.body === "string")
      throw this.http.endpointError("GET", "/v1/campaign_list", r.status, r.body);
    return [];
  }
}

const clients = new Map<string, WoodpeckerClient>();

/** The client for the configured endpoint (stack config, then `env`); all its calls share the account's limiter. */
export function woodpeckerClient(env: NodeJS.ProcessEnv = process.env): WoodpeckerClient {
  const { apiKey, baseUrl } = endpointFor("woodpecker", env);
  const requestMs = numberSetting("woodpecker:requestTimeoutSeconds", 120, env) * 1000;
  // Woodpecker processes one request at a time per account and queues up to 6 more. Two in flight
  // keeps the next request already waiting at Woodpecker when one finishes (no idle round trip)
  // while using one of the six queue places; 1 serializes strictly.
  const inFlight = numberSetting("woodpecker:maxInFlight", 2, env, { min: 1, max: 7, integer: true });
  const key = `${baseUrl}\u0000${apiKey}\u0000${requestMs}\u0000${inFlight}`;
  let c = clients.get(key);
  if (!c) {
    c = new WoodpeckerClient(
      new HttpClient({
        platform: "woodpecker",
        baseUrl,
        authHeaders: { "x-api-key": apiKey },
        ...WOODPECKER_DIALECT,
        limiter: limiterFor(baseUrl, apiKey, inFlight),
        // Woodpecker may hold a request up to 15 s in its queue before processing it.
        // One attempt gets a third of the budget (40 s by default: room for Woodpecker's 15 s of
        // queueing), so a slow answer still leaves room to retry.
        timeouts: { requestMs, headersMs: Math.min(45_000, Math.ceil(requestMs / 3)) },
      }),
    );
    clients.set(key, c);
  }
  return c;
}
