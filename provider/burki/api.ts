/**
 * Burki campaigns API client (https://api.burki.dev, reference/burki-api.md).
 *
 * Quirks handled here: list/create live at `/api/v1/campaigns/` with the trailing slash (the other
 * spelling answers a 307 that may drop the Authorization header), create answers 200, errors are
 * FastAPI `{"detail": string | ValidationError[]}`, import-data is asynchronous (202 + polling).
 */
import { isCampaignJson } from "../core/campaign";
import { endpointFor, numberSetting } from "../core/credentials";
import { type NotFoundSubject, isApiError } from "../core/errors";
import { HttpClient, type HttpClientOptions, encodeMultipart, type VendorError } from "../core/http";

export type BurkiStatus = "draft" | "scheduled" | "running" | "paused" | "completed" | "cancelled" | "failed";

// Which statuses are active or terminal is a policy the delete, converge and the plan guard share:
// core/campaign.ts BURKI_ACTIVE_STATUSES / BURKI_TERMINAL_STATUSES.

/** The campaign object of GET /api/v1/campaigns/{id} (fields not shown in the docs are optional). */
export interface BurkiCampaign {
  id: number;
  name: string;
  description?: string | null;
  campaign_type: string;
  status: BurkiStatus | string;
  assistant_id: number;
  assistant_name?: string | null;
  welcome_message_template?: string | null;
  agenda_template?: string | null;
  end_call_message_template?: string | null;
  sms_message_template?: string | null;
  fallback_values?: Record<string, string> | null;
  variable_mappings?: Record<string, string> | null;
  available_variables?: string[] | null;
  max_attempts: number;
  retry_delay_minutes: number;
  total_contacts?: number;
  completed_contacts?: number;
  failed_contacts?: number;
  created_at?: string;
  updated_at?: string;
}

/** CampaignCreateRequest (OAS). */
export interface BurkiCreateBody {
  name: string;
  description?: string | null;
  campaign_type: string;
  assistant_id: number;
  welcome_message_template?: string | null;
  agenda_template?: string | null;
  end_call_message_template?: string | null;
  sms_message_template?: string | null;
  max_attempts?: number;
  retry_delay_minutes?: number;
  fallback_values?: Record<string, string> | null;
  variable_mappings?: Record<string, string> | null;
}

/** CampaignUpdateRequest (OAS): every field optional; campaign_type and assistant_id are immutable. */
export type BurkiUpdateBody = Partial<Omit<BurkiCreateBody, "campaign_type" | "assistant_id">>;

export interface BurkiSchedule {
  schedule_type?: string;
  scheduled_at?: string | null;
  timezone?: string;
  recurring_config?: Record<string, unknown> | null;
}

export interface BurkiImportStatus {
  status?: string;
  imported_count?: number;
  skipped_count?: number;
  invalid_count?: number;
  error?: string | null;
}

export interface BurkiListPage {
  campaigns: Array<
    Pick<BurkiCampaign, "id" | "name" | "status" | "campaign_type" | "assistant_id"> & {
      created_at?: string;
      total_contacts?: number;
      description?: string | null;
    }
  >;
  pagination?: { page: number; total_pages: number; has_next: boolean };
}

/** FastAPI error bodies → one readable line. */
export function parseBurkiError(status: number, body: unknown, text: string): VendorError {
  const detail = (body as { detail?: unknown } | undefined)?.detail;
  if (typeof detail === "string") return { message: detail };
  if (Array.isArray(detail)) {
    const parts = detail.map((d: { loc?: unknown[]; msg?: string; type?: string }) => {
      const loc = Array.isArray(d.loc) ? d.loc.filter((x) => x !== "body").join(".") : "";
      return loc ? `${loc}: ${d.msg ?? d.type}` : String(d.msg ?? d.type);
    });
    const first = detail[0] as { type?: string } | undefined;
    return { code: first?.type, message: parts.join("; ") };
  }
  const trimmed = text.trim();
  return { message: trimmed ? trimmed.slice(0, 300) : `HTTP ${status}` };
}

