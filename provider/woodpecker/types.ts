/**
 * The plain (resolved) shapes of `woodpecker.Campaign`'s inputs and outputs. No runtime code.
 */

export type Weekday = "monday" | "tuesday" | "wednesday" | "thursday" | "friday" | "saturday" | "sunday";

export interface TimeWindow {
  /** `HH:mm`, 24-hour, in the campaign's timezone. */
  from: string;
  to: string;
}

/** Sending windows per weekday: at least one day, at most three windows a day. */
export type DeliveryTime = Partial<Record<Weekday, TimeWindow[]>>;

export interface StepDelay {
  value: number;
  unit: "minute" | "hour" | "day";
}

/** One A/B version of an email step (a LinkedIn step's versions carry only `message`). */
export interface StepVersion {
  /** Required on the first email step; empty on later steps = reply in the same thread. */
  subject?: string;
  /** HTML; snippets such as `{{FIRST_NAME}}` are Woodpecker's. */
  message: string;
  signature?: "SENDER" | "NO_SIGNATURE";
  trackOpens?: boolean;
}

export interface CampaignStep {
  /** Default `email`. */
  type?: "email" | "linkedin";
  /** Wait before this step (after the previous one; for the first, after enrolment). Default 1 day. */
  delay?: StepDelay;
  /** Default Monday–Friday 08:00–18:00. */
  deliveryTime?: DeliveryTime;
  /** A/B versions, 1–5 (A–E). */
  versions: StepVersion[];
  /** LinkedIn steps: `CONNECTION_REQUEST`, `VISIT_PROFILE`, `DIRECT_MESSAGE`, … */
  actionType?: string;
  /** LinkedIn steps: the sending LinkedIn account. */
  linkedinAccountId?: number;
}

export interface CampaignSettings {
  /** IANA timezone, e.g. `Europe/Warsaw`. */
  timezone: string;
  /** Opening emails per day across all mailboxes, 1–500. Default 50. */
  dailyEnroll?: number;
  prospectTimezone?: boolean;
  gdprUnsubscribe?: boolean;
  listUnsubscribe?: boolean;
  openDisabledList?: string[];
  autoPauseProspectFromDomain?: boolean;
  catchAllVerificationMode?: "BALANCED" | "MAXIMUM" | "NONE" | "ONLY_VERIFY";
}

export type WoodpeckerDesiredState = "draft" | "running" | "paused" | "stopped";

/** The snippet fields of a prospect: `snippet1` … `snippet15` (`{{SNIPPET_1}}` … in templates). */
export type SnippetKey = `snippet${1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10 | 11 | 12 | 13 | 14 | 15}`;

/**
 * One person the campaign emails. Personal data: secret in state, never in logs or errors (a
 * prospect is named by its position, `prospects[7]`). `email` is the key Woodpecker matches on.
 */
export type WoodpeckerProspect = {
  email: string;
  firstName?: string;
  lastName?: string;
  company?: string;
  website?: string;
  linkedinUrl?: string;
  /** Tags without the `#` (sent as Woodpecker's `"#A #B"`). */
  tags?: string[];
  title?: string;
  phone?: string;
  address?: string;
  city?: string;
  state?: string;
  country?: string;
  industry?: string;
} & Partial<Record<SnippetKey, string>>;

/** Prospects of the campaign by their status in it (aggregate counts: no personal data). */
export interface WoodpeckerProspectCounts {
  total: number;
  active: number;
  replied: number;
  bounced: number;
  /** BLACKLIST (opted out), INVALID, AUTOREPLIED, PAUSED, TO-CHECK, TO-REVIEW and anything else. */
  other: number;
}

/** Inputs after `check` (defaults filled). */
export interface WoodpeckerCampaignInputs {
  name: string;
  emailAccountIds: number[];
  settings: Required<CampaignSettings>;
  steps: Array<Required<Pick<CampaignStep, "type" | "delay" | "deliveryTime">> & CampaignStep>;
  bounceShieldThreshold?: number;
  state?: WoodpeckerDesiredState;
  /**
   * The active Woodpecker workflow this campaign belongs to. Woodpecker's API cannot tell; while
   * declared, plans that would replace the campaign fail at preview.
   */
  workflow?: string;
  existingCampaignId?: number;
  /** The campaign's prospects. Absent: prospects are not managed. */
  prospects?: WoodpeckerProspect[];
  /** Add prospects whose global status is not ACTIVE (replied, bounced…). Default false. */
  force?: boolean;
  /** How many prospects are managed; computed by `check` (plain, unlike the prospects). */
  prospectCount?: number;
}

export interface WoodpeckerCampaignOutputs extends WoodpeckerCampaignInputs {
  campaignId: number;
  /** Woodpecker's status: DRAFT, EDITED, RUNNING, PAUSED, STOPPED, COMPLETED. */
  status: string;
  /** Ids of the steps, in order. */
  stepIds: string[];
  /** Ids of each step's versions, in order. */
  versionIds: string[][];
  /** A digest of the managed prospects as last applied or read (secret: as revealing as they are). */
  prospectsDigest?: string;
  /** The campaign's prospects by status (while prospects are managed). */
  prospectCounts?: WoodpeckerProspectCounts;
  /** Declared prospects that are not (or no longer) in the campaign, or whose data differs there. */
  prospectsDrifted?: number;
  schemaVersion: number;
}

export const WOODPECKER_SCHEMA_VERSION = 1;
