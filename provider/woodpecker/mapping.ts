/**
 * Between `woodpecker.Campaign` inputs (camelCase, steps as an array) and Woodpecker's API
 * (snake_case, steps as a START node whose nested `followup` chain holds the real steps).
 */
import type { ApiCampaign, ApiCampaignBody, ApiSettings, ApiStep, ApiVersion, ApiWeekday } from "./api";
import { WEEKDAYS } from "./schema";
import {
  type CampaignStep,
  type DeliveryTime,
  type StepVersion,
  WOODPECKER_SCHEMA_VERSION,
  type WoodpeckerCampaignInputs,
  type WoodpeckerCampaignOutputs,
  type WoodpeckerDesiredState,
} from "./types";

export type InputStep = WoodpeckerCampaignInputs["steps"][number];

const UNIT_TO_RANGE = { minute: "MINUTE", hour: "HOUR", day: "DAY" } as const;

export function toApiDeliveryTime(dt: DeliveryTime): NonNullable<ApiStep["delivery_time"]> {
  const out: NonNullable<ApiStep["delivery_time"]> = {};
  for (const d of WEEKDAYS) {
    const w = dt[d];
    if (w?.length) out[d.toUpperCase() as ApiWeekday] = w.map(({ from, to }) => ({ from, to }));
  }
  return out;
}

export function fromApiDeliveryTime(dt: ApiStep["delivery_time"]): DeliveryTime {
  const out: DeliveryTime = {};
  for (const d of WEEKDAYS) {
    const w = dt?.[d.toUpperCase() as ApiWeekday];
    if (w?.length) out[d] = w.map(({ from, to }) => ({ from, to }));
  }
  return out;
}

export function toApiVersion(v: StepVersion, type: InputStep["type"]): ApiVersion {
  if (type === "linkedin") return { message: v.message };
  return {
    subject: v.subject ?? "",
    message: v.message,
    signature: v.signature ?? "SENDER",
    track_opens: v.trackOpens ?? true,
  };
}

function fromApiVersion(v: ApiVersion, type: InputStep["type"]): StepVersion {
  if (type === "linkedin") return { message: v.message ?? "" };
  const out: StepVersion = {
    message: v.message ?? "",
    signature: (v.signature as StepVersion["signature"]) ?? "SENDER",
    trackOpens: v.track_opens ?? true,
  };
  if (v.subject) out.subject = v.subject;
  return out;
}

/** One step of the chain, without its `followup` link. */
export function toApiStep(s: InputStep): ApiStep {
  const step: ApiStep = {
    type: s.type === "linkedin" ? "LINKEDIN" : "EMAIL",
    followup_after: { range: UNIT_TO_RANGE[s.delay.unit], value: s.delay.value },
    delivery_time: toApiDeliveryTime(s.deliveryTime),
    body: { versions: s.versions.map((v) => toApiVersion(v, s.type)) },
  };
  if (s.type === "linkedin") {
    step.body = { ...step.body, action_type: s.actionType, linkedin_account_id: s.linkedinAccountId };
  }
  return step;
}

/** The array of steps → START → step 1 → step 2 … (each `followup` points at the next). */
export function toApiChain(steps: readonly InputStep[]): ApiStep {
  let next: ApiStep | null = null;
  for (let i = steps.length - 1; i >= 0; i--) next = { ...toApiStep(steps[i]), followup: next };
  return { type: "START", followup: next };
}

/** START → … chain → the array of API steps (in order), START excluded. */
export function flattenChain(start: ApiStep | null | undefined): ApiStep[] {
  const out: ApiStep[] = [];
  let s = start?.type === "START" ? start.followup : start;
  const seen = new Set<ApiStep>();
  while (s && !seen.has(s)) {
    seen.add(s);
    out.push(s);
    s = s.followup ?? null;
  }
  return out;
}

export function fromApiStep(s: ApiStep): InputStep {
  const type = s.type === "LINKEDIN" ? "linkedin" : "email";
  const range = (s.followup_after?.range ?? "DAY").toUpperCase();
  const unit = range === "MINUTE" ? "minute" : range === "HOUR" ? "hour" : "day";
  const step: InputStep = {
    type,
    delay: { value: s.followup_after?.value ?? 1, unit },
    deliveryTime: fromApiDeliveryTime(s.delivery_time),
    versions: (s.body?.versions ?? []).map((v) => fromApiVersion(v, type)),
  };
  if (type === "linkedin") {
    if (s.body?.action_type) step.actionType = s.body.action_type;
    if (s.body?.linkedin_account_id) step.linkedinAccountId = s.body.linkedin_account_id;
  }
  return step;
}

