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
  /** Woodpecker's reason (or what was wrong with its answer), scrubbed of emails. */
  readonly detail: string;
  constructor(
    readonly what: string,
    readonly code: string | undefined,
    detail: string,
  ) {
    super(`Woodpecker refused to ${what}: ${code ? `${code}: ` : ""}${scrubEmails(detail)}`);
    this.detail = scrubEmails(detail);
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
  opts: {
    update: boolean;
    force: boolean;
    /** Ids of prospects already in Woodpecker, by lowercased email: rows answered by `id` only map back. */
    ids?: ReadonlyMap<string, number>;
  },
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
    // All of them already there, said once for the request (E_DUPLICATE is a v1 code, §5).
    if (status?.status === "ERROR" && isDuplicateCode(status.code)) {
      return prospects.map(() => ({ kind: "duplicate" }));
    }
    if (status?.status === "ERROR") throw new ProspectsRequestError(what, status.code, status.msg ?? "error");
    throw new ProspectsRequestError(
      what,
      undefined,
      `HTTP ${r.status} with ${shapeOf(r.body)}, not the documented {"prospects": [...], "status": {...}}. ` +
        "It is unknown which prospects were added; run `pulumi refresh`, then `pulumi up` again.",
    );
  }
  // Rows are matched by email (their order is undocumented) [3P]; a row carrying only an `id`, by the
  // id of a prospect already known (the update pass); an answer whose rows carry no email at all
  // and one row per prospect sent, by position (the order sent; guessed, see README "What is guessed").
  const unwrapped = rows.map((raw) => (isRecord(raw) && isRecord(raw.prospect) ? raw.prospect : raw));
  const byEmail = new Map<string, AddOutcome>();
  const byId = new Map<number, AddOutcome>();
  const emailless: Array<AddOutcome | undefined> = [];
  for (const row of unwrapped) {
    if (!isRecord(row)) {
      emailless.push(undefined);
      continue;
    }
    const outcome = classifyRow(row, what);
    const email = typeof row.email === "string" ? row.email.trim().toLowerCase() : undefined;
    if (email) byEmail.set(email, outcome);
    else {
      emailless.push(outcome);
      const id = rowId(row);
      if (id !== undefined) byId.set(id, outcome);
    }
  }
  const positional = byEmail.size === 0 && emailless.length === prospects.length;
  const outcomes = prospects.map((p, i) => {
    const found =
      byEmail.get(p.email.trim().toLowerCase()) ??
      (opts.ids?.has(p.email.trim().toLowerCase())
        ? byId.get(opts.ids.get(p.email.trim().toLowerCase())!)
        : undefined) ??
      (positional ? emailless[i] : undefined);
    if (found) return found;
    // No row for it: a whole-request ERROR explains it (E_DUPLICATE there: it is already in); else
    // the answer is not what we know.
    if (status?.status === "ERROR" && isDuplicateCode(status.code)) return { kind: "duplicate" } as const;
    if (status?.status === "ERROR") {
      return {
        kind: "rejected",
        code: status.code ?? "ERROR",
        reason: scrubEmails(status.msg ?? "rejected"),
      } as const;
    }
    return {
      kind: "rejected",
      code: "NO_ANSWER",
      reason: "Woodpecker's answer has no row for this prospect",
    } as const;
  });
  // Every prospect refused with one code that is not about a prospect, as the whole request's code:
  // the campaign refused them (e.g. in a status that takes no prospects), not each prospect.
  if (
    status?.status === "ERROR" &&
    status.code !== undefined &&
    !PROSPECT_CODES.has(status.code) &&
    outcomes.length > 0 &&
    outcomes.every((o) => o.kind === "rejected" && o.code === status.code)
  ) {
    throw new ProspectsRequestError(what, status.code, status.msg ?? "error");
  }
  return outcomes;
}

/** Codes about one prospect (v1 code table, §5); any other code refuses the request as a whole. */
const PROSPECT_CODES = new Set(["E_EMAIL", "E_EMAIL_NOT_EXISTS", "E_INV_STATUS", "E_DUPLICATE"]);

const isDuplicateCode = (c: string | undefined) => {
  const u = c?.toUpperCase();
  return u === "DUPLICATE" || u === "E_DUPLICATE";
};

function rowId(row: Record<string, unknown>): number | undefined {
  const id = typeof row.id === "number" ? row.id : typeof row.id === "string" ? Number(row.id) : NaN;
  return Number.isSafeInteger(id) && id > 0 ? id : undefined;
}

