/**
 * The Burki endpoints the provider calls (provider/burki/api.ts): campaign list / create / get /
 * update / delete, the schedule, and start / unschedule / pause / stop. Contact imports are in
 * imports.ts; the endpoints the provider never calls are in extra-routes.ts.
 */
import { randomUUID } from "node:crypto";
import { HttpReply } from "../common";
import type { BurkiState } from "./state";
import type { ApiCall, BurkiCampaign } from "./types";
import {
  CREATE_FIELDS,
  UPDATE_FIELDS,
  Validation,
  isPlainObject,
  objectBody,
  pagination,
  parseWhen,
  validRecurringConfig,
  validateModel,
} from "./validation";
import { isTimeZone } from "../../core/time";
import { campaignView, pageBody, scheduleView, summaryView } from "./views";

export function listCampaigns(s: BurkiState, call: ApiCall): HttpReply {
  const q = call.ctx.query;
  const v = new Validation();
  const { page, perPage } = pagination(v, q);
  const assistantId = q.has("assistant_id")
    ? v.int(["query", "assistant_id"], q.get("assistant_id"))
    : undefined;
  if (v.failed) return v.reply();
  const status = q.get("status");
  const type = q.get("campaign_type");
  const search = q.get("search")?.toLowerCase();
  const items = [...s.campaigns.values()]
    .filter((c) => c.organization === call.org)
    .filter((c) => !status || c.status === status)
    .filter((c) => !type || c.campaign_type === type)
    .filter((c) => assistantId === undefined || c.assistant_id === assistantId)
    .filter(
      (c) =>
        !search ||
        c.name.toLowerCase().includes(search) ||
        (c.description ?? "").toLowerCase().includes(search),
    )
    // emulator guess: newest first (the order is undocumented).
    .sort((a, b) => b.id - a.id);
  return new HttpReply(200, pageBody("campaigns", items, page, perPage, summaryView));
}

export function createCampaign(s: BurkiState, call: ApiCall): HttpReply {
  const v = new Validation();
  const body = objectBody(v, call.body, "model");
  const f = body ? validateModel(v, body, CREATE_FIELDS) : {};
  if (v.failed) return v.reply();
  // emulator guess: campaign_type is not checked against call/sms/mixed and any assistant_id is
  // accepted (the handler's behaviour for unknown values is undocumented).
  const at = s.now();
  const c: BurkiCampaign = {
    id: s.nextCampaignId++,
    organization: call.org,
    name: f.name as string,
    description: (f.description as string | null | undefined) ?? null,
    campaign_type: f.campaign_type as string,
    status: "draft",
    assistant_id: f.assistant_id as number,
    welcome_message_template: (f.welcome_message_template as string | null | undefined) ?? null,
    agenda_template: (f.agenda_template as string | null | undefined) ?? null,
    end_call_message_template: (f.end_call_message_template as string | null | undefined) ?? null,
    sms_message_template: (f.sms_message_template as string | null | undefined) ?? null,
    // emulator guess: null/absent maps and lists read back as {} / [] (as in the create example).
    fallback_values: (f.fallback_values as Record<string, string> | null | undefined) ?? {},
    variable_mappings: (f.variable_mappings as Record<string, string> | null | undefined) ?? {},
    available_variables: (f.available_variables as string[] | null | undefined) ?? [],
    pending_import: f.pending_import ?? null,
    max_attempts: (f.max_attempts as number | undefined) ?? 3,
    retry_delay_minutes: (f.retry_delay_minutes as number | undefined) ?? 30,
    created_at: at,
    updated_at: at,
    last_import_file_name: null,
    last_import_date: null,
    last_import_row_count: null,
    started_at: null,
    completed_at: null,
    schedule: { schedule_type: "immediate", scheduled_at: null, timezone: "UTC", recurring_config: null },
    contacts: [],
    executions: [],
    imports: [],
    hooks: { startBeforeNextDelete: false, ignoreStop: false },
  };
  s.campaigns.set(c.id, c);
  // Create answers 200 (not 201) with the campaign, without assistant_name.
  return new HttpReply(200, campaignView(c, false));
}

export function getCampaign(s: BurkiState, call: ApiCall): HttpReply {
  const c = s.campaignFor(call);
  if (c instanceof HttpReply) return c;
  return new HttpReply(200, campaignView(c));
}

export function updateCampaign(s: BurkiState, call: ApiCall): HttpReply {
  const v = new Validation();
  const id = v.int(["path", "campaign_id"], call.params.campaign_id);
  const body = objectBody(v, call.body, "model");
  const f = body ? validateModel(v, body, UPDATE_FIELDS) : {};
  if (v.failed || id === undefined) return v.reply();
  const c = s.lookup(id, call.org);
  if (c instanceof HttpReply) return c;
  if (c.status !== "draft" && c.status !== "paused") {
    return new HttpReply(400, { detail: "Cannot update running or completed campaigns" });
  }
  // emulator guess: null or absent leaves a field unchanged; no length/range re-validation (the
  // update schema has none); campaign_type, assistant_id and status are not in the schema.
  const target = c as unknown as Record<string, unknown>;
  for (const [k, val] of Object.entries(f)) if (val !== null) target[k] = val;
  c.updated_at = s.now();
  return new HttpReply(200, { message: "Campaign updated successfully" });
}

