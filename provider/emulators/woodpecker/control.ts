/**
 * The Woodpecker emulator's control API: the in-process operations (also methods of
 * WoodpeckerEmulator) and their routes, after the shared ones of common/control.ts.
 *
 * Control API (no auth, JSON):
 *   GET    /_emulator/campaigns                       → {"campaigns":[ControlCampaign…]} (`?account=` filters)
 *   GET    /_emulator/campaigns/:id                   → ControlCampaign (404 {"error"} when absent)
 *   PATCH  /_emulator/campaigns/:id                   edit "outside Pulumi" in any status:
 *          {name?, email_account_ids?, settings?: {…partial}, versions?: [{step_id, version_id, subject?,
 *           message?, signature?, track_opens?}], delivery_time?: [{step_id, delivery_time}],
 *           followup_after?: [{step_id, followup_after: {range, value}}]} → ControlCampaign
 *   DELETE /_emulator/campaigns/:id                   delete outside Pulumi (ignores the workflow flag)
 *   PUT    /_emulator/campaigns/:id/workflow          {"active": boolean} → the hidden workflow flag
 *   POST   /_emulator/campaigns/:id/transition        {"status": S, "bounceShield"?: boolean} → ControlCampaign
 *   PUT    /_emulator/campaigns/:id/steps/:stepId/processed   {"prospects": n} → ControlCampaign
 *   GET    /_emulator/campaigns/:id/prospects         → {"prospects":[ControlProspect…]} (id order; 404 when no campaign)
 *   DELETE /_emulator/campaigns/:id/prospects/:prospectId   the prospect removed from the campaign in the app
 *          (it stays in the account's database; 404 {"error"} when it is not in the campaign)
 *   PATCH  /_emulator/prospects/:prospectId          outside change of a prospect (a reply, a bounce…):
 *          {status?: ACTIVE|BOUNCED|REPLIED|BLACKLIST|INVALID (global), campaignId?, campaignStatus?:
 *           ACTIVE|REPLIED|AUTOREPLIED|BOUNCED|INVALID|BLACKLIST|TO-CHECK|TO-REVIEW|PAUSED} → ControlProspect
 *          (with `campaignId`, the status in that campaign becomes `campaignStatus`, else `status`)
 *   GET    /_emulator/blacklist[?account=]              → {"emails":[…],"domains":[…]} (the account's blacklist)
 *   PUT    /_emulator/prospects/status                {email, status, account?, campaignId?}: the same by
 *          email, as the in-process `prospects.setStatus` (account: default the campaign's, else the
 *          only account holding that email) → ControlProspect
 *   GET    /_emulator/stats                           → {"maxConcurrent","maxQueueDepth","rateLimited","accounts":{…}}
 *   DELETE /_emulator/stats                           resets them
 *   GET    /_emulator/config                          → {"createStatus","queue","mailboxes","accounts"}
 *   PUT    /_emulator/config                          {"createStatus"?, "queue"?: {"maxQueued","maxWaitMs"},
 *                                                      "mailboxes"?: number[] | null}
 * A ControlCampaign is the API's campaign JSON plus `account`, `inActiveWorkflow`, `bounceRateThreshold`,
 * `created` and, on every EMAIL/LINKEDIN step, `processedProspects`. A ControlProspect is
 * `{id, account, email, status (global), fields, campaigns: [{campaignId, status, interested}]}`, and in
 * a campaign's list also `campaignStatus` (its status in that campaign).
 */
import {
  ControlError,
  HttpReply,
  Router,
  parseJson,
  type ControlHandler,
  type RequestContext,
} from "../common";
import { campaignEdit } from "./routes";
import {
  PROSPECT_CAMPAIGN_STATUSES,
  PROSPECT_GLOBAL_STATUSES,
  type ProspectGlobalStatus,
  type StoredProspect,
} from "./prospects";
import { findStep, type WoodpeckerState } from "./state";
import {
  WOODPECKER_CAMPAIGN_STATUSES,
  type StoredCampaign,
  type WoodpeckerCampaignStatus,
  type WoodpeckerEmulatorStats,
  type WoodpeckerOutsideEdit,
} from "./types";
import {
  Issues,
  isObj,
  parseCampaignId,
  parseDeliveryTime,
  parseFollowupAfter,
  parseVersionPatch,
} from "./validation";
import { render } from "./views";

