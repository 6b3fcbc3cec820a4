/**
 * `woodpecker.Campaign`: a Woodpecker cold-email campaign as a Pulumi resource.
 *
 * Type token: `pulumi-nodejs:dynamic/woodpecker:Campaign`.
 */
import * as pulumi from "@pulumi/pulumi";
import { campaignOptions, warnIgnoredOptions } from "../core/resource-options";
import provider = require("./provider");
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

type Inputs<T> = { [K in keyof T]: pulumi.Input<T[K]> };

export type StepVersionArgs = Inputs<StepVersion>;

/** One prospect: `email` plus optional fields and `snippet1`…`snippet15` (`{{SNIPPET_1}}`…). */
export type ProspectArgs = Inputs<WoodpeckerProspect>;

export interface StepArgs {
  /** `email` (default) or `linkedin`. Changing it replaces the campaign. */
  type?: pulumi.Input<"email" | "linkedin">;
  /** Wait before this step. Default 1 day. Changing it replaces the campaign. */
  delay?: pulumi.Input<StepDelay>;
  /** Sending windows per weekday (`HH:mm`, up to 3 a day). Default Monday–Friday 08:00–18:00. */
  deliveryTime?: pulumi.Input<DeliveryTime>;
  /** A/B versions, 1–5. Their text changes in place; their number does not. */
  versions: pulumi.Input<pulumi.Input<StepVersionArgs>[]>;
  /** LinkedIn steps: the action (`CONNECTION_REQUEST`, …). */
  actionType?: pulumi.Input<string>;
  /** LinkedIn steps: the sending LinkedIn account id. */
  linkedinAccountId?: pulumi.Input<number>;
}

export interface CampaignArgs {
  /** Default: the resource name. */
  name?: pulumi.Input<string>;
  /** SMTP mailbox ids that send the campaign (GET /v2/mailboxes). */
  emailAccountIds: pulumi.Input<pulumi.Input<number>[]>;
  settings: pulumi.Input<Inputs<CampaignSettings>>;
  /** 1–16 email or LinkedIn steps, in order (Woodpecker's nested START → followup chain). */
  steps: pulumi.Input<pulumi.Input<StepArgs>[]>;
  /** Bounce Shield: pause the campaign above this bounce rate (1–99 %). */
  bounceShieldThreshold?: pulumi.Input<number>;
  /** `draft`, `running`, `paused` or `stopped`. Absent: Pulumi does not manage the run state. */
  state?: pulumi.Input<WoodpeckerDesiredState>;
  /**
   * The name of the active Woodpecker workflow this campaign belongs to. Woodpecker's API cannot
   * tell us; while set, any plan that would replace the campaign fails at preview, and the
   * `pulumi-campaigns guard` fails plans that would delete it.
   */
  workflow?: pulumi.Input<string>;
  /** Manage a campaign created elsewhere (dynamic providers cannot `pulumi import`). */
  existingCampaignId?: pulumi.Input<number>;
  /**
   * The people the campaign emails, added through Woodpecker's v1 import (20,000 per request),
   * updated when their data changes, removed from this campaign (never from the account) when no
   * longer listed. Personal data: a Pulumi secret in state. Absent: prospects are not managed.
   */
  prospects?: pulumi.Input<pulumi.Input<ProspectArgs>[]>;
  /**
   * Add prospects whose global status is not ACTIVE (they replied, bounced or opted out
   * elsewhere), which contacts them again. Default false: Woodpecker refuses them, and the
   * provider reports each by position.
   */
  force?: pulumi.Input<boolean>;
}

export class Campaign extends pulumi.dynamic.Resource {
  declare readonly name: pulumi.Output<string>;
  declare readonly emailAccountIds: pulumi.Output<number[]>;
  declare readonly settings: pulumi.Output<Required<CampaignSettings>>;
  declare readonly steps: pulumi.Output<CampaignStep[]>;
  declare readonly bounceShieldThreshold: pulumi.Output<number | undefined>;
  declare readonly state: pulumi.Output<WoodpeckerDesiredState | undefined>;
  declare readonly workflow: pulumi.Output<string | undefined>;
  declare readonly existingCampaignId: pulumi.Output<number | undefined>;
  /** Woodpecker's campaign id. */
  declare readonly campaignId: pulumi.Output<number>;
  /** Woodpecker's status: DRAFT, EDITED, RUNNING, PAUSED, STOPPED or COMPLETED. */
  declare readonly status: pulumi.Output<string>;
  /** Step ids, in order. */
  declare readonly stepIds: pulumi.Output<string[]>;
  /** Each step's version ids, in order. */
  declare readonly versionIds: pulumi.Output<string[][]>;
  declare readonly prospects: pulumi.Output<WoodpeckerProspect[] | undefined>;
  declare readonly force: pulumi.Output<boolean | undefined>;
  /** How many prospects are managed (plain, unlike the prospects; absent while they are not managed). */
  declare readonly prospectCount: pulumi.Output<number | undefined>;
  /** The campaign's prospects by status (total, active, replied, bounced, other), while managed. */
  declare readonly prospectCounts: pulumi.Output<WoodpeckerProspectCounts | undefined>;
  /** Declared prospects missing from the campaign or with other data there (re-applied by `up`). */
  declare readonly prospectsDrifted: pulumi.Output<number | undefined>;
  /** A digest of the prospects as last applied or read (how changes are detected); secret in state. */
  declare readonly prospectsDigest: pulumi.Output<string | undefined>;
  declare readonly schemaVersion: pulumi.Output<number>;

  constructor(name: string, args: CampaignArgs, opts?: pulumi.CustomResourceOptions) {
    const props: Record<string, unknown> = {
      ...args,
      name: args.name ?? name,
      // Who is being emailed is personal data: a secret in state, inputs and outputs alike.
      prospects: args.prospects === undefined ? undefined : pulumi.secret(args.prospects),
      campaignId: undefined,
      status: undefined,
      stepIds: undefined,
      versionIds: undefined,
      prospectCount: undefined,
      prospectCounts: undefined,
      prospectsDrifted: undefined,
      prospectsDigest: undefined,
      schemaVersion: undefined,
    };
    super(
      provider as unknown as pulumi.dynamic.ResourceProvider,
      name,
      props,
      // The digest is as revealing as the prospects: one could hash an email and compare.
      campaignOptions(opts, ["prospects", "prospectsDigest"]),
      "woodpecker",
      "Campaign",
    );
    warnIgnoredOptions(this, opts);
  }
}