/**
 * Burki's own not-found answer, and for what. The docs give 404 `{"detail": "Campaign not found"}`
 * for every campaign route; the exact wording is not certain (reference §11), so any `detail` that
 * says a campaign (import, schedule) is not found or does not exist counts. FastAPI's answer for a
 * path with no route, `{"detail": "Not Found"}`, does not, nor does an HTML page or an empty body.
 */
export function classifyBurkiNotFound(body: unknown): NotFoundSubject | undefined {
  if (!body || typeof body !== "object") return undefined;
  const detail = (body as { detail?: unknown }).detail;
  if (typeof detail !== "string") return undefined;
  const d = detail.trim();
  if (d === "Not Found") return undefined; // Starlette: no route for this path
  if (!/\bnot\s+found\b|\b(?:does\s+not|doesn't|not)\s+exist\b|\bno\s+such\b/i.test(d)) return undefined;
  const subjects: Array<[NotFoundSubject, RegExp]> = [
    ["campaign", /\bcampaign\b/i],
    ["import", /\bimport\b/i],
    ["schedule", /\bschedule\b/i],
  ];
  let best: NotFoundSubject = "resource";
  let at = Infinity;
  for (const [subject, re] of subjects) {
    const m = re.exec(d);
    if (m && m.index < at) [best, at] = [subject, m.index];
  }
  return best;
}

/** How the HTTP client reads Burki's answers (error dialect and not-found). */
export const BURKI_DIALECT: Pick<HttpClientOptions, "parseError" | "classifyNotFound" | "notFoundAnswer"> = {
  parseError: parseBurkiError,
  classifyNotFound: classifyBurkiNotFound,
  notFoundAnswer: '404 {"detail": "Campaign not found"}',
};

export class BurkiClient {
  constructor(readonly http: HttpClient) {}

  async getCampaign(id: number): Promise<BurkiCampaign | undefined> {
    const path = `/api/v1/campaigns/${id}`;
    const r = await this.http.request<BurkiCampaign>({ method: "GET", path, notFound: ["campaign"] });
    if (r.status === 404) return undefined;
    if (!isCampaignJson<BurkiCampaign>(r.body)) throw this.http.endpointError("GET", path, r.status, r.body);
    return r.body;
  }

  /** One page of the organisation's campaigns, newest first where the server sorts so. */
  async listCampaigns(q: {
    search?: string;
    page?: number;
    perPage?: number;
    status?: string;
  }): Promise<BurkiListPage> {
    const r = await this.http.request<BurkiListPage>({
      method: "GET",
      path: "/api/v1/campaigns/",
      query: { search: q.search, page: q.page ?? 1, per_page: q.perPage ?? 100, status: q.status },
    });
    return { campaigns: r.body?.campaigns ?? [], pagination: r.body?.pagination };
  }

  /** POST create. Not idempotent: an ambiguous failure surfaces as OutcomeUnknownError. */
  async createCampaign(body: BurkiCreateBody): Promise<BurkiCampaign> {
    const r = await this.http.request<BurkiCampaign>({
      method: "POST",
      path: "/api/v1/campaigns/",
      json: body,
    });
    return r.body;
  }

  async updateCampaign(id: number, body: BurkiUpdateBody): Promise<void> {
    await this.http.request({ method: "PUT", path: `/api/v1/campaigns/${id}`, json: body });
  }

  /**
   * DELETE; "gone" only on Burki's own "Campaign not found" (any other 404 throws EndpointError).
   * Throws ApiError 400 while the campaign is running.
   */
  async deleteCampaign(id: number): Promise<"deleted" | "gone"> {
    const r = await this.http.request({
      method: "DELETE",
      path: `/api/v1/campaigns/${id}`,
      notFound: ["campaign"],
    });
    return r.status === 404 ? "gone" : "deleted";
  }

  /**
   * POST /start, /pause, /stop or /unschedule. Pause, stop and unschedule may be repeated after a
   * lost answer: once applied, a repeat is refused with a 400, which callers resolve by reading
   * the campaign again. A repeated start could queue a second run, so start is never repeated.
   */
  /** POST an action; returns the status the answer reports (start: `"scheduled"`), if any. */
  async action(id: number, action: "start" | "pause" | "stop" | "unschedule"): Promise<string | undefined> {
    const r = await this.http.request<{ status?: unknown }>({
      method: "POST",
      path: `/api/v1/campaigns/${id}/${action}`,
      idempotent: action !== "start",
    });
    const status = r.body?.status;
    return typeof status === "string" ? status : undefined;
  }

  /**
   * Upload contacts as CSV. Burki replaces pending/skipped contacts and skips duplicates of the
   * rest on every import, so sending the same file twice is harmless: the request may be retried.
   */
  async importContacts(id: number, csv: string, fileName: string): Promise<number | undefined> {
    const form = new FormData();
    form.append("file", new Blob([csv], { type: "text/csv" }), fileName);
    form.append("column_mappings", JSON.stringify({ phone_number: "phone_number", name: "name" }));
    const r = await this.http.request<{ import_id?: number; id?: number }>({
      method: "POST",
      path: `/api/v1/campaigns/${id}/import-data`,
      body: await encodeMultipart(form),
      idempotent: true,
    });
    return r.body?.import_id ?? r.body?.id;
  }

  async getImport(id: number, importId: number): Promise<BurkiImportStatus | undefined> {
    const r = await this.http.request<BurkiImportStatus>({
      method: "GET",
      path: `/api/v1/campaigns/${id}/imports/${importId}`,
      // An unknown import only: a missing campaign is thrown (NotFoundError), a route 404 too.
      notFound: ["import"],
    });
    return r.status === 404 ? undefined : r.body;
  }

  async getSchedule(id: number): Promise<BurkiSchedule | undefined> {
    const r = await this.http.request<BurkiSchedule>({
      method: "GET",
      path: `/api/v1/campaigns/${id}/schedule`,
      // No schedule saved; a missing campaign is thrown (NotFoundError).
      notFound: ["schedule"],
    });
    return r.status === 404 ? undefined : r.body;
  }

  /** POST /schedule: `scheduled`/`recurring` set the status to scheduled. Replaces, so repeatable. */
  async saveSchedule(id: number, schedule: BurkiSchedule): Promise<void> {
    await this.http.request({
      method: "POST",
      path: `/api/v1/campaigns/${id}/schedule`,
      json: schedule,
      idempotent: true,
    });
  }
}

/** Is this the 400 Burki gives when deleting a running campaign? */
export function isRunningDeleteRefusal(e: unknown): boolean {
  return isApiError(e, 400) && /running/i.test(e.vendorMessage);
}

const clients = new Map<string, BurkiClient>();

/** The client for the configured endpoint (stack config, then `env`: the `orphans` command passes its own). */
export function burkiClient(env: NodeJS.ProcessEnv = process.env): BurkiClient {
  const { apiKey, baseUrl } = endpointFor("burki", env);
  const requestMs = numberSetting("burki:requestTimeoutSeconds", 120, env) * 1000;
  const key = `${baseUrl}\u0000${apiKey}\u0000${requestMs}`;
  let c = clients.get(key);
  if (!c) {
    c = new BurkiClient(
      new HttpClient({
        platform: "burki",
        baseUrl,
        authHeaders: { authorization: `Bearer ${apiKey}` },
        ...BURKI_DIALECT,
        // One attempt gets at most a third of the budget, so a slow answer still leaves room to retry.
        timeouts: { requestMs, headersMs: Math.min(30_000, Math.ceil(requestMs / 3)) },
      }),
    );
    clients.set(key, c);
  }
  return c;
}
