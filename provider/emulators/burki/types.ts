/** The stored shapes of the Burki emulator (what a campaign holds), its statuses and fixed bodies. */
import type { EmulatorOptions, HttpReply, RequestContext } from "../common";
import type { BurkiState } from "./state";

/** `burki_` + 32 characters of [a-z0-9], the key format of the open-source backend. */
export const BURKI_EMULATOR_API_KEY = "burki_0123456789abcdefghijklmnopqrstuv";

export interface BurkiEmulatorOptions extends EmulatorOptions {
  /** Delay of the `scheduled` → `running` hop after `start`, in ms (default 200). */
  startDelayMs?: number;
  /** Delay before an accepted import is processed, in ms (default 30). */
  importDelayMs?: number;
  /** Status for another organisation's campaign (default 404). */
  crossOrgStatus?: 403 | 404;
  /** API key → organisation id; default `{ [BURKI_EMULATOR_API_KEY]: "org-1" }`. */
  organizations?: Record<string, string>;
}

export type BurkiCampaignStatus =
  "draft" | "scheduled" | "running" | "paused" | "completed" | "cancelled" | "failed";
export type BurkiContactStatus =
  | "pending"
  | "in_progress"
  | "completed"
  | "failed"
  | "skipped"
  | "no_answer"
  | "busy"
  | "voicemail"
  | "cancelled";

export const CAMPAIGN_STATUSES: readonly BurkiCampaignStatus[] = [
  "draft",
  "scheduled",
  "running",
  "paused",
  "completed",
  "cancelled",
  "failed",
];
export const CONTACT_STATUSES: readonly BurkiContactStatus[] = [
  "pending",
  "in_progress",
  "completed",
  "failed",
  "skipped",
  "no_answer",
  "busy",
  "voicemail",
  "cancelled",
];
/** Contact statuses that count as failed (re-execute `failed_only` selects them). */
export const FAILED_LIKE = new Set<BurkiContactStatus>(["failed", "no_answer", "busy", "voicemail"]);

export const DEFAULT_ORG = "org-1";
export const NOT_FOUND = { detail: "Campaign not found" };
export const FORBIDDEN = { detail: "Forbidden - campaign belongs to different organization" };
export const AUTH_REQUIRED = { detail: "Authentication required. Provide a valid API key or login session." };

export interface BurkiContact {
  id: number;
  phone_number: string;
  contact_data: { variable_values: Record<string, string>; custom_fields: Record<string, unknown> };
  status: BurkiContactStatus;
  attempts: number;
  created_at: string;
  last_attempt_at: string | null;
}

export interface BurkiExecution {
  id: number;
  contact_id: number;
  contact_name: string | null;
  contact_phone: string;
  status: string;
  call_id: string | null;
  sms_id: string | null;
  executed_at: string;
  execution_data: Record<string, unknown>;
}

export interface BurkiImport {
  id: number;
  campaign_id: number;
  status: "pending" | "processing" | "completed" | "failed";
  file_name: string;
  total_rows: number;
  imported_count: number;
  skipped_count: number;
  invalid_count: number;
  error: string | null;
  created_at: string;
  completed_at: string | null;
  /** Parsed at upload time, processed after `importDelayMs`. */
  header: string[];
  rows: string[][];
  columnMappings: Record<string, string>;
}

export interface BurkiSchedule {
  schedule_type: "immediate" | "scheduled" | "recurring";
  scheduled_at: string | null;
  timezone: string;
  recurring_config: Record<string, unknown> | null;
}

export interface BurkiCampaign {
  id: number;
  organization: string;
  name: string;
  description: string | null;
  campaign_type: string;
  status: BurkiCampaignStatus;
  assistant_id: number;
  welcome_message_template: string | null;
  agenda_template: string | null;
  end_call_message_template: string | null;
  sms_message_template: string | null;
  fallback_values: Record<string, string>;
  variable_mappings: Record<string, string>;
  available_variables: string[];
  pending_import: unknown;
  max_attempts: number;
  retry_delay_minutes: number;
  created_at: string;
  updated_at: string;
  last_import_file_name: string | null;
  last_import_date: string | null;
  last_import_row_count: number | null;
  started_at: string | null;
  completed_at: string | null;
  schedule: BurkiSchedule;
  contacts: BurkiContact[];
  executions: BurkiExecution[];
  imports: BurkiImport[];
  hooks: { startBeforeNextDelete: boolean; ignoreStop: boolean };
}

/** The request body of a JSON route, as decoded before auth runs (validation.ts `readBody`). */
export type BodyValue = { kind: "absent" } | { kind: "json"; value: unknown } | { kind: "raw"; text: string };

export interface ApiCall {
  ctx: RequestContext;
  params: Record<string, string>;
  org: string;
  body: BodyValue;
  form?: FormData;
}

/** One API endpoint of the route table (emulator.ts): how its body is read, and its handler. */
export interface RouteSpec {
  body?: "json" | "form";
  handler: (s: BurkiState, call: ApiCall) => HttpReply | Promise<HttpReply>;
}
