/**
 * The Woodpecker emulator's control routes (`/_emulator`), after the shared ones of common/control.ts.
 * Each route calls the same in-process operation as the emulator's method (control.ts).
 *
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
 *   GET    /_emulator/blacklist[?account=]            → {"emails":[…],"domains":[…]} (the account's blacklist)
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
 */
import {
  ControlError,
  HttpReply,
  Router,
  parseJson,
  type ControlHandler,
  type RequestContext,
} from "../common";
import type { ProspectStatusChange } from "./control";
import type { WoodpeckerCampaignStatus, WoodpeckerEmulatorStats, WoodpeckerOutsideEdit } from "./types";
import { isObj, parseCampaignId } from "./validation";

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
