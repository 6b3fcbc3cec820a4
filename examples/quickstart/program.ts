/**
 * The quickstart stack, built from plain settings: a Burki calling campaign that phones three
 * customers about their renewal, and a two-step Woodpecker cold-email campaign.
 *
 * `index.ts` (what `pulumi up` runs) reads the stack config and calls `quickstart`; tests call it
 * directly, once per simulated `pulumi up`.
 */
import * as pulumi from "@pulumi/pulumi";
import { burki, woodpecker } from "pulumi-campaigns";

export interface QuickstartSettings {
  /** The Burki assistant that places the calls. Changing it replaces the calling campaign. */
  burkiAssistantId: number;
  /** `call` (default), `sms` or `mixed`. Changing it replaces the calling campaign. */
  campaignType?: burki.CampaignType;
  /** Call attempts per contact, 1–10 (default 3). Changes in place. */
  maxAttempts?: number;
  /** The Woodpecker mailbox (SMTP id) that sends the emails. */
  woodpeckerMailboxId: number;
  /** Opening emails per day, 1–500 (default 50). Changes in place. */
  dailyEnroll?: number;
  /** Days from the first email to the follow-up (default 3). Changing it replaces the email campaign. */
  followUpAfterDays?: number;
}

export interface QuickstartOutputs {
  burkiCampaignId: pulumi.Output<number>;
  burkiStatus: pulumi.Output<string>;
  woodpeckerCampaignId: pulumi.Output<number>;
  woodpeckerStatus: pulumi.Output<string>;
}

export function quickstart(settings: QuickstartSettings): QuickstartOutputs {
  const renewals = new burki.Campaign("renewals", {
    campaignType: settings.campaignType ?? "call",
    assistantId: settings.burkiAssistantId,
    welcomeMessageTemplate:
      "Hi {{name}}, this is Ava from Acme, calling about your plan that renews on {{renewal_date}}.",
    agendaTemplate:
      "Confirm the renewal date, answer questions about the new pricing, and offer a call with the account manager.",
    maxAttempts: settings.maxAttempts ?? 3,
    retryDelayMinutes: 60,
    // Personal data: the resource keeps contacts as a Pulumi secret in state.
    contacts: [
      { phoneNumber: "+15555550101", name: "John", variables: { renewal_date: "December 1" } },
      { phoneNumber: "+15555550102", name: "Maria", variables: { renewal_date: "December 3" } },
      { phoneNumber: "+15555550103", name: "Wei", variables: { renewal_date: "December 8" } },
    ],
    state: "running",
  });

  const outreach = new woodpecker.Campaign("q4-outreach", {
    emailAccountIds: [settings.woodpeckerMailboxId],
    settings: { timezone: "Europe/Warsaw", dailyEnroll: settings.dailyEnroll ?? 50 },
    steps: [
      {
        versions: [
          {
            subject: "Quick question about {{COMPANY}}",
            message: "<p>Hi {{FIRST_NAME}},</p><p>Would a 15-minute call next week make sense?</p>",
          },
        ],
      },
      {
        // No subject: the follow-up is a reply in the same thread.
        delay: { value: settings.followUpAfterDays ?? 3, unit: "day" },
        versions: [
          { message: "<p>Hi {{FIRST_NAME}}, just bringing this back to the top of your inbox.</p>" },
        ],
      },
    ],
    // Personal data too: kept as a Pulumi secret in state (a plain prospectCount shows in previews).
    prospects: [
      { email: "ana@example.com", firstName: "Ana", company: "Acme" },
      { email: "li@example.org", firstName: "Li", company: "Globex", tags: ["Q4"] },
    ],
    state: "running",
  });

  return {
    burkiCampaignId: renewals.campaignId,
    burkiStatus: renewals.status,
    woodpeckerCampaignId: outreach.campaignId,
    woodpeckerStatus: outreach.status,
  };
}
