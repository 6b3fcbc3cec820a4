/**
 * `woodpecker.Campaign`: a Woodpecker cold-email campaign as a Pulumi resource.
 *
 * Type token: `pulumi-nodejs:dynamic/woodpecker:Campaign`.
 */
import * as pulumi from "@pulumi/pulumi";
import { campaignOptions, warnIgnoredOptions } from "../core/resource-options";
import provider = require("./dynamic");
import type {
  CampaignSettings,
  CampaignStep,
  DeliveryTime,
  StepDelay,
  StepVersion,
  WoodpeckerDesiredState,
} from "./types";

type Inputs<T> = { [K in keyof T]: pulumi.Input<T[K]> };

export type StepVersionArgs = Inputs<StepVersion>;

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
  declare readonly schemaVersion: pulumi.Output<number>;

  constructor(name: string, args: CampaignArgs, opts?: pulumi.CustomResourceOptions) {
    const props: Record<string, unknown> = {
      ...args,
      name: args.name ?? name,
      campaignId: undefined,
      status: undefined,
      stepIds: undefined,
      versionIds: undefined,
      schemaVersion: undefined,
    };
    super(
      provider as unknown as pulumi.dynamic.ResourceProvider,
      name,
      props,
      campaignOptions(opts, []),
      "woodpecker",
      "Campaign",
    );
    warnIgnoredOptions(this, opts);
  }
}
