/**
 * The Woodpecker emulator's v1 prospect endpoints (reference/woodpecker-prospects-api.md §8):
 *   POST   /rest/v1/add_prospects_campaign   add (and with `update: true`, update) in a campaign
 *   GET    /rest/v1/prospects?campaigns_id=  list a campaign's prospects, paged
 *   DELETE /rest/v1/prospects?id=…[&campaigns_id=…]   remove from campaigns, or delete globally
 *
 * Plain functions over a ProspectStore (per account: a global table keyed by email, plus each
 * campaign's members), wired into the emulator's v1 routing. They run behind the emulator's
 * per-account queue like every API request (one at a time, six waiting). v1 answers errors inside
 * HTTP 200. Choices the docs leave open are marked `// emulator guess:`.
 */
import { HttpReply, parseJson, type RequestContext } from "../common";
import { BlacklistStore } from "./blacklist";

export const PROSPECT_GLOBAL_STATUSES = ["ACTIVE", "BOUNCED", "REPLIED", "BLACKLIST", "INVALID"] as const;
export type ProspectGlobalStatus = (typeof PROSPECT_GLOBAL_STATUSES)[number];
/** A prospect's status in one campaign (reference §4.2). */
export const PROSPECT_CAMPAIGN_STATUSES = [
  "ACTIVE",
  "REPLIED",
  "AUTOREPLIED",
  "BOUNCED",
  "INVALID",
  "BLACKLIST",
  "TO-CHECK",
  "TO-REVIEW",
  "PAUSED",
] as const;

/** Writable fields (§2.1), besides `email`. */
export const PROSPECT_FIELDS = [
  "first_name",
  "last_name",
  "company",
  "website",
  "linkedin_url",
  "tags",
  "title",
  "phone",
  "address",
  "city",
  "state",
  "country",
  "industry",
  ...Array.from({ length: 15 }, (_, i) => `snippet${i + 1}`),
] as const;

export const MAX_ADD_PER_REQUEST = 20_000;
export const MAX_PER_PAGE = 1000;
export const MAX_DELETE_URL = 4100;

export interface StoredProspect {
  id: number;
  account: string;
  email: string;
  status: ProspectGlobalStatus;
  fields: Record<string, string>;
  updated: Date;
}

export interface CampaignMembership {
  /** The prospect's status in this campaign. */
  status: string;
  interested: string;
  imported: string;
}

/** What the prospect handlers need of a campaign (the emulator's stored campaign). */
export interface ProspectCampaign {
  id: number;
  account: string;
  status: string;
}

