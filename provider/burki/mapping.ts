/**
 * Between `burki.Campaign` inputs/outputs (camelCase) and Burki's API bodies (snake_case).
 *
 * One spelling for "nothing": the API's `null`, `""` and `{}` all map to an absent input, and an
 * absent input is sent as `""` / `{}` so that removing it from the program clears it in Burki
 * (Burki's PUT treats `null` as "leave unchanged").
 */
import { BURKI_TERMINAL_STATUSES } from "../core/campaign";
import { digestOfRows, sameData } from "../core/digest";
import { doNotContactOutputs } from "../core/do-not-contact-check";
import type { BurkiCampaign, BurkiCreateBody, BurkiUpdateBody } from "./api";
import {
  BURKI_SCHEMA_VERSION,
  type BurkiCampaignInputs,
  type BurkiCampaignOutputs,
  type BurkiContact,
  type BurkiDesiredState,
} from "./types";

export const TEXT_FIELDS = [
  ["description", "description"],
  ["welcomeMessageTemplate", "welcome_message_template"],
  ["agendaTemplate", "agenda_template"],
  ["endCallMessageTemplate", "end_call_message_template"],
  ["smsMessageTemplate", "sms_message_template"],
] as const;

export const MAP_FIELDS = [
  ["fallbackValues", "fallback_values"],
  ["variableMappings", "variable_mappings"],
] as const;

const nonEmptyText = (v: string | null | undefined) => (v ? v : undefined);
const nonEmptyMap = (v: Record<string, string> | null | undefined) =>
  v && Object.keys(v).length > 0 ? { ...v } : undefined;

export function toCreateBody(i: BurkiCampaignInputs): BurkiCreateBody {
  const body: BurkiCreateBody = {
    name: i.name,
    campaign_type: i.campaignType,
    assistant_id: i.assistantId,
    max_attempts: i.maxAttempts,
    retry_delay_minutes: i.retryDelayMinutes,
  };
  for (const [k, api] of TEXT_FIELDS) if (i[k] !== undefined) body[api] = i[k];
  for (const [k, api] of MAP_FIELDS) if (i[k] !== undefined) body[api] = i[k];
  return body;
}

/** The PUT body that turns `live` into `desired`; empty when nothing differs. */
export function updateBodyFor(desired: BurkiCampaignInputs, live: BurkiCampaign): BurkiUpdateBody {
  const body: BurkiUpdateBody = {};
  if (desired.name !== live.name) body.name = desired.name;
  if (desired.maxAttempts !== live.max_attempts) body.max_attempts = desired.maxAttempts;
  if (desired.retryDelayMinutes !== live.retry_delay_minutes)
    body.retry_delay_minutes = desired.retryDelayMinutes;
  for (const [k, api] of TEXT_FIELDS) {
    if (desired[k] !== nonEmptyText(live[api])) body[api] = desired[k] ?? "";
  }
  for (const [k, api] of MAP_FIELDS) {
    if (!sameData(desired[k] ?? {}, nonEmptyMap(live[api]) ?? {})) body[api] = desired[k] ?? {};
  }
  return body;
}

/**
 * Contacts in a stable order (by phone number) so their digest ignores ordering. The value is
 * `digestOf(sorted)`, each row built here in canonical order (name, phoneNumber, variables, then
 * each variable) for `digestOfRows` — a list of 100,000 several times faster than the generic
 * replacer, which the do-not-contact check's one-second budget needs.
 */
export function contactsDigest(contacts: readonly BurkiContact[] | undefined): string | undefined {
  if (!contacts?.length) return undefined;
  const sorted = [...contacts].sort((a, b) => (a.phoneNumber < b.phoneNumber ? -1 : 1));
  return digestOfRows(sorted, (c) => {
    const row: { name?: string; phoneNumber: string; variables?: Record<string, string> } = {
      name: c.name,
      phoneNumber: c.phoneNumber,
    };
    if (c.variables) {
      const variables: Record<string, string> = {};
      for (const k of Object.keys(c.variables).sort()) variables[k] = c.variables[k];
      row.variables = variables;
    }
    return row;
  });
}

