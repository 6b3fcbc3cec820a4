/**
 * Woodpecker's v1 prospect endpoints (reference/woodpecker-prospects-api.md): add/update in a
 * campaign, list a campaign's prospects, remove from a campaign. Every call goes through the
 * account's limiter (the WoodpeckerClient's HttpClient).
 *
 * The response shapes are known only from third-party clients [3P]: every documented variant is
 * accepted, anything else fails clearly. v1 reports failures inside a 200 (`status.status:
 * "ERROR"`), so every 200 body is inspected. Nothing here puts an email into an error or a log
 * line: vendor texts are scrubbed of addresses, and prospects are named by position.
 */
import { CampaignsError, isApiError } from "../core/errors";
import type { HttpClient } from "../core/http";
import { isRecord } from "../core/validation";

/** The body Woodpecker takes per prospect (§2.1). */
export type ApiProspect = Record<string, string> & { email: string };

/** One prospect of a campaign, as listed (§2.3), reduced to what the provider reads. */
export interface ListedProspect {
  id: number;
  email: string;
  /** The prospect's status in this campaign (or its global status when that is all the row has). */
  status: string;
  /** Writable fields as stored (`first_name`, `snippet1`, …). */
  fields: Record<string, string>;
}

export type AddOutcome =
  { kind: "added"; id?: number } | { kind: "duplicate" } | { kind: "rejected"; code: string; reason: string };

/** The maximum URL length of DELETE /rest/v1/prospects [DOC: 4100 characters]. */
export const MAX_DELETE_URL = 4100;
export const LIST_PAGE_SIZE = 1000;

/** Replace anything that looks like an email address (vendor texts may echo them). */
export function scrubEmails(text: string): string {
  return text.replace(/[^\s@"'<>(),;:[\]{}]+@[^\s@"'<>(),;:[\]{}]+/g, "[email]");
}

/** A v1 request failed as a whole (inside a 200 or not); the message names no prospect. */
export class ProspectsRequestError extends CampaignsError {
  constructor(
    readonly what: string,
    readonly code: string | undefined,
    detail: string,
  ) {
    super(`Woodpecker refused to ${what}: ${code ? `${code}: ` : ""}${scrubEmails(detail)}`);
  }
}

function v1Status(body: unknown): { status?: string; code?: string; msg?: string } | undefined {
  if (!isRecord(body) || !isRecord(body.status)) return undefined;
  const s = body.status;
  const str = (x: unknown) => (typeof x === "string" ? x : undefined);
  return { status: str(s.status), code: str(s.code), msg: str(s.msg) };
}

/** Shape of a body, for errors: its kind and top-level keys, never its values. */
function shapeOf(body: unknown): string {
  if (Array.isArray(body)) return `an array of ${body.length}`;
  if (isRecord(body)) return `an object with keys ${Object.keys(body).slice(0, 8).join(", ") || "(none)"}`;
  if (typeof body === "string") return body.trim() ? "a text body" : "an empty body";
  return body === undefined || body === null ? "an empty body" : `a ${typeof body}`;
}

/** Run a request; errors from the HTTP client are scrubbed of emails (they may quote the body). */
async function scrubbed<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof Error) {
      e.message = scrubEmails(e.message);
      if (isApiError(e) && e.vendorMessage) {
        (e as { vendorMessage?: string }).vendorMessage = scrubEmails(e.vendorMessage);
      }
    }
    throw e;
  }
}

/**
 * POST /rest/v1/add_prospects_campaign (`update: true` for changed data). Returns one outcome per
 * prospect sent, in the order sent; rows are matched by email (their order is undocumented).
 */
