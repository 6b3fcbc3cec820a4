/**
 * GET /rest/v1/prospects?campaigns_id=… (reference/woodpecker-prospects-api.md §2.3): a campaign's
 * prospects, page by page, each reduced to what the provider reads (id, email, the status in this
 * campaign, the stored fields). Every row layout third parties report is read; anything else fails
 * clearly, and a list that takes longer than its budget stops before any prospect is changed.
 */
import { CampaignsError } from "../core/errors";
import type { HttpClient } from "../core/http";
import { isRecord } from "../core/validation";
import { type ListedProspect, ProspectsRequestError, scrubbed, shapeOf, v1Status } from "./prospects-v1";

export const LIST_PAGE_SIZE = 1000;

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
