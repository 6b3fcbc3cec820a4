/**
 * `burki.Campaign`: a Burki voice-AI calling campaign as a Pulumi resource.
 *
 * Type token: `pulumi-nodejs:dynamic/burki:Campaign`.
 */
import * as pulumi from "@pulumi/pulumi";
import { campaignOptions, warnIgnoredOptions } from "../core/resource-options";
import provider = require("./dynamic");
import type { BurkiCampaignType, BurkiContact, BurkiDesiredState } from "./types";

export interface ContactArgs {
  /** E.164, e.g. `+15551234567`. */
  phoneNumber: pulumi.Input<string>;
  name?: pulumi.Input<string>;
  /** Extra template variables of this contact (`{{appointment_date}}` in a template). */
  variables?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

export interface CampaignArgs {
  /** Campaign name (1–200 characters). Default: the resource name. */
  name?: pulumi.Input<string>;
  description?: pulumi.Input<string>;
  /** `call`, `sms` or `mixed`. Changing it replaces the campaign. */
  campaignType: pulumi.Input<BurkiCampaignType>;
  /** The Burki assistant that places the calls. Changing it replaces the campaign. */
  assistantId: pulumi.Input<number>;
  /** Jinja-style templates, e.g. `Hi {{name}}, …`. */
  welcomeMessageTemplate?: pulumi.Input<string>;
  agendaTemplate?: pulumi.Input<string>;
  endCallMessageTemplate?: pulumi.Input<string>;
  smsMessageTemplate?: pulumi.Input<string>;
  /** Call attempts per contact, 1–10. Default 3. */
  maxAttempts?: pulumi.Input<number>;
  /** Minutes between attempts, 5–1440. Default 30. */
  retryDelayMinutes?: pulumi.Input<number>;
  /** Values used when a contact lacks a template variable. */
  fallbackValues?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** CSV column → template variable mappings. */
  variableMappings?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /**
   * The people to call. Imported through Burki's CSV import and re-imported when they change.
   * Personal data: kept as a Pulumi secret in state. Absent: contacts are not managed.
   */
  contacts?: pulumi.Input<pulumi.Input<ContactArgs>[]>;
  /** `draft`, `running` or `paused`. Absent: Pulumi does not manage the run state. */
  state?: pulumi.Input<BurkiDesiredState>;
  /** Manage a campaign created elsewhere (dynamic providers cannot `pulumi import`). */
  existingCampaignId?: pulumi.Input<number>;
}

export class Campaign extends pulumi.dynamic.Resource {
  declare readonly name: pulumi.Output<string>;
  declare readonly description: pulumi.Output<string | undefined>;
  declare readonly campaignType: pulumi.Output<BurkiCampaignType>;
  declare readonly assistantId: pulumi.Output<number>;
  declare readonly welcomeMessageTemplate: pulumi.Output<string | undefined>;
  declare readonly agendaTemplate: pulumi.Output<string | undefined>;
  declare readonly endCallMessageTemplate: pulumi.Output<string | undefined>;
  declare readonly smsMessageTemplate: pulumi.Output<string | undefined>;
  declare readonly maxAttempts: pulumi.Output<number>;
  declare readonly retryDelayMinutes: pulumi.Output<number>;
  declare readonly fallbackValues: pulumi.Output<Record<string, string> | undefined>;
  declare readonly variableMappings: pulumi.Output<Record<string, string> | undefined>;
  declare readonly contacts: pulumi.Output<BurkiContact[] | undefined>;
  declare readonly state: pulumi.Output<BurkiDesiredState | undefined>;
  declare readonly existingCampaignId: pulumi.Output<number | undefined>;
  /** Burki's campaign id. */
  declare readonly campaignId: pulumi.Output<number>;
  /** Burki's status: draft, scheduled, running, paused, completed, cancelled or failed. */
  declare readonly status: pulumi.Output<string>;
  declare readonly assistantName: pulumi.Output<string | undefined>;
  declare readonly totalContacts: pulumi.Output<number>;
  declare readonly completedContacts: pulumi.Output<number>;
  declare readonly failedContacts: pulumi.Output<number>;
  declare readonly createdAt: pulumi.Output<string | undefined>;
  declare readonly updatedAt: pulumi.Output<string | undefined>;
  /** A digest of the contacts last imported (how changes are detected); secret in state. */
  declare readonly contactsDigest: pulumi.Output<string | undefined>;
  /** How many contacts are managed (plain, unlike the contacts; absent while they are not managed). */
  declare readonly contactCount: pulumi.Output<number | undefined>;
  declare readonly schemaVersion: pulumi.Output<number>;

  constructor(name: string, args: CampaignArgs, opts?: pulumi.CustomResourceOptions) {
    const props: Record<string, unknown> = {
      ...args,
      name: args.name ?? name,
      // Who is being called is personal data: a secret in state, inputs and outputs alike.
      contacts: args.contacts === undefined ? undefined : pulumi.secret(args.contacts),
      campaignId: undefined,
      status: undefined,
      assistantName: undefined,
      totalContacts: undefined,
      completedContacts: undefined,
      failedContacts: undefined,
      createdAt: undefined,
      updatedAt: undefined,
      contactsDigest: undefined,
      contactCount: undefined,
      schemaVersion: undefined,
    };
    super(
      provider as unknown as pulumi.dynamic.ResourceProvider,
      name,
      props,
      // The digest of the contacts is as revealing as the contacts: whoever reads a stack export
      // could hash a phone number and compare.
      campaignOptions(opts, ["contacts", "contactsDigest"]),
      "burki",
      "Campaign",
    );
    warnIgnoredOptions(this, opts);
  }
}
