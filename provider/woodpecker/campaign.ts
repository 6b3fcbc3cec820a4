/**
 * `woodpecker.Campaign`: a Woodpecker cold-email campaign as a Pulumi resource.
 *
 * Type token: `pulumi-nodejs:dynamic/woodpecker:Campaign`.
 */
import * as pulumi from "@pulumi/pulumi";
import { CampaignResource, type CampaignRegistration } from "../core/campaign-resource";
import type { DoNotContact } from "../core/do-not-contact-types";
import type { DoNotContactArgs } from "../burki/campaign";
import provider = require("./dynamic");
import type {
  CampaignSettings,
  CampaignStep,
  DeliveryTime,
  StepDelay,
  StepVersion,
  WoodpeckerDesiredState,
  WoodpeckerProspect,
  WoodpeckerProspectCounts,
} from "./types";

/** `T` with every field a `pulumi.Input` (the docs of `T`'s fields carry over). */
type Inputs<T> = { [K in keyof T]: pulumi.Input<T[K]> };

/**
 * One A/B version of a step: `subject` (at most 500 characters; required on the first email
 * step, empty or absent on later ones = reply in the same thread), `message` (HTML, required),
 * `signature` (`SENDER` default, `NO_SIGNATURE`), `trackOpens` (default `true`). All change in place.
 */
export type StepVersionArgs = Inputs<StepVersion>;

/** One prospect: `email` plus optional fields and `snippet1`…`snippet15` (`{{SNIPPET_1}}`…). */
export type ProspectArgs = Inputs<WoodpeckerProspect>;

/** One step of the sequence (Woodpecker's nested START → followup chain, flattened into a list). */
export interface StepArgs {
  /** `email` (default) or `linkedin`. Changing it replaces the campaign. */
  type?: pulumi.Input<"email" | "linkedin">;
  /**
   * Wait before this step (after the previous one; for the first, after enrolment): `value` a
   * whole number > 0 of `unit` (`minute`, `hour`, `day`). Default 1 day. Changing it replaces the campaign.
   */
  delay?: pulumi.Input<StepDelay>;
  /**
   * Sending windows per weekday, in the campaign's timezone: `{ monday: [{ from: "09:00", to: "17:00" }] }`,
   * `HH:mm` 24-hour, `from` before `to`, 1–3 windows a day, at least one day. Default Monday–Friday
   * 08:00–18:00. Changes in place.
   */
  deliveryTime?: pulumi.Input<DeliveryTime>;
  /** A/B versions, 1–5 (A–E). Required. Their text changes in place; their number replaces the campaign. */
  versions: pulumi.Input<pulumi.Input<StepVersionArgs>[]>;
  /**
   * LinkedIn steps only, and required there: the action (`CONNECTION_REQUEST`, `VISIT_PROFILE`,
   * `DIRECT_MESSAGE`, …). Changing it replaces the campaign.
   */
  actionType?: pulumi.Input<string>;
  /** LinkedIn steps only, and required there: the sending LinkedIn account's id (a positive integer). */
  linkedinAccountId?: pulumi.Input<number>;
}

