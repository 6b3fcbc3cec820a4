/**
 * Policies both platforms share: how a campaign is named in messages, when an adoption is a
 * replacement, what a campaign's JSON looks like, and the Burki statuses the plan guard shares with
 * Burki's delete.
 */
import { PLATFORM_TITLE, type Platform } from "./errors";

/**
 * "Burki campaign 42 ("renewals")", "Woodpecker campaign 7", or before an id exists
 * "Woodpecker campaign "q4-outreach"".
 */
export function campaignLabel(platform: Platform, id: number | undefined, name?: string): string {
  const title = `${PLATFORM_TITLE[platform]} campaign`;
  if (id === undefined) return name ? `${title} "${name}"` : title;
  return name ? `${title} ${id} ("${name}")` : `${title} ${id}`;
}

/**
 * Adopting a different existing campaign is a different campaign: a replacement. Dropping the
 * input after the adoption, or setting it to the id already managed, changes nothing.
 */
export function adoptsAnotherCampaign(
  existingCampaignId: number | undefined,
  managedId: number | undefined,
): boolean {
  return existingCampaignId !== undefined && existingCampaignId !== managedId;
}

/**
 * A campaign as both vendors answer GET: an object with a numeric `id`. Anything else in a 2xx (an
 * HTML page, a proxy's answer, another endpoint's body) means the request did not reach the campaign
 * endpoint, and the client raises an EndpointError rather than read it as a campaign.
 */
export function isCampaignJson<T extends { id: number }>(body: unknown): body is T {
  return !!body && typeof body === "object" && typeof (body as { id?: unknown }).id === "number";
}

/**
 * Burki statuses in which Burki may be placing calls (or is about to): the delete stops such a
 * campaign first, and the plan guard (provider/guard) blocks plans that would.
 */
export const BURKI_ACTIVE_STATUSES: readonly string[] = ["running", "scheduled"];

/** Burki statuses a campaign does not leave by itself; it is never restarted from one. */
export const BURKI_TERMINAL_STATUSES: readonly string[] = ["completed", "cancelled", "failed"];

/** The type tokens of the campaign resources (DESIGN.md's public contract), by platform. */
export const CAMPAIGN_TYPES: Readonly<Record<Platform, string>> = {
  burki: "pulumi-nodejs:dynamic/burki:Campaign",
  woodpecker: "pulumi-nodejs:dynamic/woodpecker:Campaign",
};

/** The platform of a resource type token, or undefined for any other resource. */
export function platformOfType(type: string): Platform | undefined {
  return (Object.keys(CAMPAIGN_TYPES) as Platform[]).find((p) => CAMPAIGN_TYPES[p] === type);
}
