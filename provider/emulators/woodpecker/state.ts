/**
 * What the Woodpecker emulator holds: the campaigns of every account (with their hidden state: the
 * active-workflow flag, processed prospects per step), the id counter, the API key → account map,
 * the run-time config (create status, mailboxes) and the per-account queue statistics.
 */
import { HttpReply, type RequestContext } from "../common";
import { badCampaignId, campaignNotFound, notEditable } from "./errors";
import {
  EDITABLE,
  FIRST_CAMPAIGN_ID,
  type StoredCampaign,
  type StoredStep,
  type WoodpeckerAccountStats,
  type WoodpeckerEmulatorStats,
} from "./types";
import { jsonObject, parseCampaignId } from "./validation";
import { ProspectStore } from "./prospects";

export class WoodpeckerState {
  /** HTTP status of a successful create. */
  createStatus: 200 | 201 = 200;
  /** Valid SMTP ids; undefined = any positive integer is accepted. */
  mailboxes: number[] | undefined;
  /** API key → account id. */
  readonly accounts = new Map<string, string>();
  readonly campaigns = new Map<number, StoredCampaign>();
  /** The v1 prospects of every account (prospects.ts). */
  readonly prospects = new ProspectStore();
  nextId = FIRST_CAMPAIGN_ID;
  private accountStats = new Map<string, WoodpeckerAccountStats>();

  /** Delete all campaigns and restart the ids (POST /_emulator/reset). */
  reset(): void {
    this.campaigns.clear();
    this.prospects.clear();
    this.nextId = FIRST_CAMPAIGN_ID;
    // emulator guess: POST /_emulator/reset also resets the stats (configuration is kept).
    this.resetStats();
  }

  statsFor(account: string): WoodpeckerAccountStats {
    let s = this.accountStats.get(account);
    if (!s) {
      s = { maxConcurrent: 0, maxQueueDepth: 0, rateLimited: 0 };
      this.accountStats.set(account, s);
    }
    return s;
  }

  get stats(): WoodpeckerEmulatorStats {
    const accounts: Record<string, WoodpeckerAccountStats> = {};
    let maxConcurrent = 0;
    let maxQueueDepth = 0;
    let rateLimited = 0;
    for (const [account, s] of this.accountStats) {
      accounts[account] = { ...s };
      maxConcurrent = Math.max(maxConcurrent, s.maxConcurrent);
      maxQueueDepth = Math.max(maxQueueDepth, s.maxQueueDepth);
      rateLimited += s.rateLimited;
    }
    return { maxConcurrent, maxQueueDepth, rateLimited, accounts };
  }

  resetStats(): void {
    this.accountStats = new Map();
  }

  /**
   * Common preamble of the campaign routes, in the order a framework would apply it (emulator guess):
   * bad campaign_id (400) → unreadable body (400) → unknown campaign (404) → not editable (409).
   */
  prepare(
    ctx: RequestContext,
    params: Record<string, string>,
    account: string,
    opts: { body?: boolean; editable?: boolean } = {},
  ): { c: StoredCampaign; body: Record<string, unknown> } | HttpReply {
    const id = parseCampaignId(params.campaign_id);
    if (id === undefined) return badCampaignId();
    let body: Record<string, unknown> = {};
    if (opts.body) {
      const b = jsonObject(ctx);
      if (b instanceof HttpReply) return b;
      body = b;
    }
    const c = this.campaigns.get(id);
    // Another account's campaign does not exist for this key.
    if (!c || c.account !== account) return campaignNotFound();
    if (opts.editable && !EDITABLE.includes(c.status)) return notEditable();
    return { c, body };
  }
}

/** A campaign route's handler once `prepare` found the campaign (and parsed the body, if asked). */
export type CampaignHandler = (
  p: { c: StoredCampaign; body: Record<string, unknown> },
  s: WoodpeckerState,
  ctx: RequestContext,
  params: Record<string, string>,
) => HttpReply;

/**
 * A route on one campaign: the campaign id checked, the body parsed (`opts.body`), the campaign
 * looked up in the caller's account and, with `opts.editable`, in DRAFT or EDITED — each answered
 * the way Woodpecker does — before `handle` runs.
 */
export function onCampaign(
  opts: { body?: boolean; editable?: boolean },
  handle: CampaignHandler,
): (s: WoodpeckerState, ctx: RequestContext, params: Record<string, string>, account: string) => HttpReply;
export function onCampaign(
  handle: CampaignHandler,
): (s: WoodpeckerState, ctx: RequestContext, params: Record<string, string>, account: string) => HttpReply;
export function onCampaign(
  a: { body?: boolean; editable?: boolean } | CampaignHandler,
  b?: CampaignHandler,
): (s: WoodpeckerState, ctx: RequestContext, params: Record<string, string>, account: string) => HttpReply {
  const [opts, handle] = typeof a === "function" ? [{}, a] : [a, b!];
  return (s, ctx, params, account) => {
    const p = s.prepare(ctx, params, account, opts);
    return p instanceof HttpReply ? p : handle(p, s, ctx, params);
  };
}

export function findStep(c: StoredCampaign, stepId: string): { step: StoredStep; index: number } | undefined {
  const index = c.steps.findIndex((s) => s.id === stepId);
  return index < 0 ? undefined : { step: c.steps[index], index };
}