/** The inputs of `woodpecker.Campaign`. Every limit is checked before any API call (at preview). */
export interface CampaignArgs {
  /** Campaign name, 1–255 characters. Default: the resource name. Changes in place. */
  name?: pulumi.Input<string>;
  /**
   * SMTP mailbox ids that send the campaign (`GET /v2/mailboxes`): at least one, positive
   * integers, no repeats; order ignored. Required. Changes in place.
   */
  emailAccountIds: pulumi.Input<pulumi.Input<number>[]>;
  /**
   * `timezone` (IANA, required), `dailyEnroll` (1–500 opening emails a day, default 50),
   * `prospectTimezone`, `gdprUnsubscribe`, `listUnsubscribe`, `autoPauseProspectFromDomain`
   * (default `false`), `openDisabledList` (default `[]`), `catchAllVerificationMode` (default
   * `BALANCED`). Required. Changes in place.
   */
  settings: pulumi.Input<Inputs<CampaignSettings>>;
  /**
   * 1–16 email or LinkedIn steps, in order (Woodpecker's nested START → followup chain). Required.
   * A subject is required on the first email step.
   */
  steps: pulumi.Input<pulumi.Input<StepArgs>[]>;
  /** Bounce Shield: pause the campaign above this bounce rate, an integer percentage 1–99. Default: unset. */
  bounceShieldThreshold?: pulumi.Input<number>;
  /**
   * The run state Pulumi keeps: `draft`, `running`, `paused` or `stopped`. Absent (the default):
   * Pulumi does not manage the run state.
   */
  state?: pulumi.Input<WoodpeckerDesiredState>;
  /**
   * The name of the active Woodpecker workflow this campaign belongs to (not empty). Woodpecker's
   * API cannot tell us; while set, any plan that would replace the campaign fails at preview, and
   * the `pulumi-campaigns guard` fails plans that would delete it. Default: none.
   */
  workflow?: pulumi.Input<string>;
  /**
   * Manage a campaign created elsewhere (dynamic providers cannot `pulumi import`): its id, a
   * positive integer. Default: none (a campaign is created).
   */
  existingCampaignId?: pulumi.Input<number>;
  /**
   * The people the campaign emails, added through Woodpecker's v1 import (20,000 per request),
   * updated when their data changes, removed from this campaign (never from the account) when no
   * longer listed. Personal data: a Pulumi secret in state. Absent: prospects are not managed.
   */
  prospects?: pulumi.Input<pulumi.Input<ProspectArgs>[]>;
  /**
   * The people to email as the path of a CSV file, read by the provider at check, create, update
   * and refresh (a relative path is read from the program directory, where Pulumi.yaml is), for
   * lists too large to keep in state. A header row names the columns: `email` (required) and any
   * prospect field, spelled as the input (`firstName`, `linkedinUrl`, `snippet1`) or as
   * Woodpecker's API (`first_name`, `linkedin_url`), in any case; then one row per prospect, RFC
   * 4180 quoting, an empty cell = no value, `tags` as words separated by spaces or commas. 1–100,000
   * prospects, the same checks as `prospects`, reported by row (the header is row 1). Changes when
   * its prospects change: adds, updates and removes as `prospects` do — and, since state keeps no
   * list, every prospect of the campaign that is not in the file is removed from the campaign (never
   * from the account) when the file is applied; refresh counts such prospects (added in the app)
   * in `prospectsDrifted` first. State keeps the path, `prospectCount` and the secret
   * `prospectsDigest`, never the people. Not with `prospects`. Default: none.
   */
  prospectsFile?: pulumi.Input<string>;
  /**
   * Add prospects whose global status is not ACTIVE (they replied, bounced or opted out
   * elsewhere), which contacts them again. Default false: Woodpecker refuses them, and the
   * provider reports each by position.
   */
  force?: pulumi.Input<boolean>;
  /**
   * People never to email, shared across the stack's campaigns: `entries` (email addresses,
   * `@domain`s, E.164 numbers with any punctuation), a CSV `file` (header naming `entry`, `phone`,
   * `phone_number`, `email`, `domain`, any case), `onMatch` `exclude` (default: listed prospects are
   * left out, counted in `excludedByDoNotContact`) or `fail` (each is a check failure at its
   * position). A prospect matches by its email, its domain, or its `phone`. Listed prospects are
   * never enrolled; when someone joins the list, the next `up` removes them from the campaign and
   * puts them on the account's blacklist. Kept as a secret in state. Default: none.
   */
  doNotContact?: DoNotContactArgs;
  /**
   * What a prospect Woodpecker refuses (globally REPLIED, BOUNCED… without `force`) does to the
   * update. "report" (default): the others are enrolled, the update succeeds, and the refusals are
   * listed by position and reason in the `pulumi up` output and in `prospectsRefused` /
   * `prospectsRefusedAt`. "fail": the update fails (the campaign is kept, with the others enrolled).
   */
  onProspectRefused?: pulumi.Input<"report" | "fail">;
}

/** How the resource registers (core/campaign-resource.ts): who is contacted is a secret. */
const REGISTRATION: CampaignRegistration = {
  platform: "woodpecker",
  provider,
  // The do-not-contact list is personal data too (its digest is inside it).
  secretInputs: ["prospects", "doNotContact"],
  // The digest is as revealing as the prospects: one could hash an email and compare.
  secretOutputs: ["prospectsDigest"],
  outputs: [
    "campaignId",
    "status",
    "stepIds",
    "versionIds",
    "prospectCount",
    "prospectCounts",
    "prospectsDrifted",
    "prospectsRefused",
    "prospectsRefusedAt",
    "prospectsDigest",
    "doNotContactCount",
    "excludedByDoNotContact",
    "schemaVersion",
  ],
};

