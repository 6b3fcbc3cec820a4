/**
 * `burki.Campaign`: a Burki voice-AI calling campaign as a Pulumi resource.
 *
 * Type token: `pulumi-nodejs:dynamic/burki:Campaign`.
 */
import * as pulumi from "@pulumi/pulumi";
import { CampaignResource, type CampaignRegistration } from "../core/campaign-resource";
import type { DoNotContact } from "../core/do-not-contact-types";
import provider = require("./dynamic");
import type {
  BurkiCampaignType,
  BurkiContact,
  BurkiDesiredState,
  BurkiFrequency,
  BurkiSchedule,
} from "./types";

/** One person to call. Personal data: the resource keeps contacts as a Pulumi secret in state. */
export interface ContactArgs {
  /**
   * E.164: `+`, the country code, 8–15 digits in all, no spaces (e.g. `+15551234567`). Required;
   * unique within the campaign (Burki would skip a duplicate).
   */
  phoneNumber: pulumi.Input<string>;
  /** The contact's name, `{{name}}` in templates. At most 200 characters. Default: none. */
  name?: pulumi.Input<string>;
  /**
   * Extra template variables of this contact (`{{appointment_date}}` in a template): names of
   * letters, digits and `_`, not starting with a digit, at most 64 characters, and not a column
   * Burki reserves (`phone`, `phone_number`, `mobile`, `cell`, `name`, `full_name`,
   * `contact_name`); string values. Default: none.
   */
  variables?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

/** When a recurring schedule runs the campaign (Burki's `recurring_config`). */
export interface RecurringArgs {
  /** `daily`, `weekly` or `monthly`. Required. */
  frequency: pulumi.Input<BurkiFrequency>;
  /** Every how many days, weeks or months: an integer, 1–365. Default 1. */
  interval?: pulumi.Input<number>;
  /**
   * The weekdays of a `weekly` schedule, 1 = Monday … 7 = Sunday: 1–7 distinct integers. Required
   * for `weekly`; not allowed otherwise.
   */
  daysOfWeek?: pulumi.Input<pulumi.Input<number>[]>;
  /** The day of the month of a `monthly` schedule, 1–31. Required for `monthly`; not allowed otherwise. */
  dayOfMonth?: pulumi.Input<number>;
  /** The time of day of each run, `HH:MM` (24 h, e.g. `09:30`), in `timeZone`. Required. */
  time: pulumi.Input<string>;
  /** IANA time zone of `time` (e.g. `America/New_York`). Default: the schedule's `timezone` (UTC unless set). */
  timeZone?: pulumi.Input<string>;
  /** The last day it runs, `YYYY-MM-DD` in `timeZone`; refused in the past when set or changed. Default: none (no end). */
  endDate?: pulumi.Input<string>;
}

/**
 * When Burki runs the campaign. A change is applied in place (POST /schedule; a scheduled
 * campaign is unscheduled and rescheduled around edits).
 */
export interface ScheduleArgs {
  /**
   * `immediate` (no schedule: a scheduled campaign goes back to draft), `scheduled` (once, at
   * `at`) or `recurring` (per `recurring`). Required.
   */
  type: pulumi.Input<"immediate" | "scheduled" | "recurring">;
  /**
   * ISO 8601 date and time, e.g. `2026-12-24T09:00:00Z`, or `2026-12-24T09:00` read in
   * `timezone`. Required for `scheduled`, optional for `recurring` (the first run), not allowed for
   * `immediate`. Refused in the past when set or changed; once an applied time has passed it is
   * kept as history, never re-applied and never reported as drift.
   */
  at?: pulumi.Input<string>;
  /** IANA time zone (e.g. `Europe/Paris`) in which an `at` without an offset is read. Default `UTC`. */
  timezone?: pulumi.Input<string>;
  /** Required for `recurring`; not allowed otherwise. */
  recurring?: pulumi.Input<RecurringArgs>;
}

/**
 * People never to call: `{ entries?, file?, onMatch? }` (core/do-not-contact-types.ts). One object a
 * program passes to every campaign of the stack, on either platform.
 */
export type DoNotContactArgs = pulumi.Input<{
  [K in keyof DoNotContact]: pulumi.Input<DoNotContact[K]>;
}>;

/** The inputs of `burki.Campaign`. Every limit is checked before any API call (at preview). */
export interface CampaignArgs {
  /** Campaign name, 1–200 characters (Burki's limit). Default: the resource name. Changes in place. */
  name?: pulumi.Input<string>;
  /** Free text, at most 20,000 characters. Default: none. Changes in place. */
  description?: pulumi.Input<string>;
  /** `call`, `sms` or `mixed`. Required. Changing it replaces the campaign (delete before create). */
  campaignType: pulumi.Input<BurkiCampaignType>;
  /**
   * The Burki assistant that places the calls (its phone numbers are the caller ids): a positive
   * integer id. Required. Changing it replaces the campaign (delete before create).
   */
  assistantId: pulumi.Input<number>;
  /**
   * What the assistant says first. A Jinja-style template (`Hi {{name}}, …`) over the contact's
   * name and variables; at most 20,000 characters. Default: none. An empty
   * string means none.
   */
  welcomeMessageTemplate?: pulumi.Input<string>;
  /** What the call is about (the assistant's brief); a template, at most 20,000 characters. Default: none. */
  agendaTemplate?: pulumi.Input<string>;
  /** What the assistant says before hanging up; a template, at most 20,000 characters. Default: none. */
  endCallMessageTemplate?: pulumi.Input<string>;
  /** The text message of `sms` and `mixed` campaigns; a template, at most 20,000 characters. Default: none. */
  smsMessageTemplate?: pulumi.Input<string>;
  /** Call attempts per contact: an integer, 1–10 (Burki's limit). Default 3. Changes in place. */
  maxAttempts?: pulumi.Input<number>;
  /** Minutes between two attempts on one contact: an integer, 5–1440 (24 h). Default 30. Changes in place. */
  retryDelayMinutes?: pulumi.Input<number>;
  /** Template variable → value used when a contact lacks it. Non-empty keys, string values. Default: none. */
  fallbackValues?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** CSV column → template variable, for Burki's contact import. Non-empty keys, string values. Default: none. */
  variableMappings?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /**
   * The people to call: 1–100,000 contacts with unique phone numbers. Imported through Burki's CSV
   * import and re-imported when they change (Burki then replaces pending contacts and keeps those
   * already called). Personal data: kept as a Pulumi secret in state. Absent (the default):
   * contacts are not managed.
   */
  contacts?: pulumi.Input<pulumi.Input<ContactArgs>[]>;
  /**
   * The people to call, in a CSV file instead of the program: its path (relative paths are read
   * from the program directory). Header `phone_number,name,<variable>…` (the layout of Burki's
   * import; `name` may be left out), one row per contact, RFC 4180 quoting, an empty cell = no
   * value; 1–100,000 contacts with unique E.164 phone numbers. Read and checked at preview
   * (failures name the row, the header being row 1), read again at create and update, and
   * re-imported when its contacts change. State keeps the path, `contactCount` and a secret
   * `contactsDigest`, never the people. Not with `contacts`. Default: none.
   */
  contactsFile?: pulumi.Input<string>;
  /**
   * The run state Pulumi keeps: `draft`, `running` (needs at least one contact) or `paused`.
   * Absent (the default): Pulumi does not manage the run state.
   */
  state?: pulumi.Input<BurkiDesiredState>;
  /**
   * When Burki runs the campaign: `{ type: "scheduled", at: "2026-12-24T09:00:00Z" }`, a
   * recurring schedule, or `immediate`. Needs `state` `running` or absent (a declared `running`
   * is satisfied by Burki's `scheduled` until the time comes). Read back on refresh, so a change
   * made in Burki's app shows as drift. Absent (the default): the schedule is not managed.
   */
  schedule?: pulumi.Input<ScheduleArgs>;
  /**
   * Manage a campaign created elsewhere (dynamic providers cannot `pulumi import`): its id, a
   * positive integer. Default: none (a campaign is created). Removing it afterwards changes
   * nothing; pointing it at another campaign replaces.
   */
  existingCampaignId?: pulumi.Input<number>;
  /**
   * People never to call, shared across the stack's campaigns: `entries` (E.164 numbers with any
   * punctuation, email addresses, `@domain`s), a CSV `file` (header naming `entry`, `phone`,
   * `phone_number`, `email`, `domain`, any case), `onMatch` `exclude` (default: listed contacts are
   * left out, counted in `excludedByDoNotContact`) or `fail` (each is a check failure at its
   * position). A contact matches by its number, or by an `email` variable. Listed contacts are never
   * imported; when someone joins the list, the next `up` re-imports the campaign without them (Burki
   * then drops them from its pending contacts). Kept as a secret in state. Default: none.
   */
  doNotContact?: DoNotContactArgs;
}

/** How the resource registers (core/campaign-resource.ts): who is contacted is a secret. */
const REGISTRATION: CampaignRegistration = {
  platform: "burki",
  provider,
  // The do-not-contact list is personal data too (its digest is inside it).
  secretInputs: ["contacts", "doNotContact"],
  // The digest of the contacts is as revealing as the contacts: whoever reads a stack export
  // could hash a phone number and compare.
  secretOutputs: ["contactsDigest"],
  outputs: [
    "campaignId",
    "status",
    "assistantName",
    "totalContacts",
    "completedContacts",
    "failedContacts",
    "createdAt",
    "updatedAt",
    "contactsDigest",
    "contactCount",
    "doNotContactCount",
    "excludedByDoNotContact",
    "schemaVersion",
  ],
};

/**
 * A Burki calling campaign. Deleting a running one stops it first, waits until it has stopped,
 * then deletes it; replacements delete before they create.
 */
export class Campaign extends CampaignResource {
  /** The campaign name (1–200 characters). */
  declare readonly name: pulumi.Output<string>;
  /** The description (at most 20,000 characters), if any. */
  declare readonly description: pulumi.Output<string | undefined>;
  /** `call`, `sms` or `mixed`. */
  declare readonly campaignType: pulumi.Output<BurkiCampaignType>;
  /** The id of the assistant that places the calls. */
  declare readonly assistantId: pulumi.Output<number>;
  /** The welcome message template, as Burki holds it. */
  declare readonly welcomeMessageTemplate: pulumi.Output<string | undefined>;
  /** The agenda template, as Burki holds it. */
  declare readonly agendaTemplate: pulumi.Output<string | undefined>;
  /** The end-of-call message template, as Burki holds it. */
  declare readonly endCallMessageTemplate: pulumi.Output<string | undefined>;
  /** The SMS template, as Burki holds it. */
  declare readonly smsMessageTemplate: pulumi.Output<string | undefined>;
  /** Call attempts per contact, 1–10 (3 unless set). */
  declare readonly maxAttempts: pulumi.Output<number>;
  /** Minutes between attempts, 5–1440 (30 unless set). */
  declare readonly retryDelayMinutes: pulumi.Output<number>;
  /** Template variable → fallback value, as Burki holds them. */
  declare readonly fallbackValues: pulumi.Output<Record<string, string> | undefined>;
  /** CSV column → template variable, as Burki holds them. */
  declare readonly variableMappings: pulumi.Output<Record<string, string> | undefined>;
  /** The contacts as last imported (a secret; not read back from Burki). */
  declare readonly contacts: pulumi.Output<BurkiContact[] | undefined>;
  /** The path of the contacts CSV, if `contactsFile` is used (the people are not kept in state). */
  declare readonly contactsFile: pulumi.Output<string | undefined>;
  /** The run state Pulumi keeps (`draft`, `running`, `paused`), if managed. */
  declare readonly state: pulumi.Output<BurkiDesiredState | undefined>;
  /** The schedule, as Burki holds it (the declared spelling when they agree), if managed. */
  declare readonly schedule: pulumi.Output<BurkiSchedule | undefined>;
  /** The adopted campaign's id, if the campaign was adopted. */
  declare readonly existingCampaignId: pulumi.Output<number | undefined>;
  /** Burki's campaign id (a positive integer). */
  declare readonly campaignId: pulumi.Output<number>;
  /** Burki's status: draft, scheduled, running, paused, completed, cancelled or failed. */
  declare readonly status: pulumi.Output<string>;
  /** The assistant's name, as Burki reports it. */
  declare readonly assistantName: pulumi.Output<string | undefined>;
  /** Contacts in the campaign, as Burki counts them (0 or more). */
  declare readonly totalContacts: pulumi.Output<number>;
  /** Contacts Burki has finished with (0 or more). */
  declare readonly completedContacts: pulumi.Output<number>;
  /** Contacts Burki gave up on after `maxAttempts` (0 or more). */
  declare readonly failedContacts: pulumi.Output<number>;
  /** When Burki created the campaign: an ISO 8601 timestamp. */
  declare readonly createdAt: pulumi.Output<string | undefined>;
  /** When Burki last changed the campaign: an ISO 8601 timestamp. */
  declare readonly updatedAt: pulumi.Output<string | undefined>;
  /** SHA-256 of the contacts last imported (sorted): how contact changes are detected. A secret in state, like the contacts. */
  declare readonly contactsDigest: pulumi.Output<string | undefined>;
  /** How many contacts are managed, inline or in `contactsFile` (plain, unlike the contacts; absent while they are not managed). */
  declare readonly contactCount: pulumi.Output<number | undefined>;
  /** The do-not-contact list as declared, with its digest (a secret in state), if any. */
  declare readonly doNotContact: pulumi.Output<DoNotContact | undefined>;
  /** Distinct entries on the do-not-contact list (plain: a count, never who). */
  declare readonly doNotContactCount: pulumi.Output<number | undefined>;
  /** Declared contacts on the do-not-contact list, left out of the import (plain: a count, never who). */
  declare readonly excludedByDoNotContact: pulumi.Output<number | undefined>;
  /** Version of the output layout (newer provider code reads state written by older code). */
  declare readonly schemaVersion: pulumi.Output<number>;

  constructor(name: string, args: CampaignArgs, opts?: pulumi.CustomResourceOptions) {
    super(REGISTRATION, name, args, opts);
  }
}
