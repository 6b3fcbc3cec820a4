/**
 * The plain (resolved) shapes of `burki.Campaign`'s inputs and outputs, shared by the resource
 * class, the provider implementation and users' code. No runtime code lives here.
 */

export type BurkiCampaignType = "call" | "sms" | "mixed";

/** The run state Pulumi keeps the campaign in. Absent: Pulumi does not manage the run state. */
export type BurkiDesiredState = "draft" | "running" | "paused";

export interface BurkiContact {
  /** E.164, e.g. `+15551234567`. */
  phoneNumber: string;
  name?: string;
  /** Extra template variables for this contact (`{{appointment_date}}` …). */
  variables?: Record<string, string>;
}

/** Inputs after `check` (defaults filled). */
export interface BurkiCampaignInputs {
  name: string;
  description?: string;
  campaignType: BurkiCampaignType;
  assistantId: number;
  welcomeMessageTemplate?: string;
  agendaTemplate?: string;
  endCallMessageTemplate?: string;
  smsMessageTemplate?: string;
  maxAttempts: number;
  retryDelayMinutes: number;
  fallbackValues?: Record<string, string>;
  variableMappings?: Record<string, string>;
  contacts?: BurkiContact[];
  state?: BurkiDesiredState;
  existingCampaignId?: number;
  /** How many contacts are declared (computed by `check`; absent while contacts are not managed). */
  contactCount?: number;
}

/** Everything `burki.Campaign` exposes. */
export interface BurkiCampaignOutputs extends BurkiCampaignInputs {
  campaignId: number;
  /** Burki's status string: draft, scheduled, running, paused, completed, cancelled, failed. */
  status: string;
  assistantName?: string;
  totalContacts: number;
  completedContacts: number;
  failedContacts: number;
  createdAt?: string;
  updatedAt?: string;
  /** SHA-256 of the contacts last imported (sorted); how contact changes are detected. */
  contactsDigest?: string;
  /** Version of this output layout, so newer provider code can read state written by older code. */
  schemaVersion: number;
}

export const BURKI_SCHEMA_VERSION = 1;