export function mustGet(s: WoodpeckerState, id: number): StoredCampaign {
  const c = s.campaigns.get(id);
  if (!c) throw new ControlError(404, `no campaign ${id}`);
  return c;
}

/** Every campaign with its hidden state (optionally of one account). */
export function listCampaigns(s: WoodpeckerState, account?: string): Record<string, unknown>[] {
  return [...s.campaigns.values()]
    .filter((c) => account === undefined || c.account === account)
    .sort((a, b) => a.id - b.id)
    .map((c) => render(c, true));
}

/** One campaign with its hidden state, or undefined. */
export function inspectCampaign(s: WoodpeckerState, id: number): Record<string, unknown> | undefined {
  const c = s.campaigns.get(id);
  return c ? render(c, true) : undefined;
}

/** Set or clear the hidden "part of an active workflow" flag (DELETE then answers 409). */
export function setInActiveWorkflow(
  s: WoodpeckerState,
  id: number,
  active: boolean,
): Record<string, unknown> {
  const c = mustGet(s, id);
  c.inActiveWorkflow = active;
  return render(c, true);
}

/**
 * A background status change (bounce-shield auto-pause, completion, stop on mailbox disconnect…).
 * With `bounceShield`, a PAUSED campaign gets `bounce_shield_autopaused_at`.
 */
export function transition(
  s: WoodpeckerState,
  id: number,
  status: WoodpeckerCampaignStatus,
  opts: { bounceShield?: boolean } = {},
): Record<string, unknown> {
  if (!WOODPECKER_CAMPAIGN_STATUSES.includes(status)) {
    throw new ControlError(400, `status must be one of ${WOODPECKER_CAMPAIGN_STATUSES.join(", ")}`);
  }
  const c = mustGet(s, id);
  c.status = status;
  c.bounceShieldAutopausedAt = status === "PAUSED" && opts.bounceShield ? new Date().toISOString() : null;
  return render(c, true);
}

/** An edit made in the Woodpecker app, allowed in any status; validated like the API. */
export function editOutside(
  s: WoodpeckerState,
  id: number,
  edit: WoodpeckerOutsideEdit,
): Record<string, unknown> {
  const c = mustGet(s, id);
  if (!isObj(edit)) throw new ControlError(400, "the body must be an object");
  const issues = new Issues();
  const applyCampaign = campaignEdit(s, c, edit as Record<string, unknown>, issues);
  const later: Array<() => void> = [];
  const items = (v: unknown, what: string): unknown[] => {
    if (v === undefined) return [];
    if (Array.isArray(v)) return v;
    issues.add(what, "must be an array");
    return [];
  };
  items(edit.versions, "versions").forEach((x, i) => {
    const at = `versions[${i}]`;
    if (!isObj(x)) return issues.add(at, "must be an object");
    const found = findStep(c, String(x.step_id));
    const version = found?.step.body.versions.find((v: { id: string }) => v.id === x.version_id);
    if (!found || !version) return issues.add(at, "names an unknown step_id/version_id");
    const changes = parseVersionPatch(found.step, x, at, issues);
    later.push(() => Object.assign(version, changes));
  });
  items(edit.delivery_time, "delivery_time").forEach((x, i) => {
    const at = `delivery_time[${i}]`;
    if (!isObj(x)) return issues.add(at, "must be an object");
    const found = findStep(c, String(x.step_id));
    if (!found) return issues.add(at, "names an unknown step_id");
    const dt = parseDeliveryTime(x.delivery_time, `${at}.delivery_time`, issues);
    if (dt) later.push(() => (found.step.delivery_time = dt));
  });
  items(edit.followup_after, "followup_after").forEach((x, i) => {
    const at = `followup_after[${i}]`;
    if (!isObj(x)) return issues.add(at, "must be an object");
    const found = findStep(c, String(x.step_id));
    if (!found) return issues.add(at, "names an unknown step_id");
    const fa = parseFollowupAfter(x.followup_after, `${at}.followup_after`, issues);
    if (fa) later.push(() => (found.step.followup_after = fa));
  });
  if (!issues.ok) throw new ControlError(400, issues.list.join("; "));
  applyCampaign();
  for (const f of later) f();
  return render(c, true);
}

