/**
 * `woodpecker.Campaign` `prospects`: planning (what to add, update, remove), batching, the secret
 * digest, and the sync/read steps the lifecycle calls (reference/woodpecker-prospects-api.md).
 *
 * Managed prospects are the declared ones. Declared but absent from the campaign → added;
 * present with other data → updated (`update: true`); declared before but no longer → removed from
 * this campaign only (never deleted from the account's database). Prospects someone added in
 * Woodpecker's app and never declared are left alone.
 *
 * With `prospectsFile` the state keeps no list of whom it declared, so "declared before" cannot be
 * told apart from "added in the app": once a campaign's prospects come from a file, every prospect
 * of the campaign that is not in the file is removed from it when the provider applies the file
 * (on create and adoption nothing is removed; moving from inline `prospects` to a file removes only
 * the inline list's prospects that the file no longer has).
 */
import { createHash } from "node:crypto";
import { AuthenticationError, CampaignsError, isApiError } from "../core/errors";
import { digestOf } from "../core/digest";
import type { DoNotContactList } from "../core/do-not-contact";
import { logInfo } from "../core/log";
import { UNKNOWN, containsUnknown } from "../core/validation";
import type { WoodpeckerClient } from "./api";
import { blacklistRemoved, listedLiveIds } from "./do-not-contact-sync";
import {
  type AddOutcome,
  type ApiProspect,
  type DeleteLimit,
  type ListedProspect,
  ProspectsRequestError,
  addProspectsToCampaign,
  deleteBatches,
  listCampaignProspects,
  removeProspectsFromCampaign,
  truncatedFields,
} from "./prospects-api";
import { MAX_PROSPECTS_PER_REQUEST, SNIPPET_KEYS, emailKey } from "./prospects-schema";
import type {
  WoodpeckerCampaignInputs,
  WoodpeckerCampaignOutputs,
  WoodpeckerProspect,
  WoodpeckerProspectCounts,
} from "./types";

/** Input field → Woodpecker's field (§2.1). */
export const FIELD_MAP: Readonly<Record<string, string>> = {
  firstName: "first_name",
  lastName: "last_name",
  company: "company",
  website: "website",
  linkedinUrl: "linkedin_url",
  title: "title",
  phone: "phone",
  address: "address",
  city: "city",
  state: "state",
  country: "country",
  industry: "industry",
  ...Object.fromEntries(SNIPPET_KEYS.map((k) => [k, k])),
};

const API_FIELDS: ReadonlyMap<string, string> = new Map(Object.entries(FIELD_MAP));

/** A declared prospect in Woodpecker's shape. */
export function toApiProspect(p: WoodpeckerProspect): ApiProspect {
  const out: ApiProspect = { email: p.email.trim() };
  // Over the prospect's own fields (a few), not every known field: called for each of 100,000.
  for (const k of Object.keys(p)) {
    const apiKey = API_FIELDS.get(k);
    const v = (p as Record<string, unknown>)[k];
    if (apiKey !== undefined && typeof v === "string" && v !== "") out[apiKey] = v;
  }
  if (p.tags?.length) out.tags = p.tags.map((t) => `#${t}`).join(" ");
  return out;
}

