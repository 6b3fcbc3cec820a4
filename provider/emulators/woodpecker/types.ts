/** The stored shapes of the Woodpecker emulator (what a campaign holds), its options and statuses. */
import type { EmulatorOptions, HttpReply, RequestContext } from "../common";
import type { WoodpeckerState } from "./state";

export const WOODPECKER_EMULATOR_API_KEY = "wpk_emulator_0123456789abcdef0123456789abcdef";
/** The account of WOODPECKER_EMULATOR_API_KEY (and of `apiKeys` not mapped in `accounts`). */
export const WOODPECKER_EMULATOR_DEFAULT_ACCOUNT = "acct-1";

export interface WoodpeckerEmulatorOptions extends EmulatorOptions {
  /** API key → account id. Default `{ [WOODPECKER_EMULATOR_API_KEY]: "acct-1" }`. */
  accounts?: Record<string, string>;
  /** Per-account queue. Default `{ maxQueued: 6, maxWaitMs: 15000 }` (the documented limits). */
  queue?: { maxQueued: number; maxWaitMs: number };
  /** HTTP status of a successful create (undocumented: 200 or 201). Default 200. */
  createStatus?: 200 | 201;
  /** Valid SMTP mailbox ids. Default: any positive integer is accepted (and GET /mailboxes is empty). */
  mailboxes?: number[];
}

export type WoodpeckerCampaignStatus = "DRAFT" | "EDITED" | "RUNNING" | "PAUSED" | "STOPPED" | "COMPLETED";
export const WOODPECKER_CAMPAIGN_STATUSES: readonly WoodpeckerCampaignStatus[] = [
  "DRAFT",
  "EDITED",
  "RUNNING",
  "PAUSED",
  "STOPPED",
  "COMPLETED",
];

export interface WoodpeckerAccountStats {
  /** Most requests of the account ever processed at the same time (the limit allows 1). */
  maxConcurrent: number;
  /** Most requests of the account ever waiting in its queue at the same time (the limit allows 6). */
  maxQueueDepth: number;
  /** 429s answered by the queue (full, or waited too long); injected 429 faults are not counted. */
  rateLimited: number;
}

export interface WoodpeckerEmulatorStats extends WoodpeckerAccountStats {
  accounts: Record<string, WoodpeckerAccountStats>;
}

/** The body of `PATCH /_emulator/campaigns/:id` (an edit made in the Woodpecker app). */
export interface WoodpeckerOutsideEdit {
  name?: string;
  email_account_ids?: number[];
  settings?: Record<string, unknown>;
  versions?: Array<{
    step_id: string;
    version_id: string;
    subject?: string | null;
    message?: string;
    signature?: string;
    track_opens?: boolean;
  }>;
  delivery_time?: Array<{ step_id: string; delivery_time: unknown }>;
  /** A step's delay changed in the app (the API has no endpoint for it). */
  followup_after?: Array<{ step_id: string; followup_after: unknown }>;
}

export const WEEKDAYS = [
  "MONDAY",
  "TUESDAY",
  "WEDNESDAY",
  "THURSDAY",
  "FRIDAY",
  "SATURDAY",
  "SUNDAY",
] as const;
export type Weekday = (typeof WEEKDAYS)[number];
export interface TimeWindow {
  from: string;
  to: string;
}
export type DeliveryTime = Partial<Record<Weekday, TimeWindow[]>>;
export type Range = "MINUTE" | "HOUR" | "DAY";
export interface FollowupAfter {
  range: Range;
  value: number;
}
export type Signature = "SENDER" | "NO_SIGNATURE";
export interface EmailVersion {
  id: string;
  version: string;
  subject: string | null;
  message: string;
  signature: Signature;
  track_opens: boolean;
}
export interface LinkedInVersion {
  id: string;
  version: string;
  message: string;
}
export interface StepCommon {
  id: string;
  followup_after: FollowupAfter;
  delivery_time: DeliveryTime;
  /** Hidden: how many prospects went through this step (set through the control API). */
  processedProspects: number;
}
export interface EmailStep extends StepCommon {
  type: "EMAIL";
  body: { versions: EmailVersion[] };
}
export interface LinkedInStep extends StepCommon {
  type: "LINKEDIN";
  body: { action_type: string; linkedin_account_id: number; versions: LinkedInVersion[] };
}
export type StoredStep = EmailStep | LinkedInStep;

export const CATCH_ALL_MODES = ["BALANCED", "MAXIMUM", "NONE", "ONLY_VERIFY"] as const;
export interface Settings {
  timezone: string;
  prospect_timezone: boolean;
  daily_enroll: number;
  gdpr_unsubscribe: boolean;
  list_unsubscribe: boolean;
  open_disabled_list: string[];
  auto_pause_prospect_from_domain: boolean;
  catch_all_verification_mode: (typeof CATCH_ALL_MODES)[number];
}

export interface StoredCampaign {
  id: number;
  account: string;
  name: string;
  status: WoodpeckerCampaignStatus;
  email_account_ids: number[];
  settings: Settings;
  startId: string;
  /** The linear chain after START, in order (rendered as nested `followup`s). */
  steps: StoredStep[];
  bounceRateThreshold: number | null;
  bounceShieldAutopausedAt: string | null;
  /** Hidden: never visible through any API response, exactly like the real API. */
  inActiveWorkflow: boolean;
  created: Date;
}

export const FIRST_CAMPAIGN_ID = 12345001;
export const MAX_STEPS = 16;
export const MAX_VERSIONS = 5;
export const MAX_WINDOWS_PER_DAY = 3;
export const MAX_DAILY_ENROLL = 500;
export const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;
export const TIMEZONES = new Set<string>([...Intl.supportedValuesOf("timeZone"), "UTC"]);
export const EDITABLE: readonly WoodpeckerCampaignStatus[] = ["DRAFT", "EDITED"];

/** One API endpoint of the route table (emulator.ts). */
export type Handler = (
  s: WoodpeckerState,
  ctx: RequestContext,
  params: Record<string, string>,
  account: string,
) => HttpReply;
