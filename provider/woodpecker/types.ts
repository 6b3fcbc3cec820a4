/**
 * The plain (resolved) shapes of `woodpecker.Campaign`'s inputs and outputs. No runtime code.
 */

import type { CheckedDoNotContact } from "../core/do-not-contact-types";

/** A day of the week, in the campaign's timezone. */
export type Weekday = "monday" | "tuesday" | "wednesday" | "thursday" | "friday" | "saturday" | "sunday";

/** One sending window of a day. */
export interface TimeWindow {
  /** Start, `HH:mm` (24-hour, `00:00`–`23:59`) in the campaign's timezone. Required; before `to`. */
  from: string;
  /** End, `HH:mm` (24-hour) in the campaign's timezone. Required; after `from`. */
  to: string;
}

/**
 * Sending windows per weekday: at least one day, 1–3 windows on each day listed; days left out
 * send nothing. Default: Monday–Friday 08:00–18:00.
 */
export type DeliveryTime = Partial<Record<Weekday, TimeWindow[]>>;

/** How long to wait before a step. Changing it replaces the campaign. */
export interface StepDelay {
  /** A whole number greater than 0, in `unit`s. Required. */
  value: number;
  /** `minute`, `hour` or `day`. Required. */
  unit: "minute" | "hour" | "day";
}

/** One A/B version of an email step (a LinkedIn step's versions carry only `message`). */
export interface StepVersion {
  /**
   * The subject line, at most 500 characters. Required on the first email step; on later steps,
   * empty or absent (the default) replies in the same thread. Changes in place.
   */
  subject?: string;
  /** The body, HTML, not empty; snippets such as `{{FIRST_NAME}}` are Woodpecker's. Required. Changes in place. */
  message: string;
  /** `SENDER` (the mailbox's signature) or `NO_SIGNATURE`. Default `SENDER`. Changes in place. */
  signature?: "SENDER" | "NO_SIGNATURE";
  /** Track opens of this version. Default `true`. Changes in place. */
  trackOpens?: boolean;
}

/** One step of the sequence. */
export interface CampaignStep {
  /** `email` or `linkedin`. Default `email`. Changing it replaces the campaign. */
  type?: "email" | "linkedin";
  /**
   * Wait before this step (after the previous one; for the first, after enrolment). Default 1 day.
   * Changing it replaces the campaign.
   */
  delay?: StepDelay;
  /** When this step sends. Default Monday–Friday 08:00–18:00. Changes in place. */
  deliveryTime?: DeliveryTime;
  /** A/B versions, 1–5 (A–E). Required. Their text changes in place; their number replaces the campaign. */
  versions: StepVersion[];
  /**
   * LinkedIn steps only, required there: `CONNECTION_REQUEST`, `VISIT_PROFILE`, `DIRECT_MESSAGE`,
   * … (not empty). Changing it replaces the campaign.
   */
  actionType?: string;
  /** LinkedIn steps only, required there: the sending LinkedIn account's id (a positive integer). */
  linkedinAccountId?: number;
}

/** The campaign's settings (`PATCH`ed in place). */
export interface CampaignSettings {
  /**
   * IANA timezone of the delivery times, e.g. `Europe/Warsaw`. Required. Also the prospects'
   * timezone unless `prospectTimezone` is on and the prospect has one.
   */
  timezone: string;
  /** Opening emails per day across all mailboxes: an integer, 1–500. Default 50. */
  dailyEnroll?: number;
  /** Send in each prospect's own timezone instead of `timezone` (where known). Default `false`. */
  prospectTimezone?: boolean;
  /** Woodpecker's GDPR option of the unsubscribe link. Default `false`. */
  gdprUnsubscribe?: boolean;
  /** Woodpecker's List-Unsubscribe setting (the email header). Default `false`. */
  listUnsubscribe?: boolean;
  /**
   * Email providers for which open tracking is turned off, e.g. `google.com`, `outlook.com`,
   * `OTHER_PROVIDER` (non-empty strings; order ignored). Default `[]`.
   */
  openDisabledList?: string[];
  /** Woodpecker's "auto-pause prospects from the same domain" setting. Default `false`. */
  autoPauseProspectFromDomain?: boolean;
  /** Catch-all address verification: `BALANCED`, `MAXIMUM`, `NONE` or `ONLY_VERIFY`. Default `BALANCED`. */
  catchAllVerificationMode?: "BALANCED" | "MAXIMUM" | "NONE" | "ONLY_VERIFY";
}

