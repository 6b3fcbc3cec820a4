/**
 * What both `Campaign` classes do when a program declares one: register the inputs with the audience
 * as a secret, every output unknown until the provider answers, and the options campaigns need
 * (resource-options.ts). Used only by the resource classes, never by the provider implementation
 * the engine calls.
 */
import * as pulumi from "@pulumi/pulumi";
import type { Platform } from "./errors";
import { campaignOptions, warnIgnoredOptions } from "./resource-options";

/** What tells one platform's campaign resource from the other's. */
export interface CampaignRegistration {
  platform: Platform;
  /** The provider module (the platform's dynamic.ts): the object Pulumi serializes into state. */
  provider: unknown;
  /**
   * Inputs that say who is contacted: personal data, so a secret in state, inputs and outputs
   * alike (`contacts`, `prospects`).
   */
  secretInputs: readonly string[];
  /** Outputs as revealing as those inputs (a digest of them: one could hash an email and compare). */
  secretOutputs: readonly string[];
  /** The outputs only the provider sets. */
  outputs: readonly string[];
}

/** The base of `burki.Campaign` and `woodpecker.Campaign`: type token `pulumi-nodejs:dynamic/<platform>:Campaign`. */
export abstract class CampaignResource extends pulumi.dynamic.Resource {
  protected constructor(
    registration: CampaignRegistration,
    name: string,
    args: object,
    opts?: pulumi.CustomResourceOptions,
  ) {
    const inputs = args as Record<string, unknown>;
    const secret = (key: string) => (inputs[key] === undefined ? undefined : pulumi.secret(inputs[key]));
    const props: Record<string, unknown> = {
      ...inputs,
      name: inputs.name ?? name,
      ...Object.fromEntries(registration.secretInputs.map((key) => [key, secret(key)])),
      ...Object.fromEntries(registration.outputs.map((key) => [key, undefined])),
    };
    super(
      registration.provider as pulumi.dynamic.ResourceProvider,
      name,
      props,
      campaignOptions(opts, [...registration.secretInputs, ...registration.secretOutputs]),
      registration.platform,
      "Campaign",
    );
    warnIgnoredOptions(this, opts);
  }
}