/** Delete a campaign in the app (ignores the workflow flag). */
export function deleteOutside(s: WoodpeckerState, id: number): void {
  mustGet(s, id);
  s.campaigns.delete(id);
}

/** Mark a step as having processed `prospects` prospects. */
export function setProcessedProspects(
  s: WoodpeckerState,
  id: number,
  stepId: string,
  prospects: number,
): Record<string, unknown> {
  const c = mustGet(s, id);
  const found = findStep(c, stepId);
  if (!found) throw new ControlError(404, `no step ${stepId} in campaign ${id}`);
  if (!Number.isSafeInteger(prospects) || prospects < 0) {
    throw new ControlError(400, "prospects must be a non-negative integer");
  }
  found.step.processedProspects = prospects;
  return render(c, true);
}

/** A prospect with its memberships (control view; tests only, never the API). */
function renderProspect(s: WoodpeckerState, p: StoredProspect): Record<string, unknown> {
  const campaigns: Record<string, unknown>[] = [];
  for (const [campaignId, m] of [...s.prospects.members.entries()].sort((a, b) => a[0] - b[0])) {
    const mine = m.get(p.id);
    if (mine) campaigns.push({ campaignId, status: mine.status, interested: mine.interested });
  }
  return {
    id: p.id,
    account: p.account,
    email: p.email,
    status: p.status,
    fields: { ...p.fields },
    campaigns,
  };
}

/** The prospects of a campaign, in id order, with their global and campaign-local status. */
export function campaignProspects(s: WoodpeckerState, id: number): Record<string, unknown>[] {
  const c = mustGet(s, id);
  return s.prospects.list(c.account, id).map((p) => ({
    ...renderProspect(s, p),
    campaignStatus: p.campaignStatus,
  }));
}

/** What an outside change of a prospect sets (PATCH /_emulator/prospects/:id). */
export interface ProspectStatusChange {
  /** The global status (a reply or bounce anywhere). */
  status?: ProspectGlobalStatus;
  /** The campaign whose local status changes too. */
  campaignId?: number;
  /** Its status in `campaignId` (default: `status`). */
  campaignStatus?: string;
}

function oneOf(value: unknown, allowed: readonly string[], what: string): string {
  if (typeof value !== "string" || !allowed.includes(value)) {
    throw new ControlError(400, `${what} must be one of ${allowed.join(", ")}`);
  }
  return value;
}

/** Change a prospect's global status and/or its status in one campaign, as a reply or bounce would. */
export function setProspectStatus(
  s: WoodpeckerState,
  prospectId: number,
  change: ProspectStatusChange,
): Record<string, unknown> {
  if (!isObj(change as unknown)) throw new ControlError(400, "the body must be an object");
  const unknownKeys = Object.keys(change).filter(
    (k) => !["status", "campaignId", "campaignStatus"].includes(k),
  );
  if (unknownKeys.length) {
    throw new ControlError(
      400,
      `unknown field(s) ${unknownKeys.join(", ")}: expected status, campaignId, campaignStatus`,
    );
  }
  const status =
    change.status === undefined ? undefined : oneOf(change.status, PROSPECT_GLOBAL_STATUSES, "status");
  const local =
    change.campaignStatus === undefined
      ? undefined
      : oneOf(change.campaignStatus, PROSPECT_CAMPAIGN_STATUSES, "campaignStatus");
  if (status === undefined && local === undefined) {
    throw new ControlError(400, "nothing to change: give status and/or campaignStatus (with campaignId)");
  }
  if (
    change.campaignId !== undefined &&
    (!Number.isSafeInteger(change.campaignId) || change.campaignId <= 0)
  ) {
    throw new ControlError(400, "campaignId must be a positive integer");
  }
  if (local !== undefined && change.campaignId === undefined) {
    throw new ControlError(400, "campaignStatus needs campaignId (the campaign it applies to)");
  }
  const p = s.prospects.byIdInAnyAccount(prospectId);
  if (!p) throw new ControlError(404, `no prospect ${prospectId}`);
  let membership;
  if (change.campaignId !== undefined) {
    mustGet(s, change.campaignId);
    membership = s.prospects.membersOf(change.campaignId).get(p.id);
    if (!membership) {
      throw new ControlError(404, `prospect ${prospectId} is not in campaign ${change.campaignId}`);
    }
  }
  if (status !== undefined) p.status = status as ProspectGlobalStatus;
  if (membership) membership.status = local ?? status!;
  p.updated = new Date();
  return renderProspect(s, p);
}

