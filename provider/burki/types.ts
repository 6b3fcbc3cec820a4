/**
 * The plain (resolved) shapes of `burki.Campaign`'s inputs and outputs, shared by the resource
 * class, the provider implementation and users' code. No runtime code lives here.
 */

import type { CheckedDoNotContact } from "../core/do-not-contact-types";

/** How Burki reaches the contacts: voice calls, SMS, or both. */
export type BurkiCampaignType = "call" | "sms" | "mixed";

/** The run state Pulumi keeps the campaign in. Absent: Pulumi does not manage the run state. */
export type BurkiDesiredState = "draft" | "running" | "paused";

/** One person to call (personal data: a Pulumi secret in state). */
export interface BurkiContact {
  /**
   * E.164: `+`, the country code, 8–15 digits in all, no spaces (e.g. `+15551234567`). Unique
   * within the campaign (Burki would skip a duplicate). Required.
   */
  phoneNumber: string;
  /** The contact's name, `{{name}}` in templates. At most 200 characters. Default: none. */
  name?: string;
  /**
   * Extra template variables of this contact (`{{appointment_date}}` …): names of letters, digits
   * and `_`, not starting with a digit, at most 64 characters, not a reserved column (`phone`,
   * `phone_number`, `mobile`, `cell`, `name`, `full_name`, `contact_name`); string values.
   * Default: none.
   */
  variables?: Record<string, string>;
}

/** How often a recurring schedule runs the campaign. */
export type BurkiFrequency = "daily" | "weekly" | "monthly";

/** When a recurring campaign runs (Burki's `recurring_config`). */
export interface BurkiRecurring {
  /** `daily`, `weekly` or `monthly`. Required. */
  frequency: BurkiFrequency;
  /** Every how many days, weeks or months: an integer, 1–365. Default 1. */
  interval?: number;
  /**
   * The weekdays of a `weekly` schedule, 1 = Monday … 7 = Sunday: 1–7 distinct integers. Required
   * for `weekly`; not allowed otherwise.
   */
  daysOfWeek?: number[];
  /** The day of the month of a `monthly` schedule, 1–31. Required for `monthly`; not allowed otherwise. */
  dayOfMonth?: number;
  /** The time of day of each run, `HH:MM` (24 h, e.g. `09:30`), in `timeZone`. Required. */
  time: string;
  /** IANA time zone of `time` (e.g. `America/New_York`). Default: the schedule's `timezone` (UTC unless set). */
  timeZone?: string;
  /** The last day it runs, `YYYY-MM-DD` (in `timeZone`); must not be in the past when set or changed. Default: none (no end). */
  endDate?: string;
}

/** When Burki runs the campaign (Burki's schedule record). Absent: the schedule is not managed. */
export interface BurkiSchedule {
  /**
   * `immediate` (no schedule: a scheduled campaign goes back to draft), `scheduled` (once, at
   * `at`) or `recurring` (per `recurring`). Required.
   */
  type: "immediate" | "scheduled" | "recurring";
  /**
   * ISO 8601 date and time, e.g. `2026-12-24T09:00:00Z` or `2026-12-24T09:00` (a time without an
   * offset is read in `timezone`). Required for `scheduled`, optional for `recurring` (the first
   * run), not allowed for `immediate`. Must be in the future when set or changed; once it has
   * passed it is kept as history and never re-applied.
   */
  at?: string;
  /** IANA time zone (e.g. `Europe/Paris`) of `at`. Default `UTC`. */
  timezone?: string;
  /** Required for `recurring`; not allowed otherwise. */
  recurring?: BurkiRecurring;
}

