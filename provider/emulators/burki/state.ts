/**
 * What the Burki emulator holds: the campaigns (with their contacts, imports and executions) of every
 * organisation, the id counters, a strictly increasing clock, the background timers (the
 * `scheduled` → `running` hop, import processing) and the run-time config; and every status change.
 */
import { randomBytes } from "node:crypto";
import { HttpReply } from "../common";
import {
  BURKI_EMULATOR_API_KEY,
  DEFAULT_ORG,
  FORBIDDEN,
  NOT_FOUND,
  type ApiCall,
  type BurkiCampaign,
  type BurkiCampaignStatus,
  type BurkiEmulatorOptions,
} from "./types";
import { Validation, objectBody } from "./validation";

export class BurkiState {
  startDelayMs: number;
  importDelayMs: number;
  crossOrgStatus: 403 | 404;
  readonly organizations: Record<string, string>;

  readonly campaigns = new Map<number, BurkiCampaign>();
  nextCampaignId = 1;
  nextContactId = 1;
  nextImportId = 1;
  nextExecutionId = 1;
  private lastNow = 0;
  private readonly startTimers = new Map<number, NodeJS.Timeout>();
  readonly importTimers = new Set<NodeJS.Timeout>();

  constructor(opts: BurkiEmulatorOptions) {
    this.startDelayMs = opts.startDelayMs ?? 200;
    this.importDelayMs = opts.importDelayMs ?? 30;
    this.crossOrgStatus = opts.crossOrgStatus ?? 404;
    this.organizations = { ...(opts.organizations ?? { [BURKI_EMULATOR_API_KEY]: DEFAULT_ORG }) };
  }

  /** Delete all data and restart the ids (POST /_emulator/reset). */
  reset(): void {
    this.clearTimers();
    this.campaigns.clear();
    this.nextCampaignId = 1;
    this.nextContactId = 1;
    this.nextImportId = 1;
    this.nextExecutionId = 1;
  }

  clearTimers(): void {
    for (const t of this.startTimers.values()) clearTimeout(t);
    this.startTimers.clear();
    for (const t of this.importTimers) clearTimeout(t);
    this.importTimers.clear();
  }

  /** ISO-8601 with `Z`, strictly increasing so every bump of `updated_at` is visible. */
  now(): string {
    this.lastNow = Math.max(Date.now(), this.lastNow + 1);
    return new Date(this.lastNow).toISOString();
  }

  // -------------------------------------------------------------------------------------------
  // Lookups

  /** The campaign for a validated id, or the 404/403 reply. */
  lookup(id: number, org: string): BurkiCampaign | HttpReply {
    const c = this.campaigns.get(id);
    if (!c) return new HttpReply(404, NOT_FOUND);
    if (c.organization !== org) {
      return this.crossOrgStatus === 403 ? new HttpReply(403, FORBIDDEN) : new HttpReply(404, NOT_FOUND);
    }
    return c;
  }

  /** Validate `campaign_id` and fetch the campaign (for routes with no other parameters). */
  campaignFor(call: ApiCall): BurkiCampaign | HttpReply {
    const v = new Validation();
    const id = v.int(["path", "campaign_id"], call.params.campaign_id);
    if (v.failed || id === undefined) return v.reply();
    return this.lookup(id, call.org);
  }

  /**
   * Validate `campaign_id` and the JSON object body (one 422 lists what is wrong with either), then
   * fetch the campaign: for routes whose body is a dict of settings (the schedule, re-execute).
   */
  campaignWithBody(call: ApiCall): { c: BurkiCampaign; body: Record<string, unknown> } | HttpReply {
    const v = new Validation();
    const id = v.int(["path", "campaign_id"], call.params.campaign_id);
    const body = objectBody(v, call.body, "dict");
    if (v.failed || id === undefined || !body) return v.reply();
    const c = this.lookup(id, call.org);
    if (c instanceof HttpReply) return c;
    return { c, body };
  }

  // -------------------------------------------------------------------------------------------
  // Status changes

  /** Every status change goes through here, so a pending `scheduled` → `running` hop is dropped. */
  setStatus(c: BurkiCampaign, status: BurkiCampaignStatus): void {
    this.dropRunningHop(c.id);
    c.status = status;
    if (status === "running") c.started_at ??= this.now();
  }

  dropRunningHop(id: number): void {
    const t = this.startTimers.get(id);
    if (t) {
      clearTimeout(t);
      this.startTimers.delete(id);
    }
  }

  cancel(c: BurkiCampaign): void {
    this.setStatus(c, "cancelled");
    for (const k of c.contacts) if (k.status === "pending") k.status = "cancelled";
    c.completed_at = this.now();
  }

  complete(c: BurkiCampaign): void {
    this.setStatus(c, "completed");
    const at = this.now();
    for (const k of c.contacts) {
      if (k.status !== "pending" && k.status !== "in_progress") continue;
      k.status = "completed";
      k.attempts += 1;
      k.last_attempt_at = at;
      const id = this.nextExecutionId++;
      c.executions.push({
        id,
        contact_id: k.id,
        contact_name: k.contact_data.variable_values.name ?? null,
        contact_phone: k.phone_number,
        status: "completed",
        call_id: "CA" + randomBytes(16).toString("hex"),
        sms_id: null,
        executed_at: at,
        execution_data: {
          from_number: "+15550001234",
          to_number: k.phone_number,
          template_variables_used: { ...k.contact_data.variable_values },
          duration_seconds: 0,
        },
      });
    }
    c.started_at ??= at;
    c.completed_at = at;
  }

  scheduleRunningHop(c: BurkiCampaign): void {
    const id = c.id;
    const timer = setTimeout(() => {
      this.startTimers.delete(id);
      const cur = this.campaigns.get(id);
      // The worker re-checks the status (the stale-task guard): only a still-scheduled campaign runs.
      if (cur && cur.status === "scheduled") this.setStatus(cur, "running");
    }, this.startDelayMs);
    timer.unref();
    this.startTimers.set(id, timer);
  }

  removeCampaign(c: BurkiCampaign): void {
    this.dropRunningHop(c.id);
    for (const j of c.imports) j.status = j.status === "pending" ? "failed" : j.status;
    this.campaigns.delete(c.id);
  }
}
