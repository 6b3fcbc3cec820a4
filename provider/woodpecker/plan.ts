/**
 * What it takes to turn one Woodpecker campaign configuration into another — in place where the
 * API allows it, otherwise a replacement (with the property paths that force it).
 *
 * In place (reference/woodpecker-api.md §8): name, mailboxes and settings (PATCH campaign), a
 * step's delivery time (PATCH step), a version's subject/message/signature/tracking (PATCH
 * version), appending steps, deleting later email steps, the bounce-shield threshold.
 * Not in place: a step's type, delay or LinkedIn action, the number of A/B versions of a step,
 * and deleting the first email step or a LinkedIn step.
 *
 * Pure: `diff` runs it against the state at preview time without any API call (`planDiff`);
 * `update` runs it against a fresh GET.
 */
import { adoptsAnotherCampaign } from "../core/campaign";
import { sameData } from "../core/digest";
import type { DiffResult } from "../core/provider-kit";
import { UNKNOWN, containsUnknown, isRecord } from "../core/validation";
import type { ApiCampaign, ApiCampaignBody, ApiSettings, ApiVersion } from "./api";
import {
  type InputStep,
  flattenChain,
  fromApiSettings,
  fromApiStep,
  stateSatisfied,
  toApiDeliveryTime,
  toApiSettings,
  toApiVersion,
} from "./mapping";
import type { WoodpeckerCampaignInputs, WoodpeckerCampaignOutputs } from "./types";

export type Configuration = Pick<
  WoodpeckerCampaignInputs,
  "name" | "emailAccountIds" | "settings" | "steps" | "bounceShieldThreshold"
>;

export type EditOp =
  | { kind: "patchCampaign"; body: ApiCampaignBody; fields: string[] }
  | { kind: "patchDeliveryTime"; stepIndex: number; deliveryTime: ReturnType<typeof toApiDeliveryTime> }
  | { kind: "patchVersion"; stepIndex: number; versionIndex: number; body: ApiVersion }
  | { kind: "deleteStep"; stepIndex: number }
  | { kind: "appendStep"; step: InputStep };

export interface UpdatePlan {
  /**
   * Property paths that cannot change in place; non-empty means a replacement. At preview, a path
   * whose value is unknown counts when that value alone could force the replacement.
   */
  replaceReasons: string[];
  /**
   * Paths of in-place fields whose desired value is unknown (preview): they may change. Never
   * non-empty when planning against known inputs, which is the only time edits are applied.
   */
  mayChange: string[];
  /** Edits, in the order to apply them; they need the campaign in DRAFT or EDITED. */
  edits: EditOp[];
  /** Set when the declared bounce-shield threshold differs from the live one (allowed in any status). */
  bounceShield?: { threshold: number };
  /**
   * The threshold was managed and the program no longer declares it: Pulumi stops managing it and
   * leaves Woodpecker's as it is (undeclared = not managed, as `prospects` and `state`).
   */
  bounceShieldReleased?: number;
}

const same = sameData;
const isUnknown = (v: unknown) => v === UNKNOWN;

function settingsDiff(
  current: Configuration["settings"],
  desired: Configuration["settings"],
): Partial<ApiSettings> {
  const cur = toApiSettings(current);
  const des = toApiSettings(desired);
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(des) as (keyof ApiSettings)[]) if (!same(cur[k], des[k])) out[k] = des[k];
  return out as Partial<ApiSettings>;
}

function versionDiff(cur: ApiVersion, des: ApiVersion): ApiVersion {
  const out: ApiVersion = {};
  for (const k of ["subject", "message", "signature", "track_opens"] as const) {
    if (des[k] !== undefined && !same(cur[k] ?? (k === "subject" ? "" : undefined), des[k])) {
      (out as Record<string, unknown>)[k] = des[k];
    }
  }
  return out;
}

/**
 * Total over partial input: `diff` runs it at preview, when any desired value may be the unknown
 * sentinel (see `mayChange`), and after every refresh. Only `update` applies its edits, and `update`
 * always has known inputs.
 */
