/**
 * What both platforms' find.ts build on: a campaign read as get-or-undefined, made an error where
 * the campaign must exist, and reported as a state for the waits. What counts as "not found" is
 * each platform's (its api.ts and its find.ts `isCampaignGone`).
 */
import { CampaignGoneError, CampaignsError, PLATFORM_TITLE, type Platform } from "./errors";
import type { Observed } from "./waiter";

/** The one client method finding needs. */
export interface CampaignGetter<T> {
  getCampaign(id: number): Promise<T | undefined>;
}

/** The state a status refresh reports for a campaign that no longer exists. */
export const GONE = "(gone)";

/** The campaign, or CampaignGoneError naming it. */
export async function mustFind<T>(
  platform: Platform,
  client: CampaignGetter<T>,
  id: number,
  label: string,
): Promise<T> {
  const c = await client.getCampaign(id);
  if (c === undefined) throw new CampaignGoneError(platform, label);
  return c;
}

/** The campaign's status (GONE once it no longer exists), with the campaign as read. */
export async function statusOf<T extends { status: string }>(
  client: CampaignGetter<T>,
  id: number,
): Promise<Observed<T | undefined>> {
  const c = await client.getCampaign(id);
  return { state: c ? c.status : GONE, value: c };
}

/**
 * The campaign `existingCampaignId` names, for adoption. Its absence is not "deleted outside
 * Pulumi" (it was never in the state): the message says that the id does not exist in the account
 * the API key belongs to. create() prefixes "Cannot adopt <label>: ".
 */
export async function mustFindForAdoption<T>(
  platform: Platform,
  client: CampaignGetter<T> & { http: { baseUrl: string } },
  id: number,
  notFoundAnswer: string,
): Promise<T> {
  const c = await client.getCampaign(id);
  if (c !== undefined) return c;
  const title = PLATFORM_TITLE[platform];
  throw new CampaignsError(
    `existingCampaignId ${id} does not exist in the ${title} account of the configured API key ` +
      `(${title} at ${client.http.baseUrl} answered ${notFoundAnswer} for it), so there is nothing to adopt and ` +
      `nothing was created or changed. Check the id (the campaign's number in ${title}) and ` +
      `that ${platform}:apiKey is a key of the account that owns it; to create a new campaign instead, ` +
      `remove existingCampaignId.`,
  );
}