export async function addProspectsToCampaign(
  http: HttpClient,
  campaignId: number,
  prospects: readonly ApiProspect[],
  opts: { update: boolean; force: boolean },
): Promise<AddOutcome[]> {
  const what = `${opts.update ? "update" : "add"} ${prospects.length} prospect(s) in campaign ${campaignId}`;
  const json: Record<string, unknown> = {
    campaign: { campaign_id: campaignId },
    force: opts.force,
    file_name: "pulumi-campaigns",
    prospects,
  };
  if (opts.update) json.update = true;
  // Not idempotent in general, but re-sending the same rows is harmless (a duplicate marker or the
  // same update), so an ambiguous failure may be retried.
  const r = await scrubbed(() =>
    http.request<unknown>({ method: "POST", path: "/v1/add_prospects_campaign", json, idempotent: true }),
  );
  const status = v1Status(r.body);
  const rows =
    isRecord(r.body) && Array.isArray(r.body.prospects) ? (r.body.prospects as unknown[]) : undefined;
  if (!rows) {
    if (status?.status === "ERROR") throw new ProspectsRequestError(what, status.code, status.msg ?? "error");
    throw new ProspectsRequestError(
      what,
      undefined,
      `HTTP ${r.status} with ${shapeOf(r.body)}, not the documented {"prospects": [...], "status": {...}}. ` +
        "It is unknown which prospects were added; run `pulumi refresh`, then `pulumi up` again.",
    );
  }
  const byEmail = new Map<string, AddOutcome>();
  for (const row of rows) {
    if (!isRecord(row)) continue;
    const email = typeof row.email === "string" ? row.email.trim().toLowerCase() : undefined;
    if (!email) continue;
    byEmail.set(email, classifyRow(row, what));
  }
  return prospects.map((p) => {
    const found = byEmail.get(p.email.trim().toLowerCase());
    if (found) return found;
    // No row for it: whole-request ERROR explains it; else the answer is not what we know.
    if (status?.status === "ERROR") {
      return {
        kind: "rejected",
        code: status.code ?? "ERROR",
        reason: scrubEmails(status.msg ?? "rejected"),
      };
    }
    return {
      kind: "rejected",
      code: "NO_ANSWER",
      reason: "Woodpecker's answer has no row for this prospect",
    };
  });
}

function classifyRow(row: Record<string, unknown>, what: string): AddOutcome {
  const st = typeof row.status === "string" ? row.status.toUpperCase() : undefined;
  const code = typeof row.code === "string" ? row.code : undefined;
  const id = typeof row.id === "number" ? row.id : typeof row.id === "string" ? Number(row.id) : undefined;
  if (st === "DUPLICATE" || code === "E_DUPLICATE") return { kind: "duplicate" };
  if (st === "ERROR" || (code !== undefined && code !== "OK")) {
    const msg = typeof row.msg === "string" ? row.msg : (REASONS[code ?? ""] ?? "rejected");
    return { kind: "rejected", code: code ?? "ERROR", reason: scrubEmails(msg) };
  }
  if (st === undefined || st === "OK") return { kind: "added", id: Number.isFinite(id) ? id : undefined };
  throw new ProspectsRequestError(
    what,
    undefined,
    `a prospect row has the undocumented status "${scrubEmails(st).slice(0, 40)}"; nothing is assumed about it. ` +
      "Run `pulumi refresh`, then `pulumi up` again.",
  );
}

const REASONS: Record<string, string> = {
  E_EMAIL: "invalid email format",
  E_EMAIL_NOT_EXISTS: "the email looks nonexistent",
  E_INV_STATUS: "the prospect's global status is not ACTIVE (replied, bounced, blacklisted or invalid)",
};

function fieldsOf(row: Record<string, unknown>): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [k, v] of Object.entries(row)) {
    if (typeof v === "string" && v !== "") fields[k] = v;
  }
  // Legacy spellings `snipet1`…`snipet4` [DOC sample]: read when the proper key is absent.
  for (let n = 1; n <= 4; n++) {
    if (fields[`snippet${n}`] === undefined && fields[`snipet${n}`] !== undefined) {
      fields[`snippet${n}`] = fields[`snipet${n}`];
    }
  }
  return fields;
}

function listedRow(raw: unknown, campaignId: number): ListedProspect | undefined {
  // One integration unwraps `{prospect: {...}}` rows [3P w6w]; flat rows are the documented sample.
  const row = isRecord(raw) && isRecord(raw.prospect) ? raw.prospect : raw;
  if (!isRecord(row) || typeof row.email !== "string") return undefined;
  const id = typeof row.id === "number" ? row.id : Number(row.id);
  if (!Number.isFinite(id)) return undefined;
  let status = typeof row.status === "string" ? row.status : "ACTIVE";
  // The campaign view: `campaigns_details[]` with the prospect's status in each campaign [3P].
  if (Array.isArray(row.campaigns_details)) {
    const mine = row.campaigns_details.find(
      (d: unknown) => isRecord(d) && Number(d.campaign_id) === campaignId,
    ) as Record<string, unknown> | undefined;
    if (mine && typeof mine.campaign_prospect_status === "string") status = mine.campaign_prospect_status;
  }
  return { id, email: row.email, status: status.toUpperCase(), fields: fieldsOf(row) };
}