/** The run state Pulumi keeps the campaign in. Absent: Pulumi does not manage the run state. */
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
  /** All prospects of the campaign (declared or not). */
  total: number;
  /** ACTIVE in this campaign: not contacted yet, or contacted and not replied. */
  active: number;
  /** REPLIED in this campaign. */
  replied: number;
  /** BOUNCED in this campaign. */
  bounced: number;
  /** BLACKLIST (opted out), INVALID, AUTOREPLIED, PAUSED, TO-CHECK, TO-REVIEW and anything else. */
  other: number;
}

/** Inputs after `check` (defaults filled). The limits are those of `woodpecker.CampaignArgs`. */
export interface WoodpeckerCampaignInputs {
  /** 1–255 characters. Default: the resource name. */
  name: string;
  /** The sending mailboxes' SMTP ids: at least one, positive integers, no repeats (kept sorted). */
  emailAccountIds: number[];
  /** The settings, every default filled. */
  settings: Required<CampaignSettings>;
  /** 1–16 steps in order, each with its type, delay and delivery time filled. */
  steps: Array<Required<Pick<CampaignStep, "type" | "delay" | "deliveryTime">> & CampaignStep>;
  /** Bounce Shield: pause the campaign above this bounce rate, an integer percentage 1–99. Default: unset. */
  bounceShieldThreshold?: number;
  /** The run state Pulumi keeps. Absent: not managed. */
  state?: WoodpeckerDesiredState;
  /**
   * The active Woodpecker workflow this campaign belongs to. Woodpecker's API cannot tell; while
   * declared, plans that would replace the campaign fail at preview. Not empty. Default: none.
   */
  workflow?: string;
  /** The id (a positive integer) of a campaign created elsewhere, to adopt. Default: none (create one). */
  existingCampaignId?: number;
  /** The campaign's prospects. Absent: prospects are not managed. */
  prospects?: WoodpeckerProspect[];
  /**
   * The path of a CSV file of the people to email (a header row naming the columns: `email`, then
   * any prospect field, as the input or Woodpecker's API spells it, in any case), read by the
   * provider at check, create, update and refresh; relative to the program directory. Not with
   * `prospects`. Once used, the file is the campaign's whole list: prospects of the campaign that
   * are not in it are removed from the campaign when the provider applies it. Default: none.
   */
  prospectsFile?: string;
  /** Add prospects whose global status is not ACTIVE (replied, bounced…). Default false. */
  force?: boolean;
  /** A prospect Woodpecker refuses: "report" (default: the update succeeds, see prospectsRefusedAt) or "fail". */
  onProspectRefused?: "report" | "fail";
  /** How many prospects are managed, inline or in `prospectsFile`; computed by `check` (plain, unlike the prospects). */
  prospectCount?: number;
  /**
   * People never to email (core/do-not-contact-types.ts): addresses and domains, and numbers matched
   * against a prospect's `phone`. Listed prospects are never enrolled. Default: none.
   */
  doNotContact?: CheckedDoNotContact;
  /** Distinct entries on the do-not-contact list (computed by `check`). */
  doNotContactCount?: number;
  /** Declared prospects on the do-not-contact list, never enrolled (computed by `check`). */
  excludedByDoNotContact?: number;
}

/** Everything `woodpecker.Campaign` exposes. */
export interface WoodpeckerCampaignOutputs extends WoodpeckerCampaignInputs {
  /** Woodpecker's campaign id (a positive integer). */
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
  /** Declared prospects Woodpecker refused at the last create or update (plain: a count). */
  prospectsRefused?: number;
  /** Where and why, by position only: `prospects[3]: E_INV_STATUS (…)` (plain: no email). */
  prospectsRefusedAt?: string[];
  /** Version of this output layout, so newer provider code can read state written by older code. */
  schemaVersion: number;
}

export const WOODPECKER_SCHEMA_VERSION = 1;