const EMAIL = /^[^\s@"<>(),;:]+@[^\s@"<>(),;:]+\.[^\s@"<>(),;:.]+$/;

function v1Error(code: string, msg: string): HttpReply {
  return new HttpReply(200, { status: { status: "ERROR", code, msg } });
}

const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

export class ProspectStore {
  private nextId = 1091123001;
  /** account → lowercased email → prospect. */
  private readonly byAccount = new Map<string, Map<string, StoredProspect>>();
  /** campaign id → prospect id → membership. */
  readonly members = new Map<number, Map<number, CampaignMembership>>();
  /** Each account's blacklist (blacklist.ts). */
  readonly blacklist = new BlacklistStore();

  clear(): void {
    this.byAccount.clear();
    this.members.clear();
    this.blacklist.clear();
    this.nextId = 1091123001;
  }

  private table(account: string): Map<string, StoredProspect> {
    let t = this.byAccount.get(account);
    if (!t) {
      t = new Map();
      this.byAccount.set(account, t);
    }
    return t;
  }

  find(account: string, email: string): StoredProspect | undefined {
    return this.table(account).get(email.trim().toLowerCase());
  }

  byId(account: string, id: number): StoredProspect | undefined {
    for (const p of this.table(account).values()) if (p.id === id) return p;
    return undefined;
  }

  /** A prospect by id in whichever account holds it (ids are unique across accounts). */
  byIdInAnyAccount(id: number): StoredProspect | undefined {
    for (const account of this.byAccount.keys()) {
      const p = this.byId(account, id);
      if (p) return p;
    }
    return undefined;
  }

  create(account: string, email: string, fields: Record<string, string>): StoredProspect {
    const p: StoredProspect = {
      id: this.nextId++,
      account,
      email: email.trim(),
      status: "ACTIVE",
      fields,
      updated: new Date(),
    };
    this.table(account).set(p.email.toLowerCase(), p);
    return p;
  }

  membersOf(campaignId: number): Map<number, CampaignMembership> {
    let m = this.members.get(campaignId);
    if (!m) {
      m = new Map();
      this.members.set(campaignId, m);
    }
    return m;
  }

  /** Delete globally: from the table and from every campaign. */
  deleteGlobally(account: string, id: number): void {
    const p = this.byId(account, id);
    if (!p) return;
    this.table(account).delete(p.email.toLowerCase());
    for (const m of this.members.values()) m.delete(id);
  }

  /** After the blacklist grew: the account's prospects it covers get the global status BLACKLIST. */
  markBlacklisted(account: string): void {
    for (const p of this.table(account).values()) {
      if (this.blacklist.covers(account, p.email)) p.status = "BLACKLIST";
    }
  }

  // Control (tests, "outside Pulumi")

  /** Set a prospect's global status (a reply or bounce elsewhere); also its status in `campaignId`. */
  setStatus(account: string, email: string, status: ProspectGlobalStatus, campaignId?: number): void {
    const p = this.find(account, email);
    if (!p) throw new Error(`no prospect with that email in ${account}`);
    p.status = status;
    if (campaignId !== undefined) {
      const m = this.membersOf(campaignId).get(p.id);
      if (m) m.status = status;
    }
  }

  /** The prospects of a campaign, in id order (control view, with their campaign status). */
  list(account: string, campaignId: number): Array<StoredProspect & { campaignStatus: string }> {
    const m = this.membersOf(campaignId);
    return [...this.table(account).values()]
      .filter((p) => m.has(p.id))
      .sort((a, b) => a.id - b.id)
      .map((p) => ({ ...p, fields: { ...p.fields }, campaignStatus: m.get(p.id)!.status }));
  }
}

export interface ProspectRouteDeps {
  store: ProspectStore;
  account: string;
  /** The account's campaign with this id, or undefined. */
  campaign: (id: number) => ProspectCampaign | undefined;
}

/** The v1 prospect routes; undefined when the request is not one of them. */
export function handleProspectsV1(ctx: RequestContext, deps: ProspectRouteDeps): HttpReply | undefined {
  if (ctx.path === "/rest/v1/add_prospects_campaign") {
    if (ctx.method !== "POST") return v1Error("E_URL_NOT_FOUND", "URL not found");
    return addProspectsCampaign(ctx, deps);
  }
  if (ctx.path === "/rest/v1/prospects") {
    if (ctx.method === "GET") return listProspects(ctx, deps);
    if (ctx.method === "DELETE") return deleteProspects(ctx, deps);
    return v1Error("E_URL_NOT_FOUND", "URL not found");
  }
  return undefined;
}

function bool(v: unknown): boolean {
  // The docs use JSON booleans; one third-party swagger sends "true"/"false" strings [3P].
  return v === true || v === "true";
}

export function addProspectsCampaign(ctx: RequestContext, deps: ProspectRouteDeps): HttpReply {
  const parsed = ctx.rawBody.length ? parseJson(ctx.rawBody) : undefined;
  // emulator guess: an unreadable body is E_WRONG_PARAM inside a 200.
  if (!parsed?.ok || !isObj(parsed.value)) return v1Error("E_WRONG_PARAM", "Invalid request body");
  const body = parsed.value;
  if (!Array.isArray(body.prospects)) return v1Error("E_REQUIRED_ELEMENT", "Missing prospects object");
  const campaignId = isObj(body.campaign) ? Number(body.campaign.campaign_id) : NaN;
  if (!Number.isInteger(campaignId) || campaignId <= 0) {
    return v1Error("E_REQUIRED_ELEMENT", "Missing campaign.campaign_id");
  }
  const campaign = deps.campaign(campaignId);
  // emulator guess: an unknown campaign is E_RECORD_NOT_FOUND inside a 200 (undocumented).
  if (!campaign) return v1Error("E_RECORD_NOT_FOUND", "Campaign not found");
  if (body.prospects.length > MAX_ADD_PER_REQUEST) {
    // emulator guess: the documented 20,000 cap answers E_WRONG_PARAM.
    return v1Error("E_WRONG_PARAM", `At most ${MAX_ADD_PER_REQUEST} prospects per request`);
  }
  const update = bool(body.update);
  const force = bool(body.force);
  const imported = typeof body.file_name === "string" ? body.file_name : "API import";
  const members = deps.store.membersOf(campaignId);
  const rows: Record<string, unknown>[] = [];
  let added = 0;
  for (const raw of body.prospects as unknown[]) {
    const email = isObj(raw) && typeof raw.email === "string" ? raw.email.trim() : "";
    if (!EMAIL.test(email)) {
      rows.push({ email, status: "ERROR", code: "E_EMAIL", msg: "Invalid email format" });
      continue;
    }
    const fields: Record<string, string> = {};
    for (const k of PROSPECT_FIELDS) {
      const v = (raw as Record<string, unknown>)[k];
      if (typeof v === "string") fields[k] = v;
    }
    let p = deps.store.find(deps.account, email);
    // emulator guess: a blacklisted address is refused even with force (BLACKLIST "can only be changed manually").
    if (deps.store.blacklist.covers(deps.account, email)) {
      rows.push({ email, status: "ERROR", code: "E_INV_STATUS", msg: "Prospect status is BLACKLIST" });
      continue;
    }
    if (p && p.status !== "ACTIVE" && !force) {
      rows.push({
        email,
        status: "ERROR",
        code: "E_INV_STATUS",
        msg: `Prospect status is ${p.status}; use force to add it`,
      });
      continue;
    }
    if (p && members.has(p.id)) {
      if (update) {
        Object.assign(p.fields, fields);
        p.updated = new Date();
        if (force) p.status = "ACTIVE";
        rows.push({ email, id: p.id, status: "OK" });
        continue;
      }
      // The documented duplicate marker; stored data is not changed without `update` [DOC].
      rows.push({ email, id: p.id, status: "DUPLICATE" });
      continue;
    }
    if (!p) p = deps.store.create(deps.account, email, fields);
    else if (update) {
      Object.assign(p.fields, fields);
      p.updated = new Date();
    }
    // With force, a non-ACTIVE prospect is enrolled [DOC]; emulator guess: its status becomes ACTIVE.
    if (force) p.status = "ACTIVE";
    members.set(p.id, { status: "ACTIVE", interested: "NOT-MARKED", imported });
    added++;
    rows.push({ email, id: p.id });
  }
  // COMPLETED → RUNNING when prospects are added [DOC campaign-statuses].
  if (added > 0 && campaign.status === "COMPLETED") campaign.status = "RUNNING";
  const okRows = rows.filter((r) => r.status !== "ERROR").length;
  // emulator guess (w6w fixture): when no prospect went through, the top-level status is ERROR too.
  const status =
    okRows === 0 && rows.length > 0
      ? { status: "ERROR", code: "E_INV_STATUS", msg: "None of the requested prospects were added" }
      : { status: "OK", code: "OK", msg: "OK" };
  return new HttpReply(200, { prospects: rows, status });
}

function v1Date(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, "+0000");
}