/** The same by email (PUT /_emulator/prospects/status), as the in-process `prospects.setStatus`. */
export function setProspectStatusByEmail(
  s: WoodpeckerState,
  req: { email?: unknown; status?: unknown; account?: unknown; campaignId?: unknown },
): Record<string, unknown> {
  if (!isObj(req)) throw new ControlError(400, "the body must be an object");
  if (typeof req.email !== "string" || req.email.trim() === "") {
    throw new ControlError(400, "email must be a non-empty string");
  }
  if (req.account !== undefined && typeof req.account !== "string") {
    throw new ControlError(400, "account must be a string");
  }
  if (
    req.campaignId !== undefined &&
    (!Number.isSafeInteger(req.campaignId) || (req.campaignId as number) <= 0)
  ) {
    throw new ControlError(400, "campaignId must be a positive integer");
  }
  const campaignId = req.campaignId as number | undefined;
  let account = req.account as string | undefined;
  if (account === undefined && campaignId !== undefined) account = mustGet(s, campaignId).account;
  let p: StoredProspect | undefined;
  if (account !== undefined) p = s.prospects.find(account, req.email);
  else {
    const found = [...new Set(s.accounts.values())]
      .map((a) => s.prospects.find(a, req.email as string))
      .filter((x): x is StoredProspect => x !== undefined);
    if (found.length > 1) {
      throw new ControlError(400, `${found.length} accounts hold a prospect with that email: give account`);
    }
    p = found[0];
  }
  // The email is not echoed (test data, but the habit holds).
  if (!p) throw new ControlError(404, `no prospect with that email${account ? ` in ${account}` : ""}`);
  return setProspectStatus(s, p.id, {
    status: req.status as ProspectGlobalStatus,
    ...(campaignId !== undefined ? { campaignId } : {}),
  });
}

/** A prospect removed from a campaign in the app (the global record stays). */
export function removeProspectOutside(s: WoodpeckerState, campaignId: number, prospectId: number): void {
  mustGet(s, campaignId);
  const members = s.prospects.membersOf(campaignId);
  if (!members.delete(prospectId)) {
    throw new ControlError(404, `prospect ${prospectId} is not in campaign ${campaignId}`);
  }
}

/** What the control routes call: the emulator's public in-process control. */
export interface WoodpeckerControlTarget {
  listCampaigns(account?: string): Record<string, unknown>[];
  blacklist(account?: string): { emails: string[]; domains: string[] };
  inspectCampaign(id: number): Record<string, unknown> | undefined;
  editOutside(id: number, edit: WoodpeckerOutsideEdit): Record<string, unknown>;
  deleteOutside(id: number): void;
  setInActiveWorkflow(id: number, active: boolean): Record<string, unknown>;
  transition(
    id: number,
    status: WoodpeckerCampaignStatus,
    opts?: { bounceShield?: boolean },
  ): Record<string, unknown>;
  setProcessedProspects(id: number, stepId: string, prospects: number): Record<string, unknown>;
  campaignProspects(id: number): Record<string, unknown>[];
  setProspectStatus(prospectId: number, change: ProspectStatusChange): Record<string, unknown>;
  setProspectStatusByEmail(req: Record<string, unknown>): Record<string, unknown>;
  removeProspectOutside(campaignId: number, prospectId: number): void;
  readonly stats: WoodpeckerEmulatorStats;
  resetStats(): void;
  configure(cfg: { createStatus?: unknown; queue?: unknown; mailboxes?: unknown }): void;
}

