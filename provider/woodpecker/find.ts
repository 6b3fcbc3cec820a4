/**
 * Finding a Woodpecker campaign, and the one place that decides "it is gone".
 *
 * `findCampaign` is get-or-undefined: undefined only on Woodpecker's not-found answer (api.ts
 * decides what that answer is). `mustFindCampaign` makes "gone" an error for operations that need
 * the campaign; `isCampaignGone` reads the same answer in the error of an action.
 */
import { campaignLabel } from "../core/campaign";
import { isNotFound } from "../core/errors";
import { mustFind, mustFindForAdoption as mustFindForAdoptionIn } from "../core/find";
import type { ApiCampaign, WoodpeckerClient } from "./api";
import { configurationOf, liveConfiguration, planUpdate } from "./plan";
import type { WoodpeckerCampaignInputs } from "./types";

/** The part of the client that finding needs (a test double provides just this). */
export type CampaignFinder = Pick<WoodpeckerClient, "getCampaign">;

/** How every message names the campaign. */
export const labelFor = (id: number, name?: string): string => campaignLabel("woodpecker", id, name);

/** The campaign, or undefined when Woodpecker answers that it does not exist. */
export const findCampaign = (client: CampaignFinder, id: number): Promise<ApiCampaign | undefined> =>
  client.getCampaign(id);

/** The campaign, or CampaignGoneError (for operations that need it). */
export const mustFindCampaign = (client: CampaignFinder, id: number, label: string): Promise<ApiCampaign> =>
  mustFind("woodpecker", client, id, label);

/** Did this action fail because the campaign no longer exists? */
export const isCampaignGone = (e: unknown): boolean => isNotFound(e, "campaign");

/** The campaign `existingCampaignId` names, or an error saying it is not in this account. */
export const mustFindForAdoption = (
  client: Pick<WoodpeckerClient, "getCampaign" | "http">,
  id: number,
): Promise<ApiCampaign> => mustFindForAdoptionIn("woodpecker", client, id, "404 CAMPAIGN_NOT_EXIST");

/** Parse v1's `created` ("2025-02-10T13:14:57+0100"). */
function parseCreated(s: string | undefined): number {
  if (!s) return NaN;
  return Date.parse(s.replace(/([+-]\d{2})(\d{2})$/, "$1:$2"));
}

/**
 * Lost creates. Woodpecker has no v2 list: v1's campaign_list gives DRAFTs of the same name created
 * since; each is read and compared with what we sent before it counts as a match.
 */
export async function findLostCreates(
  client: Pick<WoodpeckerClient, "getCampaign" | "listCampaigns">,
  inputs: WoodpeckerCampaignInputs,
  since: number,
): Promise<ApiCampaign[]> {
  const recent = (await client.listCampaigns()).filter(
    (c) => c.name === inputs.name && c.status === "DRAFT" && !(parseCreated(c.created) < since),
  );
  const matches: ApiCampaign[] = [];
  for (const c of recent) {
    const live = await findCampaign(client, c.id);
    if (!live) continue;
    const plan = planUpdate(liveConfiguration(live, inputs.bounceShieldThreshold), configurationOf(inputs));
    if (plan.replaceReasons.length === 0 && plan.edits.length === 0) matches.push(live);
  }
  return matches;
}