/**
 * A Woodpecker cold-email campaign. Woodpecker refuses to delete a campaign in an active
 * workflow: declare `workflow` so such plans fail at preview; replacements delete before they create.
 */
export class Campaign extends CampaignResource {
  /** The campaign name (1–255 characters). */
  declare readonly name: pulumi.Output<string>;
  /** The sending mailboxes' SMTP ids, sorted. */
  declare readonly emailAccountIds: pulumi.Output<number[]>;
  /** The settings as Woodpecker holds them, every default filled. */
  declare readonly settings: pulumi.Output<Required<CampaignSettings>>;
  /** The steps as Woodpecker holds them, in order, defaults filled. */
  declare readonly steps: pulumi.Output<CampaignStep[]>;
  /** The Bounce Shield threshold (percent, 1–99), if set. */
  declare readonly bounceShieldThreshold: pulumi.Output<number | undefined>;
  /** The run state Pulumi keeps, if managed. */
  declare readonly state: pulumi.Output<WoodpeckerDesiredState | undefined>;
  /** The declared active workflow, if any. */
  declare readonly workflow: pulumi.Output<string | undefined>;
  /** The adopted campaign's id, if the campaign was adopted. */
  declare readonly existingCampaignId: pulumi.Output<number | undefined>;
  /** Woodpecker's campaign id (a positive integer). */
  declare readonly campaignId: pulumi.Output<number>;
  /** Woodpecker's status: DRAFT, EDITED, RUNNING, PAUSED, STOPPED or COMPLETED. */
  declare readonly status: pulumi.Output<string>;
  /** Step ids, in order. */
  declare readonly stepIds: pulumi.Output<string[]>;
  /** Each step's version ids, in order. */
  declare readonly versionIds: pulumi.Output<string[][]>;
  /** The managed prospects (a secret in state); absent while prospects are not managed. */
  declare readonly prospects: pulumi.Output<WoodpeckerProspect[] | undefined>;
  /** The path of the prospects CSV, if `prospectsFile` is used (the people are not kept in state). */
  declare readonly prospectsFile: pulumi.Output<string | undefined>;
  /** Whether prospects whose global status is not ACTIVE are added anyway (default false). */
  declare readonly force: pulumi.Output<boolean | undefined>;
  /** How many prospects are managed, inline or in `prospectsFile` (plain, unlike the prospects; absent while they are not managed). */
  declare readonly prospectCount: pulumi.Output<number | undefined>;
  /** The campaign's prospects by status (total, active, replied, bounced, other), while managed. */
  declare readonly prospectCounts: pulumi.Output<WoodpeckerProspectCounts | undefined>;
  /** Declared prospects missing from the campaign or with other data there (re-applied by `up`). */
  declare readonly prospectsDrifted: pulumi.Output<number | undefined>;
  /** Declared prospects Woodpecker refused at the last create or update (a count). */
  declare readonly prospectsRefused: pulumi.Output<number | undefined>;
  /** The refusals by position and reason (`prospects[3]: E_INV_STATUS (…)`), never an email. */
  declare readonly prospectsRefusedAt: pulumi.Output<string[] | undefined>;
  /** A digest of the prospects as last applied or read (how changes are detected); secret in state. */
  declare readonly prospectsDigest: pulumi.Output<string | undefined>;
  /** The do-not-contact list as declared, with its digest (a secret in state), if any. */
  declare readonly doNotContact: pulumi.Output<DoNotContact | undefined>;
  /** Distinct entries on the do-not-contact list (plain: a count, never who). */
  declare readonly doNotContactCount: pulumi.Output<number | undefined>;
  /** Declared prospects on the do-not-contact list, never enrolled (plain: a count, never who). */
  declare readonly excludedByDoNotContact: pulumi.Output<number | undefined>;
  /** Version of the output layout (newer provider code reads state written by older code). */
  declare readonly schemaVersion: pulumi.Output<number>;

  constructor(name: string, args: CampaignArgs, opts?: pulumi.CustomResourceOptions) {
    super(REGISTRATION, name, args, opts);
  }
}
