/**
 * Finding a Burki campaign, and the one place that decides "it is gone".
 *
 * `findCampaign` is get-or-undefined: undefined only on Burki's not-found answer (api.ts decides
 * what that answer is). `mustFindCampaign` makes "gone" an error for operations that need the
 * campaign; `isCampaignGone` reads the same answer in the error of an action (POST /stop on a
 * campaign deleted meanwhile). `statusCampaign` is the refresh function of the waits in wait.ts.
 */
import { campaignLabel } from "../core/campaign";
import { isNotFound } from "../core/errors";
import { GONE, mustFind, mustFindForAdoption as mustFindForAdoptionIn, statusOf } from "../core/find";
import type { Observed } from "../core/waiter";
import type { BurkiCampaign, BurkiClient } from "./api";
import type { BurkiCampaignInputs } from "./types";

/** The part of the client that finding needs (a test double provides just this). */
export type CampaignFinder = Pick<BurkiClient, "getCampaign">;

export { GONE };

/** How every message names the campaign. */
export const labelFor = (id: number, name?: string): string => campaignLabel("burki", id, name);

/** The campaign, or undefined when Burki answers that it does not exist. */
export const findCampaign = (client: CampaignFinder, id: number): Promise<BurkiCampaign | undefined> =>
  client.getCampaign(id);

/** The campaign, or CampaignGoneError (for operations that need it). */
export const mustFindCampaign = (client: CampaignFinder, id: number, label: string): Promise<BurkiCampaign> =>
  mustFind("burki", client, id, label);

/** Did this action fail because the campaign no longer exists? */
export const isCampaignGone = (e: unknown): boolean => isNotFound(e, "campaign");

/** The campaign `existingCampaignId` names, or an error saying it is not in this account. */
export const mustFindForAdoption = (
  client: Pick<BurkiClient, "getCampaign" | "http">,
  id: number,
): Promise<BurkiCampaign> => mustFindForAdoptionIn("burki", client, id, '404 "Campaign not found"');

/** The refresh function of the waits (wait.ts): the status, or GONE. */
export const statusCampaign = (
  client: CampaignFinder,
  id: number,
): Promise<Observed<BurkiCampaign | undefined>> => statusOf(client, id);

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
