/**
 * What the guard reports: its options, its findings (what blocks a plan) and its impacts (what the plan
 * does to each campaign, in people: the rows of the summary).
 */
import type { PreviousState } from "./state";
import type { Platform } from "../core/errors";

export interface GuardOptions {
  /** Report running Burki campaigns that the plan stops as `allowed` instead of blocking. */
  allowStopRunning?: boolean;
  /** Block plans that would start contacting people (see `CampaignImpact.starts`). */
  blockStarts?: boolean;
  /** With `blockStarts`: report those starts as `allowed` (the reviewer approved them). */
  allowStarts?: boolean;
  /**
   * The stack's state before the last refresh (`pulumi stack export`): a create of a campaign URN it has
   * is the re-creation of a campaign that a refresh dropped (deleted outside Pulumi).
   */
  previousState?: PreviousState;
}

/** Why a finding was raised. */
export type FindingReason =
  | "workflow"
  | "stops-running"
  | "status-unknown"
  | "retained-replace"
  | "create-before-delete"
  | "starts"
  | "unknown-op";

export interface GuardFinding {
  level: "block" | "allowed";
  reason: FindingReason;
  urn: string;
  platform: Platform;
  campaignId?: number;
  /** The campaign's name, or the Pulumi resource name when the state does not say. */
  name?: string;
  /** What the plan does to the campaign: `create`, `update`, `delete`, `replace`, `delete-replaced`… */
  op: string;
  /** One line: the campaign, what the plan would do, why that is refused, and the fix. */
  message: string;
}

export type Audience = "contacts" | "prospects";

/** What the plan does to one campaign, in people: one row of the summary. */
export interface CampaignImpact {
  urn: string;
  platform: Platform;
  campaignId?: number;
  name?: string;
  /** `Burki campaign 42 ("Renewals")`, or `Burki campaign "spring" (new)`. */
  label: string;
  /** create, re-create, update, replace, delete, delete-replaced, discard, import. */
  operation: string;
  /** The run status now (`running`, `PAUSED`, `none` for a new campaign, `hidden`, `unknown`…). */
  current: string;
  /** The run state after the plan (`running`, `paused`, `deleted`, `not managed`, `unknown until apply`…). */
  planned: string;
  /** What it means for people, counts only: "starts calling 2,000 contacts". */
  effect: string;
  /** The plan starts (or may start) contacting people: creates or resumes a campaign, or adds people to a running one. */
  starts: boolean;
  /** How many people it starts contacting, when the plan says. */
  startCount?: number;
  audience: Audience;
  /** The plan stops (deletes, replaces, pauses) a running campaign. */
  stops: boolean;
  /** A create of a campaign the stack had before a refresh dropped it (deleted outside Pulumi). */
  recreated: boolean;
}

export interface GuardReport {
  findings: GuardFinding[];
  /** Things the plan does not show that a reviewer should know (no refresh, no replacement steps). */
  warnings: string[];
  /** Every campaign the plan changes, in plan order (`same` campaigns are left out). */
  changes: CampaignImpact[];
  /** Campaign steps examined (every step whose resource is a Burki or Woodpecker campaign). */
  checked: number;
  /**
   * Error diagnostics of the preview. A failed preview lists no deletes (Pulumi plans them only after the
   * program finishes), so its plan cannot be vouched for: the guard blocks it.
   */
  previewErrors: string[];
}