/** Inputs after `check` (defaults filled). The limits are those of `burki.CampaignArgs`. */
export interface BurkiCampaignInputs {
  /** 1–200 characters. Default: the resource name. */
  name: string;
  /** Free text, at most 20,000 characters. Default: none. */
  description?: string;
  /** `call`, `sms` or `mixed`. Required; changing it replaces the campaign. */
  campaignType: BurkiCampaignType;
  /** The Burki assistant that places the calls: a positive integer id. Changing it replaces the campaign. */
  assistantId: number;
  /** What the assistant says first, e.g. `Hi {{name}}, …`. At most 20,000 characters. Default: none. */
  welcomeMessageTemplate?: string;
  /** What the call is about (the assistant's brief). At most 20,000 characters. Default: none. */
  agendaTemplate?: string;
  /** What the assistant says before hanging up. At most 20,000 characters. Default: none. */
  endCallMessageTemplate?: string;
  /** The SMS text (`sms`, `mixed` campaigns). At most 20,000 characters. Default: none. */
  smsMessageTemplate?: string;
  /** Call attempts per contact: an integer, 1–10. Default 3. */
  maxAttempts: number;
  /** Minutes between two attempts on one contact: an integer, 5–1440 (24 h). Default 30. */
  retryDelayMinutes: number;
  /** Template variable → value used when a contact lacks it. Non-empty keys, string values. Default: none. */
  fallbackValues?: Record<string, string>;
  /** CSV column → template variable, for Burki's contact import. Non-empty keys, string values. Default: none. */
  variableMappings?: Record<string, string>;
  /** The people to call: 1–100,000 contacts, unique phone numbers. Absent: contacts are not managed. */
  contacts?: BurkiContact[];
  /**
   * The path of a CSV file of the people to call (header `phone_number,name,<variable>…`, the
   * layout of Burki's import), read by the provider at check, create and update; relative to the
   * program directory. Not with `contacts`. Default: none.
   */
  contactsFile?: string;
  /** The run state Pulumi keeps. `running` needs contacts. Absent: the run state is not managed. */
  state?: BurkiDesiredState;
  /**
   * When Burki runs the campaign. Needs `state` `running` or absent (a schedule starts the
   * campaign). Absent: the schedule is not managed.
   */
  schedule?: BurkiSchedule;
  /** The id (a positive integer) of a campaign created elsewhere, to adopt. Default: none (create one). */
  existingCampaignId?: number;
  /** How many contacts are declared, inline or in `contactsFile` (computed by `check`; absent while contacts are not managed). */
  contactCount?: number;
  /**
   * People never to call (core/do-not-contact-types.ts): numbers, and emails matched against a
   * contact's `email` variable. Listed contacts are never imported. Default: none.
   */
  doNotContact?: CheckedDoNotContact;
  /** Distinct entries on the do-not-contact list (computed by `check`). */
  doNotContactCount?: number;
  /** Declared contacts on the do-not-contact list, left out of the import (computed by `check`). */
  excludedByDoNotContact?: number;
}

/** Everything `burki.Campaign` exposes. */
export interface BurkiCampaignOutputs extends BurkiCampaignInputs {
  /** Burki's campaign id (a positive integer). */
  campaignId: number;
  /** Burki's status string: draft, scheduled, running, paused, completed, cancelled, failed. */
  status: string;
  /** The assistant's name, as Burki reports it (absent when Burki does not send it). */
  assistantName?: string;
  /** Contacts in the campaign, as Burki counts them (0 or more). */
  totalContacts: number;
  /** Contacts Burki has finished with (0 or more). */
  completedContacts: number;
  /** Contacts Burki gave up on after `maxAttempts` (0 or more). */
  failedContacts: number;
  /** When Burki created the campaign: ISO 8601, e.g. `2026-02-01T10:00:00Z`. */
  createdAt?: string;
  /** When Burki last changed it: ISO 8601. */
  updatedAt?: string;
  /** SHA-256 of the contacts last imported (sorted); how contact changes are detected. */
  contactsDigest?: string;
  /** Version of this output layout, so newer provider code can read state written by older code. */
  schemaVersion: number;
}

export const BURKI_SCHEMA_VERSION = 1;