export function deleteCampaign(s: BurkiState, call: ApiCall): HttpReply {
  const c = s.campaignFor(call);
  if (c instanceof HttpReply) return c;
  if (c.hooks.startBeforeNextDelete) {
    // Test hook: the scheduled run fires between the client's GET and this DELETE.
    c.hooks.startBeforeNextDelete = false;
    s.setStatus(c, "running");
  }
  if (c.status === "running") {
    return new HttpReply(400, { detail: "Cannot delete running campaign - stop it first" });
  }
  s.removeCampaign(c);
  return new HttpReply(200, { message: "Campaign deleted successfully" });
}

export function getSchedule(s: BurkiState, call: ApiCall): HttpReply {
  const c = s.campaignFor(call);
  if (c instanceof HttpReply) return c;
  return new HttpReply(200, scheduleView(c));
}

export function saveSchedule(s: BurkiState, call: ApiCall): HttpReply {
  const found = s.campaignWithBody(call);
  if (found instanceof HttpReply) return found;
  const { c, body } = found;
  // emulator guess: a schedule can be saved only in draft, scheduled or paused.
  if (c.status !== "draft" && c.status !== "scheduled" && c.status !== "paused") {
    return new HttpReply(400, { detail: `Cannot schedule campaign with status ${c.status}` });
  }
  const type = body.schedule_type;
  const invalid = new HttpReply(400, { detail: "Invalid schedule configuration" });
  if (body.timezone !== undefined && body.timezone !== null && !isTimeZone(body.timezone)) return invalid;
  const timezone = typeof body.timezone === "string" ? body.timezone : "UTC";
  if (type === "immediate") {
    c.schedule = { schedule_type: "immediate", scheduled_at: null, timezone, recurring_config: null };
    if (c.status === "scheduled") s.setStatus(c, "draft");
    return new HttpReply(200, { success: true, message: "Schedule saved" });
  }
  if (type !== "scheduled" && type !== "recurring") return invalid;
  let when: Date | undefined;
  if (body.scheduled_at !== undefined && body.scheduled_at !== null) {
    when = parseWhen(body.scheduled_at, timezone);
    if (!when) return invalid;
  }
  let recurring: Record<string, unknown> | null = null;
  if (type === "scheduled") {
    if (!when) return invalid;
  } else {
    if (!isPlainObject(body.recurring_config) || !validRecurringConfig(body.recurring_config)) return invalid;
    recurring = structuredClone(body.recurring_config);
  }
  if (when && when.getTime() <= Date.now())
    return new HttpReply(400, { detail: "Scheduled time is in the past" });
  c.schedule = {
    schedule_type: type,
    scheduled_at: when ? when.toISOString().replace(/\.000Z$/, "Z") : null,
    timezone,
    recurring_config: recurring,
  };
  // emulator guess: a scheduled campaign does not run at its time on its own; `start` runs it.
  s.setStatus(c, "scheduled");
  return new HttpReply(200, { success: true, message: "Schedule saved" });
}

export function startCampaign(s: BurkiState, call: ApiCall): HttpReply {
  const c = s.campaignFor(call);
  if (c instanceof HttpReply) return c;
  if (c.status === "completed") {
    return new HttpReply(400, { detail: "All contacts have already been processed" });
  }
  if (c.status !== "draft" && c.status !== "scheduled" && c.status !== "paused") {
    return new HttpReply(400, { detail: "Cannot start campaign - invalid status" });
  }
  if (c.contacts.length === 0) return new HttpReply(400, { detail: "No contacts found" });
  if (!c.contacts.some((k) => k.status === "pending")) {
    return new HttpReply(400, { detail: "All contacts have already been processed" });
  }
  s.setStatus(c, "scheduled");
  // emulator guess: started_at is set by the first start and kept across pause/resume.
  c.started_at ??= s.now();
  s.scheduleRunningHop(c);
  return new HttpReply(200, {
    success: true,
    message: "Campaign execution started immediately",
    task_id: randomUUID(),
    campaign_id: c.id,
    status: "scheduled",
  });
}

export function unscheduleCampaign(s: BurkiState, call: ApiCall): HttpReply {
  const c = s.campaignFor(call);
  if (c instanceof HttpReply) return c;
  // emulator guess: the error and success bodies are undocumented.
  if (c.status !== "scheduled") return new HttpReply(400, { detail: "Campaign is not scheduled" });
  s.setStatus(c, "draft");
  c.schedule = { schedule_type: "immediate", scheduled_at: null, timezone: "UTC", recurring_config: null };
  return new HttpReply(200, {
    success: true,
    message: "Campaign unscheduled successfully",
    campaign_id: c.id,
    status: "draft",
  });
}

export function pauseCampaign(s: BurkiState, call: ApiCall): HttpReply {
  const c = s.campaignFor(call);
  if (c instanceof HttpReply) return c;
  if (c.status !== "running") return new HttpReply(400, { detail: "Campaign is not running" });
  s.setStatus(c, "paused");
  return new HttpReply(200, { message: "Campaign paused successfully" });
}

export function stopCampaign(s: BurkiState, call: ApiCall): HttpReply {
  const c = s.campaignFor(call);
  if (c instanceof HttpReply) return c;
  if (c.status !== "running" && c.status !== "paused" && c.status !== "scheduled") {
    return new HttpReply(400, { detail: "Campaign cannot be stopped (invalid status)" });
  }
  if (!c.hooks.ignoreStop) s.cancel(c);
  return new HttpReply(200, { message: "Campaign stopped successfully" });
}
