/**
 * Quickstart: one Burki calling campaign and one Woodpecker email campaign, run by `pulumi up`.
 *
 *   pulumi config set --secret burki:apiKey       # your Burki key
 *   pulumi config set --secret woodpecker:apiKey  # your Woodpecker key
 *   pulumi config set burkiAssistantId 123        # optional settings of this program, below
 *   pulumi up
 *
 * Without baseUrl config the provider talks to the real services; point `burki:baseUrl` and
 * `woodpecker:baseUrl` at the local emulators (`npx pulumi-campaigns-emulators`) to try it safely.
 */
import * as pulumi from "@pulumi/pulumi";
import { quickstart } from "./program";

const config = new pulumi.Config();

const stack = quickstart({
  // The emulators accept any id; against the real services use your own assistant and mailbox.
  burkiAssistantId: config.getNumber("burkiAssistantId") ?? 1,
  campaignType: config.get("campaignType", { allowedValues: ["call", "sms", "mixed"] as const }),
  maxAttempts: config.getNumber("maxAttempts", { min: 1, max: 10 }),
  woodpeckerMailboxId: config.getNumber("woodpeckerMailboxId") ?? 1,
  dailyEnroll: config.getNumber("dailyEnroll", { min: 1, max: 500 }),
  followUpAfterDays: config.getNumber("followUpAfterDays", { min: 1 }),
});

export const burkiCampaignId = stack.burkiCampaignId;
export const burkiStatus = stack.burkiStatus;
export const woodpeckerCampaignId = stack.woodpeckerCampaignId;
export const woodpeckerStatus = stack.woodpeckerStatus;
