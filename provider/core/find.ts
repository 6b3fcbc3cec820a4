/**
 * What both platforms' find.ts build on: a campaign read as get-or-undefined, made an error where
 * the campaign must exist, and reported as a state for the waits. What counts as "not found" is
 * each platform's (its api.ts and its find.ts `isCampaignGone`).
 */
import { CampaignGoneError, type Platform } from "./errors";
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