function body(ctx: RequestContext): Record<string, unknown> {
  if (ctx.rawBody.length === 0) return {};
  const parsed = parseJson(ctx.rawBody);
  if (!parsed.ok) throw new ControlError(400, `malformed JSON: ${parsed.message}`);
  if (!isObj(parsed.value)) throw new ControlError(400, "the body must be a JSON object");
  return parsed.value;
}

function id(raw: string): number {
  const n = parseCampaignId(raw);
  if (n === undefined) throw new ControlError(400, `bad campaign id ${raw}`);
  return n;
}

function prospectId(raw: string): number {
  const n = /^[1-9]\d{0,15}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(n)) throw new ControlError(400, `bad prospect id ${raw}`);
  return n;
}

const ok = (b: unknown) => new HttpReply(200, b);

/** The control routes (a malformed %-escape in a param answers 400 {"error": …}). */
export function woodpeckerControlRouter(
  emu: WoodpeckerControlTarget,
  config: () => Record<string, unknown>,
): Router<ControlHandler> {
  return new Router<ControlHandler>(
    [
      {
        pattern: "/_emulator/campaigns",
        methods: {
          GET: (ctx) => ok({ campaigns: emu.listCampaigns(ctx.query.get("account") ?? undefined) }),
        },
      },
      {
        pattern: "/_emulator/campaigns/:id",
        methods: {
          GET: (_ctx, m) => {
            const c = emu.inspectCampaign(id(m.id));
            return c ? ok(c) : new HttpReply(404, { error: `no campaign ${m.id}` });
          },
          PATCH: (ctx, m) => ok(emu.editOutside(id(m.id), body(ctx) as WoodpeckerOutsideEdit)),
          DELETE: (_ctx, m) => {
            emu.deleteOutside(id(m.id));
            return ok({ ok: true });
          },
        },
      },
      {
        pattern: "/_emulator/campaigns/:id/workflow",
        methods: {
          PUT: (ctx, m) => {
            const b = body(ctx);
            if (typeof b.active !== "boolean") throw new ControlError(400, '{"active": boolean} expected');
            return ok(emu.setInActiveWorkflow(id(m.id), b.active));
          },
        },
      },
      {
        pattern: "/_emulator/campaigns/:id/transition",
        methods: {
          POST: (ctx, m) => {
            const b = body(ctx);
            return ok(
              emu.transition(id(m.id), b.status as WoodpeckerCampaignStatus, {
                bounceShield: b.bounceShield === true,
              }),
            );
          },
        },
      },
      {
        pattern: "/_emulator/campaigns/:id/steps/:stepId/processed",
        methods: {
          PUT: (ctx, m) => {
            const b = body(ctx);
            return ok(emu.setProcessedProspects(id(m.id), m.stepId, b.prospects as number));
          },
        },
      },
      {
        pattern: "/_emulator/campaigns/:id/prospects",
        methods: { GET: (_ctx, m) => ok({ prospects: emu.campaignProspects(id(m.id)) }) },
      },
      {
        pattern: "/_emulator/campaigns/:id/prospects/:prospectId",
        methods: {
          DELETE: (_ctx, m) => {
            emu.removeProspectOutside(id(m.id), prospectId(m.prospectId));
            return ok({ ok: true });
          },
        },
      },
      {
        pattern: "/_emulator/blacklist",
        methods: {
          GET: (ctx) => ok(emu.blacklist(ctx.query.get("account") ?? undefined)),
        },
      },
      {
        pattern: "/_emulator/prospects/status",
        methods: { PUT: (ctx) => ok(emu.setProspectStatusByEmail(body(ctx))) },
      },
      {
        pattern: "/_emulator/prospects/:prospectId",
        methods: {
          PATCH: (ctx, m) =>
            ok(emu.setProspectStatus(prospectId(m.prospectId), body(ctx) as ProspectStatusChange)),
        },
      },
      {
        pattern: "/_emulator/stats",
        methods: {
          GET: () => ok(emu.stats),
          DELETE: () => {
            emu.resetStats();
            return ok({ ok: true });
          },
        },
      },
      {
        pattern: "/_emulator/config",
        methods: {
          GET: () => ok(config()),
          PUT: (ctx) => {
            emu.configure(body(ctx));
            return ok(config());
          },
        },
      },
    ],
    { methodFirst: true, badEscape: "error" },
  );
}
