/**
 * The v2 campaign endpoints: create, get, patch (name, mailboxes, settings), delete (409 while in an
 * active workflow), the status transitions run / pause / stop / make_editable, and GET /v2/mailboxes.
 * Steps, versions and the bounce-shield threshold are in step-routes.ts. The provider calls every
 * Woodpecker endpoint the emulator has, so there is no extra-routes file here.
 */
import { randomUUID } from "node:crypto";
import { HttpReply, type RequestContext } from "../common";
import { business, validationFailure } from "./errors";
import { onCampaign, type WoodpeckerState } from "./state";
import { EDITABLE, type EmailStep, type StoredCampaign } from "./types";
import {
  Issues,
  given,
  jsonObject,
  parseEmailAccountIds,
  parseName,
  parseSettings,
  parseStepChain,
} from "./validation";
import { full, mailboxEmail, render } from "./views";

export function createCampaign(
  s: WoodpeckerState,
  ctx: RequestContext,
  _params: Record<string, string>,
  account: string,
): HttpReply {
  const body = jsonObject(ctx);
  if (body instanceof HttpReply) return body;
  const issues = new Issues();
  // emulator guess: the default name of a campaign created without one.
  const name = given(body.name) ? parseName(body.name, issues) : "Untitled campaign";
  const emailIds = parseEmailAccountIds(body.email_account_ids, issues, s.mailboxes);
  const settings = parseSettings(body.settings, "create", issues);
  const steps = parseStepChain(body.steps, issues);
  if (!issues.ok || name === undefined || !emailIds || !settings || !steps) return validationFailure(issues);
  const c: StoredCampaign = {
    id: s.nextId++,
    account,
    name,
    status: "DRAFT",
    email_account_ids: emailIds,
    settings: {
      timezone: settings.timezone!,
      prospect_timezone: settings.prospect_timezone ?? false,
      daily_enroll: settings.daily_enroll!,
      gdpr_unsubscribe: settings.gdpr_unsubscribe ?? false,
      list_unsubscribe: settings.list_unsubscribe ?? false,
      open_disabled_list: settings.open_disabled_list ?? [],
      auto_pause_prospect_from_domain: settings.auto_pause_prospect_from_domain ?? false,
      catch_all_verification_mode: settings.catch_all_verification_mode ?? "BALANCED",
    },
    startId: randomUUID(),
    steps,
    bounceRateThreshold: null,
    bounceShieldAutopausedAt: null,
    inActiveWorkflow: false,
    created: new Date(),
  };
  s.campaigns.set(c.id, c);
  return new HttpReply(s.createStatus, render(c));
}

export function getCampaign(
  s: WoodpeckerState,
  ctx: RequestContext,
  params: Record<string, string>,
  account: string,
): HttpReply {
  const p = s.prepare(ctx, params, account);
  return p instanceof HttpReply ? p : full(p.c);
}

/** Validates a campaign-level edit (name, email_account_ids, settings) and returns its application. */
export function campaignEdit(
  s: WoodpeckerState,
  c: StoredCampaign,
  body: Record<string, unknown>,
  issues: Issues,
): () => void {
  const name = body.name !== undefined ? parseName(body.name, issues) : undefined;
  const ids =
    body.email_account_ids !== undefined
      ? parseEmailAccountIds(body.email_account_ids, issues, s.mailboxes)
      : undefined;
  const settings = parseSettings(body.settings, "patch", issues);
  return () => {
    if (name !== undefined) c.name = name;
    if (ids) c.email_account_ids = ids; // replaces the set
    if (settings) Object.assign(c.settings, settings); // partial merge
  };
}

export const patchCampaign = onCampaign({ body: true, editable: true }, (p, s) => {
  const issues = new Issues();
  // Steps cannot be changed here (use the step endpoints); unknown fields are ignored.
  const apply = campaignEdit(s, p.c, p.body, issues);
  if (!issues.ok) return validationFailure(issues);
  apply();
  // emulator guess: PATCH answers 200 with the full campaign (undocumented).
  return full(p.c);
});

export const deleteCampaign = onCampaign((p, s) => {
  if (p.c.inActiveWorkflow) {
    return business(409, "CAMPAIGN_RELATED_TO_ACTIVE_WORKFLOW", "Campaign related to active workflow");
  }
  s.campaigns.delete(p.c.id);
  return new HttpReply(200);
});

// -------------------------------------------------------------------------------------------
// Status transitions (all answer 200 with no body). emulator guess: the accepted source statuses and
// the idempotent no-ops (run on RUNNING, pause on PAUSED, …) are undocumented.

export const run = onCampaign((p) => {
  const c = p.c;
  if (c.status === "RUNNING") return new HttpReply(200);
  const firstEmail = c.steps.find((s): s is EmailStep => s.type === "EMAIL");
  // Docs: the subject is "required to run a campaign if the version is part of the first EMAIL step".
  // emulator guess: the 409 code/message, and a whitespace-only subject counts as missing.
  if (firstEmail && firstEmail.body.versions.some((v) => !v.subject || v.subject.trim() === "")) {
    return business(409, "CAMPAIGN_VALIDATION_FAILURE", "Subject is required in the first email step");
  }
  c.status = "RUNNING";
  // emulator guess: resuming clears the bounce-shield auto-pause mark.
  c.bounceShieldAutopausedAt = null;
  return new HttpReply(200);
});

export const pause = onCampaign((p) => {
  const c = p.c;
  if (c.status === "RUNNING") c.status = "PAUSED";
  else if (c.status !== "PAUSED") {
    // emulator guess: code and message (the pause docs list 400 but not 409).
    return business(400, "INVALID_CAMPAIGN_STATUS", `Campaign cannot be paused in status ${c.status}`);
  }
  return new HttpReply(200);
});

export const stopCampaign = onCampaign((p) => {
  const c = p.c;
  if (c.status === "DRAFT") {
    // emulator guess: a campaign that never ran cannot be stopped.
    return business(400, "INVALID_CAMPAIGN_STATUS", `Campaign cannot be stopped in status ${c.status}`);
  }
  c.status = "STOPPED";
  return new HttpReply(200);
});

export const makeEditable = onCampaign((p) => {
  if (!EDITABLE.includes(p.c.status)) p.c.status = "EDITED";
  return new HttpReply(200);
});

export function listMailboxes(s: WoodpeckerState): HttpReply {
  // emulator guess: mailboxes are shared by all accounts; only SMTP entries with an email are listed.
  return new HttpReply(
    200,
    (s.mailboxes ?? []).map((id) => ({ id, type: "SMTP", details: { email: mailboxEmail(id) } })),
  );
}