export function planUpdate(current: Configuration, desired: Configuration): UpdatePlan {
  const replaceReasons: string[] = [];
  const mayChange: string[] = [];
  const edits: EditOp[] = [];

  const campaignBody: ApiCampaignBody = {};
  const fields: string[] = [];
  if (containsUnknown(desired.name)) mayChange.push("name");
  else if (!same(current.name, desired.name)) {
    campaignBody.name = desired.name;
    fields.push("name");
  }
  if (containsUnknown(desired.emailAccountIds)) mayChange.push("emailAccountIds");
  else if (!same(current.emailAccountIds, desired.emailAccountIds)) {
    campaignBody.email_account_ids = desired.emailAccountIds;
    fields.push("emailAccountIds");
  }
  if (containsUnknown(desired.settings)) mayChange.push("settings");
  else {
    const s = settingsDiff(current.settings, desired.settings);
    if (Object.keys(s).length) {
      campaignBody.settings = s;
      fields.push(...Object.keys(s).map((k) => `settings.${k}`));
    }
  }
  if (fields.length) edits.push({ kind: "patchCampaign", body: campaignBody, fields });

  const cur = current.steps;
  const des = desired.steps;
  if (!Array.isArray(des)) {
    replaceReasons.push("steps");
    return { replaceReasons, mayChange, edits };
  }
  const common = Math.min(cur.length, des.length);
  for (let i = 0; i < common; i++) {
    const c = cur[i];
    const d = des[i];
    const at = `steps[${i}]`;
    if (!isRecord(d)) {
      replaceReasons.push(at);
      continue;
    }
    if (isUnknown(d.type) || c.type !== d.type) replaceReasons.push(`${at}.type`);
    if (containsUnknown(d.delay) || !same(c.delay, d.delay)) replaceReasons.push(`${at}.delay`);
    if (d.type === "linkedin") {
      if (containsUnknown(d.actionType) || c.actionType !== d.actionType)
        replaceReasons.push(`${at}.actionType`);
      if (containsUnknown(d.linkedinAccountId) || c.linkedinAccountId !== d.linkedinAccountId) {
        replaceReasons.push(`${at}.linkedinAccountId`);
      }
    }
    if (!Array.isArray(d.versions) || c.versions.length !== d.versions.length) {
      replaceReasons.push(`${at}.versions`);
      continue;
    }
    if (containsUnknown(d.deliveryTime)) mayChange.push(`${at}.deliveryTime`);
    else if (!same(c.deliveryTime, d.deliveryTime)) {
      edits.push({
        kind: "patchDeliveryTime",
        stepIndex: i,
        deliveryTime: toApiDeliveryTime(d.deliveryTime),
      });
    }
    d.versions.forEach((v, j) => {
      if (containsUnknown(v) || isUnknown(d.type)) {
        mayChange.push(`${at}.versions[${j}]`);
        return;
      }
      const body = versionDiff(toApiVersion(c.versions[j], c.type), toApiVersion(v, d.type));
      if (Object.keys(body).length) edits.push({ kind: "patchVersion", stepIndex: i, versionIndex: j, body });
    });
  }

  if (des.length < cur.length) {
    const firstEmail = cur.findIndex((s) => s.type === "email");
    for (let i = cur.length - 1; i >= des.length; i--) {
      if (cur[i].type !== "email" || i === firstEmail) {
        replaceReasons.push(`steps[${i}]`);
      } else {
        edits.push({ kind: "deleteStep", stepIndex: i });
      }
    }
  }
  for (let i = cur.length; i < des.length; i++) {
    if (!isRecord(des[i]) || containsUnknown(des[i].type)) replaceReasons.push(`steps[${i}]`);
    else if (containsUnknown(des[i])) mayChange.push(`steps[${i}]`);
    else edits.push({ kind: "appendStep", step: des[i] });
  }

  const plan: UpdatePlan = { replaceReasons, mayChange, edits };
  if (containsUnknown(desired.bounceShieldThreshold)) mayChange.push("bounceShieldThreshold");
  else if (desired.bounceShieldThreshold === undefined) {
    // Not declared = not managed: never written, so a threshold set in Woodpecker's app (a safety
    // net against bounces) is never removed by an `up`, and refresh need not read it.
    if (current.bounceShieldThreshold !== undefined)
      plan.bounceShieldReleased = current.bounceShieldThreshold;
  } else if (!same(current.bounceShieldThreshold, desired.bounceShieldThreshold)) {
    plan.bounceShield = { threshold: desired.bounceShieldThreshold };
  }
  return plan;
}