export function toApiSettings(s: WoodpeckerCampaignInputs["settings"]): ApiSettings {
  return {
    timezone: s.timezone,
    daily_enroll: s.dailyEnroll,
    prospect_timezone: s.prospectTimezone,
    gdpr_unsubscribe: s.gdprUnsubscribe,
    list_unsubscribe: s.listUnsubscribe,
    open_disabled_list: [...s.openDisabledList],
    auto_pause_prospect_from_domain: s.autoPauseProspectFromDomain,
    catch_all_verification_mode: s.catchAllVerificationMode,
  };
}

export function fromApiSettings(s: ApiSettings): WoodpeckerCampaignInputs["settings"] {
  return {
    timezone: s.timezone,
    dailyEnroll: s.daily_enroll ?? 50,
    prospectTimezone: s.prospect_timezone ?? false,
    gdprUnsubscribe: s.gdpr_unsubscribe ?? false,
    listUnsubscribe: s.list_unsubscribe ?? false,
    openDisabledList: [...(s.open_disabled_list ?? [])].sort(),
    autoPauseProspectFromDomain: s.auto_pause_prospect_from_domain ?? false,
    catchAllVerificationMode: (s.catch_all_verification_mode ??
      "BALANCED") as WoodpeckerCampaignInputs["settings"]["catchAllVerificationMode"],
  };
}

export function toCreateBody(i: WoodpeckerCampaignInputs): ApiCampaignBody {
  return {
    name: i.name,
    email_account_ids: [...i.emailAccountIds],
    settings: toApiSettings(i.settings),
    steps: toApiChain(i.steps),
  };
}

/** Statuses in which the API accepts edits. */
export const EDITABLE_STATUSES: readonly string[] = ["DRAFT", "EDITED"];

/** Does the live status already satisfy the declared state? */
export function stateSatisfied(desired: WoodpeckerDesiredState | undefined, status: string): boolean {
  if (desired === undefined) return true;
  // COMPLETED is set by Woodpecker (everyone was emailed); restarting it is not ours to decide.
  if (status === "COMPLETED") return true;
  switch (desired) {
    case "running":
      return status === "RUNNING";
    // Nothing is sent in DRAFT/EDITED; reaching PAUSED from there would mean running first.
    case "paused":
      return status === "PAUSED" || status === "DRAFT" || status === "EDITED";
    case "stopped":
      return status === "STOPPED" || status === "DRAFT";
    case "draft":
      return status === "DRAFT" || status === "EDITED" || status === "PAUSED" || status === "STOPPED";
  }
}

export function observedState(
  declared: WoodpeckerDesiredState | undefined,
  status: string,
): WoodpeckerDesiredState | undefined {
  if (declared === undefined || stateSatisfied(declared, status)) return declared;
  if (status === "RUNNING") return "running";
  if (status === "PAUSED") return "paused";
  if (status === "STOPPED") return "stopped";
  return "draft";
}

export function toOutputs(
  live: ApiCampaign,
  declared: Pick<WoodpeckerCampaignInputs, "state" | "workflow" | "existingCampaignId">,
  bounceShieldThreshold: number | undefined,
): WoodpeckerCampaignOutputs {
  const chain = flattenChain(live.steps);
  const out: WoodpeckerCampaignOutputs = {
    name: live.name,
    emailAccountIds: [...(live.email_account_ids ?? [])].sort((a, b) => a - b),
    settings: fromApiSettings(live.settings),
    steps: chain.map(fromApiStep),
    campaignId: live.id,
    status: live.status,
    stepIds: chain.map((s) => s.id ?? ""),
    versionIds: chain.map((s) => (s.body?.versions ?? []).map((v) => v.id ?? "")),
    schemaVersion: WOODPECKER_SCHEMA_VERSION,
  };
  if (bounceShieldThreshold !== undefined) out.bounceShieldThreshold = bounceShieldThreshold;
  if (declared.state !== undefined) out.state = declared.state;
  if (declared.workflow !== undefined) out.workflow = declared.workflow;
  if (declared.existingCampaignId !== undefined) out.existingCampaignId = declared.existingCampaignId;
  return out;
}

export function inputsFromOutputs(o: WoodpeckerCampaignOutputs): WoodpeckerCampaignInputs {
  const i: WoodpeckerCampaignInputs = {
    name: o.name,
    emailAccountIds: o.emailAccountIds,
    settings: o.settings,
    steps: o.steps,
  };
  if (o.bounceShieldThreshold !== undefined) i.bounceShieldThreshold = o.bounceShieldThreshold;
  if (o.state !== undefined) i.state = o.state;
  if (o.workflow !== undefined) i.workflow = o.workflow;
  if (o.existingCampaignId !== undefined) i.existingCampaignId = o.existingCampaignId;
  return i;
}

export type { CampaignStep };