function classifyRow(row: Record<string, unknown>, what: string): AddOutcome {
  const st = typeof row.status === "string" ? row.status.toUpperCase() : undefined;
  const code = typeof row.code === "string" ? row.code.toUpperCase() : undefined;
  const id = rowId(row);
  // The duplicate marker in any documented layout: `status: "DUPLICATE"` [DOC MCP, 3P], `code:
  // "E_DUPLICATE"` (v1 code table) with or without `status: "ERROR"`.
  if (isDuplicateCode(st) || isDuplicateCode(code)) return { kind: "duplicate" };
  if (st === "ERROR" || (code !== undefined && code !== "OK")) {
    const msg = typeof row.msg === "string" ? row.msg : (REASONS[code ?? ""] ?? "rejected");
    return { kind: "rejected", code: code ?? "ERROR", reason: scrubEmails(msg) };
  }
  if (st === undefined || st === "OK") return { kind: "added", id };
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

/**
 * Fields Woodpecker stored cut short: the stored value is a strict, non-empty start of the declared
 * one. Its field limits are undocumented (the check's limits are assumed); a value cut to a limit
 * would otherwise be "changed" on every `up`. Named by field and lengths, never by value.
 */
export function truncatedFields(declared: ApiProspect, stored: Record<string, string>): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(declared)) {
    if (k === "email" || k === "tags") continue;
    const got = stored[k];
    if (got && got.length < v.length && v.startsWith(got)) {
      out.push(`${k} (${got.length} of ${v.length} characters)`);
    }
  }
  return out;
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

/** What removals learned about Woodpecker's real URL limit (shared by the batches of one sync). */
export interface DeleteLimit {
  /** The most ids one DELETE was answered for after a too-long refusal; undefined: none refused. */
  maxIds?: number;
}

/** Halvings of one batch at most (360 ids → 2 or 3 per request): bounded, then it fails clearly. */
export const MAX_DELETE_HALVINGS = 7;

/**
 * The answer to a DELETE whose URL may be too long for Woodpecker. The documented limit is 4100
 * characters, but what Woodpecker answers past it is undocumented [§3.5]: a 414, a 400, or a v1
 * `E_WRONG_PARAM` inside a 200 are all taken as "too long" (the batch is halved and sent again).
 */
function tooLong(e: unknown): string | undefined {
  if (e instanceof ProspectsRequestError) {
    return e.code === "E_WRONG_PARAM" || e.code === "E_URL_NOT_FOUND" ? `${e.code}: ${e.detail}` : undefined;
  }
  if (isApiError(e) && (e.status === 414 || e.status === 400)) return e.message;
  return undefined;
}

/**
 * DELETE /rest/v1/prospects?id=…&campaigns_id=… : removes them from this campaign only (they stay
 * in the account's database). 200 with no body [DOC]; a v1 error inside the 200 is thrown. A batch
 * refused as too long (see `tooLong`) is halved and each half sent (at most MAX_DELETE_HALVINGS
 * times); the size that went through caps the next batches (`limit`).
 */
export async function removeProspectsFromCampaign(
  http: HttpClient,
  campaignId: number,
  ids: readonly number[],
  limit: DeleteLimit = {},
): Promise<void> {
  if (!ids.length) return;
  await removeHalving(http, campaignId, ids, limit, 0);
}

async function removeHalving(
  http: HttpClient,
  campaignId: number,
  ids: readonly number[],
  limit: DeleteLimit,
  halvings: number,
): Promise<void> {
  const cap = limit.maxIds;
  if (cap !== undefined && ids.length > cap) {
    // A size learned meanwhile (from the other half): no need to be refused again.
    for (let i = 0; i < ids.length; i += cap) {
      await removeHalving(http, campaignId, ids.slice(i, i + cap), limit, halvings);
    }
    return;
  }
  try {
    await removeOnce(http, campaignId, ids);
  } catch (e) {
    const why = tooLong(e);
    if (why === undefined) throw e;
    if (ids.length === 1 || halvings >= MAX_DELETE_HALVINGS) {
      throw new ProspectsRequestError(
        `remove ${ids.length} prospect(s) from campaign ${campaignId}`,
        undefined,
        `${ids.length === 1 ? "a DELETE of a single id" : `a DELETE of ${ids.length} ids, after ${halvings} halvings,`} ` +
          `was refused too, so it is not the URL's length: ${why}. Nothing more was removed; run ` +
          "`pulumi refresh`, then `pulumi up` again.",
      );
    }
    const half = Math.ceil(ids.length / 2);
    limit.maxIds = Math.min(limit.maxIds ?? Infinity, half);
    await removeHalving(http, campaignId, ids.slice(0, half), limit, halvings + 1);
    await removeHalving(http, campaignId, ids.slice(half), limit, halvings + 1);
  }
}

async function removeOnce(http: HttpClient, campaignId: number, ids: readonly number[]): Promise<void> {
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
