/**
 * Burki endpoints the provider does not call, kept so the emulator answers like the real API:
 * the contact list, the template preview, re-execute, progress and the execution list.
 */
import { HttpReply } from "../common";
import type { BurkiState } from "./state";
import { renderTemplate } from "./template";
import {
  CONTACT_STATUSES,
  FAILED_LIKE,
  type ApiCall,
  type BurkiCampaign,
  type BurkiContact,
  type BurkiContactStatus,
} from "./types";
import { Validation, isPlainObject, objectBody, pagination, parseWhen } from "./validation";
import { contactView, counters, pageBody, round2 } from "./views";

/**
 * What a list under one campaign reads first: the campaign id in the path, then the page asked
 * for (in that order, as the 422 lists them), the campaign in the caller's organisation, and the
 * `status` filter. A reply when the call is refused.
 */
function campaignList(
  s: BurkiState,
  call: ApiCall,
): HttpReply | { c: BurkiCampaign; page: number; perPage: number; status: string | null } {
  const q = call.ctx.query;
  const v = new Validation();
  const id = v.int(["path", "campaign_id"], call.params.campaign_id);
  const { page, perPage } = pagination(v, q);
  if (v.failed || id === undefined) return v.reply();
  const c = s.lookup(id, call.org);
  if (c instanceof HttpReply) return c;
  return { c, page, perPage, status: q.get("status") };
}

export function listContacts(s: BurkiState, call: ApiCall): HttpReply {
  const list = campaignList(s, call);
  if (list instanceof HttpReply) return list;
  const { c, page, perPage, status } = list;
  if (status && !CONTACT_STATUSES.includes(status as BurkiContactStatus)) {
    return new HttpReply(400, { detail: "Invalid status value" });
  }
  // emulator guess: contacts in import order (ascending id).
  const items = c.contacts.filter((k) => !status || k.status === status);
  return new HttpReply(200, pageBody("contacts", items, page, perPage, contactView));
}

export function templatePreview(_s: BurkiState, call: ApiCall): HttpReply {
  const v = new Validation();
  const body = objectBody(v, call.body, "model");
  let template: string | undefined;
  let variables: Record<string, unknown> | undefined;
  if (body) {
    if (!("template" in body)) v.add("missing", ["body", "template"], "Field required", body);
    else template = v.str(["body", "template"], body.template);
    if (!("variables" in body)) v.add("missing", ["body", "variables"], "Field required", body);
    else variables = v.dict(["body", "variables"], body.variables);
  }
  if (v.failed || template === undefined || variables === undefined) return v.reply();
  const r = renderTemplate(template, variables);
  if (!r.ok)
    return new HttpReply(200, {
      success: false,
      rendered_template: `[Template Error: ${r.error}] ${template}`,
    });
  return new HttpReply(200, { success: true, rendered_template: r.text });
}

export function reExecute(s: BurkiState, call: ApiCall): HttpReply {
  const found = s.campaignWithBody(call);
  if (found instanceof HttpReply) return found;
  const { c, body } = found;
  if (c.status !== "completed" && c.status !== "cancelled" && c.status !== "failed") {
    return new HttpReply(400, { detail: "Campaign status doesn't allow re-execution" });
  }
  const sel = body.contact_selection;
  let selected: BurkiContact[];
  if (sel === "all") selected = [...c.contacts];
  else if (sel === "failed_only") selected = c.contacts.filter((k) => FAILED_LIKE.has(k.status));
  else if (Array.isArray(sel) && sel.every((x) => Number.isInteger(x))) {
    selected = c.contacts.filter((k) => sel.includes(k.id));
  } else {
    // emulator guess: wording for a missing or malformed contact_selection.
    return new HttpReply(400, { detail: "Invalid contact_selection" });
  }
  if (selected.length === 0)
    return new HttpReply(400, { detail: "No contacts match the selection criteria" });
  const ss = body.schedule_settings;
  let when: Date | undefined;
  if (isPlainObject(ss) && (ss.schedule_type === "scheduled" || ss.schedule_type === "once")) {
    when = parseWhen(ss.scheduled_at, typeof ss.timezone === "string" ? ss.timezone : "UTC");
    if (!when) return new HttpReply(400, { detail: "Invalid schedule configuration" });
    if (when.getTime() <= Date.now()) return new HttpReply(400, { detail: "Scheduled time is in the past" });
  }
  const chosen = new Set(selected);
  for (const k of c.contacts) {
    if (chosen.has(k)) {
      k.status = "pending";
      k.attempts = 0; // emulator guess: attempts restart from zero
    } else k.status = "skipped";
  }
  // emulator guess: started_at/completed_at are cleared with the counters.
  c.started_at = null;
  c.completed_at = null;
  const n = selected.length;
  if (when) {
    const iso = when.toISOString().replace(/\.000Z$/, "Z");
    const tz = isPlainObject(ss) && typeof ss.timezone === "string" ? ss.timezone : "UTC";
    c.schedule = { schedule_type: "scheduled", scheduled_at: iso, timezone: tz, recurring_config: null };
    s.setStatus(c, "scheduled");
    const human = iso.replace("T", " ").replace(/(\.\d+)?Z$/, " UTC");
    return new HttpReply(200, {
      success: true,
      message: `Campaign scheduled for re-execution at ${human} with ${n} contacts`,
      campaign_id: c.id,
      contacts_reset: n,
      schedule_type: "once",
      status: "scheduled",
      scheduled_time: iso,
    });
  }
  s.setStatus(c, "draft");
  return new HttpReply(200, {
    success: true,
    message: `Campaign ready for re-execution with ${n} contacts`,
    campaign_id: c.id,
    contacts_reset: n,
    schedule_type: "immediate",
    status: "draft",
  });
}

export function getProgress(s: BurkiState, call: ApiCall): HttpReply {
  const c = s.campaignFor(call);
  if (c instanceof HttpReply) return c;
  const n = counters(c);
  const processing = c.contacts.filter((k) => k.status === "in_progress").length;
  const pending = c.contacts.filter((k) => k.status === "pending").length;
  const done = n.completed + n.failed;
  const progressPct = n.total ? round2((done / n.total) * 100) : 0;
  const successRate = done ? round2((n.completed / done) * 100) : 0;
  return new HttpReply(200, {
    campaign_id: c.id,
    status: c.status,
    progress: {
      total_contacts: n.total,
      completed: n.completed,
      failed: n.failed,
      processing,
      pending,
      progress_percentage: progressPct,
      success_rate: successRate,
    },
    metrics: {
      total_duration_seconds: 0,
      average_duration_seconds: 0,
      success_rate: successRate,
      answer_rate: successRate,
      completion_rate: progressPct,
      cost_estimate: 0,
      actual_cost: 0,
      last_updated: s.now(),
    },
    started_at: c.started_at,
    completed_at: c.completed_at,
    recent_activity: [...c.executions]
      .reverse()
      .slice(0, 10)
      .map((e) => ({
        execution_id: e.id,
        contact_phone: e.contact_phone,
        status: e.status,
        executed_at: e.executed_at,
        call_id: e.call_id,
      })),
  });
}

export function listExecutions(s: BurkiState, call: ApiCall): HttpReply {
  const list = campaignList(s, call);
  if (list instanceof HttpReply) return list;
  const { c, page, perPage, status } = list;
  // emulator guess: the status filter is not validated here; newest first, as in the example.
  const items = [...c.executions].reverse().filter((e) => !status || e.status === status);
  return new HttpReply(
    200,
    pageBody("executions", items, page, perPage, (e) => structuredClone({ ...e, execution_id: e.id })),
  );
}