const tagSet = (s: string | undefined) =>
  (s ?? "")
    .split(/\s+/)
    .map((t) => t.replace(/^#/, ""))
    .filter(Boolean)
    .sort()
    .join(" ");

/**
 * Does the stored prospect hold what is declared? Only declared fields count: an undeclared field
 * is not managed (Woodpecker keeps stored data for fields a request leaves out [DOC]).
 */
export function sameProspectData(declared: ApiProspect, stored: Record<string, string>): boolean {
  for (const [k, v] of Object.entries(declared)) {
    if (k === "email") continue;
    if (k === "tags") {
      if (tagSet(v) !== tagSet(stored.tags)) return false;
    } else if ((stored[k] ?? "") !== v) return false;
  }
  return true;
}

/** The secret digest of the managed prospects (order-insensitive; undefined when unmanaged). */
export function prospectsDigest(prospects: readonly WoodpeckerProspect[] | undefined): string | undefined {
  if (prospects === undefined) return undefined;
  const rows = prospects.map((p) => {
    const row = toApiProspect(p); // a new object: the key may replace its email
    row.email = emailKey(p.email);
    return row;
  });
  rows.sort((a, b) => (a.email < b.email ? -1 : a.email > b.email ? 1 : 0));
  // digestOf(rows), written out: the same canonical JSON (keys sorted, every value a string), hashed
  // as it is produced — 100,000 prospects in a fraction of the time of the generic replacer.
  const hash = createHash("sha256");
  let chunk = "[";
  rows.forEach((row, i) => {
    const sorted: Record<string, string> = {};
    for (const k of Object.keys(row).sort()) sorted[k] = row[k];
    chunk += (i ? "," : "") + JSON.stringify(sorted);
    if (chunk.length > 65_536) {
      hash.update(chunk);
      chunk = "";
    }
  });
  hash.update(`${chunk}]`);
  return hash.digest("hex");
}

export interface ProspectPlan {
  /** Positions (in `prospects`) to add. */
  add: number[];
  /** Positions to update (`update: true`). */
  update: number[];
  /** Woodpecker ids to remove from the campaign. */
  remove: number[];
}

/**
 * What to change, from the declared list, the previously declared list (from state) and the
 * campaign's live prospects.
 */
export function planProspects(
  declared: readonly WoodpeckerProspect[],
  /** Previously declared (removed when no longer declared); "campaign": every live prospect is (the file form). */
  previous: readonly WoodpeckerProspect[] | "campaign" | undefined,
  live: readonly ListedProspect[],
): ProspectPlan {
  const liveByEmail = new Map(live.map((p) => [emailKey(p.email), p]));
  const plan: ProspectPlan = { add: [], update: [], remove: [] };
  const wanted = new Set<string>();
  const removing = new Set<number>();
  declared.forEach((p, i) => {
    const key = emailKey(p.email);
    wanted.add(key);
    const found = liveByEmail.get(key);
    if (!found) plan.add.push(i);
    else if (!sameProspectData(toApiProspect(p), found.fields)) plan.update.push(i);
  });
  const before = previous === "campaign" ? live : (previous ?? []);
  for (const p of before) {
    const key = emailKey(p.email);
    const found = liveByEmail.get(key);
    if (!wanted.has(key) && found && !removing.has(found.id)) {
      removing.add(found.id);
      plan.remove.push(found.id);
    }
  }
  return plan;
}

/** Split into batches of at most `size` (Woodpecker: 20,000 prospects per request). */
export function batches<T>(items: readonly T[], size = MAX_PROSPECTS_PER_REQUEST): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Counts by the prospect's status in the campaign. */
export function countProspects(live: readonly ListedProspect[]): WoodpeckerProspectCounts {
  const c: WoodpeckerProspectCounts = { total: live.length, active: 0, replied: 0, bounced: 0, other: 0 };
  for (const p of live) {
    if (p.status === "ACTIVE") c.active++;
    else if (p.status === "REPLIED") c.replied++;
    else if (p.status === "BOUNCED") c.bounced++;
    else c.other++;
  }
  return c;
}

/**
 * How the live campaign holds the declared prospects: the digest of what is there (equal to the
 * declared digest when nothing drifted) and how many declared prospects are missing or differ.
 */
export function observeProspects(
  declared: readonly WoodpeckerProspect[],
  live: readonly ListedProspect[],
  /**
   * The declared list is the campaign's whole list (`prospectsFile`): a prospect in the campaign
   * that is not declared (added in the app) is drift too, which the next `up` removes — so refresh
   * and preview show it before that happens.
   */
  whole = false,
): { digest: string | undefined; drifted: number } {
  const liveByEmail = new Map(live.map((p) => [emailKey(p.email), p]));
  let drifted = 0;
  const seen: Array<{ email: string } & Record<string, unknown>> = declared.map((p) => {
    const found = liveByEmail.get(emailKey(p.email));
    const api = toApiProspect(p);
    if (!found || !sameProspectData(api, found.fields)) {
      drifted++;
      return { email: emailKey(p.email), drift: found ? "data" : "missing" };
    }
    return { ...api, email: emailKey(p.email) };
  });
  if (whole) {
    const declaredKeys = new Set(declared.map((p) => emailKey(p.email)));
    for (const key of liveByEmail.keys()) {
      if (declaredKeys.has(key)) continue;
      drifted++;
      seen.push({ email: key, drift: "not declared" });
    }
  }
  if (drifted === 0) return { digest: prospectsDigest(declared), drifted };
  seen.sort((a, b) => (a.email < b.email ? -1 : a.email > b.email ? 1 : 0));
  return { digest: digestOf(seen), drifted };
}

/** A prospect Woodpecker refused, by position only. */
export interface ProspectRejection {
  index: number;
  code: string;
  reason: string;
}

/**
 * Woodpecker refused some prospects; the others were added. Named by position and reason only.
 */
export class ProspectsRejectedError extends CampaignsError {
  constructor(
    readonly label: string,
    readonly rejections: readonly ProspectRejection[],
    readonly declared: number,
    /** With `prospectsFile`: each prospect's row in the file (a refusal names the row). */
    rows?: readonly number[],
  ) {
    const where = (i: number) => (rows ? `prospectsFile row ${rows[i]}` : `prospects[${i}]`);
    const shown = rejections.slice(0, 20).map((r) => `${where(r.index)} (${r.code}: ${r.reason})`);
    const more = rejections.length > shown.length ? `, and ${rejections.length - shown.length} more` : "";
    const status =
      (rejections.some((r) => r.code === "E_INV_STATUS")
        ? " A prospect whose global status is not ACTIVE (it replied, bounced or opted out) is refused unless " +
          `\`force: true\`, which would contact them again: remove it from ${rows ? "the file" : "`prospects`"}, ` +
          "or set force deliberately."
        : "") +
      (rejections.some((r) => r.code === TRUNCATED)
        ? ` A field Woodpecker cut short (TRUNCATED) is over its length limit: shorten it in ${rows ? "the file" : "`prospects`"}.`
        : "");
    super(
      `Woodpecker refused ${rejections.length} of the ${declared} prospects of ${label}: ${shown.join(", ")}${more}. ` +
        `The others are in the campaign.${status} Fix or remove the refused prospects, then run \`pulumi up\` again.`,
    );
  }
}

/** The code of a prospect whose field Woodpecker stored cut short (see truncatedFields). */
export const TRUNCATED = "TRUNCATED";

/** Campaign statuses known to take prospects [DOC/3P, §4.4]; for the others it is undocumented. */
const TAKES_PROSPECTS = new Set(["RUNNING", "DRAFT", "COMPLETED"]);

/**
 * A whole add/update/remove request refused (inside a 200 or as a 4xx, not auth or rate limit), named
 * with the campaign and its status as Woodpecker holds it now, and the fix. Other errors: undefined.
 */
async function refusal(
  client: WoodpeckerClient,
  id: number,
  label: string,
  what: string,
  e: unknown,
): Promise<CampaignsError | undefined> {
  const whole = e instanceof ProspectsRequestError;
  const http4xx =
    isApiError(e) &&
    !(e instanceof AuthenticationError) &&
    e.status >= 400 &&
    e.status < 500 &&
    e.status !== 429;
  if (!whole && !http4xx) return undefined;
  const reason = whole
    ? `${e.code ? `${e.code}: ` : ""}${e.detail}`
    : `HTTP ${e.status}${e.vendorCode ? ` ${e.vendorCode}` : ""}: ${e.vendorMessage}`;
  const live = await client.getCampaign(id).catch(() => null);
  if (live === undefined) {
    return new CampaignsError(
      `${label}: Woodpecker refused to ${what} (${reason}), and the campaign no longer exists there ` +
        "(deleted outside Pulumi?). Run `pulumi refresh`: the next `pulumi up` creates it again.",
    );
  }
  const status = live ? String(live.status).toUpperCase() : undefined;
  if (status !== undefined && !TAKES_PROSPECTS.has(status)) {
    return new CampaignsError(
      `${label}: Woodpecker refused to ${what} while the campaign is ${status} (${reason}). Whether a ` +
        `${status} campaign takes prospects is undocumented, and this answer says it does not. Fix: change ` +
        "its prospects while it is running or a draft: declare `state: running` (when other fields change " +
        "too, apply them first without the prospect change), or start it in Woodpecker's app, then run " +
        "`pulumi up` again.",
    );
  }
  return new CampaignsError(
    `${label}: Woodpecker refused to ${what}${status ? ` (the campaign is ${status})` : ""}: ${reason}. ` +
      "Nothing more was changed by this request; fix what Woodpecker says, then run `pulumi up` again.",
  );
}

/** What the state holds about the prospects (merged into the outputs). */
export interface ProspectsState {
  prospects?: WoodpeckerProspect[];
  prospectsFile?: string;
  force?: boolean;
  prospectCount?: number;
  prospectsDigest?: string;
  prospectCounts?: WoodpeckerProspectCounts;
  prospectsDrifted?: number;
}

/**
 * The prospects an apply works with, read before any API call: inline, or from `prospectsFile`
 * (lifecycle.ts). Absent `prospects`: not managed.
 */
export interface DeclaredProspects {
  prospects?: WoodpeckerProspect[];
  digest?: string;
  /** With `prospectsFile`: its path, and each prospect's row (refusals name the row). */
  file?: { path: string; rows: number[] };
  /** Inline, with some left out by the do-not-contact list: each prospect's position in `prospects`. */
  positions?: number[];
  /** The do-not-contact list: listed prospects in the campaign are removed and blacklisted. */
  doNotContact?: DoNotContactList;
}

/** The declared inline prospects (a file is read by the lifecycle: prospects-file.ts). */
export function inlineProspects(inputs: Pick<WoodpeckerCampaignInputs, "prospects">): DeclaredProspects {
  return { prospects: inputs.prospects, digest: prospectsDigest(inputs.prospects) };
}

/**
 * The state carried over unchanged (nothing applied yet, or unmanaged). The people are kept only
 * in the inline form: the declared ones when their digest is the one applied (the same people,
 * perhaps moved from a file), else those applied before.
 */
export function carriedProspects(
  inputs: Pick<WoodpeckerCampaignInputs, "force">,
  declared: DeclaredProspects,
  previous: Partial<WoodpeckerCampaignOutputs>,
): ProspectsState {
  if (declared.prospects === undefined) return {};
  const common = {
    force: inputs.force,
    prospectsDigest: previous.prospectsDigest,
    prospectCounts: previous.prospectCounts,
    prospectsDrifted: previous.prospectsDrifted,
  };
  if (declared.file) {
    const same = declared.digest === previous.prospectsDigest;
    return {
      ...common,
      prospectsFile: declared.file.path,
      prospectCount: same ? declared.prospects.length : previous.prospectCount,
    };
  }
  const kept = declared.digest === previous.prospectsDigest ? declared.prospects : previous.prospects;
  return { ...common, prospects: kept, prospectCount: kept?.length };
}

export function withProspects<T extends object>(outs: T, s: ProspectsState): T & ProspectsState {
  const out: T & ProspectsState = { ...outs };
  for (const [k, v] of Object.entries(s)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}

/** The prospect inputs a refresh keeps (the engine's view of the inputs after a read). */
export function prospectInputs(o: Partial<WoodpeckerCampaignOutputs>): ProspectsState {
  let s: ProspectsState;
  if (o.prospectsFile !== undefined) s = { prospectsFile: o.prospectsFile, prospectCount: o.prospectCount };
  else if (o.prospects !== undefined) s = { prospects: o.prospects, prospectCount: o.prospects.length };
  else return {};
  if (o.force !== undefined) s.force = o.force;
  return s;
}

const listBudgetMs = (client: WoodpeckerClient) => Math.max(600_000, 3 * client.http.requestBudgetMs);

async function listLive(client: WoodpeckerClient, id: number, label: string): Promise<ListedProspect[]> {
  return listCampaignProspects(client.http, id, {
    budgetMs: listBudgetMs(client),
    progress: (n, total) =>
      logInfo(`${label}: read ${n}${total !== undefined ? ` of ${total}` : ""} prospects`),
  });
}

export interface SyncResult {
  state: ProspectsState;
  rejections: ProspectRejection[];
  /** Whether anything was written (the campaign's status may have changed: COMPLETED → RUNNING). */
  wrote: boolean;
}

/**
 * Whom to remove when no longer declared: those the state lists (inline before), every prospect of
 * the campaign (a file before, whose state lists nobody), or nobody (a create, or not managed before).
 */
function removable(
  previous: Partial<WoodpeckerCampaignOutputs>,
): readonly WoodpeckerProspect[] | "campaign" | undefined {
  if (previous.prospects !== undefined) return previous.prospects;
  return previous.prospectsFile !== undefined ? "campaign" : undefined;
}

/**
 * Bring the campaign's prospects to the declared list. Unmanaged (no declared prospects): nothing.
 * Unchanged since the last apply or read (same digest): nothing is read or written.
 */
export async function syncProspects(
  client: WoodpeckerClient,
  id: number,
  inputs: Pick<WoodpeckerCampaignInputs, "force">,
  declaredProspects: DeclaredProspects,
  previous: Partial<WoodpeckerCampaignOutputs>,
  label: string,
): Promise<SyncResult> {
  const declared = declaredProspects.prospects;
  if (declared === undefined) return { state: {}, rejections: [], wrote: false };
  const digest = declaredProspects.digest;
  if (digest === previous.prospectsDigest && previous.prospectCounts) {
    return { state: carriedProspects(inputs, declaredProspects, previous), rejections: [], wrote: false };
  }
  const live = await listLive(client, id, label);
  const plan = planProspects(declared, removable(previous), live);
  // People on the do-not-contact list leave the campaign even if Pulumi never enrolled them.
  plan.remove.push(...listedLiveIds(declaredProspects.doNotContact, live, plan.remove));
  const force = inputs.force === true;
  const rejections: ProspectRejection[] = [];
  const knownIds = new Map(live.map((p) => [emailKey(p.email), p.id]));
  const send = async (positions: number[], update: boolean) => {
    for (const batch of batches(positions)) {
      logInfo(`${label}: ${update ? "updating" : "adding"} ${batch.length} prospect(s)`);
      const outcomes: AddOutcome[] = await addProspectsToCampaign(
        client.http,
        id,
        batch.map((i) => toApiProspect(declared[i])),
        { update, force, ids: knownIds },
      ).catch(async (e: unknown) => {
        throw (
          (await refusal(client, id, label, `${update ? "update" : "add"} ${batch.length} prospect(s)`, e)) ??
          e
        );
      });
      outcomes.forEach((o, j) => {
        if (o.kind === "rejected") rejections.push({ index: batch[j], code: o.code, reason: o.reason });
      });
    }
  };
  await send(plan.add, false);
  await send(plan.update, true);
  if (plan.remove.length) {
    logInfo(`${label}: removing ${plan.remove.length} prospect(s) from the campaign (kept in the account)`);
    const limit: DeleteLimit = {};
    for (const ids of deleteBatches(plan.remove, id, client.http.baseUrl)) {
      await removeProspectsFromCampaign(client.http, id, ids, limit).catch(async (e: unknown) => {
        throw (await refusal(client, id, label, `remove ${ids.length} prospect(s) from it`, e)) ?? e;
      });
    }
    await blacklistRemoved(client, declaredProspects.doNotContact, live, plan.remove, label);
  }
  const wrote = plan.add.length + plan.update.length + plan.remove.length > 0;
  let after = wrote ? await listLive(client, id, label) : live;
  // An add keeps the stored data of a prospect already in the account's database [DOC]: those
  // just added with other data there get their declared data with one update pass.
  if (plan.add.length) {
    const refused = new Set(rejections.map((r) => r.index));
    const added = new Set(plan.add);
    const stale = planProspects(declared, undefined, after).update.filter(
      (i) => added.has(i) && !refused.has(i),
    );
    if (stale.length) {
      await send(stale, true);
      after = await listLive(client, id, label);
    }
  }
  // A field cut to an (undocumented) length limit: reported, not updated again on every `up` silently.
  const refusedNow = new Set(rejections.map((r) => r.index));
  const stored = new Map(after.map((p) => [emailKey(p.email), p.fields]));
  declared.forEach((p, index) => {
    const cut = refusedNow.has(index)
      ? []
      : truncatedFields(toApiProspect(p), stored.get(emailKey(p.email)) ?? {});
    if (cut.length)
      rejections.push({ index, code: TRUNCATED, reason: `Woodpecker stored ${cut.join(", ")}` });
  });
  const observed = observeProspects(declared, after);
  rejections.sort((a, b) => a.index - b.index);
  const people: ProspectsState = declaredProspects.file
    ? { prospectsFile: declaredProspects.file.path }
    : { prospects: declared };
  return {
    state: {
      ...people,
      force: inputs.force,
      prospectCount: declared.length,
      // A refused prospect leaves the digest unmatched, so the next `up` tries again (and reports again).
      prospectsDigest: rejections.length ? observed.digest : digest,
      prospectCounts: countProspects(after),
      prospectsDrifted: observed.drifted,
    },
    rejections,
    wrote,
  };
}

/**
 * Refresh: the live counts and drift of the managed prospects (nothing when unmanaged). With
 * `prospectsFile`, `declared` is the file as it is now (read by the lifecycle); when it cannot be
 * read, the counts are refreshed and the digest and drift kept as they were.
 */
export async function readProspects(
  client: WoodpeckerClient,
  id: number,
  previous: Partial<WoodpeckerCampaignOutputs>,
  label: string,
  declaredInFile?: readonly WoodpeckerProspect[],
): Promise<ProspectsState> {
  if (previous.prospectsFile !== undefined) {
    const live = await listLive(client, id, label);
    const base: ProspectsState = {
      prospectsFile: previous.prospectsFile,
      force: previous.force,
      prospectCount: declaredInFile?.length ?? previous.prospectCount,
      prospectsDigest: previous.prospectsDigest,
      prospectCounts: countProspects(live),
      prospectsDrifted: previous.prospectsDrifted,
    };
    if (!declaredInFile) return base;
    const observed = observeProspects(declaredInFile, live, true);
    return { ...base, prospectsDigest: observed.digest, prospectsDrifted: observed.drifted };
  }
  if (previous.prospects === undefined) return {};
  const live = await listLive(client, id, label);
  const observed = observeProspects(previous.prospects, live);
  return {
    prospects: previous.prospects,
    force: previous.force,
    prospectCount: previous.prospects.length,
    prospectsDigest: observed.digest,
    prospectCounts: countProspects(live),
    prospectsDrifted: observed.drifted,
  };
}

/**
 * diff's view: total over partial input. Declared → changed when unknown (preview: may change) or
 * when the digest differs from the one applied or read (drift included). No longer declared while
 * state holds them → changed (the update stops managing them; nothing is removed). With
 * `prospectsFile`, `fileDigest` is the file's digest now (undefined: unreadable or invalid, so
 * "may change"), and a new path is a change (the update records it).
 */
export function prospectsChanged(
  n: Partial<WoodpeckerCampaignInputs>,
  o: Partial<WoodpeckerCampaignOutputs>,
  fileDigest?: string,
): boolean {
  const file: unknown = n.prospectsFile;
  if (file !== undefined) {
    return (
      file === UNKNOWN ||
      file !== o.prospectsFile ||
      fileDigest === undefined ||
      fileDigest !== o.prospectsDigest
    );
  }
  const declared: unknown = n.prospects;
  if (declared === undefined) return o.prospects !== undefined || o.prospectsDigest !== undefined;
  if (!Array.isArray(declared) || containsUnknown(declared)) return true;
  if (o.prospectsFile !== undefined) return true; // from a file to inline: the update records the list
  try {
    return prospectsDigest(declared as WoodpeckerProspect[]) !== o.prospectsDigest;
  } catch {
    return true; // a malformed prospect (never past check): "may change"
  }
}
