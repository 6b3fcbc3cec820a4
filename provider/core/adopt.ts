/**
 * Where both create()s begin: adopt the campaign `existingCampaignId` names (dynamic providers cannot
 * `pulumi import`, and a crashed create leaves a campaign to take over), or create one without ever
 * leaving a duplicate (create-once.ts). Either way the caller then converges it to the program.
 */
import { campaignLabel } from "./campaign";
import { createOnce } from "./create-once";
import { CampaignsError, errorMessage, type Platform } from "./errors";
import { logInfo } from "./log";

/** The part of a platform's API client that creating needs. */
export interface CreatingClient<Body, Campaign> {
  createCampaign(body: Body): Promise<Campaign>;
  http: { requestBudgetMs: number };
}

/** The platform's functions, by the names both platforms give them (mapping.ts, find.ts). */
export interface CreatingFunctions<AdoptClient, FindClient, Inputs, Body, Campaign> {
  toCreateBody(inputs: Inputs): Body;
  /** The campaign `existingCampaignId` names, or an error saying it is not in this account. */
  mustFindForAdoption(client: AdoptClient, id: number): Promise<Campaign>;
  /** Campaigns that match what a create sent and were created since (create-once.ts). */
  findLostCreates(client: FindClient, inputs: Inputs, since: number): Promise<Campaign[]>;
}

/** The adopted or created campaign, and which of the two it is. */
export async function adoptOrCreate<
  AdoptClient,
  FindClient,
  Inputs extends { name: string; existingCampaignId?: number },
  Body,
  Campaign extends { id: number; status: string },
>(
  platform: Platform,
  // The client's type is what the platform's functions take (inferred from them, not from here).
  client: NoInfer<AdoptClient & FindClient> & CreatingClient<NoInfer<Body>, NoInfer<Campaign>>,
  inputs: Inputs,
  fns: CreatingFunctions<AdoptClient, FindClient, Inputs, Body, Campaign>,
): Promise<{ live: Campaign; adopted: boolean }> {
  const { existingCampaignId, name } = inputs;
  if (existingCampaignId !== undefined) {
    const label = campaignLabel(platform, existingCampaignId, name);
    const live = await fns.mustFindForAdoption(client, existingCampaignId).catch((e) => {
      throw new CampaignsError(`Cannot adopt ${label}: ${errorMessage(e)}`);
    });
    logInfo(`${label}: adopting the existing campaign (status ${live.status})`);
    return { live, adopted: true };
  }
  const live = await createOnce({
    platform,
    name,
    create: () => client.createCampaign(fns.toCreateBody(inputs)),
    findMatches: (since) => fns.findLostCreates(client, inputs, since),
    requestBudgetMs: client.http.requestBudgetMs,
  });
  logInfo(`${campaignLabel(platform, live.id, name)}: created`);
  return { live, adopted: false };
}