/** Human words for an edit, for log lines. */
export function describeEdit(op: EditOp): string {
  switch (op.kind) {
    case "patchCampaign":
      return `update ${op.fields.join(", ")}`;
    case "patchDeliveryTime":
      return `update steps[${op.stepIndex}].deliveryTime`;
    case "patchVersion":
      return `update steps[${op.stepIndex}].versions[${op.versionIndex}] (${Object.keys(op.body).join(", ")})`;
    case "deleteStep":
      return `delete steps[${op.stepIndex}]`;
    case "appendStep":
      return "append a step";
  }
}

/** The configuration part of inputs or outputs. */
export function configurationOf(v: Partial<WoodpeckerCampaignInputs>): Configuration {
  return {
    name: v.name!,
    emailAccountIds: v.emailAccountIds ?? [],
    settings: v.settings!,
    steps: v.steps ?? [],
    bounceShieldThreshold: v.bounceShieldThreshold,
  };
}

/** The configuration of a live campaign, in input shape. */
export function liveConfiguration(
  live: ApiCampaign,
  bounceShieldThreshold: number | undefined,
): Configuration {
  return {
    name: live.name,
    emailAccountIds: [...live.email_account_ids].sort((a, b) => a - b),
    settings: fromApiSettings(live.settings),
    steps: flattenChain(live.steps).map(fromApiStep),
    bounceShieldThreshold,
  };
}

/** What forces a replacement of `current` into `desired`: step structure, or adopting another campaign. */
export function replaceReasons(
  current: Partial<WoodpeckerCampaignInputs>,
  currentId: number | undefined,
  desired: Partial<WoodpeckerCampaignInputs>,
): { plan: UpdatePlan; reasons: string[] } {
  const plan = planUpdate(configurationOf(current), configurationOf(desired));
  const reasons = [...plan.replaceReasons];
  if (adoptsAnotherCampaign(desired.existingCampaignId, currentId)) reasons.push("existingCampaignId");
  return { plan, reasons };
}

/**
 * What `diff` decides. Total over partial input (unknowns at preview mean "may change"), and never
 * a throw for a policy reason: the engine calls it after every refresh too, with olds = the
 * refreshed outputs and news = the inputs in state, where a structural edit made in Woodpecker's
 * app is drift to show, not an error. The workflow refusal lives in `check`
 * (lifecycle.ts refuseWorkflowReplacement).
 */
export function planDiff(
  o: Partial<WoodpeckerCampaignOutputs>,
  n: Partial<WoodpeckerCampaignInputs>,
): DiffResult {
  const { plan, reasons } = replaceReasons(o, o.campaignId, n);
  if (reasons.length) {
    const replaces = [...new Set(reasons.map((r) => r.split(/[.[]/)[0]))];
    return { changes: true, replaces, deleteBeforeReplace: true };
  }
  const stateChanged =
    n.state !== o.state || (n.state !== undefined && !stateSatisfied(n.state, o.status ?? "DRAFT"));
  const changes =
    plan.edits.length > 0 ||
    plan.mayChange.length > 0 ||
    plan.bounceShield !== undefined ||
    plan.bounceShieldReleased !== undefined ||
    stateChanged ||
    !sameData(n.workflow, o.workflow);
  return { changes, deleteBeforeReplace: true };
}