export function listProspects(ctx: RequestContext, deps: ProspectRouteDeps): HttpReply {
  const page = ctx.query.has("page") ? Number(ctx.query.get("page")) : 1;
  const perPage = ctx.query.has("per_page") ? Number(ctx.query.get("per_page")) : 100;
  if (!Number.isInteger(page) || page < 1) return v1Error("E_WRONG_PARAM", "Invalid page");
  if (!Number.isInteger(perPage) || perPage < 1 || perPage > MAX_PER_PAGE) {
    return v1Error("E_WRONG_PARAM", `per_page must be 1-${MAX_PER_PAGE}`);
  }
  const ids = (ctx.query.get("campaigns_id") ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)
    .map(Number);
  if (ids.some((id) => !Number.isInteger(id) || id <= 0))
    return v1Error("E_WRONG_PARAM", "Invalid campaigns_id");
  const campaigns = ids.map((id) => deps.campaign(id));
  if (campaigns.some((c) => !c)) return v1Error("E_RECORD_NOT_FOUND", "Campaign not found");
  const all = ids.length
    ? ids.flatMap((id) => deps.store.list(deps.account, id).map((p) => ({ p, campaignId: id })))
    : [];
  const rows = all.slice((page - 1) * perPage, page * perPage);
  const headers = { "x-total-count": String(all.length) };
  if (rows.length === 0) {
    // The documented "no match" object instead of [] [3P w6w fixture].
    return new HttpReply(200, { message: "There are no prospects matching the given criteria." }, headers);
  }
  const campaignStatus = (id: number) => campaigns.find((c) => c!.id === id)!.status;
  return new HttpReply(
    200,
    rows.map(({ p, campaignId }) => {
      const out: Record<string, unknown> = {
        id: p.id,
        email: p.email,
        status: p.status,
        updated: v1Date(p.updated),
        last_contacted: null,
        last_replied: null,
      };
      for (const k of PROSPECT_FIELDS) out[k] = p.fields[k] ?? "";
      out.campaigns_details = [
        {
          campaign_id: campaignId,
          campaign_status: campaignStatus(campaignId),
          campaign_prospect_status: p.campaignStatus,
          interested: deps.store.membersOf(campaignId).get(p.id)?.interested ?? "NOT-MARKED",
        },
      ];
      return out;
    }),
    headers,
  );
}

