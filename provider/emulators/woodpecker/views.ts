/** What the API and the control API show of a stored campaign: steps rendered as nested `followup`s. */
import { HttpReply } from "../common";
import type { StoredCampaign } from "./types";
import { cloneDeliveryTime } from "./validation";

export function render(c: StoredCampaign, control = false): Record<string, unknown> {
  let next: Record<string, unknown> | null = null;
  for (let i = c.steps.length - 1; i >= 0; i--) {
    const s = c.steps[i];
    const body =
      s.type === "EMAIL"
        ? { versions: s.body.versions.map((v) => ({ ...v })) }
        : {
            action_type: s.body.action_type,
            linkedin_account_id: s.body.linkedin_account_id,
            versions: s.body.versions.map((v) => ({ ...v })),
          };
    const step: Record<string, unknown> = {
      id: s.id,
      type: s.type,
      followup_after: { ...s.followup_after },
      delivery_time: cloneDeliveryTime(s.delivery_time),
      body,
    };
    if (control) step.processedProspects = s.processedProspects;
    step.followup = next;
    next = step;
  }
  const out: Record<string, unknown> = {
    id: c.id,
    name: c.name,
    status: c.status,
    email_account_ids: [...c.email_account_ids],
    settings: { ...c.settings, open_disabled_list: [...c.settings.open_disabled_list] },
    steps: { id: c.startId, type: "START", followup: next },
    bounce_shield_autopaused_at: c.bounceShieldAutopausedAt,
  };
  if (control) {
    out.account = c.account;
    out.inActiveWorkflow = c.inActiveWorkflow;
    out.bounceRateThreshold = c.bounceRateThreshold;
    out.created = c.created.toISOString();
  }
  return out;
}

export function full(c: StoredCampaign): HttpReply {
  return new HttpReply(200, render(c));
}

export function mailboxEmail(id: number): string {
  return `sender${id}@example.com`;
}

/** v1 date style: "2025-02-10T13:14:57+0100". */
// emulator guess: rendered in UTC ("+0000"); the real offset is probably the account's.
export function v1Date(d: Date): string {
  return `${d.toISOString().slice(0, 19)}+0000`;
}