/** RFC 4180 field: quoted when it holds a comma, quote, CR/LF or edge spaces. */
function csvField(v: string): string {
  return /[",\r\n]|^\s|\s$/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** The CSV Burki's import-data takes: phone_number, name, then one column per variable. */
export function contactsCsv(contacts: readonly BurkiContact[]): string {
  const variableNames = [...new Set(contacts.flatMap((c) => Object.keys(c.variables ?? {})))].sort();
  const header = ["phone_number", "name", ...variableNames];
  const rows = contacts.map((c) => [
    c.phoneNumber,
    c.name ?? "",
    ...variableNames.map((v) => c.variables?.[v] ?? ""),
  ]);
  return [header, ...rows].map((r) => r.map(csvField).join(",")).join("\r\n") + "\r\n";
}

/** The desired state that the live status already satisfies, or undefined if action is needed. */
export function stateSatisfied(desired: BurkiDesiredState | undefined, status: string): boolean {
  if (desired === undefined) return true;
  // A campaign Burki finished (or someone cancelled) is not restarted: re-running would call the
  // same people again. The state input is satisfied; a replacement is the explicit way to rerun.
  if (BURKI_TERMINAL_STATUSES.includes(status)) return true;
  switch (desired) {
    case "running":
      return status === "running" || status === "scheduled";
    case "paused":
      return status === "paused" || status === "draft";
    case "draft":
      return status === "draft" || status === "paused";
  }
}

/** What `state` to report for a live status on refresh (keeps the declared one when satisfied). */
export function observedState(
  declared: BurkiDesiredState | undefined,
  status: string,
): BurkiDesiredState | undefined {
  if (declared === undefined || stateSatisfied(declared, status)) return declared;
  if (status === "running" || status === "scheduled") return "running";
  if (status === "paused") return "paused";
  return "draft";
}

/** Outputs from the live campaign, plus what the API cannot tell (contacts, desired state). */
export function toOutputs(
  live: BurkiCampaign,
  desired: BurkiCampaignInputs,
  applied: { contacts?: BurkiContact[]; contactsDigest?: string },
): BurkiCampaignOutputs {
  const out: BurkiCampaignOutputs = {
    name: live.name,
    campaignType: live.campaign_type as BurkiCampaignOutputs["campaignType"],
    assistantId: live.assistant_id,
    maxAttempts: live.max_attempts,
    retryDelayMinutes: live.retry_delay_minutes,
    campaignId: live.id,
    status: live.status,
    totalContacts: live.total_contacts ?? 0,
    completedContacts: live.completed_contacts ?? 0,
    failedContacts: live.failed_contacts ?? 0,
    schemaVersion: BURKI_SCHEMA_VERSION,
  };
  for (const [k, api] of TEXT_FIELDS) {
    const v = nonEmptyText(live[api]);
    if (v !== undefined) out[k] = v;
  }
  for (const [k, api] of MAP_FIELDS) {
    const v = nonEmptyMap(live[api]);
    if (v !== undefined) out[k] = v;
  }
  if (live.assistant_name) out.assistantName = live.assistant_name;
  if (live.created_at) out.createdAt = live.created_at;
  if (live.updated_at) out.updatedAt = live.updated_at;
  if (applied.contacts?.length) {
    out.contacts = applied.contacts;
    out.contactCount = applied.contacts.length;
  }
  if (applied.contactsDigest) out.contactsDigest = applied.contactsDigest;
  if (desired.contactsFile !== undefined) {
    // The path and the count only: the people stay in the file.
    out.contactsFile = desired.contactsFile;
    if (desired.contactCount !== undefined) out.contactCount = desired.contactCount;
  }
  if (desired.state !== undefined) out.state = desired.state;
  if (desired.schedule !== undefined) out.schedule = desired.schedule;
  if (desired.existingCampaignId !== undefined) out.existingCampaignId = desired.existingCampaignId;
  if (desired.doNotContact !== undefined) {
    // The contacts kept are those imported (the list left some out); the count stays the declared one.
    Object.assign(out, doNotContactOutputs(desired));
    if (out.contactCount !== undefined && desired.contactCount !== undefined)
      out.contactCount = desired.contactCount;
  }
  return out;
}

/** The input-shaped view of outputs (what `read` hands back as `inputs`). */
export function inputsFromOutputs(o: BurkiCampaignOutputs): BurkiCampaignInputs {
  const i: BurkiCampaignInputs = {
    name: o.name,
    campaignType: o.campaignType,
    assistantId: o.assistantId,
    maxAttempts: o.maxAttempts,
    retryDelayMinutes: o.retryDelayMinutes,
  };
  for (const [k] of TEXT_FIELDS) if (o[k] !== undefined) i[k] = o[k];
  for (const [k] of MAP_FIELDS) if (o[k] !== undefined) i[k] = o[k];
  if (o.contacts?.length) {
    i.contacts = o.contacts;
    i.contactCount = o.contacts.length;
  }
  if (o.contactsFile !== undefined) {
    i.contactsFile = o.contactsFile;
    if (o.contactCount !== undefined) i.contactCount = o.contactCount;
  }
  if (o.state !== undefined) i.state = o.state;
  if (o.schedule !== undefined) i.schedule = o.schedule;
  if (o.existingCampaignId !== undefined) i.existingCampaignId = o.existingCampaignId;
  if (o.doNotContact !== undefined) {
    Object.assign(i, doNotContactOutputs(o));
    if (i.contactCount !== undefined && o.contactCount !== undefined) i.contactCount = o.contactCount;
  }
  return i;
}
