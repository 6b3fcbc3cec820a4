/** What the API and the control API show of a stored campaign (the JSON shapes of §4). */
import { FAILED_LIKE, type BurkiCampaign, type BurkiContact, type BurkiImport } from "./types";

/** One page of a list, with Burki's pagination object. */
export function paginate<T>(items: T[], page: number, perPage: number): { items: T[]; pagination: unknown } {
  const total = items.length;
  const totalPages = Math.ceil(total / perPage); // emulator guess: 0 pages when there are no items
  return {
    items: items.slice((page - 1) * perPage, page * perPage),
    pagination: {
      page,
      per_page: perPage,
      total_items: total,
      total_pages: totalPages,
      has_next: page < totalPages,
      has_prev: page > 1,
    },
  };
}

/**
 * The body of a list route: one page of `items` under `key` (each shown through `view`), then
 * Burki's pagination object. The campaign, contact and execution lists all answer this way.
 */
export function pageBody<T>(
  key: string,
  items: T[],
  page: number,
  perPage: number,
  view: (item: T) => unknown,
): Record<string, unknown> {
  const p = paginate(items, page, perPage);
  return { [key]: p.items.map((item) => view(item)), pagination: p.pagination };
}

export function counters(c: BurkiCampaign): { total: number; completed: number; failed: number } {
  let completed = 0;
  let failed = 0;
  for (const k of c.contacts) {
    if (k.status === "completed") completed++;
    else if (FAILED_LIKE.has(k.status)) failed++;
  }
  return { total: c.contacts.length, completed, failed };
}

/** The campaign object of GET (§4.2); `assistant_name` is left out of the create response. */
export function campaignView(c: BurkiCampaign, withAssistantName = true): Record<string, unknown> {
  const n = counters(c);
  return structuredClone({
    id: c.id,
    name: c.name,
    description: c.description,
    campaign_type: c.campaign_type,
    status: c.status,
    assistant_id: c.assistant_id,
    ...(withAssistantName ? { assistant_name: assistantName(c.assistant_id) } : {}),
    welcome_message_template: c.welcome_message_template,
    agenda_template: c.agenda_template,
    end_call_message_template: c.end_call_message_template,
    sms_message_template: c.sms_message_template,
    fallback_values: c.fallback_values,
    variable_mappings: c.variable_mappings,
    available_variables: c.available_variables,
    max_attempts: c.max_attempts,
    retry_delay_minutes: c.retry_delay_minutes,
    total_contacts: n.total,
    completed_contacts: n.completed,
    failed_contacts: n.failed,
    created_at: c.created_at,
    updated_at: c.updated_at,
    last_import_file_name: c.last_import_file_name,
    last_import_date: c.last_import_date,
    last_import_row_count: c.last_import_row_count,
    started_at: c.started_at,
    completed_at: c.completed_at,
  });
}

export function metrics(c: BurkiCampaign): Record<string, number> {
  const n = counters(c);
  const done = n.completed + n.failed;
  return {
    success_rate: done ? round2((n.completed / done) * 100) : 0,
    answer_rate: done ? round2((n.completed / done) * 100) : 0,
    average_duration_seconds: 0,
    total_duration_seconds: 0,
    actual_cost: 0,
  };
}

export function summaryView(c: BurkiCampaign): Record<string, unknown> {
  const n = counters(c);
  return {
    id: c.id,
    name: c.name,
    description: c.description,
    campaign_type: c.campaign_type,
    status: c.status,
    assistant_id: c.assistant_id,
    assistant_name: assistantName(c.assistant_id),
    total_contacts: n.total,
    completed_contacts: n.completed,
    failed_contacts: n.failed,
    created_at: c.created_at,
    started_at: c.started_at,
    completed_at: c.completed_at,
    metrics: metrics(c),
  };
}

export function contactView(k: BurkiContact): Record<string, unknown> {
  return structuredClone({
    id: k.id,
    phone_number: k.phone_number,
    contact_data: k.contact_data,
    status: k.status,
    attempts: k.attempts,
    created_at: k.created_at,
    last_attempt_at: k.last_attempt_at,
  });
}

export function importView(j: BurkiImport): Record<string, unknown> {
  return {
    id: j.id,
    import_id: j.id,
    campaign_id: j.campaign_id,
    status: j.status,
    file_name: j.file_name,
    total_rows: j.total_rows,
    imported_count: j.imported_count,
    skipped_count: j.skipped_count,
    invalid_count: j.invalid_count,
    error: j.error,
    created_at: j.created_at,
    completed_at: j.completed_at,
  };
}

export function scheduleView(c: BurkiCampaign): Record<string, unknown> {
  return structuredClone({
    schedule_type: c.schedule.schedule_type,
    scheduled_at: c.schedule.scheduled_at,
    recurring_config: c.schedule.recurring_config,
  });
}

/** Control-API view: everything, contacts included. */
export function fullView(c: BurkiCampaign): Record<string, unknown> {
  return {
    ...campaignView(c),
    organization: c.organization,
    pending_import: structuredClone(c.pending_import),
    schedule: structuredClone(c.schedule),
    hooks: { ...c.hooks },
    contacts: c.contacts.map((k) => contactView(k)),
    imports: c.imports.map((j) => importView(j)),
    executions: structuredClone(c.executions),
  };
}

export function assistantName(id: number): string {
  // emulator guess: the emulator has no assistants; names are derived from the id.
  return `Assistant ${id}`;
}

export function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