/**
 * GET /rest/v1/prospects?campaigns_id=… page by page (`per_page` 1000), within `budgetMs`, logging
 * progress through `progress` on lists of more than one page.
 */
export async function listCampaignProspects(
  http: HttpClient,
  campaignId: number,
  opts: { budgetMs: number; progress?: (listed: number, total: number | undefined) => void },
): Promise<ListedProspect[]> {
  const what = `list the prospects of campaign ${campaignId}`;
  const deadline = Date.now() + opts.budgetMs;
  const out: ListedProspect[] = [];
  for (let page = 1; ; page++) {
    if (Date.now() > deadline) {
      throw new CampaignsError(
        `Listing the prospects of Woodpecker campaign ${campaignId} took longer than ` +
          `${Math.round(opts.budgetMs / 1000)} s (${out.length} read so far); no prospect was changed by this step. ` +
          "Run again when Woodpecker is less busy (it processes one request per account at a time).",
      );
    }
    const r = await scrubbed(() =>
      http.request<unknown>({
        method: "GET",
        path: "/v1/prospects",
        query: { campaigns_id: campaignId, page, per_page: LIST_PAGE_SIZE },
      }),
    );
    const header = r.headers["x-total-count"];
    const total = Number(Array.isArray(header) ? header[0] : header);
    const body = r.body;
    let rows: unknown[];
    if (Array.isArray(body)) rows = body;
    else if (isRecord(body) && typeof body.message === "string" && !("status" in body))
      rows = []; // "no prospects matching"
    else {
      const st = v1Status(body);
      if (st?.status === "ERROR") throw new ProspectsRequestError(what, st.code, st.msg ?? "error");
      throw new ProspectsRequestError(
        what,
        undefined,
        `HTTP ${r.status} with ${shapeOf(body)}, not the documented array of prospects`,
      );
    }
    for (const raw of rows) {
      const p = listedRow(raw, campaignId);
      if (!p) {
        throw new ProspectsRequestError(what, undefined, "a listed prospect has no numeric id or no email");
      }
      out.push(p);
    }
    const knownTotal = Number.isFinite(total) ? total : undefined;
    if (rows.length === LIST_PAGE_SIZE || page > 1) opts.progress?.(out.length, knownTotal);
    if (rows.length < LIST_PAGE_SIZE) return out;
    if (knownTotal !== undefined && out.length >= knownTotal) return out;
  }
}

/** Comma-separated id lists whose DELETE URL stays within Woodpecker's 4100 characters. */
export function deleteBatches(ids: readonly number[], campaignId: number, origin: string): number[][] {
  const fixed = `${origin}/v1/prospects?id=&campaigns_id=${campaignId}`.length;
  const batches: number[][] = [];
  let current: number[] = [];
  let length = fixed;
  for (const id of ids) {
    const add = String(id).length + (current.length ? 3 : 0); // "%2C": the comma, URL-encoded
    if (current.length && length + add > MAX_DELETE_URL) {
      batches.push(current);
      current = [];
      length = fixed;
    }
    length += String(id).length + (current.length ? 3 : 0);
    current.push(id);
  }
  if (current.length) batches.push(current);
  return batches;
}

/**
 * DELETE /rest/v1/prospects?id=…&campaigns_id=… : removes them from this campaign only (they stay
 * in the account's database). 200 with no body [DOC]; a v1 error inside the 200 is thrown.
 */
export async function removeProspectsFromCampaign(
  http: HttpClient,
  campaignId: number,
  ids: readonly number[],
): Promise<void> {
  if (!ids.length) return;
  const what = `remove ${ids.length} prospect(s) from campaign ${campaignId}`;
  const r = await scrubbed(() =>
    http.request<unknown>({
      method: "DELETE",
      path: "/v1/prospects",
      query: { id: ids.join(","), campaigns_id: campaignId },
    }),
  );
  const st = v1Status(r.body);
  if (st?.status === "ERROR") throw new ProspectsRequestError(what, st.code, st.msg ?? "error");
}
