/**
 * Finding a Woodpecker campaign, and the one place that decides "it is gone".
 *
 * `findCampaign` is get-or-undefined: undefined only on Woodpecker's not-found answer (api.ts
 * decides what that answer is). `mustFindCampaign` makes "gone" an error for operations that need
 * the campaign; `isCampaignGone` reads the same answer in the error of an action.
 * `statusCampaign` is the refresh function of the waits in wait.ts.
 */
import { campaignLabel } from "../core/campaign";
import { CampaignGoneError, isApiError } from "../core/errors";
import type { Observed } from "../core/waiter";
import type { ApiCampaign, WoodpeckerClient } from "./api";
import { configurationOf, liveConfiguration, planUpdate } from "./plan";
import type { WoodpeckerCampaignInputs } from "./types";

/** The part of the client that finding needs (a test double provides just this). */
export type CampaignFinder = Pick<WoodpeckerClient, "getCampaign">;

/** The state `statusCampaign` reports for a campaign that no longer exists. */
export const GONE = "(gone)";

/** `Woodpecker campaign 7 ("q4-outreach")`: how every message names the campaign. */
export function labelFor(id: number | undefined, name?: string): string {
  return campaignLabel("woodpecker", id, name);
}

export async function findCampaign(client: CampaignFinder, id: number): Promise<ApiCampaign | undefined> {
  return client.getCampaign(id);
}

export async function mustFindCampaign(
  client: CampaignFinder,
  id: number,
  label: string,
): Promise<ApiCampaign> {
  const c = await findCampaign(client, id);
  if (!c) throw new CampaignGoneError("woodpecker", label);
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
): Promise<Observed<ApiCampaign | undefined>> {
  const c = await findCampaign(client, id);
  return { state: c ? c.status : GONE, value: c };
}

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
