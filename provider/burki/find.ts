/**
 * Finding a Burki campaign, and the one place that decides "it is gone".
 *
 * `findCampaign` is get-or-undefined: undefined only on Burki's not-found answer (api.ts decides
 * what that answer is). `mustFindCampaign` makes "gone" an error for operations that need the
 * campaign; `isCampaignGone` reads the same answer in the error of an action (POST /stop on a
 * campaign deleted meanwhile). `statusCampaign` is the refresh function of the waits in wait.ts.
 */
import { campaignLabel } from "../core/campaign";
import { CampaignGoneError, isApiError } from "../core/errors";
import type { Observed } from "../core/waiter";
import type { BurkiCampaign, BurkiClient } from "./api";
import type { BurkiCampaignInputs } from "./types";

/** The part of the client that finding needs (a test double provides just this). */
export type CampaignFinder = Pick<BurkiClient, "getCampaign">;

/** The state `statusCampaign` reports for a campaign that no longer exists. */
export const GONE = "(gone)";

/** `Burki campaign 42 ("renewals")`: how every message names the campaign. */
export function labelFor(id: number, name?: string): string {
  return campaignLabel("burki", id, name);
}

export async function findCampaign(client: CampaignFinder, id: number): Promise<BurkiCampaign | undefined> {
  return client.getCampaign(id);
}

export async function mustFindCampaign(
  client: CampaignFinder,
  id: number,
  label: string,
): Promise<BurkiCampaign> {
  const c = await findCampaign(client, id);
  if (!c) throw new CampaignGoneError("burki", label);
  return c;
}

/** Did this action fail because the campaign no longer exists? */
export function isCampaignGone(e: unknown): boolean {
  return isApiError(e, 404);
}

/** The campaign's status (GONE once it no longer exists), with the campaign as read. */
export async function statusCampaign(
  client: CampaignFinder,
  id: number,
): Promise<Observed<BurkiCampaign | undefined>> {
  const c = await findCampaign(client, id);
  return { state: c ? c.status : GONE, value: c };
}

/** Lost creates: a draft of the same name, type and assistant, without contacts, created since. */
export async function findLostCreates(
  client: Pick<BurkiClient, "getCampaign" | "listCampaigns">,
  inputs: BurkiCampaignInputs,
  since: number,
): Promise<BurkiCampaign[]> {
  const page = await client.listCampaigns({ search: inputs.name, perPage: 100 });
  const ids = page.campaigns
    .filter(
      (c) =>
        c.name === inputs.name &&
        c.campaign_type === inputs.campaignType &&
        c.assistant_id === inputs.assistantId &&
        c.status === "draft" &&
        (c.total_contacts ?? 0) === 0 &&
        !(Date.parse(c.created_at ?? "") < since),
    )
    .map((c) => c.id);
  const found = await Promise.all(ids.map((id) => findCampaign(client, id)));
  return found.filter((c): c is BurkiCampaign => c !== undefined);
}