export function deleteProspects(ctx: RequestContext, deps: ProspectRouteDeps): HttpReply {
  // The URL as sent: origin-less path + query, compared against the documented 4100 characters.
  const urlLength = `http://api.woodpecker.co${ctx.path}?${ctx.query.toString()}`.length;
  // emulator guess: an over-long URL answers 414 (the real error is undocumented).
  if (urlLength > MAX_DELETE_URL)
    return new HttpReply(414, { status: { status: "ERROR", code: "E_WRONG_PARAM", msg: "URI too long" } });
  const list = (name: string) =>
    (ctx.query.get(name) ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean)
      .map(Number);
  const ids = list("id");
  if (!ids.length) return v1Error("E_REQUIRED_ELEMENT", "Missing id");
  if (ids.some((id) => !Number.isInteger(id) || id <= 0)) return v1Error("E_WRONG_PARAM", "Invalid id");
  const campaignIds = list("campaigns_id");
  if (campaignIds.some((id) => !Number.isInteger(id) || id <= 0)) {
    return v1Error("E_WRONG_PARAM", "Invalid campaigns_id");
  }
  if (campaignIds.length) {
    // Only from those campaigns; the global record stays [DOC]. Unknown ids: still 200 [INF].
    for (const cid of campaignIds) {
      if (!deps.campaign(cid)) continue;
      const m = deps.store.membersOf(cid);
      for (const id of ids) if (deps.store.byId(deps.account, id)) m.delete(id);
    }
  } else {
    for (const id of ids) deps.store.deleteGlobally(deps.account, id);
  }
  return new HttpReply(200, undefined);
}
